"""The compiled CP-SAT model: assignment variables, exact literal helpers, and the two
helpers (:meth:`CompiledModel.limit`, :meth:`CompiledModel.forbid`) through which every
family states its rules, so that hardness lives in one place.

Literals follow the CP-SAT proto convention: a variable index ``i >= 0`` is the literal
"variable ``i`` is true" and ``-i - 1`` its negation. A Python ``bool`` is a constant
literal; helpers simplify constants away, so no variable is created for something the
problem already decides.

Every penalty variable is an exact function of the assignment variables ``x`` (both
directions are constrained), so the objective of *any* solution equals the checker's
objective for its schedule, not only at the optimum.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ortools.sat.python import cp_model

from ..problem import Problem, ProblemIndex, RuleBase, ShiftCount

__all__ = ["UNCONDITIONAL", "CompiledModel", "Lin", "Lit", "Series", "Strength", "Tag", "neg"]

#: A CP-SAT literal index (negative = negation) or a constant.
Lit = int | bool


class Tag(NamedTuple):
    """What a constraint or penalty term belongs to: the checker's violation key."""

    rule: str
    family: str
    person: str | None
    first: date
    last: date


@dataclass(frozen=True)
class Strength:
    """Hardness of a limit: hard, or soft with a weight per unit under / over."""

    hard: bool
    under: int = 0
    over: int = 0

    @classmethod
    def of(cls, rule: RuleBase) -> Strength:
        """The strength a rule declares (one weight for both directions)."""
        return cls(rule.hard, rule.weight, rule.weight)


HARD = Strength(True)

#: Structural rules that stay unconditional in explain mode: they define what a schedule
#: is (one person, one shift at a time), they are not requirements to question.
UNCONDITIONAL = frozenset({"one_shift_per_day", "no_overlap"})


# Building tags is hot: bypass NamedTuple's Python-level __new__.
_new_tag = tuple.__new__


def neg(lit: Lit) -> Lit:
    """The negation of a literal."""
    if isinstance(lit, bool):
        return not lit
    return -lit - 1


class Lin:
    """A linear expression ``const + Σ coeffs[i] * vars[i]`` over variable indices, with
    bounds ``lb``/``ub`` known at build time (so limits that cannot bind are skipped)."""

    __slots__ = ("coeffs", "const", "lb", "ub", "vars")

    def __init__(self, vars: list[int], coeffs: list[int], const: int, lb: int, ub: int) -> None:
        self.vars = vars
        self.coeffs = coeffs
        self.const = const
        self.lb = lb
        self.ub = ub

    @classmethod
    def bools(cls, vars: list[int], coeffs: list[int] | None = None, const: int = 0) -> Lin:
        """Weighted sum of Boolean variables (positive indices) plus a constant."""
        if coeffs is None:
            coeffs = [1] * len(vars)
            return cls(vars, coeffs, const, const, const + len(vars))
        if min(coeffs, default=0) >= 0:
            return cls(vars, coeffs, const, const, const + sum(coeffs))
        pos = sum(c for c in coeffs if c > 0)
        negs = sum(c for c in coeffs if c < 0)
        return cls(vars, coeffs, const, const + negs, const + pos)

    @classmethod
    def lits(cls, lits: list[Lit], coeffs: list[int] | None = None, const: int = 0) -> Lin:
        """Weighted sum of literals (negations and constants allowed)."""
        if coeffs is None:
            coeffs = [1] * len(lits)
        vs: list[int] = []
        cs: list[int] = []
        for lit, c in zip(lits, coeffs, strict=True):
            if isinstance(lit, bool):
                const += c if lit else 0
            elif lit >= 0:
                vs.append(lit)
                cs.append(c)
            else:
                # not(v) = 1 - v
                const += c
                vs.append(-lit - 1)
                cs.append(-c)
        return cls.bools(vs, cs, const)

    def plus(self, k: int) -> Lin:
        """This expression plus a constant."""
        return Lin(self.vars, self.coeffs, self.const + k, self.lb + k, self.ub + k)

    def negated(self) -> Lin:
        """Minus this expression."""
        return Lin(self.vars, [-c for c in self.coeffs], -self.const, -self.ub, -self.lb)

    def __sub__(self, other: Lin) -> Lin:
        return Lin(
            self.vars + other.vars,
            self.coeffs + [-c for c in other.coeffs],
            self.const - other.const,
            self.lb - other.ub,
            self.ub - other.lb,
        )

    def value(self, solution: list[int]) -> int:
        """Value of the expression under a full solution (list of variable values)."""
        return self.const + sum(
            c * solution[v] for v, c in zip(self.vars, self.coeffs, strict=True)
        )


