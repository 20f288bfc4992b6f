"""Explain infeasibility: small sets of requirements that cannot hold together.

How it works
------------
1. The counting pre-checks (:func:`~rotasolve.explain.precheck.precheck`) name the obvious
   problems first; they are proofs by counting and are trusted (a pre-check conflict not
   known to be minimal is shrunk like a core, below).
2. The problem is compiled in *explain mode*: assignment variables are not pruned by leave
   or locks, and every hard requirement belongs to a group with one Boolean
   literal appended to the enforcement literals of all its constraints (see
   :meth:`~rotasolve.solver.CompiledModel.group_key` for the groups: cover slot, leave
   entry, lock, rule × person, supervision slot, fairness rule). ``one_shift_per_day``,
   ``no_overlap`` and shift eligibility stay unconditional: they define a schedule and
   who a shift type is for, they are not requirements to question.
3. CP-SAT solves with every group literal as an assumption (one worker, as assumption
   cores require); when infeasible, ``sufficient_assumptions_for_infeasibility`` gives a
   core, which is shrunk by deletion: each member is dropped in turn and the rest re-solved
   with a short limit; when the rest is still infeasible the member goes (and the rest
   shrinks to the new core), when it becomes feasible the member is necessary. A check
   that times out keeps its member and marks the conflict ``minimal=False``.
4. Refinement to windows. Rule × person groups keep the search fast and the first core
   readable, but the failing window is what a coordinator needs ("Dr Kim would exceed
   80 h in the window 06-10 to 07-07"). So each group of the shrunk conflict whose
   constraints belong to several windows (``shift_count``, ``work_minutes``, ``days_off``;
   entries or days for the ``duty`` family: ``group_key(tag, fine=True)``) is split:
   every window gets a literal of its own on its constraints, the group itself is held
   on, and the windows are shrunk by deletion the same way while the other members stay
   as they are — one group at a time, so each remaining window is necessary (a single
   window left needs no check: without it the group is gone, known satisfiable). A group
   made of one window only is simply named by it. The conflict stays minimal: dropping
   another member was satisfiable with every window of the group, so it still is with
   fewer. When the budget runs out during a refinement (or a check there is undecided)
   the group stays whole, and the conflict is as valid and as minimal as before. Windows
   reaching into carried-in history (``Problem.history_start``) keep their own dates, and
   their text says what the recorded duty puts in them; a whole rule with such windows is
   keyed from its first window's first day. Runs, successions, rest and continuous duty
   are not refined (see ``group_key``).
5. Optionally the conflicts found are set free and the search repeats, so further
   *disjoint* conflicts are reported together. A refined group is set free window by
   window: its other windows stay in the search (a week of nightly calls under q3 gives
   one conflict per run of three nights), so no two conflicts share a constraint.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date

from ortools.sat.python import cp_model

from ..conflict import Conflict, Requirement
from ..problem import Problem
from ..solver.model import CompiledModel, Tag
from ..solver.registry import compile_problem
from .precheck import precheck
from .text import conflict, describe, order

__all__ = ["explain"]

#: A requirement's identity: rule, person, first and last day (:attr:`Requirement.key`).
ReqKey = tuple[str, str | None, date | None, date | None]


def _req_key(k: Tag) -> ReqKey:
    return (k.rule, k.person, k.first, k.last)


class _Oracle:
    """Feasibility of "these groups hold" on one explain-mode model.

    Groups are addressed by their literal (a variable index). A rule × person group found
    in a conflict can be *split* (:meth:`split`): each of its window-level groups
    (``CompiledModel.group_key(tag, fine=True)``) gets a literal of its own, appended to
    the enforcement literals of its constraints, so a constraint of the group holds when
    both the group's and its window's literals are true.
    """

    def __init__(self, problem: Problem, seed: int) -> None:
        self.cm: CompiledModel = compile_problem(problem, explain=True)
        groups = self.cm.add_group_literals()
        #: the rule × person (coarse) groups' literals, in order of first use
        self.coarse: list[int] = list(groups.values())
        self.is_coarse = set(self.coarse)
        self.key_of: dict[int, Tag] = {lit: key for key, lit in groups.items()}
        #: literals of the window-level groups of each split group (empty: not refinable)
        self.children: dict[int, list[int]] = {}
        self.seed = seed
        # Key as a Requirement names it (without family), to map pre-check findings.
        self.by_req: dict[ReqKey, int] = {_req_key(k): lit for k, lit in groups.items()}

    def req_key(self, lit: int) -> ReqKey:
        """The :attr:`Requirement.key` of a group."""
        return _req_key(self.key_of[lit])

    def split(self, lits: Iterable[int]) -> None:
        """Give the window-level groups of the groups ``lits`` literals of their own (once
        per group). A group made of one window-level group only is renamed to it (a duty
        group of one entry or one day); one that holds its own key among its window-level
        keys is left whole, as a requirement's key could not tell the two apart."""
        # Only rule × person groups have windows (cover slots, leave, locks... do not).
        todo = {
            k: g
            for g in lits
            if g in self.is_coarse
            and g not in self.children
            and (k := self.key_of[g]).person is not None
            and k.family not in ("leave", "lock")
        }
        for g in set(lits) & self.is_coarse - set(todo.values()):
            self.children.setdefault(g, [])
        if not todo:
            return
        cm = self.cm
        parts: dict[int, dict[Tag, list[int]]] = {g: {} for g in todo.values()}
        for tag, i in cm.hard:
            key = cm.group_key(tag)
            if key is None:
                continue
            owner = todo.get(key)
            if owner is not None:
                fine = cm.group_key(tag, fine=True)
                assert fine is not None
                parts[owner].setdefault(fine, []).append(i)
        cons = cm.proto.constraints
        for g, by_key in parts.items():
            kids: list[int] = []
            if len(by_key) == 1:
                # One window (or entry, or day) only: the same constraints, named exactly.
                self.key_of[g] = next(iter(by_key))
            elif self.key_of[g] not in by_key:
                for fine, idx in by_key.items():
                    lit = cm.new_bool()
                    for i in idx:
                        cons[i].enforcement_literal.append(lit)
                    self.key_of[lit] = fine
                    kids.append(lit)
            self.children[g] = kids

    def active(self, used: set[ReqKey]) -> list[int]:
        """Every group not in ``used``; a split group by its window-level groups."""
        out: list[int] = []
        for g in self.coarse:
            if self.req_key(g) in used:
                continue
            kids = self.children.get(g)
            if kids:
                out.extend(k for k in kids if self.req_key(k) not in used)
            else:
                out.append(g)
        return out

    def check(self, lits: Iterable[int], limit: float) -> tuple[cp_model.CpSolverStatus, list[int]]:
        """Solve with the groups ``lits`` enforced (the others free). Returns the status
        and, when infeasible, a subset of ``lits`` that is already infeasible."""
        proto = self.cm.proto
        chosen = list(lits)
        on = set(chosen)

        def fix(lit: int, lo: int, hi: int) -> None:
            dom = proto.variables[lit].domain
            dom.clear()
            dom.extend((lo, hi))

        # Groups left out are fixed off (not merely unassumed), so presolve drops their
        # constraints and a small set is checked on a small model. A split group with some
        # of its windows chosen is fixed on, and its windows decide.
        for g in self.coarse:
            kids = self.children.get(g, ())
            if g in on:
                fix(g, 0, 1)
                for k in kids:
                    fix(k, 1, 1)
            elif any(k in on for k in kids):
                fix(g, 1, 1)
                for k in kids:
                    fix(k, *((0, 1) if k in on else (0, 0)))
            else:
                fix(g, 0, 0)
        proto.assumptions.clear()
        proto.assumptions.extend(chosen)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1  # assumption cores need the single worker
        solver.parameters.random_seed = self.seed
        solver.parameters.max_time_in_seconds = max(0.01, limit)
        # Group literals enforce every requirement, and CP-SAT linearises enforced linear
        # constraints only at level 2: counting conflicts (hours against cover) then fall to
        # the LP at once. Demo program with 30 h a week: no core in 60 s at level 1.
        solver.parameters.linearization_level = 2
        status = solver.solve(self.cm.model)
        core: list[int] = []
        if status == cp_model.INFEASIBLE:
            core = list(solver.sufficient_assumptions_for_infeasibility())
        return status, core


