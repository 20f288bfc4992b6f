"""Construction heuristic: a first schedule for models too big for CP-SAT to find one.

On a year of 150 people CP-SAT spends a minute in presolve and then its full-model
search does not get through the many loosely coupled parts of the model (issue #5: 150
independent per-person problems solved jointly; issue #4: hard cover across a year). The
construction solves small sub-problems built at the *problem* level, so each one is
compiled and presolved on its own, then joins their schedules:

- **by people**, when no hard requirement couples people (no hard cover, supervision or
  fairness: every hard constraint of the compiled model names one person): batches of
  people (:data:`BATCH_PEOPLE`: one person each by default) over the whole horizon, each
  with only its own people, leave, locks and duty; the joined schedule satisfies every
  hard rule by construction.
- **in time**, otherwise: chunks of days solved one after the other over all people; a
  chunk's sub-problem starts ``lookback`` days earlier, those days locked to the schedule
  built so far, so that every rolling window of a hard rule that ends in the chunk lies
  inside its sub-problem. A chunk that has no solution frees a stretch of the previous
  days again (up to three times, each time further back). Rules over the whole horizon
  or over fixed blocks cannot be cut into chunks exactly: their chunks are only a guess.

Time chunks keep their soft cover, requests and soft rules and get a short optimisation
(:data:`CHUNK_SECONDS`, at most :data:`CHUNK_SHARE` of the time left; never stopped before
their first solution); a chunk without a solution then gets the feasibility question (hard
requirements only, first solution). People batches are feasibility questions by default;
``construct(optimise=True)`` solves them one after the other, each with the soft cover the
earlier batches left (:class:`_Residual`), its requests and soft rules — better schedules,
but too slow so far for a year of 150 people. The joined schedule
is then checked against the whole problem by the independent checker: only a schedule
without hard violation is returned as :attr:`Construction.feasible`; otherwise it is only
a hint (CP-SAT repairs hints).

A feasible construction by people can then be improved by :func:`sweep`: one person at a
time, everyone else fixed, each person's whole horizon re-solved with the cover the
others leave open (``construct(sweep_until=...)``), quick visits without the LP while
they pay, then thorough ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from ..problem import Cover, DaySet, Lock, Problem, ProblemIndex, selects
from ..report import Report
from ..schedule import Assignment, Schedule
from . import cover
from .model import CompiledModel, Lin
from .registry import COMPILERS, compile_problem

__all__ = ["Construction", "SweepStats", "construct", "coupled", "soft_coupled", "sweep"]

#: People per sub-problem of the decomposition by people. On the generated 150 x 364 x 32
#: instance (2 workers) the construction took 18.4-20.5 s with 10 (four runs), 21.5-23.3 s
#: with 20, 20.3 s with 5, 30.9 s with 40; 19.1 s with 1 and 3 — and 15.1 s with 1 and
#: no presolve (one person's feasibility question: 0.04 s without presolve against 0.11 s
#: with it; ten people's 0.10 s either way). The time saved goes to the sweep.
BATCH_PEOPLE = 1

#: People per batch when batches are optimised (``construct(optimise=True)``).
BATCH_PEOPLE_OPTIMISED = 10

#: Seconds of the sweep's quick visits: CP-SAT without its LP relaxation (linearization
#: level 0) or presolve, from a complete hint. Why: the LP
#: costs each visit about half a second before its first better roster; on the generated
#: 150 x 364 x 32 instance (2 threads) quick visits reached every person in 40 s (177-181
#: visits, objective 165-175 k from 1 215 k) where the thorough ones reached 72-82
#: (385-429 k in 36 s), and after 120 s 31.8 k against 68.6 k; at 0.2 s 315 k, at 0.45 s
#: 176-225 k.
SWEEP_FAST_SECONDS = 0.3
#: ... and with one thread (deterministic), CP-SAT's deterministic time of a quick visit
#: (it counted 0.22-0.48 in 0.3 s). Two threads stopped at a deterministic time instead
#: of 0.3 s (40 s of sweep): 0.3 316-335 k, 0.4 185-194 k, 0.5 189-220 k; 0.3 s of wall
#: time 159-163 k.
SWEEP_FAST_DTIME = 0.4
#: The sweep's visits are quick until this many quick visits in a row changed no roster,
#: thorough from then on. Why: quick visits pay most on the generated year, but not
#: where a person's rules are richer (the ACGME year's people: 23 quick visits in 30 s,
#: none better; thorough ones changed 22 rosters in 50 visits), and waiting for a whole
#: pass of them to change nothing would cost a pass there.
SWEEP_QUICK_IDLE = 10
#: Seconds of a thorough visit (once quick ones stopped paying) at most, and
#: without a better roster before it stops. On the generated 150 x 364 x 32 instance
#: CP-SAT's first roster came at about 0.2 s and the last better one mostly by 0.5-1 s;
#: with a fixed limit and no quiet stop the sweep gained (36 s, 2 threads) 417 k at 0.4 s,
#: 752 k at 0.6 s, 610 k at 1 s, 584 k at 1.5 s. Also the wall-clock cap of a quick visit.
SWEEP_SECONDS = 1.5
SWEEP_QUIET = 0.25
#: ... and with one thread (``sweep(threads=1)``, ``solve(workers=1)``: deterministic),
#: CP-SAT's deterministic time of a thorough visit instead of the quiet spell (there
#: CP-SAT counted 0.6-0.75 of it per second).
SWEEP_DTIME = 0.5

#: Seconds of each people batch / time chunk with its objective (``construct(optimise=True)``).
PEOPLE_SECONDS = 4.0
CHUNK_SECONDS = 1.0

#: Share of the time left that the optimised time chunks may take together (the rest is
#: for building and solving the full model).
CHUNK_SHARE = 0.5

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
    sweep
        What :func:`sweep` did after a construction by people (None: it did not run).
    report
        The checker's report of ``schedule``.
    """

    schedule: Schedule
    feasible: bool
    method: str
    parts: int
    seconds: float
    objective: int
    sweep: SweepStats | None = None
    report: Report | None = None


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