#: :class:`Series` switches to prefix sums when window slices would hold more than this many
#: times the terms of the prefix-sum definitions (0: whenever there are terms; tests use it).
PREFIX_RATIO = 3


class Series:
    """One person's per-day linear series, whose window sums become linear expressions.

    Day ``d`` holds the terms ``Σ coeffs·vars`` over ``offsets[d]:offsets[d + 1]`` plus
    ``consts[d + 1] - consts[d]``. When the windows asked for overlap heavily (rolling
    28-day hour limits: each day in 28 windows), the sum of days ``a..b`` is written as
    ``P[b + 1] - P[a]`` over prefix-sum integer variables ``P[j] = Σ days < j``, each
    defined by one equality: the model then holds each day's terms once instead of once
    per window (150 residents × 364 days with the ACGME pack: 8.3M linear terms, which
    CP-SAT's presolve alone needed about a minute to read). Otherwise a window is the
    plain slice of its terms.
    """

    __slots__ = ("_cm", "_neg", "_pos", "_prefix", "coeffs", "consts", "offsets", "vars")

    def __init__(
        self,
        cm: CompiledModel,
        vars: list[int],
        coeffs: list[int],
        offsets: list[int],
        consts: list[int] | None = None,
    ) -> None:
        self._cm = cm
        self.vars = vars
        self.coeffs = coeffs
        self.offsets = offsets
        self.consts = consts if consts is not None else [0] * len(offsets)
        self._prefix: list[int | None] | None = None
        self._neg: list[int] = []
        self._pos: list[int] = []

    def use_prefix_for(self, windows: list[tuple[int, int]]) -> bool:
        """Switch to prefix sums when the windows' slices would hold more than
        :data:`PREFIX_RATIO` times the terms of the prefix-sum definitions; returns whether
        window sums are prefix-sum differences."""
        off = self.offsets
        days = len(off) - 1
        direct = sum(off[min(b, days - 1) + 1] - off[max(a, 0)] for a, b in windows)
        prefix = len(self.vars) + 3 * days + 3 * len(windows)
        if self._prefix is None and direct > PREFIX_RATIO * prefix:
            self._build_prefix()
        return self._prefix is not None

    def _build_prefix(self) -> None:
        cm = self._cm
        off, vs, cs = self.offsets, self.vars, self.coeffs
        # running sums of the negative / positive coefficients: domains and window bounds
        neg_sum = [0]
        pos_sum = [0]
        for d in range(len(off) - 1):
            lo = hi = 0
            for c in cs[off[d] : off[d + 1]]:
                if c < 0:
                    lo += c
                else:
                    hi += c
            neg_sum.append(neg_sum[-1] + lo)
            pos_sum.append(pos_sum[-1] + hi)
        self._neg = neg_sum
        self._pos = pos_sum
        prefix: list[int | None] = [None]  # P[0] is the constant 0
        cons = cm.proto.constraints
        for d in range(len(off) - 1):
            a, b = off[d], off[d + 1]
            prev = prefix[-1]
            if a == b:
                prefix.append(prev)  # no term on day d: the same sum
                continue
            p = cm.new_int(self._neg[d + 1], self._pos[d + 1])
            c = cons.add().linear
            c.vars.append(p)
            c.coeffs.append(1)
            if prev is not None:
                c.vars.append(prev)
                c.coeffs.append(-1)
            c.vars.extend(vs[a:b])
            c.coeffs.extend(-k for k in cs[a:b])
            c.domain.extend((0, 0))
            prefix.append(p)
        self._prefix = prefix

    def window(self, a: int, b: int) -> Lin:
        """The sum of days ``a..b`` (inclusive, ``0 <= a <= b < days``)."""
        const = self.consts[b + 1] - self.consts[a]
        prefix = self._prefix
        if prefix is None:
            # the plain slice (bounds from its coefficients, as Lin.bools computes them)
            off = self.offsets
            i, j = off[a], off[b + 1]
            return Lin.bools(self.vars[i:j], self.coeffs[i:j], const)
        lb = const + self._neg[b + 1] - self._neg[a]
        ub = const + self._pos[b + 1] - self._pos[a]
        hi, lo = prefix[b + 1], prefix[a]
        if hi is None or hi == lo:
            return Lin([], [], const, const, const)
        if lo is None:
            return Lin([hi], [1], const, lb, ub)
        return Lin([hi, lo], [1, -1], const, lb, ub)


