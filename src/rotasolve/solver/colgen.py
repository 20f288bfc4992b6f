"""Column generation over people: a lower bound from per-person rosters, and a schedule
from the best combination of them.

A roster's rules are almost all per person, and people are coupled through a few linear
counts (cover). The compact model's LP relaxation lets every person work fractions of
shifts, so its bound is far below the optimum (Curtois Instance 12: an LP value of 17
against an optimum of 4 040). Dantzig-Wolfe decomposition by person convexifies each
person's rules: the master LP chooses a convex combination of whole rosters per person,
and only the coupling rows remain linear. Its value is a much stronger bound (Instance
12: 4 040 exactly); the rosters it generated, recombined by CP-SAT one per person, give
schedules.

The decomposition is read off the compiled model, not from the problem's kinds of rule:
every assignment variable belongs to its person; a variable that shares a constraint with
one person's variables only joins that person (to a fixpoint); a constraint whose
variables all belong to one person is that person's; every other constraint couples
people and becomes a row of the master LP (a ``linear`` as its range, a ``lin_max`` as
"target ≥ each expression", others dropped — every relaxation keeps the bound valid).

Each person's pricing problem is a CP-SAT model of that person's constraints with the
reduced costs as objective; the Lagrangian bound after each round uses the pricing
problems' proved bounds, so it is valid whatever the time limits.

Once converged, :meth:`ColumnGeneration.dive` turns the master LP into a schedule by
fixing one person's roster at a time and pricing the others again; on Curtois Instances
9-11 its schedules were within 0.3 % of the optimum in seven runs of nine (dives of
12-16 s), and on 12 it reached 4048-4050 (optimum 4040) in five dives of six (4149 once)
in 39-52 s, after a column generation of 21-26 s on two threads (benchmarks/README.md,
sessions 16-17); since session 18 a dive stops re-pricing when the LP stays put
(:data:`DIVE_STALL`): 42-49 s, 4049-4253 — the search after it repairs the worst; since
session 24 it prices longer after a fix that raised the LP (:data:`DIVE_SECONDS_MAX`);
since session 25 CP-SAT re-solves the people its deadline rushed (``finish``); since
session 26 its fixes by bounds are re-solved by the dual simplex. It needs
every coupling row to be met whatever rosters are chosen
(:meth:`Decomposition.absorbs`): it never goes back on a choice.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .lns import SUB_PARAMS, Neighbourhoods
from .model import CompiledModel

__all__ = ["ColgenStats", "ColumnGeneration", "Decomposition", "decompose"]

_BIG = 1 << 62
#: Seconds a pricing problem may take; most are solved in tens of milliseconds.
SUB_SECONDS = 1.0
#: New rosters per person and round: the best and others found on the way.
PER_ROUND = 5
#: Wentges smoothing of the duals priced at (0: the LP's own duals).
SMOOTHING = 0.5
#: A dive re-prices after a fix until the master LP is back within this share of its
#: value at the start of the dive (at least 1): 6.5 points on Curtois Instance 8, 20 on
#: 12. Against 0.0025 (benchmarks/README.md, session 19): 12's dives 28.8-37.4 s instead
#: of 35.1-50.0 s from one converged master; 8 at 60 s 1301 / 1307 / 1303 against
#: 1312 / 1405 / 1320 — the search after it repairs what the looser dive gives up.
DIVE_TOLERANCE = 0.005
#: Seconds a dive's pricing problem may take: rosters good enough to bring the LP back
#: matter more than proofs (Instance 8: 10 ms halved the dive's time, 5 ms lost a cover
#: unit).
DIVE_SECONDS = 0.02
#: ... but when re-pricing at that limit stops (no roster with a negative reduced cost
#: found, or the LP flat) with the LP above the dive's target and more than 1 above its
#: value before the fix, the limit is raised :data:`DIVE_ESCALATE`-fold, up to this, and
#: the pricing goes on: a late jump in the LP can be a pricing problem cut off before the
#: roster that would bring it back. Curtois 8 in ``solve`` at 60 s, seeds 0-17: dives lost
#: a cover unit in 6 runs of 18 (12 before), 16 runs within 1 % of the optimum (15);
#: 12, seeds 0-11: 8 of 12 within 1 % (6 of 12 before, the same day). Dives alone,
#: offline, showed no clear difference (benchmarks/README.md, session 24).
DIVE_SECONDS_MAX = 0.5
DIVE_ESCALATE = 5.0
#: Rosters kept per free person when the master is rebuilt after a fix (those with a
#: weight in the last LP always; then the cheapest by reduced cost): the LP stays small.
DIVE_KEEP = 50
#: A dive stops re-pricing after a fix once the LP has not gone down in this many rounds:
#: on a degenerate LP the new rosters need not move it (Curtois Instance 12: up to 25
#: rounds in a row at one value, a third of the dive's pricing problems).
DIVE_STALL = 3
#: A dive fixes by bounds in the LP it has (GLOP warm, without presolve) for as long as
#: the LP stays within :data:`DIVE_TOLERANCE` after each fix, so no pricing is due; only
#: from the first fix that needs pricing does it rebuild the master for each fix (warm
#: duals without presolve lead the pricing astray). Curtois 12, four dives from one
#: converged master: 35.2 / 38.8 s against 43.3 / 45.2 s (its first 27-28 fixes in 6.2 s
#: instead of ~17 s; benchmarks/README.md, session 19).
DIVE_WARM = True
#: A dive may start from a column generation that has not converged when its bound is
#: within this share of its LP's value: at 60 s Curtois 12's column generation is cut
#: off by its deadline near the end in about half the runs (bound 3998-4031, LP
#: 4040-4041.6). 5 % (was 2 %): in about one run in twelve it is further off (bound
#: 3916-3933), and no dive ran; offline, from four such column generations (2.6-3.6 %
#: off), a dive finished by CP-SAT and 12 s of search gave 4057-4069 where the search
#: alone from CP-SAT's schedule for 31 s gave 4221-4445 (benchmarks/README.md, session
#: 25).
DIVE_GAP = 0.05
#: ``dive(finish=...)`` re-solves the people its deadline rushed by CP-SAT only when at
#: least this many seconds are left until ``finish``.
DIVE_FINISH_MIN = 0.5
_SCALE = 1000  # reduced costs are scaled to integers for CP-SAT with this factor
_EPS = 1e-6


def _ends(dom: Sequence[int]) -> tuple[float, float]:
    """The least and greatest value of a CP-SAT domain, ``±inf`` beyond ``±2^62``."""
    return (
        -math.inf if dom[0] <= -_BIG else float(dom[0]),
        math.inf if dom[-1] >= _BIG else float(dom[-1]),
    )


@dataclass
class Row:
    """A coupling row ``lo ≤ Σ coef × var ≤ hi`` of the master (``±inf`` for no side)."""

    terms: dict[int, int]
    lo: float
    hi: float


@dataclass
class Decomposition:
    """The compiled model split by person.

    Attributes
    ----------
    blocks
        Per person with variables: (person, its variables, its constraints).
    rows
        The coupling rows.
    master
        Variables of no person (e.g. a day's cover shortfall).
    dropped
        Coupling constraints the master leaves out (not linear): the bound stays valid,
        only weaker.
    """

    blocks: list[tuple[int, list[int], list[int]]]
    rows: list[Row]
    master: list[int]
    dropped: int = 0

    def absorbs(self, domains: Sequence[Sequence[int]]) -> bool:
        """Whether every coupling row can be met whatever roster each person works: its
        master variables (e.g. a cover's shortfall), within their ``domains``, can take
        up any value of the people's share. Then no choice of rosters makes the master
        infeasible, which a dive (it never goes back on a choice) needs; a hard cover
        row has no such variable."""
        master = set(self.master)
        for row in self.rows:
            people = [0.0, 0.0]  # the range of the people's share of the row
            slack = [0.0, 0.0]  # ... and of the master variables'
            for v, k in row.terms.items():
                if k == 0:
                    continue
                lo, hi = _ends(domains[v])
                a, b = sorted((k * lo, k * hi))
                part = slack if v in master else people
                part[0] += a
                part[1] += b
            if row.lo > -math.inf and row.lo - people[0] > slack[1]:
                return False
            if row.hi < math.inf and row.hi - people[1] < slack[0]:
                return False
        return True


def _rows_of(kind: str, enf: list[int], payload: Any) -> list[Row] | None:
    """The master rows that relax one coupling constraint (None: none)."""
    if enf:
        return None
    if kind == "lin":
        vs, cs, dom = payload
        terms: dict[int, int] = defaultdict(int)
        for v, c in zip(vs, cs, strict=True):
            terms[v] += c
        return [Row(dict(terms), *_ends(dom))]
    if kind == "max":
        (tv, tc, to), exprs = payload
        rows = []
        for ev, ec, eo in exprs:
            terms = defaultdict(int)
            for v, c in zip(tv, tc, strict=True):
                terms[v] += c
            for v, c in zip(ev, ec, strict=True):
                terms[v] -= c
            rows.append(Row(dict(terms), float(eo - to), math.inf))
        return rows
    return None


def decompose(nb: Neighbourhoods) -> Decomposition | None:
    """Split the model of ``nb`` by person (None when it has no assignment variables)."""
    if not nb.where:
        return None
    n = len(nb.domains)
    owner = [-1] * n
    for v, (p, _) in nb.where.items():
        owner[v] = p
    todo = list(range(len(nb.cons)))
    while todo:
        ci = todo.pop()
        owners = {owner[u] for u in nb.cons_vars[ci] if owner[u] >= 0}
        if len(owners) != 1:
            continue
        (p,) = owners
        for u in nb.cons_vars[ci]:
            if owner[u] < 0:
                owner[u] = p
                todo.extend(nb.var_cons[u])
    by_person_vars: dict[int, list[int]] = defaultdict(list)
    for v in range(n):
        if owner[v] >= 0:
            by_person_vars[owner[v]].append(v)
    by_person_cons: dict[int, list[int]] = defaultdict(list)
    rows: list[Row] = []
    dropped = 0
    for ci, vs in enumerate(nb.cons_vars):
        owners = {owner[u] for u in vs}
        if len(owners) == 1 and -1 not in owners:
            by_person_cons[owners.pop()].append(ci)
            continue
        kind, enf, payload = nb.cons[ci]
        made = _rows_of(kind, enf, payload)
        if made is None:
            dropped += 1
        else:
            rows.extend(made)
    blocks = [(p, by_person_vars[p], by_person_cons[p]) for p in sorted(by_person_vars)]
    master = [v for v in range(n) if owner[v] < 0]
    return Decomposition(blocks, rows, master, dropped)


@dataclass
class ColgenStats:
    """What the column generation did."""

    rounds: int = 0
    columns: int = 0
    seconds: float = 0.0
    #: the master LP's value at the last round (the Dantzig-Wolfe bound once converged)
    lp_value: float = math.inf
    #: the best Lagrangian lower bound of the full objective (offset included)
    bound: float = -math.inf
    #: the master LP is optimal over all rosters (or the bound reached its rounded value)
    converged: bool = False


class _Collect(cp_model.CpSolverSolutionCallback):
    """Keeps every solution of a pricing problem (each is a roster)."""

    def __init__(self, out: list[list[int]]) -> None:
        super().__init__()
        self.out = out

    def on_solution_callback(self) -> None:
        self.out.append(list(self.response_proto.solution))


class _Master:
    """The restricted master LP (GLOP): master variables, coupling rows, one convexity
    row per person and one column per generated roster."""

    def __init__(
        self,
        nb: Neighbourhoods,
        dec: Decomposition,
        cache: dict[tuple[int, tuple[int, ...]], tuple[int, list[tuple[int, int]]]] | None = None,
        constant: set[int] | None = None,
    ) -> None:
        #: per (person block, roster): its cost and row entries, computed once
        self.cache = {} if cache is None else cache
        #: person blocks whose rosters enter no row (a dive's fixed people)
        self.constant = constant or set()
        self.lp = lp = pywraplp.Solver.CreateSolver("GLOP")  # type: ignore[no-untyped-call]
        inf = lp.infinity()
        self.dec = dec
        self.obj_coef = nb.obj_coef
        self.obj = lp.Objective()
        self.obj.SetMinimization()
        self.mvars: dict[int, Any] = {}
        for v in dec.master:
            var = lp.NumVar(*_ends(nb.domains[v]), "")
            self.mvars[v] = var
            self.obj.SetCoefficient(var, nb.obj_coef.get(v, 0))
        self.rows: list[Any] = []
        #: per person variable: [(row, coefficient)]; per master variable the same
        self.var_rows: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for r, row in enumerate(dec.rows):
            c = lp.Constraint(max(-inf, row.lo), min(inf, row.hi))
            for v, k in row.terms.items():
                if k == 0:
                    continue
                var = self.mvars.get(v)
                if var is not None:
                    c.SetCoefficient(var, k)
                self.var_rows[v].append((r, k))
            self.rows.append(c)
        self.conv = [lp.Constraint(1, 1) for _ in dec.blocks]
        self.columns: list[list[tuple[int, ...]]] = [[] for _ in dec.blocks]
        #: the LP variable (weight) of each column
        self.weights: list[list[Any]] = [[] for _ in dec.blocks]
        self._known: list[set[tuple[int, ...]]] = [set() for _ in dec.blocks]
        self._dual = False

    def add(self, b: int, values: Sequence[int]) -> bool:
        """Add a roster of person block ``b`` (False when it is already in)."""
        key = tuple(values)
        if key in self._known[b]:
            return False
        self._known[b].add(key)
        self.columns[b].append(key)
        lam = self.lp.NumVar(0, self.lp.infinity(), "")
        self.weights[b].append(lam)
        self.conv[b].SetCoefficient(lam, 1)
        entry = self.cache.get((b, key))
        if entry is None:
            cost = 0
            contrib: dict[int, int] = defaultdict(int)
            for v, x in zip(self.dec.blocks[b][1], values, strict=True):
                if x:
                    cost += self.obj_coef.get(v, 0) * x
                    for r, k in self.var_rows.get(v, ()):
                        contrib[r] += k * x
            entry = (cost, [(r, k) for r, k in contrib.items() if k])
            if b not in self.constant:
                self.cache[(b, key)] = entry
        self.obj.SetCoefficient(lam, entry[0])
        if b not in self.constant:
            for r, k in entry[1]:
                self.rows[r].SetCoefficient(lam, k)
        return True

    def solve(
        self, warm: bool = False, dual: bool = False
    ) -> tuple[float, list[float], list[float]] | None:
        """(value, row duals, convexity duals), or None when the LP is not solved. Row
        duals are clipped to their valid signs (≥ 0 on a row with only a lower side).
        ``warm``: without GLOP's presolve, so a re-solve starts from the last basis;
        ``dual``: by the dual simplex, which a basis stays feasible for when bounds
        change (GLOP's default, the primal simplex, suits added columns)."""
        if dual != self._dual:
            self._dual = dual
            self.lp.SetSolverSpecificParametersAsString(f"use_dual_simplex: {str(dual).lower()}")
        status = self.lp.Solve(_NO_PRESOLVE) if warm else self.lp.Solve()
        if status != pywraplp.Solver.OPTIMAL:
            return None
        duals = []
        for row, c in zip(self.dec.rows, self.rows, strict=True):
            pi = c.dual_value()
            if row.hi == math.inf:
                pi = max(pi, 0.0)
            if row.lo == -math.inf:
                pi = min(pi, 0.0)
            duals.append(pi)
        return self.obj.Value(), duals, [c.dual_value() for c in self.conv]

    def reduced(self, vars_: Sequence[int], duals: Sequence[float]) -> list[float]:
        """Per variable: its cost minus what the coupling rows pay for it."""
        rows = self.var_rows
        return [
            self.obj_coef.get(v, 0) - sum(duals[r] * k for r, k in rows.get(v, ())) for v in vars_
        ]

    def lagrangian(self, duals: Sequence[float], priced: Sequence[float]) -> float:
        """The Lagrangian bound at row ``duals`` (objective offset excluded), given each
        person's proved minimum of ``Σ reduced × value`` over their rules."""
        total = sum(priced)
        for row, pi in zip(self.dec.rows, duals, strict=True):
            if pi:
                total += pi * (row.lo if pi > 0 else row.hi)
        rcs = self.reduced(list(self.mvars), duals)
        for var, rc in zip(self.mvars.values(), rcs, strict=True):
            if rc:
                total += min(rc * var.lb(), rc * var.ub())
        return total


def _no_presolve() -> pywraplp.MPSolverParameters:
    params = pywraplp.MPSolverParameters()
    params.SetIntegerParam(params.PRESOLVE, params.PRESOLVE_OFF)  # type: ignore[no-untyped-call]
    return params


_NO_PRESOLVE = _no_presolve()


def _flat(trail: Sequence[float]) -> bool:
    """Whether the last :data:`DIVE_STALL` rounds of ``trail`` (LP values) left it where
    it was (within a millionth)."""
    if len(trail) <= DIVE_STALL:
        return False
    before = trail[-1 - DIVE_STALL]
    return trail[-1] > before - 1e-6 * max(1.0, abs(before))


def _longer(cap: float, lp: float, before: float) -> float | None:
    """The longer time limit a dive's re-pricing that stopped at ``cap`` with the LP at
    ``lp`` goes on with (:data:`DIVE_ESCALATE` times ``cap``, at most
    :data:`DIVE_SECONDS_MAX`), or None: it stops when the fix raised the LP from
    ``before`` by no more than the objective's unit, or the limit is already the longest."""
    if cap >= DIVE_SECONDS_MAX or lp <= before + 1.0:
        return None
    return min(DIVE_SECONDS_MAX, cap * DIVE_ESCALATE)


def _merge(
    master: _Master, pool: list[list[tuple[int, ...]]], known: list[set[tuple[int, ...]]]
) -> None:
    """Add the rosters of ``master`` that ``pool`` lacks (``known``: its sets)."""
    for b, cols in enumerate(master.columns):
        for col in cols:
            if col not in known[b]:
                known[b].add(col)
                pool[b].append(col)


class ColumnGeneration:
    """Column generation over the people of a compiled model.

    Parameters
    ----------
    cm
        The compiled model (its objective is the one bounded).
    solution
        A feasible full solution: each person's roster in it is their first column.
    nb
        A prepared :class:`Neighbourhoods` of ``cm`` (built when None).
    others
        More feasible full solutions (e.g. the ones a search found before ``solution``):
        their rosters are first columns too, so fewer rounds bring the master LP down
        (Curtois Instance 12: 28 rounds instead of 33 from CP-SAT's 46 schedules).
    """

    def __init__(
        self,
        cm: CompiledModel,
        solution: Sequence[int],
        nb: Neighbourhoods | None = None,
        others: Sequence[Sequence[int]] = (),
    ) -> None:
        self.nb = nb = nb or Neighbourhoods(cm)
        self.stats = ColgenStats()
        #: the people the last dive's deadline rushed, and whether CP-SAT then re-solved
        #: their rosters (:meth:`dive`'s ``finish``)
        self.rushed = 0
        self.finished = False
        self._lock = threading.Lock()
        self._running: set[cp_model.CpSolver] = set()
        self._stop = threading.Event()
        self.dec = decompose(nb)
        #: whether a dive can run (:meth:`Decomposition.absorbs`)
        self.absorbs = self.dec is not None and self.dec.absorbs(nb.domains)
        if self.dec is None:
            return
        self.master = _Master(nb, self.dec)
        self._models = [nb.model_of(vs, cons, solution) for _, vs, cons in self.dec.blocks]
        for b, (_, vs, _) in enumerate(self.dec.blocks):
            self._models[b].proto.clear_objective()
            for sol in (solution, *others):
                self.master.add(b, [sol[v] for v in vs])

    def stop(self) -> None:
        """Ask a running :meth:`run` to return soon (from another thread)."""
        self._stop.set()
        with self._lock:
            for solver in self._running:
                solver.stop_search()

    def _solved(
        self,
        solver: cp_model.CpSolver,
        model: cp_model.CpModel,
        cb: cp_model.CpSolverSolutionCallback | None = None,
    ) -> bool:
        """Solve ``model`` where :meth:`stop` can interrupt it; whether it has a solution
        (False at once after :meth:`stop`)."""
        with self._lock:
            if self._stop.is_set():
                return False
            self._running.add(solver)
        try:
            status = solver.solve(model, cb)
        finally:
            with self._lock:
                self._running.discard(solver)
        return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    def _price(
        self, b: int, duals: Sequence[float], deadline: float, cap: float = SUB_SECONDS
    ) -> tuple[float, list[list[int]]] | None:
        """Person ``b``'s cheapest rosters at ``duals``: (proved minimum of its reduced
        cost, the rosters found on the way, best first), or None when not solved."""
        vs = self.dec.blocks[b][1]  # type: ignore[union-attr]
        rc = self.master.reduced(vs, duals)
        m = self._models[b]
        m.proto.clear_objective()
        obj = m.proto.objective
        err = 0.0  # what rounding to integers can hide, at most
        for i, r in enumerate(rc):
            k = round(r * _SCALE)
            dom = self.nb.domains[vs[i]]
            err += abs(k / _SCALE - r) * max(abs(dom[0]), abs(dom[-1]))
            if k:
                obj.vars.append(i)
                obj.coeffs.append(k)
        solver = cp_model.CpSolver()
        for name, value in SUB_PARAMS.items():
            setattr(solver.parameters, name, value)
        left = min(cap, deadline - time.perf_counter())
        if left <= 0:
            return None
        solver.parameters.max_time_in_seconds = left
        found: list[list[int]] = []
        if not self._solved(solver, m, _Collect(found)):
            return None
        return solver.best_objective_bound / _SCALE - err, found[::-1]

    def _price_all(
        self,
        duals: Sequence[float],
        deadline: float,
        threads: int,
        people: Sequence[int] | None = None,
        cap: float = SUB_SECONDS,
    ) -> list[tuple[float, list[list[int]]] | None]:
        """The pricing problems of ``people`` (every person block when None), on
        ``threads`` threads; None for the others."""
        results: list[tuple[float, list[list[int]]] | None] = [None] * len(self._models)
        todo = list(range(len(self._models)) if people is None else people)

        def work() -> None:
            while True:
                with self._lock:
                    if not todo:
                        return
                    b = todo.pop()
                try:
                    results[b] = self._price(b, duals, deadline, cap)
                except Exception:  # no bound this round; the caller's search goes on
                    results[b] = None

        pool = [threading.Thread(target=work, daemon=True) for _ in range(max(1, threads))]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        return results

    def run(
        self,
        deadline: float,
        *,
        threads: int = 2,
        on_bound: Callable[[float], None] | None = None,
        log: Callable[[str], None] | None = None,
    ) -> ColgenStats:
        """Generate columns until the master LP is optimal, the bound reaches the LP's
        value rounded up, :meth:`stop` or ``deadline`` (``time.perf_counter()``).
        ``on_bound(bound)`` is called on each better bound."""
        stats = self.stats
        if self.dec is None:
            return stats
        t0 = time.perf_counter()
        master, dec = self.master, self.dec
        offset = self.nb.obj_offset
        center: list[float] | None = None  # the duals of the best bound so far
        smooth = SMOOTHING
        while time.perf_counter() < deadline and not self._stop.is_set():
            solved = master.solve()
            if solved is None:
                break
            value, lp_duals, conv = solved
            stats.rounds += 1
            stats.lp_value = value + offset
            if center is None or not smooth:
                duals = lp_duals
            else:  # Wentges smoothing: price between the best bound's duals and the LP's
                duals = [
                    smooth * c + (1 - smooth) * d for c, d in zip(center, lp_duals, strict=True)
                ]
            results = self._price_all(duals, deadline, threads)
            if all(r is not None for r in results):
                bound = master.lagrangian(duals, [r[0] for r in results if r]) + offset
                if bound > stats.bound:
                    stats.bound, center = bound, list(duals)
                    if on_bound is not None:
                        on_bound(bound)
            added = 0
            for b, res in enumerate(results):
                if res is None:
                    continue
                rc = master.reduced(dec.blocks[b][1], lp_duals)
                for vals in res[1][:PER_ROUND]:
                    price = sum(r * x for r, x in zip(rc, vals, strict=False) if x)
                    if price - conv[b] < -_EPS and master.add(b, vals[: len(rc)]):
                        added += 1
            stats.columns += added
            if log is not None:
                log(
                    f"colgen {stats.rounds:3d} {time.perf_counter() - t0:6.2f}s "
                    f"lp {stats.lp_value:.2f} bound {stats.bound:.2f} +{added}"
                )
            if math.isfinite(stats.bound) and math.ceil(stats.bound - _EPS) >= math.ceil(
                stats.lp_value - _EPS
            ):
                stats.converged = True
                break
            if not added:
                if duals is lp_duals:
                    stats.converged = all(r is not None for r in results)
                    break
                smooth = 0.0  # a mispricing: price at the LP's own duals next
            else:
                smooth = SMOOTHING
        stats.seconds += time.perf_counter() - t0
        return stats

    def guide(self) -> dict[int, float] | None:
        """The master LP's solution in the people's variables: per variable of a person,
        the weighted sum of its value over that person's rosters (x̄), or None when the
        LP is not solved. A relaxation-induced neighbourhood (RINS, see
        :meth:`~rotasolve.solver.lns.Neighbourhoods.disagreeing`) frees where a schedule
        and x̄ differ. The master is re-solved first: columns added after its last solve
        leave GLOP's solution out of date."""
        if self.dec is None or self.master.solve() is None:
            return None
        out: dict[int, float] = {}
        for b, (_, vs, _) in enumerate(self.dec.blocks):
            acc = [0.0] * len(vs)
            for col, lam in zip(self.master.columns[b], self.master.weights[b], strict=True):
                w = lam.solution_value()
                if w > _EPS:
                    for i, x in enumerate(col):
                        if x:
                            acc[i] += w * x
            out.update(zip(vs, acc, strict=True))
        return out

    def dive(
        self,
        solution: Sequence[int],
        deadline: float,
        *,
        finish: float | None = None,
        threads: int = 2,
        log: Callable[[str], None] | None = None,
    ) -> list[int] | None:
        """A schedule from the master LP by diving: fix the person whose roster has the
        largest weight to that roster (with everyone whose roster is already integral),
        rebuild the master with the fixed rosters as constants (no bound changes: GLOP
        re-solves those from scratch), re-price the free people until the LP is back
        within :data:`DIVE_TOLERANCE` of its value at the start (or stops going down,
        :data:`DIVE_STALL`; after a fix that raised it, only once pricing at up to
        :data:`DIVE_SECONDS_MAX` has not brought it down), and repeat until everyone is
        fixed. Until the first fix that leaves the LP above that, fixes are bounds in the
        column generation's own master, re-solved warm by the dual simplex
        (:data:`DIVE_WARM`; reset afterwards; Curtois 12: 0.06 s a fix, 0.19 s by the
        primal simplex). The master variables (e.g. cover shortfalls) are then set by CP-SAT
        with every roster fixed; ``solution`` gives the values of variables of no person
        and no master row.

        At ``deadline`` the dive stops pricing: each person still free is then fixed,
        one warm LP solve at a time, to their heaviest roster in the LP it has
        (*rushed*), so a dive short of time still gives a schedule, a little after
        ``deadline`` (Curtois 12 at 60 s: 11-26 people in 0.3-1.9 s). When ``finish`` is
        given, CP-SAT (``threads`` workers) then re-solves the rushed people's rosters
        with everyone else fixed, hinted with the rushed ones, until ``finish`` (if
        :data:`DIVE_FINISH_MIN` is left; Curtois 12 offline: 4350-4661 instead of
        6391-6790 from the rush alone); the search after it mends what is left
        (:mod:`rotasolve.solver.solve`).

        None when the column generation has not run a round or is not within
        :data:`DIVE_GAP` of converging (:meth:`near`), a choice of rosters could leave a
        coupling row unmet (see :meth:`Decomposition.absorbs`), :meth:`stop` was called
        or an LP fails before the rush."""
        dec = self.dec
        if dec is None or not self.near() or not self.absorbs:
            return None
        original = self.master
        self.rushed, self.finished = 0, False
        bounded: list[int] = []  # people the dive fixed by bounds in ``original``
        rushed: list[int] = []  # people still free at ``deadline``
        try:
            fixed = self._dive(deadline, threads, log, bounded, rushed)
        finally:  # the column generation's master as it was
            self.master = original
            inf = original.lp.infinity()
            for b in bounded:
                for lam in original.weights[b]:
                    lam.SetBounds(0, inf)
        if fixed is None:
            return None
        self.rushed = len(rushed)
        full = list(solution)
        for b, roster in fixed.items():
            for v, x in zip(dec.blocks[b][1], roster, strict=True):
                full[v] = x
        if rushed and finish is not None and finish - time.perf_counter() >= DIVE_FINISH_MIN:
            free = list(dec.master)
            for b in rushed:
                free.extend(dec.blocks[b][1])
            if self._set(full, free, finish, threads):
                self.finished = True
                if log is not None:
                    log(f"dive finished {len(rushed)} rushed people by CP-SAT")
                return full
        return full if self._set(full, dec.master, deadline, 1) else None

    def _set(self, full: list[int], free: Sequence[int], until: float, threads: int) -> bool:
        """Set the variables ``free`` of ``full`` by CP-SAT, everything else fixed and
        hinted with ``full``, until ``until`` (at least 1 s); whether it found values."""
        sub, open_vars = self.nb.sub_model(free, full)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = threads
        solver.parameters.max_time_in_seconds = max(1.0, until - time.perf_counter())
        if not self._solved(solver, sub):
            return False
        values = solver.response_proto.solution
        for v in open_vars:
            full[v] = values[v]
        return True

    def near(self) -> bool:
        """Whether a dive may start from the master LP: the column generation converged,
        or its bound is within :data:`DIVE_GAP` of the LP's value (its deadline stopped
        it near the end: Curtois 12 at 60 s)."""
        st = self.stats
        if st.converged:
            return True
        return (
            st.rounds > 0
            and math.isfinite(st.bound)
            and st.lp_value - st.bound <= DIVE_GAP * abs(st.lp_value)
        )

    def _dive(
        self,
        deadline: float,
        threads: int,
        log: Callable[[str], None] | None,
        bounded: list[int],
        rushed: list[int],
    ) -> dict[int, tuple[int, ...]] | None:
        """The dive's rosters per person block (None: no schedule), the people still
        free at ``deadline`` rushed (and added to ``rushed``); the people it fixes by
        bounds in ``self.master`` are added to ``bounded``."""
        dec = self.dec
        assert dec is not None
        master = original = self.master
        warm = DIVE_WARM  # fixing by bounds in the original master, no pricing yet
        solved = master.solve(warm, dual=warm)
        if solved is None:
            return None
        target = solved[0] + max(1.0, DIVE_TOLERANCE * abs(solved[0] + self.nb.obj_offset))
        owner = {v: b for b, (_, vs, _) in enumerate(dec.blocks) for v in vs}
        pool = [list(cols) for cols in master.columns]  # every roster seen, for a fallback
        known = [set(cols) for cols in pool]
        fixed: dict[int, tuple[int, ...]] = {}
        values: dict[int, int] = {}
        t0 = time.perf_counter()
        while len(fixed) < len(dec.blocks):
            if self._stop.is_set():
                return None
            before = math.inf if solved is None else solved[0]  # the LP before this fix
            rush = time.perf_counter() >= deadline
            if rush and not rushed:
                rushed.extend(b for b in range(len(dec.blocks)) if b not in fixed)
            ranked = sorted(
                (
                    (lam.solution_value(), b, k)
                    for b, lams in enumerate(master.weights)
                    if b not in fixed
                    for k, lam in enumerate(lams)
                ),
                reverse=True,
            )
            if rush and solved is None:  # no LP to follow: everyone left at once
                heaviest: dict[int, int] = {}
                for _, b, k in ranked:
                    heaviest.setdefault(b, k)
                chosen = list(heaviest.items())
            else:
                chosen = [(b, k) for x, b, k in ranked if x > 0.999] or [ranked[0][1:]]
            for b, k in chosen:
                fixed[b] = master.columns[b][k]
                values.update(zip(dec.blocks[b][1], fixed[b], strict=True))
            if warm or rush:
                for b, k in chosen:
                    for j, lam in enumerate(master.weights[b]):
                        lam.SetBounds(float(j == k), float(j == k))
                    if master is original:  # a rebuilt master is dropped after the dive
                        bounded.append(b)
                solved = master.solve(True, dual=True)
                if rush or (solved is not None and solved[0] <= target):
                    if log is not None:
                        lp = "-" if solved is None else f"{solved[0] + self.nb.obj_offset:.2f}"
                        log(
                            f"dive {len(fixed):3d}/{len(dec.blocks)} "
                            f"{time.perf_counter() - t0:6.2f}s "
                            f"lp {lp} ({'rushed' if rush else 'by bounds'})"
                        )
                    continue
                warm = False  # pricing is due: duals from a rebuilt master from now on
            _merge(master, pool, known)
            rebuilt = self._rebuilt(master, fixed, values, owner, DIVE_KEEP)
            got = self._solved_master(rebuilt, fixed, values, owner, pool, known)
            if got is None:
                return None
            master, solved = got
            free = [b for b in range(len(dec.blocks)) if b not in fixed]
            trail = [solved[0]]  # the LP's values since the fix
            cap = DIVE_SECONDS
            while free and solved[0] > target:
                if _flat(trail):
                    longer = _longer(cap, solved[0], before)
                    if longer is None:
                        break
                    cap, trail = longer, [solved[0]]
                if time.perf_counter() >= deadline:
                    break  # the rest is rushed
                results = self._price_all(solved[1], deadline, threads, free, cap)
                added = 0
                for b in free:
                    res = results[b]
                    if res is None:
                        continue
                    rc = master.reduced(dec.blocks[b][1], solved[1])
                    for vals in res[1][:PER_ROUND]:
                        price = sum(r * x for r, x in zip(rc, vals, strict=False) if x)
                        if price - solved[2][b] < -_EPS and master.add(b, vals[: len(rc)]):
                            added += 1
                if not added:
                    longer = _longer(cap, solved[0], before)
                    if longer is None:
                        break
                    cap = longer
                    continue
                got = self._solved_master(master, fixed, values, owner, pool, known)
                if got is None:
                    return None
                master, solved = got
                trail.append(solved[0])
            if log is not None:
                log(
                    f"dive {len(fixed):3d}/{len(dec.blocks)} {time.perf_counter() - t0:6.2f}s "
                    f"lp {solved[0] + self.nb.obj_offset:.2f}"
                    + (f" (priced up to {cap:g} s)" if cap > DIVE_SECONDS else "")
                )
        return fixed

    def _solved_master(
        self,
        master: _Master,
        fixed: dict[int, tuple[int, ...]],
        values: dict[int, int],
        owner: dict[int, int],
        pool: list[list[tuple[int, ...]]],
        known: list[set[tuple[int, ...]]],
    ) -> tuple[_Master, tuple[float, list[float], list[float]]] | None:
        """``master`` and its LP's solution, or, when GLOP does not solve it (rarely, on
        a smaller master), a master of every roster seen (``pool``) and its solution;
        None when that fails too. The master returned becomes ``self.master``: the
        pricing problems read the reduced costs from it."""
        solved = master.solve()
        if solved is None:
            _merge(master, pool, known)
            master = self._rebuilt(None, fixed, values, owner, None, pool, master.cache)
            solved = master.solve()
        self.master = master
        return None if solved is None else (master, solved)

    def _rebuilt(
        self,
        last: _Master | None,
        fixed: dict[int, tuple[int, ...]],
        values: dict[int, int],
        owner: dict[int, int],
        keep: int | None,
        pool: list[list[tuple[int, ...]]] | None = None,
        cache: dict[tuple[int, tuple[int, ...]], tuple[int, list[tuple[int, int]]]] | None = None,
    ) -> _Master:
        """A master whose fixed people are constants (their rows' share moved into the
        rows' bounds), with, per free person, the rosters of ``last`` that had a weight
        and the ``keep`` cheapest by reduced cost in it (all when ``keep`` is None), or
        every roster of ``pool``; rosters' costs and row entries from ``cache`` (else
        ``last``'s)."""
        dec = self.dec
        assert dec is not None
        rows = []
        for row in dec.rows:
            terms: dict[int, int] = {}
            shift = 0
            for v, k in row.terms.items():
                if owner.get(v, -1) in fixed:
                    shift += k * values[v]
                else:
                    terms[v] = k
            rows.append(Row(terms, row.lo - shift, row.hi - shift))
        if cache is None and last is not None:
            cache = last.cache
        m = _Master(self.nb, Decomposition(dec.blocks, rows, dec.master), cache, set(fixed))
        for b in range(len(dec.blocks)):
            if b in fixed:
                m.add(b, fixed[b])
                continue
            if last is None:
                assert pool is not None
                cols = pool[b]
            else:
                scored = [
                    (lam.reduced_cost(), lam.solution_value() > 1e-9, col)
                    for lam, col in zip(last.weights[b], last.columns[b], strict=True)
                ]
                cheapest = sorted(scored, key=lambda t: t[0])
                cols = [col for _, used, col in scored if used]
                cols += [col for _, used, col in cheapest[: keep or len(cheapest)] if not used]
            for col in cols:
                m.add(b, col)
        return m

    def recombine(
        self,
        solution: Sequence[int],
        deadline: float,
        *,
        workers: int = 2,
        seed: int = 0,
        per_person: int = 40,
    ) -> list[int] | None:
        """The best schedule that gives each person one of their generated rosters, or
        None: a CP-SAT model of one roster per person and the coupling constraints over
        the chosen rosters, hinted with ``solution`` (its rosters are always offered).
        Only rosters that can be part of a better schedule are offered (reduced cost in the
        master LP at most the gap between ``solution`` and the LP's value), at most
        ``per_person``, cheapest first. The full solution returned is exact (every
        constraint of the model holds) and at most as costly as ``solution``."""
        if self.dec is None:
            return None
        nb, dec, master = self.nb, self.dec, self.master
        own = []
        for b, (_, vs, _) in enumerate(dec.blocks):
            values = [solution[v] for v in vs]
            master.add(b, values)
            own.append(master.columns[b].index(tuple(values)))
        solved = master.solve()
        gap = math.inf if solved is None else nb.objective(solution) - solved[0] - nb.obj_offset
        m = cp_model.CpModel()
        proto = m.proto
        pos: dict[int, int] = {}
        for v in dec.master:
            pos[v] = len(proto.variables)
            proto.variables.add().domain.extend(nb.domains[v])
        owner_of: dict[int, tuple[int, int]] = {}
        ys: list[list[int]] = []
        cols: list[list[tuple[int, ...]]] = []
        for b, (_, vs, _) in enumerate(dec.blocks):
            keep = [own[b]]
            if solved is not None:
                rc = master.reduced(vs, solved[1])
                prices = [
                    (sum(r * x for r, x in zip(rc, col, strict=True) if x) - solved[2][b], k)
                    for k, col in enumerate(master.columns[b])
                ]
                fits = sorted(pk for pk in prices if pk[1] != own[b] and pk[0] <= gap + _EPS)
                keep += [k for _, k in fits[: per_person - 1]]
            cols.append([master.columns[b][k] for k in keep])
            row = list(range(len(proto.variables), len(proto.variables) + len(keep)))
            for _ in keep:
                proto.variables.add().domain.extend((0, 1))
            ys.append(row)
            proto.constraints.add().exactly_one.literals.extend(row)
            for i, v in enumerate(vs):
                owner_of[v] = (b, i)

        def expr(vs: Sequence[int], cs: Sequence[int]) -> tuple[list[int], list[int]]:
            coef: dict[int, int] = defaultdict(int)
            for v, c in zip(vs, cs, strict=True):
                j = pos.get(v)
                if j is not None:
                    coef[j] += c
                    continue
                b, i = owner_of[v]
                for y, col in zip(ys[b], cols[b], strict=True):
                    if col[i]:
                        coef[y] += c * col[i]
            items = [(j, c) for j, c in coef.items() if c]
            return [j for j, _ in items], [c for _, c in items]

        block_of = {v: b for v, (b, _) in owner_of.items()}
        for ci, vs_ in enumerate(nb.cons_vars):
            if len({block_of.get(v, -1) for v in vs_} - {-1}) == 1 and all(
                v in block_of for v in vs_
            ):
                continue  # one person's own rule: every roster keeps it
            kind, enf, payload = nb.cons[ci]
            if enf or kind not in ("lin", "max"):
                return None  # a coupling the rosters cannot be recombined under exactly
            c = proto.constraints.add()
            if kind == "lin":
                lv, lc, dom = payload
                a, k = expr(lv, lc)
                c.linear.vars.extend(a)
                c.linear.coeffs.extend(k)
                c.linear.domain.extend(dom)
            else:
                (tv, tc, to), exprs = payload
                for target, (ev, ec, eo) in ((True, (tv, tc, to)), *((False, x) for x in exprs)):
                    e = c.lin_max.target if target else c.lin_max.exprs.add()
                    a, k = expr(ev, ec)
                    e.vars.extend(a)
                    e.coeffs.extend(k)
                    e.offset = eo
        ov, oc = expr(list(nb.obj_coef), list(nb.obj_coef.values()))
        proto.objective.vars.extend(ov)
        proto.objective.coeffs.extend(oc)
        proto.objective.offset = nb.obj_offset
        for v in dec.master:
            proto.solution_hint.vars.append(pos[v])
            proto.solution_hint.values.append(solution[v])
        for row in ys:
            proto.solution_hint.vars.extend(row)
            proto.solution_hint.values.extend([1] + [0] * (len(row) - 1))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
        if not self._solved(solver, m):
            return None
        vals: list[int] = list(solver.response_proto.solution)
        full = list(solution)
        for v in dec.master:
            full[v] = vals[pos[v]]
        for b, (_, vs, _) in enumerate(dec.blocks):
            chosen = next(j for j, y in enumerate(ys[b]) if vals[y])
            for v, x in zip(vs, cols[b][chosen], strict=True):
                full[v] = x
        return full