def _fields(problem: Problem) -> dict[str, Any]:
    """The fields of ``problem`` by name (to build sub-problems from)."""
    return {name: getattr(problem, name) for name in type(problem).model_fields}


def _batches(problem: Problem, size: int) -> list[list[str]]:
    """The people's ids in batches of ``size``, in problem order."""
    ids = [p.id for p in problem.people]
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _hard_only(problem: Problem) -> dict[str, Any]:
    """The fields of ``problem`` with soft rules, soft cover and requests left out."""
    data = _fields(problem)
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


class _StopAfter(cp_model.CpSolverSolutionCallback):
    """Stops ``solver`` after ``limit`` seconds if it has a solution, else at its first."""

    def __init__(self, solver: cp_model.CpSolver, limit: float) -> None:
        super().__init__()
        self.solver = solver
        self.lock = threading.Lock()
        self.found = False
        self.late = False
        self.timer = threading.Timer(limit, self._time_up)
        self.timer.daemon = True
        self.timer.start()

    def _time_up(self) -> None:
        with self.lock:
            self.late = True
            if self.found:
                self.solver.stop_search()

    def on_solution_callback(self) -> None:
        with self.lock:
            self.found = True
            if self.late:
                self.stop_search()


def _solve_sub(
    sub: Problem | CompiledModel,
    deadline: float,
    workers: int,
    seed: int,
    base: int = 0,
    running: _Running | None = None,
    limit: float | None = None,
    presolve: bool = True,
) -> tuple[Plan | None, bool]:
    """A solution of ``sub`` as a plan, its days shifted by ``base``; ``(None, proved)``
    without one, ``proved`` telling whether it has none at all.

    ``limit`` None: the first solution of the feasibility question (objective cleared);
    else the best solution of ``sub``'s objective after ``limit`` seconds, or its first
    solution if later (giving up after ``3 × limit``). ``presolve`` False: CP-SAT
    without its presolve (quicker on one person's feasibility question)."""
    cm = sub if isinstance(sub, CompiledModel) else compile_problem(sub)
    if limit is None:
        cm.proto.clear_objective()
    left = deadline - time.perf_counter()
    if left <= 0:
        return None, False
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = left if limit is None else min(left, 3 * limit)
    solver.parameters.stop_after_first_solution = limit is None
    if limit is None and workers == 1:
        # One worker searches alone, without the feasibility jump that finds the first
        # schedule of a batch of people with two (150 x 364 x 32, 20 people: none in 30 s
        # alone, 2.8 s interleaved with it; interleaving is deterministic).
        solver.parameters.interleave_search = True
        solver.parameters.subsolvers.append("default_lp")
    # one presolve pass without probing: halves the time to a first solution of a
    # sub-problem (150 x 364 x 32, 10 people: 2.8 s -> 1.8 s)
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.cp_model_presolve = presolve
    if running is not None:
        with running.lock:
            if running.stopped:
                return None, False
            running.solvers.add(solver)
    callback = None if limit is None else _StopAfter(solver, limit)
    try:
        status = solver.solve(cm.model, callback)
    finally:
        if callback is not None:
            callback.timer.cancel()
        if running is not None:
            with running.lock:
                running.solvers.discard(solver)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status == cp_model.INFEASIBLE
    return _plan_of(cm, solver.response_proto.solution, base), True