def _shrink(
    oracle: _Oracle,
    members: list[int],
    deadline: float,
    check_limit: float,
    fixed: list[int] | None = None,
) -> tuple[list[int], bool]:
    """Deletion-based minimisation of an infeasible set of groups.

    ``fixed`` groups are always enforced and never candidates for deletion. Returns the
    set (without ``fixed``) and whether every remaining member was proved necessary.
    """
    fixed = fixed or []
    keep: list[int] = []  # proved necessary
    todo = list(members)
    minimal = True
    while todo:
        m = todo.pop(0)
        left = deadline - time.perf_counter()
        if left <= 0:
            keep.append(m)
            keep.extend(todo)
            return keep, False
        status, core = oracle.check([*fixed, *keep, *todo], min(left, check_limit))
        if status == cp_model.INFEASIBLE:
            # Still infeasible without m: drop it, and everything outside the new core.
            # (The core contains every member already proved necessary.)
            inside = set(core)
            todo = [k for k in todo if k in inside]
        elif status in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            keep.append(m)
        else:
            keep.append(m)  # unknown: keep it, the set may not be minimal
            minimal = False
    return keep, minimal


def _refine(
    oracle: _Oracle, members: list[int], minimal: bool, deadline: float, check_limit: float
) -> list[int]:
    """Replace each rule × person group of a conflict by the fewest of its windows that
    still conflict with the other members (each window proved necessary), one group at a
    time. A group whose refinement is not decided within the budget stays whole, so the
    conflict stays as valid, and as minimal, as it was. ``minimal``: the conflict was
    proved minimal, so without a group (all its windows) the rest is satisfiable."""
    oracle.split(members)
    out = list(members)
    for g in members:
        kids = oracle.children.get(g)
        left = deadline - time.perf_counter()
        if not kids or left <= 0:
            continue
        others = [m for m in out if m != g]
        # The other members with every window of g are the same constraints as before.
        status, core = oracle.check([*others, *kids], min(left, check_limit))
        if status != cp_model.INFEASIBLE:
            continue
        inside = set(core)
        windows = [k for k in kids if k in inside]
        if len(windows) > 1 or not minimal:
            windows, decided = _shrink(oracle, windows, deadline, check_limit, fixed=others)
        else:
            decided = True  # one window: dropping it drops the group, known satisfiable
        if decided:
            # Dropping another member was feasible with all of g, so it still is with
            # only these windows of g: the conflict stays minimal.
            at = out.index(g)
            out[at : at + 1] = windows
    return out


