"""Construction heuristic: a first schedule for models too big for CP-SAT to find one.

On a year of 150 people CP-SAT spends a minute in presolve and then its full-model
search does not get through the many loosely coupled parts of the model (issue #5: 150
independent per-person problems solved jointly; issue #4: hard cover across a year). The
construction solves small sub-problems built at the *problem* level, so each one is
compiled and presolved on its own, then joins their schedules:

- **by people**, when no hard requirement couples people (no hard cover, supervision or
  fairness: every hard constraint of the compiled model names one person): batches of
  people over the whole horizon, each with only its own people, leave, locks and duty;
  the joined schedule satisfies every hard rule by construction.
- **in time**, otherwise: chunks of days solved one after the other over all people; a
  chunk's sub-problem starts ``lookback`` days earlier, those days locked to the schedule
  built so far, so that every rolling window of a hard rule that ends in the chunk lies
  inside its sub-problem. A chunk that has no solution frees a stretch of the previous
  days again (up to three times, each time further back). Rules over the whole horizon
  or over fixed blocks cannot be cut into chunks exactly: their chunks are only a guess.

Sub-problems keep only the hard requirements (soft rules, soft cover and requests cost
nothing in a feasibility question) and stop at their first solution. The joined schedule
is then checked against the whole problem by the independent checker: only a schedule
without hard violation is returned as :attr:`Construction.feasible`; otherwise it is only
a hint (CP-SAT repairs hints).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from ..problem import DaySet, Lock, Problem
from ..schedule import Assignment, Schedule
from .registry import compile_problem

__all__ = ["Construction", "construct", "coupled"]

#: People per sub-problem of the decomposition by people.
BATCH_PEOPLE = 20

#: Days solved per chunk of the decomposition in time. Small chunks are far easier: on the
#: ACGME program of 150 residents a chunk of 14 days takes about 0.8 s, one of 28 days
#: 1-40 s, one of 56 days over a minute.
CHUNK_DAYS = 14

#: ``log(message)``: progress lines of the construction.
LogFn = Callable[[str], None]

#: (person id, day index) -> shift ids started that day
Plan = dict[tuple[str, int], list[str]]


@dataclass(frozen=True)
class Construction:
    """A constructed schedule.

    Attributes
    ----------
    schedule
        The joined schedule of the sub-problems.
    feasible
        Whether the independent checker finds no hard violation in it on the whole problem.
    method
        ``"people"`` or ``"time"``: how the problem was cut.
    parts
        Sub-problems solved (retries included).
    seconds
        Wall-clock seconds, checking included.
    objective
        The checker's objective of ``schedule`` (soft cost).
    """

    schedule: Schedule
    feasible: bool
    method: str
    parts: int
    seconds: float
    objective: int


def coupled(problem: Problem, probe_days: int = 14) -> bool:
    """Whether a hard requirement of ``problem`` involves several people.

    Decided from the compiled model of a probe: the hard requirements of ``problem`` over
    its first ``probe_days`` days (whole-horizon rules included), where a hard constraint
    whose tag names no person couples people (hard cover, supervision, fairness).
    """
    data = _hard_only(problem)
    probe = _time_problem(problem, data, 0, min(problem.horizon.days, probe_days), 0, {})
    cm = compile_problem(probe)
    return any(tag.person is None for tag, _ in cm.hard)


def _hard_only(problem: Problem) -> dict[str, Any]:
    """The fields of ``problem`` with soft rules, soft cover and requests left out."""
    data = {name: getattr(problem, name) for name in type(problem).model_fields}
    data["rules"] = tuple(r for r in problem.rules if r.hard)
    data["cover"] = tuple(
        c.model_copy(update={"target": None})
        for c in problem.cover
        if c.hard and (c.min > 0 or c.max is not None)
    )
    data["requests"] = ()
    return data


class _Running:
    """The CP-SAT solves in progress, so that a failed batch stops the others."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.solvers: set[cp_model.CpSolver] = set()
        self.stopped = False

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            for solver in self.solvers:
                solver.stop_search()