def _plan_of(cm: CompiledModel, sol: Any, base: int = 0) -> Plan:
    """The assignments of solution ``sol`` of ``cm`` as a plan, days shifted by ``base``."""
    ix = cm.index
    plan: Plan = defaultdict(list)
    for (p, d, s), v in cm.x.items():
        if sol[v]:
            plan[(ix.people[p].id, base + d)].append(ix.shifts[s].id)
    return plan


# --- decomposition by people ---------------------------------------------------------


def _people_problem(data: dict[str, Any], ids: set[str]) -> Problem:
    """``data`` (problem fields) restricted to the people ``ids``; selectors naming other
    people keep working (:class:`ProblemIndex` ignores absent ids), so no validation."""
    sub = dict(data)
    sub["people"] = tuple(p for p in data["people"] if p.id in ids)
    for name in ("leave", "locks", "duty", "requests"):
        sub[name] = tuple(e for e in data[name] if e.person in ids)
    return Problem.model_construct(**sub)


def _by_people_feasible(
    problem: Problem,
    deadline: float,
    workers: int,
    seed: int,
    log: LogFn | None,
    batch_size: int,
) -> tuple[Plan | None, int]:
    """Feasibility questions only, two batches at a time."""
    data = _hard_only(problem)
    batches = _batches(problem, batch_size)
    t0 = time.perf_counter()
    running = _Running()

    def run(i: int) -> Plan | None:
        if running.stopped:
            return None
        sub = _people_problem(data, set(batches[i]))
        alone = len(batches[i]) == 1  # see BATCH_PEOPLE
        part, _ = _solve_sub(sub, deadline, workers, seed, 0, running, presolve=not alone)
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


class _Residual:
    """Head counts of the covers already supplied by earlier people batches, and the
    covers that remain for the next batch (exact: with the earlier batches fixed, a
    cover's cost is the residual cover's cost plus a constant)."""

    def __init__(self, problem: Problem) -> None:
        ix = ProblemIndex(problem)
        self.covers = problem.cover
        eligible: dict[object, frozenset[str]] = {}
        #: (shift id, day) -> (cover position, ids of the people it counts)
        self.by_slot: dict[tuple[str, int], list[tuple[int, frozenset[str]]]] = defaultdict(list)
        #: cover position -> its days
        self.days: list[list[int]] = []
        for i, c in enumerate(self.covers):
            if c.eligible not in eligible:
                eligible[c.eligible] = frozenset(
                    p.id for p in problem.people if selects(c.eligible, p)
                )
            ids = eligible[c.eligible]
            self.days.append(ix.days_in(c.days))
            for d in self.days[-1]:
                for sid in c.shifts:
                    self.by_slot[(sid, d)].append((i, ids))
        #: cover position -> day -> head count so far
        self.count: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, plan: Plan, sign: int = 1) -> None:
        """Count the assignments of ``plan`` (``sign`` -1: take them out again)."""
        for (i, d), n in self.cells(plan).items():
            self.count[i][d] += sign * n

    def cost(self, i: int, n: int) -> int:
        """The soft cost of cover position ``i`` on a day with head count ``n`` (as the
        checker counts it; a hard side costs nothing here, as it never binds where the
        sweep runs)."""
        c = self.covers[i]
        out = 0
        if not c.hard:
            out += c.under_weight * max(0, c.min - n)
            if c.max is not None:
                out += c.over_weight * max(0, n - c.max)
        if c.target is not None:
            out += c.target_under_weight * max(0, c.target - n)
            out += c.target_over_weight * max(0, n - c.target)
        return out

    def change(self, i: int, others: int, a: int, b: int) -> int:
        """What one person's count on a day of cover position ``i`` going from ``a`` to
        ``b`` changes in its cost, the others counting ``others`` there."""
        return self.cost(i, others + b) - self.cost(i, others + a)

    def cells(self, plan: Plan) -> dict[tuple[int, int], int]:
        """How many of ``plan``'s assignments each (cover position, day) counts."""
        out: dict[tuple[int, int], int] = defaultdict(int)
        for (pid, d), shifts in plan.items():
            for sid in shifts:
                for i, ids in self.by_slot.get((sid, d), ()):
                    if pid in ids:
                        out[(i, d)] += 1
        return out

    def covers_left(self, only: set[int] | None = None) -> tuple[Cover, ...]:
        """The covers reduced by the head counts so far: min, max and target minus the
        count (never below 0); days with equal residuals share one listed cover. ``only``:
        just the covers at these positions."""
        out: list[Cover] = []
        for i, c in enumerate(self.covers):
            if only is not None and i not in only:
                continue
            done = self.count.get(i)
            if not done:
                out.append(c)
                continue
            groups: dict[tuple[int, int | None, int | None], list[int]] = defaultdict(list)
            for d in self.days[i]:
                k = done.get(d, 0)
                groups[
                    (
                        max(0, c.min - k),
                        None if c.max is None else max(0, c.max - k),
                        None if c.target is None else max(0, c.target - k),
                    )
                ].append(d)
            for j, ((lo, hi, target), ds) in enumerate(groups.items()):
                if lo == 0 and hi is None and target is None:
                    continue
                out.append(
                    c.model_copy(
                        update={
                            "id": f"{c.id}~{j}",
                            "days": DaySet(kind="listed", indices=tuple(ds)),
                            "min": lo,
                            "max": hi,
                            "target": target,
                        }
                    )
                )
        return tuple(out)


