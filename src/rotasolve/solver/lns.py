"""Large-neighbourhood search over people and days, with CP-SAT as the repair engine.

A roster's hard rules are almost all per person (hours, runs, rest, weekends) and people
are coupled through cover, day by day. CP-SAT's own LNS workers pick their neighbourhoods
from the constraint graph and with a fixed small budget; on the largest Curtois instance
(60 people, 10 shift types) they stall far above the optimum. Here a neighbourhood frees the
assignment variables of a few people over the whole horizon, of everyone over a few days,
or of more people over a stretch of days, and fixes every other assignment to the
incumbent; around one cost of the schedule (a cover short, a request not met) the people
it involves are freed near its day or over the whole horizon; and, as CP-SAT's own LNS
does, a random share of all (person, day) cells.

Each neighbourhood becomes its own small CP-SAT model (:meth:`Neighbourhoods.sub_model`):
only the constraints reachable from the freed variables through variables that are not
fixed assignments, every other variable fixed to its incumbent value (CP-SAT's presolve
substitutes them). The sub-model is exact: every other variable is a function of fixed
assignments alone, so keeping its incumbent value keeps the full solution consistent.
Sub-models have hundreds of constraints instead of the whole model, so they are solved
to optimality in tens of milliseconds, with the strongest LP relaxation; each chain
reloads one :class:`SubModel` rather than building a model per neighbourhood.

Sizes adapt per kind as in CP-SAT's own LNS: a sub-problem proved optimal in its time
grows the next one, one that times out shrinks it. Time limits adapt per chain: half a
second while small moves pay, doubled (up to :data:`SUB_SECONDS_MAX`) after
:data:`ESCALATE_AFTER` fruitless sub-problems in a row, so that the neighbourhoods grow
to what the last units of cover need (several people's whole horizons at once). The
random share of cells gets :data:`RANDOM_TIME` times the chain's limit: late in a run it pays
only at about half of all cells or more, which CP-SAT proves in one to four seconds; it
grows faster (:data:`RANDOM_GROW`) while its proofs take a fraction of their time.

A chain stuck at a longer time limit steps sideways now and then (:data:`KICK_AFTER`):
a few people's whole horizons rearranged at a small cost, then a short search from there
that keeps what it finds only if it beats the best.

Chains run in parallel threads, one per worker (the CP-SAT solves release the GIL); each
adopts the shared best schedule when it is better than its own, so the chains stay
diverse yet never wander far from the best.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from .model import CompiledModel

__all__ = ["LnsStats", "Neighbourhoods", "SubModel", "improve"]

#: ``on_improve(objective, solution)`` is called on each better full solution.
ImproveCallback = Callable[[int, list[int]], None]

#: Seconds a sub-problem may take at first; sizes adapt so that about half are proved
#: optimal. A chain that finds nothing better in :data:`ESCALATE_AFTER` sub-problems in a
#: row doubles its limit, up to :data:`SUB_SECONDS_MAX`: quick small moves while they
#: pay, larger neighbourhoods solved longer once they stop paying.
SUB_SECONDS = 0.5
SUB_SECONDS_MAX = 4.0
ESCALATE_AFTER = 12
#: The "random" kind's sub-problems get this many times the chain's time limit (at most
#: :data:`SUB_SECONDS_MAX`). Why: from a schedule no small neighbourhood improves (Curtois
#: Instance 12 at 4312), half of all (person, day) cells freed at random still gained in 8
#: of 20 sub-problems (cover units) given 2 s — the one to two seconds CP-SAT needs to prove
#: them — and in none at 0.5 s; the kind's size only reaches such shares when its
#: sub-problems are proved in time (benchmarks/README.md, session 12).
RANDOM_TIME = 4.0
#: Every kind's size grows by :data:`SIZE_GROW` (a tenth) when its sub-problem is proved
#: optimal and shrinks by a fifth when it is not; the random share grows by
#: :data:`RANDOM_GROW` instead when its sub-problem was proved in less than
#: :data:`RANDOM_QUICK` of its time limit. Why: from a schedule stuck a cover unit above
#: (Curtois Instance 8 at 1415 and 1525), freeing 0.3-0.5 of the cells is proved in a
#: fraction of a second and gains nothing, 0.65-0.7 at 4 s
#: gains in 3-5 of 10 sub-problems; growing by a tenth, the share took until 38-46 s of a
#: 60-s run to climb from 0.1 to 0.6. At 60 s: Instance 8 8 of 9 runs at the optimum's
#: cover against 3 of 9; Instance 9 about 1.5 request points a run worse, as the small
#: kinds get less of the time (benchmarks/README.md, session 13).
SIZE_GROW = 1.1
RANDOM_GROW = 1.3
RANDOM_QUICK = 0.25
#: A chain that has tried :data:`KICK_AFTER` neighbourhoods in a row without a better
#: schedule, at a time limit of at least :data:`KICK_LIMIT` seconds, steps sideways: the
#: whole horizons of :data:`KICK_PEOPLE` people (half of them around a paid penalty) are
#: rearranged to keep as few of their assignments as possible, the objective allowed to
#: rise by at most :data:`KICK_SLACK` of itself; the chain searches on from there for
#: :data:`KICK_WALK` sub-problems and goes back to the shared best unless it found a
#: better schedule. Why: a search stuck one unit of a heavy cost above the optimum
#: (Curtois Instance 9: one night short) needs several particular people rearranged at
#: once, which no neighbourhood of the current schedule finds (benchmarks/README.md,
#: sessions 9 and 10); a step along the plateau of the heavy cost changes which
#: neighbourhoods lead down.
KICK_AFTER = 6
KICK_LIMIT = 1.0
KICK_PEOPLE = 4
KICK_SLACK = 0.05
KICK_WALK = 12
#: How far :meth:`Neighbourhoods.costly` walks from a paid penalty through aggregate
#: variables (totals, maxima) to the assignments they count.
AGGREGATE_DEPTH = 3
#: CP-SAT parameters of a sub-problem (and of a column generation's pricing problem): one
#: worker, the full LP, one presolve pass and no probing, symmetry or inprocessing — a
#: sub-problem is small and mostly fixed, so these cost more than they find. Measured
#: (the search alone, 54 s, seeds 0/1/2): Curtois Instance 12 4340 / 4644 / 4510 against
#: 4631 / 4718 / 4716 with CP-SAT's defaults (15 % more sub-problems), Instance 8 alike
#: (1466 / 1439 / 1345 against 1450 / 1337 / 1441). Pricing problems of Instances 7 and 12
#: at mid-run duals: 19-25 ms each against 25-35 ms with probing and symmetry off only,
#: about 45 ms with CP-SAT's defaults and 40-50 ms without presolve.
SUB_PARAMS: dict[str, Any] = {
    "num_workers": 1,
    "linearization_level": 2,
    "max_presolve_iterations": 1,
    "cp_model_probing_level": 0,
    "symmetry_level": 0,
    "use_sat_inprocessing": False,
}

_BIG = 1 << 62  # beyond this a domain end is "unbounded" and is not shifted


@dataclass
class LnsStats:
    """What the search did: sub-problems solved and improved, per neighbourhood kind."""

    calls: int = 0
    improvements: int = 0
    seconds: float = 0.0
    #: stopped because nothing better was found for ``stall`` seconds
    stalled: bool = False
    #: the error that ended a chain early, if any (the best schedule so far is kept)
    error: str = ""
    #: kind -> [calls, improvements, proved optimal]
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    #: the longest time limit a chain reached (see :data:`SUB_SECONDS_MAX`); the random
    #: kind's sub-problems get up to :data:`RANDOM_TIME` times it
    longest: float = 0.0
    #: sideways steps taken by stuck chains (see :data:`KICK_AFTER`)
    kicks: int = 0


def _var(lit: int) -> int:
    return lit if lit >= 0 else -lit - 1


class Neighbourhoods:
    """The model's constraints as plain data, for building sub-models quickly.

    Parameters
    ----------
    cm
        The compiled model (constraints of kinds ``bool_or``, ``bool_and``, ``linear``
        and ``lin_max``, possibly with enforcement literals: what the compiler emits).
    """

    def __init__(self, cm: CompiledModel) -> None:
        proto = cm.proto
        self.domains: list[tuple[int, ...]] = [tuple(v.domain) for v in proto.variables]
        #: per constraint: (kind, enforcement literals, payload)
        self.cons: list[tuple[str, list[int], Any]] = []
        self.cons_vars: list[list[int]] = []
        var_cons: list[list[int]] = [[] for _ in proto.variables]
        for i, c in enumerate(proto.constraints):
            enf = list(c.enforcement_literal)
            vs = [_var(lit) for lit in enf]
            payload: Any
            if c.has_bool_or() or c.has_bool_and():
                kind = "or" if c.has_bool_or() else "and"
                lits = list(c.bool_or.literals if kind == "or" else c.bool_and.literals)
                vs += [_var(lit) for lit in lits]
                payload = lits
            elif c.has_linear():
                kind = "lin"
                lv, lc = list(c.linear.vars), list(c.linear.coeffs)
                vs += lv
                payload = (lv, lc, list(c.linear.domain))
            elif c.has_lin_max():
                kind = "max"
                t = c.lin_max.target
                target = (list(t.vars), list(t.coeffs), int(t.offset))
                exprs = [(list(e.vars), list(e.coeffs), int(e.offset)) for e in c.lin_max.exprs]
                vs += target[0]
                for e in exprs:
                    vs += e[0]
                payload = (target, exprs)
            else:
                raise ValueError(f"constraint {i}: kind not handled by the LNS")
            self.cons.append((kind, enf, payload))
            uniq = list(dict.fromkeys(vs))
            self.cons_vars.append(uniq)
            for v in uniq:
                var_cons[v].append(i)
        self.var_cons = var_cons
        self.is_x = [False] * len(proto.variables)
        for v in cm.x.values():
            self.is_x[v] = True
        #: cells[p][d]: the assignment variables of person p on day d
        self.cells: list[list[list[int]]] = [
            [[v for _, v in cell] for cell in row] for row in cm.by_day
        ]
        #: where[v]: (person, day) of assignment variable v
        self.where: dict[int, tuple[int, int]] = {
            v: (p, d)
            for p, row in enumerate(self.cells)
            for d, cell in enumerate(row)
            for v in cell
        }
        self.people = len(self.cells)
        self.days = len(self.cells[0]) if self.cells else 0
        #: the shift types each person has a variable for
        self.shifts_of = [{s for cell in row for s, _ in cell} for row in cm.by_day]
        #: the full model (each :class:`SubModel` copies it)
        self.proto = proto
        obj = proto.objective
        self.obj_offset = round(float(obj.offset))
        self.obj_terms = list(zip(obj.vars, obj.coeffs, strict=True))
        self.obj_coef = dict(self.obj_terms)
        #: the objective's penalties: (weight, variables, coefficients, constant)
        self.penalties = [(w, e.vars, e.coeffs, e.const) for _, w, e in cm.penalties]

    def objective(self, solution: Sequence[int]) -> int:
        """The full model's objective under ``solution``."""
        return self.obj_offset + int(sum(c * solution[v] for v, c in self.obj_terms))

    def component(self, free: Sequence[int]) -> tuple[list[int], list[int]]:
        """The variables and constraints a change of ``free`` (assignment variables) can
        reach: walk from ``free`` through every constraint, on through every variable that
        is not a fixed assignment."""
        is_x = self.is_x
        open_ = dict.fromkeys(free)
        stack = list(open_)
        active: set[int] = set()
        var_cons, cons_vars = self.var_cons, self.cons_vars
        while stack:
            v = stack.pop()
            for ci in var_cons[v]:
                if ci in active:
                    continue
                active.add(ci)
                for u in cons_vars[ci]:
                    if u not in open_ and not is_x[u]:
                        open_[u] = None
                        stack.append(u)
        return list(open_), sorted(active)

    def sub_model(
        self, free: Sequence[int], solution: Sequence[int], into: SubModel | None = None
    ) -> tuple[cp_model.CpModel, list[int]]:
        """The sub-model of neighbourhood ``free`` around ``solution`` and its open
        variables: the constraints they reach, every other variable fixed to its value in
        ``solution``, hinted with ``solution``. The model keeps the full model's variable
        indices (see :class:`SubModel`; ``into`` reuses one, as a search chain does)."""
        sub = into if into is not None else SubModel(self)
        return sub.model, sub.load(free, solution)

    def model_of(
        self, open_vars: Sequence[int], active: Sequence[int], solution: Sequence[int]
    ) -> cp_model.CpModel:
        """A model of the constraints ``active`` over the variables ``open_vars`` (in that
        order), every other variable a constant from ``solution``, with the objective's
        terms on ``open_vars``."""
        pos = {v: i for i, v in enumerate(open_vars)}
        m = cp_model.CpModel()
        proto = m.proto
        for v in open_vars:
            proto.variables.add().domain.extend(self.domains[v])

        def lit(x: int) -> Any:
            """Remapped literal, or its constant truth value."""
            v = _var(x)
            i = pos.get(v)
            if i is None:
                val = solution[v] == 1
                return val if x >= 0 else not val
            return i if x >= 0 else -i - 1

        def linear(vs: list[int], cs: list[int]) -> tuple[list[int], list[int], int]:
            nv: list[int] = []
            nc: list[int] = []
            const = 0
            for v, c in zip(vs, cs, strict=True):
                i = pos.get(v)
                if i is None:
                    const += c * solution[v]
                else:
                    nv.append(i)
                    nc.append(c)
            return nv, nc, const

        def reduce(lits: list[int], decisive: bool) -> list[int] | None:
            """``lits`` remapped, without the constants ``not decisive``; None when one of
            them is the constant ``decisive`` (which settles the constraint)."""
            out: list[int] = []
            for x in lits:
                r = lit(x)
                if r is decisive:
                    return None
                if r is not (not decisive):
                    out.append(r)
            return out

        for ci in active:
            kind, enf, payload = self.cons[ci]
            new_enf = reduce(enf, False)
            if new_enf is None:
                continue  # an enforcement literal is false: the constraint is off
            if kind == "or":
                lits = reduce(payload, True)
                if lits is None:
                    continue  # a literal is true: satisfied
                c = proto.constraints.add()
                c.enforcement_literal.extend(new_enf)
                c.bool_or.literals.extend(lits)
            elif kind == "and":
                lits = reduce(payload, False)
                c = proto.constraints.add()
                if lits is None:
                    # a false literal: the enforcement must fail
                    c.bool_or.literals.extend([-e - 1 for e in new_enf])
                else:
                    c.enforcement_literal.extend(new_enf)
                    c.bool_and.literals.extend(lits)
            elif kind == "lin":
                vs, cs, dom = payload
                nv, nc, const = linear(vs, cs)
                c = proto.constraints.add()
                c.enforcement_literal.extend(new_enf)
                c.linear.vars.extend(nv)
                c.linear.coeffs.extend(nc)
                c.linear.domain.extend(d if abs(d) >= _BIG else d - const for d in dom)
            else:
                (tv, tc, to), exprs = payload
                c = proto.constraints.add()
                c.enforcement_literal.extend(new_enf)
                nv, nc, const = linear(tv, tc)
                t = c.lin_max.target
                t.vars.extend(nv)
                t.coeffs.extend(nc)
                t.offset = to + const
                for ev, ec, eo in exprs:
                    nv, nc, const = linear(ev, ec)
                    e = c.lin_max.exprs.add()
                    e.vars.extend(nv)
                    e.coeffs.extend(nc)
                    e.offset = eo + const
        obj = proto.objective
        coef = self.obj_coef
        for i, v in enumerate(open_vars):
            c = coef.get(v)
            if c:
                obj.vars.append(i)
                obj.coeffs.append(c)
        return m

    # --- neighbourhood kinds -----------------------------------------------------------
    def free_of(self, cells: list[tuple[int, int, int]]) -> list[int]:
        """Assignment variables of ``(person, first day, day after last)`` stretches."""
        out: list[int] = []
        for p, a, b in cells:
            row = self.cells[p]
            for d in range(a, b):
                out.extend(row[d])
        return out

    def disagreeing(
        self, solution: Sequence[int], guide: dict[int, float], widen: int = 1
    ) -> list[int]:
        """A relaxation-induced neighbourhood (RINS): the assignment variables of every
        (person, day) where an assignment in ``solution`` differs from its value in the
        relaxation's solution ``guide`` (by more than a millionth; variables not in
        ``guide`` agree), and of the ``widen`` days either side of it (a changed day
        often needs its neighbours changed: run lengths, successions)."""
        out: list[int] = []
        for row in self.cells:
            off = [
                any(abs(guide.get(v, solution[v]) - solution[v]) > 1e-6 for v in cell)
                for cell in row
            ]
            for d in range(len(row)):
                if any(off[max(0, d - widen) : d + widen + 1]):
                    out.extend(row[d])
        return out

    def related(self, rng: random.Random, k: int, p: int | None = None) -> list[int]:
        """``k`` people: ``p`` (or one at random), then those sharing the most shift types
        with it (people who can take over each other's shifts), ties broken at random."""
        if p is None:
            p = rng.randrange(self.people)
        mine = self.shifts_of[p]
        others = [q for q in range(self.people) if q != p]
        rng.shuffle(others)
        others.sort(key=lambda q: -len(mine & self.shifts_of[q]))
        return [p, *others[: k - 1]]

    def costly(
        self, solution: Sequence[int], rng: random.Random
    ) -> tuple[list[int], int, int] | None:
        """Where the schedule pays: one penalty with a cost, at random, as the people
        whose assignments it reads, its day and how many of those people come first
        because the penalty reads their assignments itself (None: nothing costs).

        A penalty on assignments (a request) comes with its own people first, then those
        whose assignments set the value of a constraint it shares (a cover short or over
        on that cell: who could take the shift over), and its own middle day — not the
        middle of everything reached, which for a request is the middle of the horizon,
        since its person's limits read every day. A penalty on an aggregate (a spread of
        totals, weekends worked, a cover's shortfall) reads no assignment directly: the
        walk goes on through such variables, one level at a time until it reaches
        assignments; through a ``lin_max`` only along the expressions that set its value
        (for a spread: the people at its top and its bottom)."""
        paid = [
            vs
            for w, vs, cs, k in self.penalties
            if w * (k + sum(c * solution[v] for v, c in zip(vs, cs, strict=True))) > 0
        ]
        if not paid:
            return None
        start = rng.choice(paid)
        own = [self.where[v] for v in start if self.is_x[v]]
        cells = list(own)
        # the first level also from its assignments: the cover they are part of says
        # who could take a shift over
        seen, frontier = set(start), list(start)
        for _ in range(AGGREGATE_DEPTH):
            reached: list[int] = []
            for u in frontier:
                for ci in self.var_cons[u]:
                    for w in self._reads(ci, solution):
                        if self.is_x[w]:
                            cells.append(self.where[w])
                        elif w not in seen:
                            seen.add(w)
                            reached.append(w)
            if cells:
                break
            frontier = reached
        if not cells:
            return None
        first = list(dict.fromkeys(p for p, _ in own))
        people = list(dict.fromkeys([*first, *(p for p, _ in cells)]))
        days = sorted(d for _, d in (own or cells))
        return people, days[len(days) // 2], len(first)

    def _reads(self, ci: int, solution: Sequence[int]) -> list[int]:
        """The variables of constraint ``ci`` that set its value under ``solution``: all
        of them, but for a ``lin_max`` its target and the expressions equal to it."""
        kind, enf, payload = self.cons[ci]
        if kind != "max":
            return self.cons_vars[ci]

        def value(e: tuple[list[int], list[int], int]) -> int:
            return e[2] + sum(c * solution[u] for u, c in zip(e[0], e[1], strict=True))

        target, exprs = payload
        top = value(target)
        out = [_var(x) for x in enf] + list(target[0])
        for e in exprs:
            if value(e) == top:
                out.extend(e[0])
        return out


class SubModel:
    """A CP-SAT model for the neighbourhoods of one search chain, reloaded for each.

    It has every variable of the full model under the same index: those a neighbourhood
    opens keep their domains, every other one is fixed to the incumbent's value (CP-SAT's
    presolve removes them), and only the constraints the open variables reach are
    copied in, whole. A reload rewrites only the variables whose state changed since the
    last one and copies constraints in bulk, so it costs a fraction of building a
    remapped model constraint by constraint (Curtois Instance 12: about 15 ms against
    70 ms, for the same solve times and results), time the search's chains spent holding
    the interpreter.

    Parameters
    ----------
    nb
        The neighbourhoods of the full model.
    """

    def __init__(self, nb: Neighbourhoods) -> None:
        self.nb = nb
        # a private copy of the constraints to copy from: the chains never share one
        source = cp_model.CpModel()
        source.proto.copy_from(nb.proto)
        self._source = source
        self._cons = list(source.proto.constraints)
        #: the model to solve after each :meth:`load`
        self.model = cp_model.CpModel()
        proto = self.model.proto
        proto.copy_from(nb.proto)
        proto.constraints.clear()
        proto.search_strategy.clear()
        proto.clear_solution_hint()
        self._vars = list(proto.variables)
        #: per variable: the value it is fixed to, or None while it has its own domain
        self._held: list[int | None] = [None] * len(self._vars)

    def load(self, free: Sequence[int], solution: Sequence[int]) -> list[int]:
        """Set the model to neighbourhood ``free`` around ``solution``; return its open
        variables (``free`` and the other variables it reaches, see
        :meth:`Neighbourhoods.component`)."""
        open_vars, active = self.nb.component(free)
        opened = set(open_vars)
        held, variables, domains = self._held, self._vars, self.nb.domains
        for v, value in enumerate(solution):
            if held[v] != value and v not in opened:
                d = variables[v].domain
                d.clear()
                d.extend((value, value))
                held[v] = value
        for v in open_vars:
            if held[v] is not None:
                d = variables[v].domain
                d.clear()
                d.extend(domains[v])
                held[v] = None
        proto = self.model.proto
        proto.constraints.clear()
        proto.constraints.extend([self._cons[c] for c in active])
        proto.clear_solution_hint()
        proto.solution_hint.vars.extend(open_vars)
        proto.solution_hint.values.extend([solution[v] for v in open_vars])
        return open_vars


@dataclass
class _Kind:
    name: str
    size: float  # people, days or people × days share, by kind
    lo: float
    hi: float
    limit_scale: float = 1.0  # its sub-problems get this many times the chain's limit
    quick_rate: float = SIZE_GROW  # its growth when proved in under RANDOM_QUICK of the limit


def _pick(nb: Neighbourhoods, kind: _Kind, rng: random.Random, best: Sequence[int]) -> list[int]:
    P, D = nb.people, nb.days
    if kind.name == "people":
        k = max(1, min(P, round(kind.size)))
        return nb.free_of([(p, 0, D) for p in rng.sample(range(P), k)])
    if kind.name == "related":
        k = max(1, min(P, round(kind.size)))
        return nb.free_of([(p, 0, D) for p in nb.related(rng, k)])
    if kind.name == "days":
        w = max(1, min(D, round(kind.size)))
        a = rng.randrange(0, D - w + 1)
        return nb.free_of([(p, a, a + w) for p in range(P)])
    if kind.name == "costly":
        # a few people around a cost of the schedule (a cover short or over, a request
        # not met...), over a stretch of days around it
        k = max(1, min(P, round(kind.size)))
        hit = nb.costly(best, rng)
        if hit is not None:
            # the penalty's own people stay in (a request's person), the rest at random
            who, day, n = hit
            if n >= k:
                who = rng.sample(who[:n], k)
            elif len(who) > k:
                who = who[:n] + rng.sample(who[n:], k - n)
            elif len(who) < k:
                who = list(dict.fromkeys([*who, *nb.related(rng, k - len(who) + 1, who[0])]))
            if rng.random() < 0.5:
                # the fix may need a shift given up elsewhere in the horizon (hours, runs)
                k = max(1, k // 2)
                return nb.free_of([(p, 0, D) for p in who[:k]])
            half = 3 + rng.randrange(5)
            a, b = max(0, day - half), min(D, day + half + 1)
            return nb.free_of([(p, a, b) for p in who])
        return nb.free_of([(p, 0, D) for p in rng.sample(range(P), k)])
    if kind.name == "random":
        # a random share of all (person, day) cells, as CP-SAT's own LNS does
        cells = [(p, d, d + 1) for p in range(P) for d in range(D) if rng.random() < kind.size]
        return nb.free_of(cells)
    # "block": a share of the people over a stretch a bit longer than a week
    w = max(1, min(D, 7 + rng.randrange(8)))
    k = max(1, min(P, round(kind.size * P)))
    a = rng.randrange(0, D - w + 1)
    return nb.free_of([(p, a, a + w) for p in rng.sample(range(P), k)])


def _sub_solver(rng: random.Random, seconds: float) -> cp_model.CpSolver:
    """A CP-SAT solver for one sub-problem: :data:`SUB_PARAMS`, a seed from ``rng``."""
    solver = cp_model.CpSolver()
    for name, value in SUB_PARAMS.items():
        setattr(solver.parameters, name, value)
    solver.parameters.random_seed = rng.randrange(1 << 30)
    solver.parameters.max_time_in_seconds = seconds
    return solver


def _kick(
    nb: Neighbourhoods, rng: random.Random, best: Sequence[int], best_obj: int, seconds: float
) -> list[int] | None:
    """A schedule beside ``best`` on its plateau (see :data:`KICK_AFTER`), or None."""
    P, D = nb.people, nb.days
    k = max(1, min(P, KICK_PEOPLE))
    who = rng.sample(range(P), k)
    hit = nb.costly(best, rng)
    if hit is not None:
        near = rng.sample(hit[0], min(len(hit[0]), max(1, k // 2)))
        who = list(dict.fromkeys([*near, *who]))[:k]
    free = nb.free_of([(p, 0, D) for p in who])
    open_vars, active = nb.component(free)
    model = nb.model_of(open_vars, active, best)
    proto = model.proto
    # the objective's terms on the open variables may rise by the slack, no more
    terms = [(i, nb.obj_coef[v]) for i, v in enumerate(open_vars) if nb.obj_coef.get(v)]
    now = sum(c * best[open_vars[i]] for i, c in terms)
    cap = proto.constraints.add()
    cap.linear.vars.extend([i for i, _ in terms])
    cap.linear.coeffs.extend([c for _, c in terms])
    cap.linear.domain.extend([-_BIG, now + max(1, int(KICK_SLACK * best_obj))])
    # keep as few of the freed assignments as possible
    proto.clear_objective()
    keep = [i for i, v in enumerate(open_vars) if nb.is_x[v] and best[v] == 1]
    proto.objective.vars.extend(keep)
    proto.objective.coeffs.extend([1] * len(keep))
    solver = _sub_solver(rng, seconds)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = solver.response_proto.solution
    cand = list(best)
    for j, v in enumerate(open_vars):
        cand[v] = values[j]
    return cand


class _Shared:
    def __init__(self, solution: list[int], objective: int) -> None:
        self.lock = threading.Lock()
        self.solution = solution
        self.objective = objective
        self.last = 0.0  # perf_counter() of the latest improvement


def improve(
    cm: CompiledModel,
    solution: list[int],
    deadline: float,
    *,
    seed: int = 0,
    threads: int = 2,
    bound: float | Callable[[], float | None] | None = None,
    on_improve: ImproveCallback | None = None,
    neighbourhoods: Neighbourhoods | None = None,
    stall: float | None = None,
    inject: Callable[[int], tuple[int, list[int]] | None] | None = None,
) -> tuple[list[int], LnsStats]:
    """Improve ``solution`` (a feasible full solution of ``cm``'s model) by
    large-neighbourhood search until ``deadline`` (``time.perf_counter()`` seconds) or
    until it reaches ``bound``.

    Parameters
    ----------
    cm
        The compiled model whose objective is minimised (not changed).
    solution
        A feasible full solution (one value per variable).
    deadline
        When to stop.
    seed
        Seed of the neighbourhood choices and of the sub-solves.
    threads
        Search chains run in parallel (one core each).
    bound
        A proved lower bound of the objective, or a function that returns the latest one
        (None: none yet): the search stops when it is reached.
    on_improve
        Called with the objective and the full solution on each improvement.
    neighbourhoods
        A prepared :class:`Neighbourhoods` of ``cm`` (built when None).
    stall
        Stop early when no chain has found a better schedule for this many seconds (at
        least twice the sub-problems' time limit) once that limit is the longest,
        :data:`SUB_SECONDS_MAX`.
    inject
        ``inject(objective)`` returns a better full solution found elsewhere, with its
        objective, or None; asked before each sub-problem.

    Returns
    -------
    (solution, stats)
        The best solution found (``solution`` itself when nothing better was) and stats.
    """
    t0 = time.perf_counter()
    stats = LnsStats()
    if not cm.x or not cm.proto.has_objective():
        return solution, stats
    nb = neighbourhoods or Neighbourhoods(cm)
    shared = _Shared(list(solution), nb.objective(solution))
    shared.last = time.perf_counter()

    def target() -> int | None:
        b = bound() if callable(bound) else bound
        return None if b is None else -int(-b // 1)  # the objective is integral

    stats_lock = threading.Lock()

    def chain(index: int) -> None:
        rng = random.Random(seed * 1009 + index)
        P, D = nb.people, nb.days
        kinds = [
            _Kind("people", 3.0, 1.0, float(P)),
            _Kind("related", 3.0, 2.0, float(P)),
            _Kind("days", 3.0, 1.0, float(D)),
            _Kind("block", 0.25, 2.0 / max(P, 1), 1.0),
            _Kind("costly", 6.0, 2.0, float(P)),
            _Kind("random", 0.1, 0.01, 1.0, RANDOM_TIME, RANDOM_GROW),
        ]
        with shared.lock:
            best, best_obj = list(shared.solution), shared.objective
        work = SubModel(nb)
        i = index
        # after a kick: the objective it left (a better one ends the walk) and sub-problems left
        home: int | None = None
        walk = 0
        limit, idle = SUB_SECONDS, 0
        at_longest = time.perf_counter() if limit >= SUB_SECONDS_MAX else float("inf")
        while True:
            now = time.perf_counter()
            left = deadline - now
            goal = target()
            if left < 0.05 or (goal is not None and best_obj <= goal):
                return
            # a stall counts only once the sub-problems have had the longest time limit
            quiet = now - max(shared.last, at_longest)
            if stall is not None and limit >= SUB_SECONDS_MAX and quiet > max(stall, 2 * limit):
                stats.stalled = True
                return
            with shared.lock:
                got = None if inject is None else inject(shared.objective)
                if got is not None and got[0] < shared.objective:
                    shared.objective, shared.solution = got[0], list(got[1])
                    shared.last = time.perf_counter()
                    if on_improve is not None:
                        on_improve(shared.objective, shared.solution)
                # a better shared schedule, or the end of a walk that found nothing better
                if shared.objective < (best_obj if home is None else home) or (
                    home is not None and walk <= 0
                ):
                    best, best_obj = list(shared.solution), shared.objective
                    home = None
            if home is None and limit >= KICK_LIMIT and idle >= KICK_AFTER:
                kicked = _kick(nb, rng, best, best_obj, min(1.0, left))
                idle = 0
                if kicked is not None:
                    home, walk = best_obj, KICK_WALK
                    best, best_obj = kicked, nb.objective(kicked)
                    with stats_lock:
                        stats.kicks += 1
                    continue
            walk -= 1
            kind = kinds[i % len(kinds)]
            i += 1
            free = _pick(nb, kind, rng, best)
            sub, open_vars = nb.sub_model(free, best, work)
            solver = _sub_solver(rng, min(kind.limit_scale * limit, SUB_SECONDS_MAX, left))
            status = solver.solve(sub)
            improved = False
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                values = list(solver.response_proto.solution)
                cand = list(best)
                for v in open_vars:
                    cand[v] = values[v]
                obj = nb.objective(cand)
                if obj <= best_obj:
                    improved = obj < best_obj
                    best, best_obj = cand, obj
            if status == cp_model.OPTIMAL:
                grow = 0.0 if kind.name in ("block", "random") else 0.5
                # a share proved in a fraction of its time is far below the one that pays
                quick = solver.wall_time < RANDOM_QUICK * solver.parameters.max_time_in_seconds
                rate = kind.quick_rate if quick else SIZE_GROW
                kind.size = min(kind.hi, kind.size * rate + grow)
            else:
                kind.size = max(kind.lo, kind.size * 0.8)
            with stats_lock:
                stats.longest = max(stats.longest, limit)
                stats.calls += 1
                row = stats.by_kind.setdefault(kind.name, [0, 0, 0])
                row[0] += 1
                row[1] += improved
                row[2] += status == cp_model.OPTIMAL
            if home is not None and best_obj < home:
                home = None  # the walk led below where it started
            idle = 0 if improved else idle + 1
            if idle >= ESCALATE_AFTER and limit < SUB_SECONDS_MAX:
                limit, idle = min(SUB_SECONDS_MAX, 2 * limit), 0
                if limit >= SUB_SECONDS_MAX:
                    at_longest = time.perf_counter()
            if improved:
                with shared.lock:
                    if best_obj < shared.objective:
                        shared.solution, shared.objective = list(best), best_obj
                        shared.last = time.perf_counter()
                        stats.improvements += 1
                        if on_improve is not None:
                            on_improve(best_obj, shared.solution)

    def guarded(index: int) -> None:
        try:
            chain(index)
        except Exception as exc:  # keep the best so far; the caller's search goes on
            with stats_lock:
                stats.error = f"{type(exc).__name__}: {exc}"

    workers = [threading.Thread(target=guarded, args=(k,), daemon=True) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    stats.seconds = time.perf_counter() - t0
    return shared.solution, stats