def _solve_sub(
    sub: Problem,
    deadline: float,
    workers: int,
    seed: int,
    base: int = 0,
    running: _Running | None = None,
) -> tuple[Plan | None, bool]:
    """First solution of ``sub`` (no objective) as a plan, its days shifted by ``base``;
    ``(None, proved)`` without one, ``proved`` telling whether it has none at all."""
    cm = compile_problem(sub)
    cm.proto.clear_objective()
    left = deadline - time.perf_counter()
    if left <= 0:
        return None, False
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = left
    solver.parameters.stop_after_first_solution = True
    # one presolve pass without probing: halves the time to a first solution of a
    # sub-problem (150 x 364 x 32, 10 people: 2.8 s -> 1.8 s)
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.cp_model_probing_level = 0
    if running is not None:
        with running.lock:
            if running.stopped:
                return None, False
            running.solvers.add(solver)
    try:
        status = solver.solve(cm.model)
    finally:
        if running is not None:
            with running.lock:
                running.solvers.discard(solver)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status == cp_model.INFEASIBLE
    sol = solver.response_proto.solution
    ix = cm.index
    plan: Plan = defaultdict(list)
    for (p, d, s), v in cm.x.items():
        if sol[v]:
            plan[(ix.people[p].id, base + d)].append(ix.shifts[s].id)
    return plan, True


# --- decomposition by people ---------------------------------------------------------


def _people_problem(data: dict[str, Any], ids: set[str]) -> Problem:
    """``data`` (problem fields) restricted to the people ``ids``; selectors naming other
    people keep working (:class:`ProblemIndex` ignores absent ids), so no validation."""
    sub = dict(data)
    sub["people"] = tuple(p for p in data["people"] if p.id in ids)
    for name in ("leave", "locks", "duty", "requests"):
        sub[name] = tuple(e for e in data[name] if e.person in ids)
    return Problem.model_construct(**sub)


def _by_people(
    problem: Problem,
    deadline: float,
    workers: int,
    seed: int,
    log: LogFn | None,
    batch_size: int,
) -> tuple[Plan | None, int]:
    data = _hard_only(problem)
    ids = [p.id for p in problem.people]
    batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
    t0 = time.perf_counter()
    running = _Running()

    def run(i: int) -> Plan | None:
        if running.stopped:
            return None
        sub = _people_problem(data, set(batches[i]))
        part, _ = _solve_sub(sub, deadline, workers, seed, 0, running)
        if part is None:
            running.stop()  # a batch without a schedule: the construction fails
        if log is not None:
            log(
                f"construct: people batch {i + 1}/{len(batches)} ({len(batches[i])} people) "
                f"{'found' if part is not None else 'failed'} at {time.perf_counter() - t0:.1f} s"
            )
        return part

    # Two batches at a time: one compiles (Python) while the other is in CP-SAT.
    plan: Plan = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for part in pool.map(run, range(len(batches))):
            if part is None:
                pool.shutdown(cancel_futures=True)
                return None, len(batches)
            plan.update(part)
    return plan, len(batches)


# --- decomposition in time -----------------------------------------------------------


def _lookback(problem: Problem) -> tuple[int, bool]:
    """Days a chunk must see before it so that every window of a hard rule ending in it
    is whole, and whether chunks are exact (no whole-horizon or fixed-block hard rule)."""
    back = 7  # runs, rest and successions look a few days back
    exact = True
    for r in problem.rules:
        if r.hard and r.kind.startswith("consecutive"):
            back = max(back, int(getattr(r, "max", None) or 0) + 1)  # a whole run
        if not r.hard or not hasattr(r, "window"):
            continue
        window = getattr(r, "window", None)
        if window is None and getattr(r, "max", None) == 0 and not getattr(r, "min", 0):
            continue  # "never" over the horizon is "never" in each chunk
        if window is None or getattr(r, "blocks", False):
            exact = False
        else:
            back = max(back, int(window) - 1)
    return back, exact


def _remap(ds: DaySet, problem: Problem, lo: int, hi: int) -> DaySet:
    """``ds`` of ``problem`` for the sub-horizon of days ``lo..hi-1``."""
    if ds.kind != "listed":
        return ds
    hz = problem.horizon
    dates = tuple(x for x in ds.dates if lo <= hz.index(x) < hi)
    indices = tuple(i - lo for i in ds.indices if lo <= i < hi)
    return ds.model_copy(update={"dates": dates, "indices": indices})