def _compile_without_cover(sub: Problem) -> CompiledModel:
    """``sub`` compiled without its cover (added later by :func:`_add_cover`)."""
    cm = CompiledModel(sub)
    for family, fn in COMPILERS:
        if family != "cover":
            fn(cm)
    return cm


def _add_cover(cm: CompiledModel, covers: tuple[Cover, ...]) -> CompiledModel:
    """``covers`` added to ``cm`` (the same horizon and people), objective set."""
    cm.problem = cm.problem.model_copy(update={"cover": covers})
    cover.compile(cm)
    cm.set_objective(cm.penalties)
    return cm


def _by_people(
    problem: Problem,
    deadline: float,
    workers: int,
    seed: int,
    log: LogFn | None,
    batch_size: int,
    limit: float,
) -> tuple[Plan | None, int]:
    """Batches one after the other, each with the soft cover left by the earlier ones,
    its requests and soft rules, ``limit`` seconds each (the next batch's model is built
    meanwhile); a batch without a solution in time gets the feasibility question."""
    hard = _hard_only(problem)
    data = _fields(problem)
    batches = _batches(problem, batch_size)
    t0 = time.perf_counter()
    residual = _Residual(problem)

    def build(i: int) -> CompiledModel:
        return _compile_without_cover(_people_problem(data, set(batches[i])))

    plan: Plan = {}
    parts = 0
    with ThreadPoolExecutor(max_workers=1) as pool:
        nxt: Future[CompiledModel] | None = pool.submit(build, 0)
        for i, batch in enumerate(batches):
            part: Plan | None = None
            how = "feasible"
            if nxt is not None:
                cm = nxt.result()
                nxt = pool.submit(build, i + 1) if i + 1 < len(batches) else None
                _add_cover(cm, residual.covers_left())
                part, _ = _solve_sub(cm, deadline, workers, seed, 0, None, limit)
                parts += 1
                how = "optimised"
            if part is None:
                part, _ = _solve_sub(_people_problem(hard, set(batch)), deadline, workers, seed)
                parts += 1
                how = "feasible"
            if log is not None:
                log(
                    f"construct: people batch {i + 1}/{len(batches)} ({len(batch)} people) "
                    f"{how if part is not None else 'failed'} at {time.perf_counter() - t0:.1f} s"
                )
            if part is None:
                if nxt is not None:
                    nxt.cancel()
                return None, parts
            plan.update(part)
            residual.add(part)
    return plan, parts


# --- the sweep: one person at a time, everyone else fixed ------------------------------