def _requirements(problem: Problem, oracle: _Oracle, lits: list[int]) -> list[Requirement]:
    keys = [oracle.key_of[g] for g in lits]
    return [describe(problem, k.rule, k.family, k.person, k.first, k.last) for k in keys]


def explain(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    max_conflicts: int = 3,
    use_precheck: bool = True,
    check_time_limit: float | None = None,
    seed: int = 0,
) -> list[Conflict]:
    """Explain why ``problem`` has no schedule satisfying its hard requirements.

    Parameters
    ----------
    problem
        The problem (feasible problems give an empty list).
    time_limit
        Wall-clock budget in seconds for the whole explanation, model building included.
        When it runs out, the best sets found are returned with ``minimal=False``.
    max_conflicts
        How many disjoint conflicts to look for (each names different requirements, so the
        coordinator sees several problems at once); at least 1.
    use_precheck
        Run the counting pre-checks first (their conflicts come first, ``source="precheck"``).
    check_time_limit
        Seconds for each deletion check (default: a tenth of ``time_limit``, at least 1 s).
    seed
        CP-SAT random seed (the search is single-worker, so results are reproducible).

    Returns
    -------
    list of Conflict
        Each conflict's requirements cannot all hold together; with ``minimal=True``,
        removing any one of them was verified to make the rest satisfiable (the other
        requirements of the problem not counted).
    """
    deadline = time.perf_counter() + time_limit
    limit_each = check_time_limit if check_time_limit is not None else max(1.0, time_limit / 10)
    max_conflicts = max(1, max_conflicts)
    found: list[Conflict] = []
    used: set[ReqKey] = set()  # requirements already in a reported conflict

    oracle = _Oracle(problem, seed)
    for c in precheck(problem) if use_precheck else []:
        if len(found) >= max_conflicts:
            break
        keys = {r.key for r in c.requirements}
        if not used.isdisjoint(keys):
            continue
        groups = [oracle.by_req.get(r.key) for r in c.requirements]
        known = [g for g in groups if g is not None]
        if len(known) == len(groups):
            # Proved by counting; still shrink it on the model (cheap: a few members) so
            # that the minimal flag is verified like a core's.
            left = deadline - time.perf_counter()
            status, core = oracle.check(known, min(left, limit_each))
            if status == cp_model.INFEASIBLE:
                shrunk, minimal = _shrink(oracle, core, deadline, limit_each)
                shrunk = _refine(oracle, shrunk, minimal, deadline, limit_each)
                reqs = _requirements(problem, oracle, shrunk)
                if {r.key for r in reqs} != keys:
                    c = conflict(problem, reqs, minimal=minimal, source="precheck")
                    keys = {r.key for r in reqs}
                else:  # same set: keep the pre-check's message, with the verified flag
                    update = {"requirements": tuple(order(reqs)), "minimal": minimal}
                    c = c.model_copy(update=update)
            elif status in (cp_model.FEASIBLE, cp_model.OPTIMAL):
                continue  # not a conflict of the model's groups after all (never expected)
        found.append(c)
        used.update(keys)

    while len(found) < max_conflicts:
        left = deadline - time.perf_counter()
        if left <= 0:
            break
        active = oracle.active(used)
        if not active:
            break
        status, core = oracle.check(active, left)
        if status != cp_model.INFEASIBLE or not core:
            break  # the rest is satisfiable (or undecided in time): no further conflict
        members, minimal = _shrink(oracle, core, deadline, limit_each)
        members = _refine(oracle, members, minimal, deadline, limit_each)
        reqs = _requirements(problem, oracle, members)
        found.append(conflict(problem, reqs, minimal=minimal))
        used.update(r.key for r in reqs)
    return found