def _time_problem(
    problem: Problem, data: dict[str, Any], lo: int, hi: int, fixed_to: int, plan: Plan
) -> Problem:
    """``data`` over the days ``lo..hi-1``, days before ``fixed_to`` locked to ``plan``."""
    hz = problem.horizon
    first, last = hz.date(lo), hz.date(hi - 1)
    sub = dict(data)
    sub["horizon"] = hz.model_copy(update={"start": first, "days": hi - lo})
    if lo > 0:
        sub["history_start"] = None
    sub["cover"] = tuple(
        c.model_copy(update={"days": _remap(c.days, problem, lo, hi)}) for c in data["cover"]
    )
    sub["rules"] = tuple(
        r.model_copy(update={"days": _remap(r.days, problem, lo, hi)})
        if isinstance(getattr(r, "days", None), DaySet)
        else r
        for r in data["rules"]
    )
    sub["leave"] = tuple(
        lv.model_copy(update={"first": max(lv.first, first), "last": min(lv.last, last)})
        for lv in data["leave"]
        if lv.first <= last and lv.last >= first
    )
    t_first = dt.datetime.combine(first, dt.time())
    t_end = dt.datetime.combine(last, dt.time()) + dt.timedelta(days=1)
    # the first chunk keeps the history before the horizon
    sub["duty"] = tuple(e for e in data["duty"] if e.start < t_end and (lo == 0 or e.end > t_first))
    locks = [lk for lk in data["locks"] if fixed_to <= hz.index(lk.day) < hi]
    for d in range(lo, fixed_to):
        day = hz.date(d)
        for person in data["people"]:
            shifts = plan.get((person.id, d), [])
            if len(shifts) <= 1:
                sid = shifts[0] if shifts else None
                locks.append(Lock(id=f"_c_{person.id}_{d}", person=person.id, day=day, shift=sid))
    sub["locks"] = tuple(locks)
    return Problem.model_construct(**sub)


def _in_time(
    problem: Problem,
    deadline: float,
    workers: int,
    seed: int,
    log: LogFn | None,
    chunk_days: int,
) -> tuple[Plan | None, int]:
    data = _hard_only(problem)
    days = problem.horizon.days
    back, _ = _lookback(problem)
    plan: Plan = {}
    parts = 0
    start = 0
    while start < days:
        end = min(days, start + chunk_days)
        found = None
        for retry in range(4):
            free = max(0, start - (0, 7, 14, 28)[retry])
            lo = max(0, free - back)
            t = time.perf_counter()
            sub = _time_problem(problem, data, lo, end, free, plan)
            part, proved = _solve_sub(sub, deadline, workers, seed + retry, lo)
            parts += 1
            if log is not None:
                log(
                    f"construct: days {free}-{end - 1} (from {lo}) "
                    f"{'found' if part is not None else 'failed'} "
                    f"in {time.perf_counter() - t:.1f} s"
                )
            if part is not None:
                found = (free, part)
                break
            if (free == 0 and proved) or time.perf_counter() >= deadline:
                return None, parts
        if found is None:
            return None, parts
        free, part = found
        for key in [k for k in plan if k[1] >= free]:
            del plan[key]
        plan.update({k: v for k, v in part.items() if k[1] >= free})
        start = end
    return plan, parts


def _schedule(problem: Problem, plan: Plan) -> Schedule:
    hz = problem.horizon
    return Schedule(
        assignments=tuple(
            Assignment(person=pid, day=hz.date(d), shift=s)
            for (pid, d), shifts in sorted(plan.items(), key=lambda kv: (kv[0][1], kv[0][0]))
            for s in shifts
        )
    )


def construct(
    problem: Problem,
    *,
    deadline: float,
    workers: int = 2,
    seed: int = 0,
    log: LogFn | None = None,
    batch_size: int | None = None,
    chunk_days: int | None = None,
) -> Construction | None:
    """A first schedule for ``problem`` from sub-problems (see the module docstring).

    Parameters
    ----------
    problem
        The problem.
    deadline
        ``time.perf_counter()`` value by which to give up.
    workers, seed
        CP-SAT workers and seed of each sub-problem.
    log
        Called with a line per sub-problem.
    batch_size, chunk_days
        People per batch and days per chunk (None: :data:`BATCH_PEOPLE`,
        :data:`CHUNK_DAYS`).

    Returns
    -------
    Construction or None
        None when a sub-problem had no solution in time (or none at all).
    """
    from ..check import check

    t0 = time.perf_counter()
    if coupled(problem):
        method = "time"
        plan, parts = _in_time(problem, deadline, workers, seed, log, chunk_days or CHUNK_DAYS)
    else:
        method = "people"
        plan, parts = _by_people(problem, deadline, workers, seed, log, batch_size or BATCH_PEOPLE)
    if plan is None:
        return None
    schedule = _schedule(problem, plan)
    report = check(problem, schedule)
    feasible = not report.hard_violations
    if log is not None:
        log(
            f"construct: {method}, {parts} sub-problems, "
            f"{len(report.hard_violations)} hard violations, objective {report.objective}, "
            f"{time.perf_counter() - t0:.1f} s"
        )
    return Construction(
        schedule=schedule,
        feasible=feasible,
        method=method,
        parts=parts,
        seconds=time.perf_counter() - t0,
        objective=int(report.objective),
    )