@dataclass(frozen=True)
class SweepStats:
    """What :func:`sweep` did.

    Attributes
    ----------
    visits
        People's sub-problems solved.
    quick
        Of them, quick ones (:data:`SWEEP_FAST_SECONDS`), before
        :data:`SWEEP_QUICK_IDLE` of them in a row changed nothing.
    changed
        Visits whose new roster was taken (better by the whole objective).
    dropped
        Better rosters not taken because a visit running beside them changed the head
        counts they were better for.
    gain
        How much the objective went down.
    passes
        Times every person was visited.
    converged
        Whether a whole pass changed no roster (each roster was the best CP-SAT found
        with everyone else fixed).
    seconds
        Wall-clock seconds.
    error
        Why a visit failed (the sweep then stopped, keeping the rosters taken so far), or
        why :func:`construct` did not keep the swept schedule.
    """

    visits: int = 0
    quick: int = 0
    changed: int = 0
    dropped: int = 0
    gain: int = 0
    passes: int = 0
    converged: bool = False
    seconds: float = 0.0
    error: str = ""


def soft_coupled(problem: Problem, probe_days: int = 14) -> bool:
    """Whether a soft rule other than cover involves several people (a fairness spread,
    soft supervision): then one person's sub-problem does not see the whole objective.

    Decided as :func:`coupled` is, from the penalties of a probe over the first
    ``probe_days`` days, cover left out."""
    data = _fields(problem)
    data["cover"] = ()
    probe = _time_problem(problem, data, 0, min(problem.horizon.days, probe_days), 0, {})
    cm = compile_problem(probe)
    return any(tag.person is None for tag, _, _ in cm.penalties)


def sweep(
    problem: Problem,
    plan: Plan,
    deadline: float,
    *,
    threads: int = 2,
    seed: int = 0,
    seconds: float | None = None,
    log: LogFn | None = None,
    on_gain: Callable[[int], None] | None = None,
) -> tuple[Plan, SweepStats]:
    """Improve ``plan`` one person at a time, everyone else fixed, until ``deadline``.

    Each visit solves one person's sub-problem over the whole horizon: the person's own
    rules, leave, locks and requests, and the soft cover that the other people leave
    open (:class:`_Residual`: with the others fixed, a cover's cost is the residual
    cover's cost plus a constant, so the sub-problem's objective is the whole objective
    up to a constant). CP-SAT starts from the person's current roster; a better roster
    replaces it. People are visited in a seeded random order, pass after pass: quick
    visits (:data:`SWEEP_FAST_SECONDS`) until :data:`SWEEP_QUICK_IDLE` of them in a row
    changed nothing, then thorough ones (:data:`SWEEP_SECONDS`), until as many thorough
    visits as there are people have followed the last change (converged) or the
    deadline.

    ``threads`` visits run at once. A visit reads the head counts at its start; when it
    ends, its gain is corrected on the head counts it changes that another visit changed
    meanwhile (the cover costs are per day and cover, so the correction is exact), and
    its roster is taken only if the gain is still positive.

    Only for problems where no requirement but soft cover involves several people
    (``not coupled(problem) and not soft_coupled(problem)``): otherwise one person's
    sub-problem does not see what the change costs.

    With ``threads=1`` each visit is stopped by CP-SAT's deterministic time, so that a
    sweep that converges before ``deadline`` is the same from run to run.

    ``on_gain`` is called with the whole gain so far after each roster taken.

    Raises
    ------
    ValueError
        When a hard requirement or a soft rule other than cover involves several people
        (:func:`coupled`, :func:`soft_coupled`): a visit would not see what its change
        costs, nor keep a hard cover's limits.
    """
    if coupled(problem) or soft_coupled(problem):
        raise ValueError(
            "sweep: a requirement other than soft cover involves several people (hard "
            "cover, supervision or a fairness spread); one person's sub-problem cannot "
            "see it"
        )
    return _sweep(
        problem,
        plan,
        deadline,
        threads=threads,
        seed=seed,
        seconds=seconds,
        log=log,
        on_gain=on_gain,
    )


