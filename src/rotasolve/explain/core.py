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
4. Optionally the groups of the conflicts found are set free and the search repeats, so
   further *disjoint* conflicts are reported together.
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
    """Feasibility of "these groups hold" on one explain-mode model."""

    def __init__(self, problem: Problem, seed: int) -> None:
        self.cm: CompiledModel = compile_problem(problem, explain=True)
        self.groups: dict[Tag, int] = self.cm.add_group_literals()
        self.key_of = {lit: key for key, lit in self.groups.items()}
        self.seed = seed
        # Key as a Requirement names it (without family), to map pre-check findings.
        self.by_req: dict[ReqKey, Tag] = {_req_key(k): k for k in self.groups}

    def check(self, keys: Iterable[Tag], limit: float) -> tuple[cp_model.CpSolverStatus, list[Tag]]:
        """Solve with the groups ``keys`` enforced (the others free). Returns the status
        and, when infeasible, a subset of ``keys`` that is already infeasible."""
        proto = self.cm.proto
        chosen = [self.groups[k] for k in keys]
        on = set(chosen)
        # Groups left out are fixed off (not merely unassumed), so presolve drops their
        # constraints and a small set is checked on a small model.
        for lit in self.groups.values():
            dom = proto.variables[lit].domain
            dom.clear()
            dom.extend((0, 1) if lit in on else (0, 0))
        proto.assumptions.clear()
        proto.assumptions.extend(chosen)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1  # assumption cores need the single worker
        solver.parameters.random_seed = self.seed
        solver.parameters.max_time_in_seconds = max(0.01, limit)
        status = solver.solve(self.cm.model)
        core: list[Tag] = []
        if status == cp_model.INFEASIBLE:
            core = [self.key_of[v] for v in solver.sufficient_assumptions_for_infeasibility()]
        return status, core


def _shrink(
    oracle: _Oracle, members: list[Tag], deadline: float, check_limit: float
) -> tuple[list[Tag], bool]:
    """Deletion-based minimisation of an infeasible set of groups.

    Returns the set and whether every remaining member was proved necessary.
    """
    keep: list[Tag] = []  # proved necessary
    todo = list(members)
    minimal = True
    while todo:
        m = todo.pop(0)
        left = deadline - time.perf_counter()
        if left <= 0:
            keep.append(m)
            keep.extend(todo)
            return keep, False
        status, core = oracle.check([*keep, *todo], min(left, check_limit))
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


def _requirements(problem: Problem, keys: list[Tag]) -> list[Requirement]:
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
        known = [k for k in groups if k is not None]
        if len(known) == len(groups):
            # Proved by counting; still shrink it on the model (cheap: a few members) so
            # that the minimal flag is verified like a core's.
            left = deadline - time.perf_counter()
            status, core = oracle.check(known, min(left, limit_each))
            if status == cp_model.INFEASIBLE:
                shrunk, minimal = _shrink(oracle, core, deadline, limit_each)
                reqs = _requirements(problem, shrunk)
                if set(shrunk) != set(known):
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
        active = [k for k in oracle.groups if _req_key(k) not in used]
        if not active:
            break
        status, core = oracle.check(active, left)
        if status != cp_model.INFEASIBLE or not core:
            break  # the rest is satisfiable (or undecided in time): no further conflict
        members, minimal = _shrink(oracle, core, deadline, limit_each)
        found.append(conflict(problem, _requirements(problem, members), minimal=minimal))
        used.update(_req_key(k) for k in members)
    return found