class CompiledModel:
    """A problem compiled to CP-SAT.

    Attributes
    ----------
    problem, index
        The problem and its :class:`ProblemIndex`.
    model, proto
        The ``cp_model.CpModel`` and its proto (built directly for speed).
    x
        ``x[(p, d, s)]``: variable index of "person ``p`` starts shift ``s`` on day ``d``",
        created only where leave, eligibility, locks and hard whole-horizon zero caps
        allow it (in explain mode: where eligibility allows it).
    penalties
        ``(tag, weight, expression)`` terms; the objective is ``Σ weight × expression``.
    hard
        ``(tag, constraint index)`` of every hard constraint, for explanations/relaxation.
    explain
        Explain mode (constructor flag): ``x`` is not pruned by leave or locks (only by
        eligibility); each leave entry becomes a hard constraint tagged with its id (locks
        already are), so that :meth:`add_group_literals` can make every requirement
        conditional. Soft rules and their penalties are not built (only feasibility is
        asked). Slower; used only to explain infeasibility.
    """

    def __init__(
        self, problem: Problem, index: ProblemIndex | None = None, *, explain: bool = False
    ) -> None:
        self.problem = problem
        self.explain = explain
        self.index = index or ProblemIndex(problem)
        self.model = cp_model.CpModel()
        self.proto = self.model.proto
        self.penalties: list[tuple[Tag, int, Lin]] = []
        self.hard: list[tuple[Tag, int]] = []
        self._and_cache: dict[tuple[int, ...], Lit] = {}
        # the proto's constraint list (a stable handle; looking it up costs on hot paths)
        self._constraints = self.proto.constraints
        self._strength: dict[int, Strength] = {}
        self._pids = [p.id for p in self.index.people]
        self._dates = self.index.dates
        #: per-family scratch space shared between rules (e.g. duty candidates per person)
        self.cache: dict[object, object] = {}
        self._works_cache: dict[tuple[int, int, frozenset[int] | None], Lit] = {}
        self.x: dict[tuple[int, int, int], int] = {}
        #: by_day[p][d]: the (shift, variable) pairs of person p on day d
        self.by_day: list[list[list[tuple[int, int]]]] = []
        self.locks_by_day: dict[tuple[int, int], list[int]] = defaultdict(list)
        self._create_x()

    # --- variables ---------------------------------------------------------------------
    def new_bool(self) -> int:
        """A new Boolean variable; returns its index."""
        v = self.proto.variables.add()
        v.domain.extend((0, 1))
        return len(self.proto.variables) - 1

    def new_bools(self, n: int) -> range:
        """``n`` new Boolean variables at once (much faster than one by one)."""
        first = len(self.proto.variables)
        if n:
            self.proto.merge_text_format("variables { domain: [0, 1] }\n" * n)
        return range(first, first + n)

    def new_int(self, lo: int, hi: int) -> int:
        """A new integer variable with domain ``[lo, hi]``; returns its index."""
        v = self.proto.variables.add()
        v.domain.extend((lo, hi))
        return len(self.proto.variables) - 1

    def _create_x(self) -> None:
        ix = self.index
        pb = self.problem
        for i, lk in enumerate(pb.locks):
            self.locks_by_day[(ix.person_pos[lk.person], pb.horizon.index(lk.day))].append(i)
        leave = ix.leave_days
        n_shifts = len(ix.shifts)
        capped = self._capped_at_zero()
        for p in range(len(ix.people)):
            eligible = [s for s in range(n_shifts) if ix.may_work(p, s) and (p, s) not in capped]
            off: set[int] = set() if self.explain else leave.get(p, set())
            row: list[list[tuple[int, int]]] = []
            for d in range(ix.days):
                cell: list[tuple[int, int]] = []
                if d not in off:
                    allowed = eligible
                    locks = None if self.explain else self.locks_by_day.get((p, d))
                    if locks:
                        named = {pb.locks[i].shift for i in locks}
                        allowed = [s for s in eligible if ix.shifts[s].id in named]
                    cell.extend((s, -1) for s in allowed)
                row.append(cell)
            self.by_day.append(row)
        # Create the variables in one go, then fill in their indices.
        ids = iter(self.new_bools(sum(len(c) for row in self.by_day for c in row)))
        for p, row in enumerate(self.by_day):
            for d, cell in enumerate(row):
                for k, (s, _) in enumerate(cell):
                    v = next(ids)
                    cell[k] = (s, v)
                    self.x[(p, d, s)] = v
        if self.explain:
            self._availability()

    def _capped_at_zero(self) -> set[tuple[int, int]]:
        """(person, shift) pairs a hard whole-horizon ``shift_count`` with ``max=0`` forbids.

        They get no variable, like ineligible pairs: in benchmark-style data most shift
        types are capped at 0 for most people. The rule then cannot bind and its family
        module adds nothing. Explain mode keeps the variables so the rule stays a group.
        """
        out: set[tuple[int, int]] = set()
        if self.explain:
            return out
        ix = self.index
        for rule in self.problem.rules:
            if isinstance(rule, ShiftCount) and rule.hard and rule.window is None and rule.max == 0:
                shifts = ix.shifts_matching(rule.filter)
                out.update((p, s) for p in ix.people_in(rule.scope) for s in shifts)
        return out

    def _availability(self) -> None:
        """Explain mode: each leave entry as one tagged hard constraint (no shift starts on
        its days) instead of missing variables."""
        ix = self.index
        hz = self.problem.horizon
        for lv in self.problem.leave:
            p = ix.person_pos[lv.person]
            a = max(0, hz.index(lv.first))
            b = min(ix.days - 1, hz.index(lv.last))
            vs = [v for d in range(a, b + 1) for _, v in self.by_day[p][d]]
            if vs:
                self.limit(Lin.bools(vs), None, 0, self.tag(lv.id, "leave", p, a, b), HARD)

    # --- explanation groups ------------------------------------------------------------
    def group_key(self, tag: Tag, fine: bool = False) -> Tag | None:
        """The requirement group a hard constraint belongs to, or None when unconditional.

        Groups: one per cover slot (cover × day) and per supervision slot (rule × day), one
        per leave entry and per lock, one per fairness rule, and one per rule × person for
        every per-person rule, whatever its windows or runs (the whole horizon; from its
        first window's first day when its windows reach into carried-in history). Coarsening
        per person keeps explanations short and readable ("Dr Kim: at most 4800 minutes in
        any 7 days") and makes a group's removal expressible in the problem language
        (take the person out of the rule's scope). ``one_shift_per_day`` and
        ``no_overlap`` stay unconditional (see :data:`UNCONDITIONAL`), and so does shift
        eligibility, which stays pruned even in explain mode: it says who a shift type is
        for, like the structural rules say what a schedule is; questioning it would list
        every ineligible person in each cover shortfall.

        With ``fine``: the window-level group instead, into which an explanation refines a
        rule × person group found in a conflict (see :mod:`rotasolve.explain.core`). For
        ``shift_count``, ``work_minutes`` and ``days_off`` that is the constraint's own tag,
        one window (the checker reports each window on its own, with the same dates); for
        the family ``duty`` one entry (``pgy1_moonlighting``) or one day (``duty_overlap``).
        This relies on those families tagging each hard constraint with exactly its window,
        entry or day. Every other group is as without ``fine``: runs, ``succession``,
        ``rest``, ``continuous_duty`` and ``weekends`` constraints are encoding pieces
        (sliding forbidden patterns, run-start implications, duty-chain fragments) whose
        dates are not a requirement the checker reports, or one per person anyway.
        """
        if tag.family == "structure" and tag.rule in UNCONDITIONAL:
            return None
        if tag.person is not None and tag.family not in ("leave", "lock"):
            if fine and tag.family in ("shift_count", "work_minutes", "days_off", "duty"):
                return tag
            dates = self._dates
            # A rule whose windows reach into carried-in history covers those days too (and
            # its key then differs from that of its window as long as the horizon).
            early = self.cache.get("group_first")
            if not isinstance(early, dict):
                ix = self.index
                found: dict[str, date] = {}
                for r in self.problem.rules if ix.history_days else ():
                    windows = ix.rule_windows(r) if ix.uses_history(r) else []
                    if windows and windows[0][0] < 0:
                        found[r.id] = self.problem.horizon.date(windows[0][0])
                early = self.cache["group_first"] = found
            first = early.get(tag.rule, dates[0])
            return _new_tag(Tag, (tag.rule, tag.family, tag.person, first, dates[-1]))
        return tag

    def add_group_literals(self) -> dict[Tag, int]:
        """Make every hard constraint conditional on one new literal per group
        (:meth:`group_key`); returns the literal of each group, in order of first use.

        Hard constraints are only ever ``linear`` (:meth:`limit`) or ``bool_or``
        (:meth:`forbid`), both of which CP-SAT can enforce; anything else raises.

        With every literal true the model is the problem's; a group whose literal is false
        is dropped. Call once, after every family has been compiled.
        """
        groups: dict[Tag, int] = {}
        cons = self.proto.constraints
        for tag, i in self.hard:
            key = self.group_key(tag)
            if key is None:
                continue
            lit = groups.get(key)
            if lit is None:
                lit = groups[key] = self.new_bool()
            c = cons[i]
            if not (c.has_linear() or c.has_bool_or() or c.has_bool_and()):
                raise TypeError(f"hard constraint of {tag} cannot take an enforcement literal")
            c.enforcement_literal.append(lit)
        return groups

    def series(self, p: int, coef: dict[int, int]) -> tuple[list[int], list[int], list[int]]:
        """Person ``p``'s variables of the shifts in ``coef``, day by day, flattened:
        ``(vars, coeffs, offsets)`` where day ``d`` is ``vars[offsets[d]:offsets[d + 1]]``.
        A window's sum is then one slice."""
        vs: list[int] = []
        cs: list[int] = []
        offsets = [0]
        for cell in self.by_day[p]:
            for s, v in cell:
                c = coef.get(s)
                if c is not None:
                    vs.append(v)
                    cs.append(c)
            offsets.append(len(vs))
        return vs, cs, offsets

    @staticmethod
    def lit_series(lits: list[Lit]) -> tuple[list[int], list[int], list[int], list[int]]:
        """One literal per day as a linear series: ``(vars, coeffs, offsets, consts)`` where
        the sum of days ``a..b`` is ``Σ coeffs·vars`` over ``offsets[a]:offsets[b + 1]`` plus
        ``consts[b + 1] - consts[a]`` (negations become ``1 - v``)."""
        vs: list[int] = []
        cs: list[int] = []
        offsets = [0]
        consts = [0]
        k = 0
        for lit in lits:
            if lit is True:
                k += 1
            elif lit is not False:
                if lit >= 0:
                    vs.append(lit)
                    cs.append(1)
                else:
                    vs.append(-lit - 1)
                    cs.append(-1)
                    k += 1
            offsets.append(len(vs))
            consts.append(k)
        return vs, cs, offsets, consts

    # --- dates and tags ----------------------------------------------------------------
    def date(self, d: int) -> date:
        """The calendar date of day position ``d``."""
        return self.index.dates[d]

    def tag(self, rule: str, family: str, p: int | None, first: int, last: int) -> Tag:
        """A tag from positions."""
        dates = self._dates
        pid = None if p is None else self._pids[p]
        if first < 0:  # a window reaching into carried-in history (Problem.history_start)
            return _new_tag(Tag, (rule, family, pid, self.problem.horizon.date(first), dates[last]))
        return _new_tag(Tag, (rule, family, pid, dates[first], dates[last]))

    # --- literals ----------------------------------------------------------------------
    def works(self, p: int, d: int, shifts: frozenset[int] | None = None) -> Lit:
        """Literal "person ``p`` starts a shift (of ``shifts``, default any) on day ``d``"."""
        key = (p, d, shifts)
        lit = self._works_cache.get(key)
        if lit is None:
            vs: list[Lit] = [v for s, v in self.by_day[p][d] if shifts is None or s in shifts]
            lit = self.or_(vs)
            self._works_cache[key] = lit
        return lit

    def or_(self, lits: list[Lit]) -> Lit:
        """A literal exactly equal to the disjunction of ``lits``."""
        # neg() inlined: this is called hundreds of thousands of times on large models
        y = self.and_([(not lit) if lit.__class__ is bool else -lit - 1 for lit in lits])
        return (not y) if y.__class__ is bool else -y - 1

    def and_(self, lits: list[Lit]) -> Lit:
        """A literal exactly equal to the conjunction of ``lits`` (cached per set)."""
        vs: list[int] = []
        for lit in lits:
            if lit is False:
                return False
            if lit is not True:
                vs.append(lit)
        if len(vs) < 2:
            return vs[0] if vs else True
        key = tuple(sorted(vs))
        y = self._and_cache.get(key)
        if y is not None:
            return y
        members = set(key)
        if key[0] < 0 <= key[-1] and not members.isdisjoint([-v - 1 for v in key if v >= 0]):
            y = False  # contains a literal and its negation
        elif len(members) == 1:
            y = key[0]
        else:
            key2 = key if len(members) == len(key) else tuple(sorted(members))
            y = self._and_cache.get(key2)
            if y is None:
                y = self.new_bool()
                cons = self.proto.constraints
                c = cons.add()
                c.enforcement_literal.append(y)
                c.bool_and.literals.extend(key2)
                c = cons.add()
                c.bool_or.literals.extend([*(-v - 1 for v in key2), y])
                self._and_cache[key2] = y
        self._and_cache[key] = y
        return y

    # --- hardness in one place ---------------------------------------------------------
    def strength(self, rule: RuleBase) -> Strength:
        """The rule's :class:`Strength` (cached)."""
        st = self._strength.get(id(rule))
        if st is None:
            st = self._strength[id(rule)] = Strength.of(rule)
        return st

    def _hard(self, tag: Tag) -> object:
        c = self.proto.constraints.add()
        self.hard.append((tag, len(self.proto.constraints) - 1))
        return c

    def penalize(self, tag: Tag, weight: int, expr: Lin) -> None:
        """Add ``weight × expr`` to the objective (``expr`` must be ≥ 0 and exact)."""
        if weight and (expr.vars or expr.const) and not self.explain:
            self.penalties.append((tag, weight, expr))

    def _excess(self, expr: Lin, weight: int, tag: Tag) -> None:
        """Penalise ``weight × max(0, expr)`` through an exact variable."""
        if weight == 0 or expr.ub <= 0:
            return
        if expr.lb >= 0:
            self.penalize(tag, weight, expr)
            return
        e = self.new_int(0, expr.ub)
        c = self.proto.constraints.add()
        c.lin_max.target.vars.append(e)
        c.lin_max.target.coeffs.append(1)
        le = c.lin_max.exprs.add()
        le.vars.extend(expr.vars)
        le.coeffs.extend(expr.coeffs)
        le.offset = expr.const
        c.lin_max.exprs.add()  # the constant 0
        self.penalize(tag, weight, Lin([e], [1], 0, 0, expr.ub))

    def limit(
        self,
        expr: Lin,
        lo: int | None,
        hi: int | None,
        tag: Tag,
        rule: RuleBase | Strength,
    ) -> None:
        """Require ``lo <= expr <= hi`` (either side may be None).

        Hard: a linear constraint (tagged). Soft: ``under × max(0, lo - expr)`` plus
        ``over × max(0, expr - hi)``, each through an exact excess variable.
        """
        st = rule if isinstance(rule, Strength) else self.strength(rule)
        if self.explain and not st.hard:
            return  # explain mode asks only about feasibility
        lo_binds = lo is not None and lo > expr.lb
        hi_binds = hi is not None and hi < expr.ub
        if not (lo_binds or hi_binds):
            return
        if st.hard:
            a = lo if lo is not None and lo_binds else expr.lb
            b = hi if hi is not None and hi_binds else expr.ub
            # Out of reach whatever x is (lo > ub or hi < lb): keep a valid, empty domain.
            if a > b:
                if lo is not None and lo > expr.ub:
                    b = a
                else:
                    a = b
            c = self._hard(tag)
            lin = c.linear  # type: ignore[attr-defined]
            lin.vars.extend(expr.vars)
            lin.coeffs.extend(expr.coeffs)
            lin.domain.extend((a - expr.const, b - expr.const))
            return
        if hi_binds and hi is not None:
            self._excess(expr.plus(-hi), st.over, tag)
        if lo_binds and lo is not None:
            self._excess(expr.negated().plus(lo), st.under, tag)

    def forbid(
        self,
        lits: list[Lit],
        tag: Tag,
        rule: RuleBase | Strength,
        amount: int = 1,
    ) -> None:
        """Forbid the pattern "every literal of ``lits`` is true".

        Hard: a clause of the negations (tagged). Soft: ``weight × amount`` when the
        pattern holds, through an exact AND literal. ``weight`` is the rule's weight
        (``Strength.over``).
        """
        st = rule if isinstance(rule, Strength) else self.strength(rule)
        if self.explain and not st.hard:
            return  # explain mode asks only about feasibility
        negs: list[int] = []
        for lit in lits:
            if lit is False:
                return
            if lit is not True:
                negs.append(-lit - 1)
        if st.hard:
            cons = self._constraints
            cons.add().bool_or.literals.extend(negs)
            self.hard.append((tag, len(cons) - 1))
            return
        if st.over == 0 or amount == 0:
            return
        y = self.and_([-v - 1 for v in negs])
        self.penalize(tag, st.over, Lin.lits([y], [amount]))

    def require(self, lit: Lit, tag: Tag) -> None:
        """Hard: ``lit`` must be true."""
        self.forbid([neg(lit)], tag, HARD)

    # --- objective ---------------------------------------------------------------------
    def set_objective(self, terms: list[tuple[Tag, int, Lin]]) -> None:
        """Make ``Σ weight × expr`` over ``terms`` the objective to minimise."""
        coef: dict[int, int] = defaultdict(int)
        offset = 0
        for _, w, e in terms:
            offset += w * e.const
            for v, c in zip(e.vars, e.coeffs, strict=True):
                coef[v] += w * c
        self.proto.clear_objective()
        items = sorted((v, c) for v, c in coef.items() if c)
        if not items and not offset:
            return
        obj = self.proto.objective
        obj.vars.extend(v for v, _ in items)
        obj.coeffs.extend(c for _, c in items)
        obj.offset = float(offset)

    def objective_value(self, solution: list[int], terms: list[tuple[Tag, int, Lin]]) -> int:
        """``Σ weight × expr`` over ``terms`` under a full solution."""
        return sum(w * e.value(solution) for _, w, e in terms)