def _sweep(
    problem: Problem,
    plan: Plan,
    deadline: float,
    *,
    threads: int,
    seed: int,
    seconds: float | None,
    log: LogFn | None,
    on_gain: Callable[[int], None] | None,
) -> tuple[Plan, SweepStats]:
    """:func:`sweep` without its check of the problem (done by the caller)."""
    t0 = time.perf_counter()
    limit = SWEEP_SECONDS if seconds is None else seconds
    data = _fields(problem)
    residual = _Residual(problem)
    plan = dict(plan)
    residual.add(plan)
    ids = [p.id for p in problem.people]
    rng = random.Random(seed)
    lock = threading.Lock()
    queue: list[str] = []
    visits = fast = changed = dropped = passes = gain = 0
    idle = 0  # quick visits in a row that changed nothing
    calm = 0  # thorough visits since the last change
    done = False
    busy: set[str] = set()
    errors: list[str] = []
    # one shift a day: a person adds at most one to a cover's count on a day, so with the
    # others fixed the cover's cost is linear in the person's assignments
    linear = problem.max_shifts_per_day == 1

    def visit(worker: int) -> None:
        nonlocal visits, fast, changed, dropped, passes, gain, idle, calm, done
        sub_seed = seed * 1009 + worker
        while True:
            with lock:
                if done or time.perf_counter() >= deadline:
                    return
                if not queue:
                    passes += 1
                    queue.extend(rng.sample(ids, len(ids)))
                # not a person another visit is still on (a new pass may list it again)
                pid = next((q for q in reversed(queue) if q not in busy), "")
                if pid:
                    queue.remove(pid)
                    busy.add(pid)
                    quick = idle < SWEEP_QUICK_IDLE
            if not pid:
                time.sleep(0.01)  # every person left is being visited: wait for one
                continue
            cm = _compile_without_cover(_people_problem(data, {pid}))
            sids = {cm.index.shifts[s].id for (_, _, s) in cm.x}
            # covers of shifts the person cannot work count them as a constant
            only = {i for i, c in enumerate(residual.covers) if sids.intersection(c.shifts)}
            with lock:
                mine = {k: sorted(v) for k, v in plan.items() if k[0] == pid}
                residual.add(mine, -1)
                covers = () if linear else residual.covers_left(only)
                # the others' head counts this visit sees
                seen = {(i, d): n for i in only for d, n in residual.count[i].items()}
                residual.add(mine)
            if linear:
                _add_linear_cover(cm, residual, seen)
            else:
                _add_cover(cm, covers)
            on = {(d, sid) for (_, d), shs in mine.items() for sid in shs}
            hint = cm.proto.solution_hint
            for (_, d, s), v in cm.x.items():
                hint.vars.append(v)
                hint.values.append(int((d, cm.index.shifts[s].id) in on))
            sub_seed += 7919
            left = deadline - time.perf_counter()
            found = _solve_person(cm, min(limit, left), sub_seed, threads == 1, quick)
            with lock:
                busy.discard(pid)
                visits += 1
                fast += quick
                delta = 0
                if found is not None:
                    new, delta = found
                    old_cells, new_cells = residual.cells(mine), residual.cells(new)
                    for c in set(old_cells) | set(new_cells):
                        a, b = old_cells.get(c, 0), new_cells.get(c, 0)
                        if a == b:
                            continue
                        # another visit may have changed this head count meanwhile
                        now = residual.count[c[0]][c[1]] - a
                        then = seen.get(c, 0)
                        if now != then:
                            delta += residual.change(c[0], now, a, b)
                            delta -= residual.change(c[0], then, a, b)
                if delta >= 0:
                    dropped += found is not None
                    idle += quick
                    calm += not quick
                    done = calm >= len(ids)  # a whole pass of thorough visits, no change
                    continue
                residual.add(mine, -1)
                residual.add(new)
                for k in mine:
                    del plan[k]
                plan.update(new)
                changed += 1
                gain -= delta
                calm = 0
                if quick:
                    idle = 0
                if on_gain is not None:
                    on_gain(gain)
            if log is not None and changed % 25 == 0:
                log(
                    f"sweep: {visits} visits, {changed} rosters changed, gain {gain} "
                    f"at {time.perf_counter() - t0:.1f} s"
                )

    def guarded(worker: int) -> None:
        nonlocal done
        try:
            visit(worker)
        except Exception as exc:  # keep what was taken so far (each merge is whole)
            with lock:
                done = True
                errors.append(f"{type(exc).__name__}: {exc}")

    workers = [threading.Thread(target=guarded, args=(k,), daemon=True) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    stats = SweepStats(
        visits=visits,
        quick=fast,
        changed=changed,
        dropped=dropped,
        gain=gain,
        passes=passes,
        converged=done and not errors,
        seconds=time.perf_counter() - t0,
        error=errors[0] if errors else "",
    )
    return plan, stats


def _add_linear_cover(
    cm: CompiledModel, residual: _Residual, others: dict[tuple[int, int], int]
) -> None:
    """The objective of ``cm`` (one person, at most one shift a day): its own penalties
    plus, per assignment, what it changes in the cost of the covers counting it, given
    the others' head counts ``others`` ((cover position, day) -> count) — the cover's
    cost up to a constant, as :func:`_add_cover` gives it, without a cover object."""
    pid = cm.index.people[0].id
    vs: list[int] = []
    cs: list[int] = []
    for (_, d, s), v in cm.x.items():
        change = 0
        for i, ids in residual.by_slot.get((cm.index.shifts[s].id, d), ()):
            if pid in ids:
                change += residual.change(i, others.get((i, d), 0), 0, 1)
        if change:
            vs.append(v)
            cs.append(change)
    cm.set_objective([*cm.penalties, (cm.tag("cover", "cover", None, 0, 0), 1, Lin.bools(vs, cs))])


class _Quiet(cp_model.CpSolverSolutionCallback):
    """Stops ``solver`` once ``seconds`` have passed without a better solution (after
    its first one)."""

    def __init__(self, solver: cp_model.CpSolver, seconds: float) -> None:
        super().__init__()
        self.solver = solver
        self.seconds = seconds
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None

    def on_solution_callback(self) -> None:
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(self.seconds, self.solver.stop_search)
            self.timer.daemon = True
            self.timer.start()

    def close(self) -> None:
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()


def _solve_person(
    cm: CompiledModel,
    seconds: float,
    seed: int,
    deterministic: bool = False,
    quick: bool = False,
) -> tuple[Plan, int] | None:
    """The best roster of ``cm`` (one person, hinted with its current roster) CP-SAT finds
    in ``seconds`` and how much it changes the objective; None when it finds nothing
    better than the hint. ``deterministic``: stopped by CP-SAT's deterministic time
    (:data:`SWEEP_DTIME`) instead of a quiet spell, so that the same roster comes out
    whatever the machine's load (unless ``seconds`` run out first). ``quick``: without
    the LP relaxation (nor presolve unless ``deterministic``), from a complete hint, for
    :data:`SWEEP_FAST_SECONDS` (deterministic: :data:`SWEEP_FAST_DTIME`)."""
    if seconds < 0.05:
        return None
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    # the hint's own value, from the model with every assignment fixed to it
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.max_time_in_seconds = seconds
    if solver.solve(cm.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    before = round(solver.objective_value)
    solver.parameters.fix_variables_to_their_hinted_value = False
    solver.parameters.max_time_in_seconds = max(0.0, seconds - solver.wall_time)
    # one presolve pass without probing: a first solution in half the time
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.cp_model_probing_level = 0
    if quick:
        # the hint completed with the values of the auxiliary variables (the assignments
        # alone left CP-SAT a search of 0.1-0.3 s before it had the hint as a solution)
        values = list(solver.response_proto.solution)
        cm.proto.clear_solution_hint()
        cm.proto.solution_hint.vars.extend(range(len(values)))
        cm.proto.solution_hint.values.extend(values)
        solver.parameters.linearization_level = 0
        # nor presolve (about half of the 0.3 s): 40 s of sweep from one construction
        # gave 121 k / 115 k against 157 k / 150 k with it (two threads). Not when
        # stopped by deterministic time: one worker on the year, 60 s, 530 k without it
        # against 438 k with it.
        solver.parameters.cp_model_presolve = deterministic
        if deterministic:
            solver.parameters.max_deterministic_time = SWEEP_FAST_DTIME
        else:
            solver.parameters.max_time_in_seconds = min(
                SWEEP_FAST_SECONDS, solver.parameters.max_time_in_seconds
            )
        status = solver.solve(cm.model)
    elif deterministic:
        solver.parameters.max_deterministic_time = SWEEP_DTIME
        status = solver.solve(cm.model)
    else:
        quiet = _Quiet(solver, SWEEP_QUIET)
        try:
            status = solver.solve(cm.model, quiet)
        finally:
            quiet.close()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    after = round(solver.objective_value)
    if after >= before:
        return None
    new = _plan_of(cm, solver.response_proto.solution)
    return {k: sorted(v) for k, v in new.items()}, after - before


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
    sub["requests"] = tuple(rq for rq in data["requests"] if first <= rq.day <= last)
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
    limit: float | None,
) -> tuple[Plan | None, int]:
    """Chunks one after the other. With ``limit``, a chunk first gets its soft cover,
    requests and soft rules for ``limit`` seconds; without a solution then (or without
    ``limit``) the feasibility question, retried further back when it has none."""
    data = _fields(problem)
    hard = _hard_only(problem)
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
            part: Plan | None = None
            proved = False
            how = "feasible"
            if retry == 0 and limit is not None:
                sub = _time_problem(problem, data, lo, end, free, plan)
                # at most a share of the time left, so that the full model gets time too
                chunks_left = -(-(days - start) // chunk_days)
                share = CHUNK_SHARE * (deadline - time.perf_counter()) / chunks_left
                part, _ = _solve_sub(sub, deadline, workers, seed, lo, None, min(limit, share))
                parts += 1
                how = "optimised"
            if part is None:
                sub = _time_problem(problem, hard, lo, end, free, plan)
                part, proved = _solve_sub(sub, deadline, workers, seed + retry, lo)
                parts += 1
                how = "feasible"
            if log is not None:
                log(
                    f"construct: days {free}-{end - 1} (from {lo}) "
                    f"{how if part is not None else 'failed'} "
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
    optimise: bool | None = None,
    sweep_until: float | None = None,
    progress: Callable[[int], None] | None = None,
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
    optimise
        Give each sub-problem its soft cover (what earlier people batches left of it),
        requests and soft rules for :data:`PEOPLE_SECONDS` / :data:`CHUNK_SECONDS`
        (False: feasibility questions only, stopped at their first solution). None: time
        chunks only; optimised people batches are too slow for big models so far
        (150 x 364 x 32: 101 s instead of 42 s, objective 582 842 instead of 1 235 245).
    sweep_until
        After a construction by people, improve the schedule by :func:`sweep` until this
        ``time.perf_counter()`` value (None: no sweep; also none when a soft rule other
        than cover involves several people, see :func:`soft_coupled`).
    progress
        Called with the checker's objective of the constructed schedule, then with the
        objective after each roster the sweep changes.

    Returns
    -------
    Construction or None
        None when a sub-problem had no solution in time (or none at all).
    """
    from ..check import check

    t0 = time.perf_counter()
    if coupled(problem):
        method = "time"
        limit = CHUNK_SECONDS if optimise or optimise is None else None
        days = chunk_days or CHUNK_DAYS
        plan, parts = _in_time(problem, deadline, workers, seed, log, days, limit)
    else:
        method = "people"
        if optimise:
            size = batch_size or BATCH_PEOPLE_OPTIMISED
            plan, parts = _by_people(problem, deadline, workers, seed, log, size, PEOPLE_SECONDS)
        else:
            size = batch_size or BATCH_PEOPLE
            plan, parts = _by_people_feasible(problem, deadline, workers, seed, log, size)
    if plan is None:
        return None
    schedule = _schedule(problem, plan)
    report = check(problem, schedule)
    feasible = not report.hard_violations
    swept = None
    if method == "people" and feasible and sweep_until is not None and not soft_coupled(problem):
        start = int(report.objective)
        on_gain = None
        if progress is not None:
            progress(start)
            on_gain = lambda gain: progress(start - gain)  # noqa: E731
        # construct has made sweep's checks: by people (not coupled), not soft-coupled
        plan, swept = _sweep(
            problem,
            plan,
            sweep_until,
            threads=workers,
            seed=seed,
            seconds=None,
            log=log,
            on_gain=on_gain,
        )
        if swept.changed:
            swept_schedule = _schedule(problem, plan)
            swept_report = check(problem, swept_schedule)
            # every visit keeps the person's hard rules and lowers the whole objective: a
            # hard violation or a higher objective would be a bug (a coupling the checks
            # above missed), and then the schedule before the sweep is the one to keep
            if not swept_report.hard_violations and swept_report.objective <= start:
                schedule, report = swept_schedule, swept_report
            else:
                swept = dataclasses.replace(
                    swept, changed=0, gain=0, error="its schedule was worse: not kept"
                )
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
        sweep=swept,
        report=report,
    )
