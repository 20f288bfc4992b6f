"""The solve entry point: parameters, hints, lexicographic tiers, decoding and checking."""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.sat import sat_parameters_pb2
from ortools.sat.python import cp_model

from ..problem import RULE_TYPES, Problem
from ..result import Result, SolveStats, Status
from ..schedule import Assignment, Schedule
from .colgen import ColgenStats, ColumnGeneration
from .construct import Construction
from .construct import construct as build_first
from .lns import LnsStats, Neighbourhoods
from .lns import improve as lns_improve
from .model import CompiledModel, Lin, Tag
from .registry import compile_problem

__all__ = [
    "COLGEN_MAX_X",
    "CONSTRUCT_MIN_VARS",
    "LNS_FINAL_SHARE",
    "LNS_FIRST_SHARE",
    "LNS_MAX_CONSTRAINTS",
    "LNS_MAX_X",
    "LNS_MIN_X",
    "LNS_STALL_SHARE",
    "RELAX_WEIGHT",
    "ProgressCallback",
    "evaluate",
    "relax_problem",
    "solve",
]

#: ``solve(construct=None)`` constructs a first schedule when the problem has at least this
#: many candidate assignments (people × days × shift types each may work). CP-SAT finds
#: first schedules alone on every Curtois instance 1-12 (at most 17 k candidates) but not
#: on a year of 150 residents (ACGME program: 218 k; Curtois-style generated: 1.7 M).
CONSTRUCT_MIN_VARS = 150_000

#: A construction by people is improved by :func:`rotasolve.solver.construct.sweep` (one
#: person at a time, everyone else fixed) until this many seconds, or this share of the
#: time limit if more, are left (for checking the schedule and the report). When the
#: time is up before the sweep has converged, the full model is not built and CP-SAT does
#: not run: on the generated 150 x 364 x 32 instance (60 s) building took 11 s and CP-SAT
#: the 28 s left after it improved the construction by 7 k (1 235 245 -> 1 228 154),
#: while 36 s of sweep gain about 790 k (benchmarks/README.md, session 14).
SWEEP_RESERVE = (2.0, 0.05)

#: CP-SAT parameters of the solve that follows a feasible construction (unless given).
CONSTRUCT_PRESOLVE: dict[str, Any] = {"max_presolve_iterations": 1, "cp_model_probing_level": 0}

#: ``solve(lns=...)``: CP-SAT searches alone until it has a schedule and has used this
#: share of the time limit (or, after half of it, found nothing better for
#: :data:`LNS_STALL_SHARE` of the limit); the large-neighbourhood search of
#: :mod:`rotasolve.solver.lns` then has the time until :data:`LNS_FINAL_SHARE` of the limit
#: is left (or until it stalls), and CP-SAT the rest (see :func:`_search_on`).
LNS_FIRST_SHARE = 0.1
LNS_STALL_SHARE = 0.1
#: Why only 3 %: on the Curtois instances that hand over, CP-SAT's last phase finds little
#: and proves nothing in the time (its root LP does not finish on 10-12), while the search
#: is still going down: at 60 s, Instance 12 interleaved seeds 0-7, mean 4253 against 4333
#: with 15 % (6 of 8 seeds better, 4092 the best 60-s schedule so far); 8-11 alike within
#: their spread. A search that stalls still hands over at once (one that reaches the bound
#: is done); the demo is still proved optimal (120, seeds 0-2; benchmarks/README.md,
#: session 12).
LNS_FINAL_SHARE = 0.03
#: ``solve(lns=None)`` hands over only on models with at least this many assignment
#: variables. Measured on Curtois (60 s, 2 workers; benchmarks/README.md): on Instances
#: 8-12 (2 158-10 452) the median of six runs with the hand-over is below that of three
#: runs of CP-SAT alone (8: about 1 450 against 1 525, 11: 3 466 against 3 591, 12: 4 585
#: against 6 438); on Instances 4-7 (468-1 248) stopping CP-SAT costs proofs (4: 1716
#: proved alone, 1719 after a hand-over; 6: 1950 against 2042).
LNS_MIN_X = 2000
#: ... and at most this many: on a generated 60 staff × 84 days × 10 shift types instance
#: (14 826 assignment variables; benchmarks/README.md) CP-SAT alone reached 94 in 60 s,
#: with the hand-over 169-178 (three runs). The search has not been measured to pay
#: above Instance 12's 10 452, so larger models keep CP-SAT alone.
LNS_MAX_X = 12_000
#: ... and at most this many constraints: the search's index of the model is built in
#: Python (about 60 µs per constraint: 41 s for the 708 k of the 150 × 364 × 32 instance).
LNS_MAX_CONSTRAINTS = 100_000

#: ``solve(colgen=None)`` runs the column generation of :mod:`rotasolve.solver.colgen`
#: beside CP-SAT (one thread) when CP-SAT searches alone (not beside the LNS) on models
#: with at most this many assignment variables (and at most :data:`LNS_MAX_CONSTRAINTS`
#: constraints). Its bound, rounded up, is the optimum on Curtois Instances 2-4 and 10-12
#: and within 0.25 % of it on 5-8 (benchmarks/README.md), where CP-SAT's own stays up to
#: 100 % below.
COLGEN_MAX_X = 12_000
#: Once it has converged, CP-SAT is stopped and solves relaxation-induced neighbourhoods
#: (RINS) of its best schedule, for at most this share of the time limit in all: every
#: (person, day) where the schedule differs from the master LP's solution free (and, when
#: that gives nothing better, also :data:`RINS_WIDEN` days either side), everything else
#: fixed; then CP-SAT goes on over the whole model from the better schedule. The column
#: generation's LP is far tighter than CP-SAT's own (Curtois 7: 1054 against 1048), so
#: what it agrees on with a good schedule is mostly right. From CP-SAT's 30-s schedules of
#: Instance 7 (1060 / 1065 / 1081) the widened neighbourhood gave 1056 (the optimum) / 1056
#: / 1057 within 30 s, of 5 (1146 / 1147) 1143 (the optimum) in 12.5 s; in ``solve`` at
#: 60 s 7 ends at 1056-1057 instead of 1059-1063 (benchmarks/README.md, session 21).
RINS_SHARE = 0.6
RINS_WIDEN = 1
#: ... each neighbourhood narrower than the widest for at most this share (they are
#: mostly proved in 1-6 s on Curtois 7, but one took 31 s).
RINS_NARROW_SHARE = 0.1
#: After a dive (see :data:`DIVE_CG_SHARE`), the search first solves the relaxation-induced
#: neighbourhoods of its schedule in the same way, for at most this share of the time
#: limit, as long as :data:`RINS_SEARCH_KEEP` of it is left to the search. A dive that
#: lost a unit of cover over its last fixes gets it back there: Curtois 8 at 60 s, dives
#: 1406 / 1410 / 1411 → 1305 / 1308 / 1307 (with 30 % kept, 9 s of RINS left 1507 at
#: 1402). Where the dive ends late (Curtois 12, ~46 s of 60) the search needs its time:
#: 6 s of RINS out of its 12 gave 4052 / 4070 / 4145 (benchmarks/README.md, session 21).
RINS_AFTER_DIVE_SHARE = 0.25
RINS_SEARCH_KEEP = 0.2
#: Where the column generation has no LP solution to give, the rosters it generated are
#: recombined instead (one per person, by CP-SAT on one worker) for at most this share of
#: the time limit; a better schedule than the search's is handed to the search.
RECOMBINE_SHARE = 0.15

#: ``solve(dive=None)``: where the search takes over from CP-SAT, a column generation
#: over the people (all threads) from CP-SAT's schedule first, until this share of the
#: time limit has passed since the solve started; when it converged by then (or nearly:
#: :meth:`ColumnGeneration.near`), a dive (:meth:`ColumnGeneration.dive`) until
#: :data:`DIVE_SHARE` (then it fixes the people still free without pricing), and the
#: search goes on from the better schedule. Curtois 8-11 (benchmarks/README.md, session
#: 16): converged in 5-14 s on two threads, dives of 12-35 s gave 1307-1506 / 439-440 /
#: 4636-4640 / 3449-3450, and the search ended at 1307-1322 / 439 / 4631-4633 / 3443.
#: 45 % (was 35 %): at 90 s, Curtois 12's column generation after a 9-s hand-over had not
#: converged by 31.5 s in both runs with seed 2 (25 rounds in 21.6-21.7 s; session 19).
DIVE_CG_SHARE = 0.45
#: 77 % (was 85 %, where a dive that ran out of time gave nothing): Curtois 12 at 60 s
#: (session 20), its dive stopped 5 s before 85 % and the rest fixed without pricing:
#: the search from there ended at 4051-4055 (scratch; in benchmarks/curtois.py 4057-4079
#: over six seeds); stopped 8 s / 12 s before: 4058-4071 / 4071-4079 (optimum 4040; the
#: search alone: 4089-4218).
DIVE_SHARE = 0.77
#: ... of which the last this share goes to CP-SAT re-solving the people the dive's
#: deadline rushed (``ColumnGeneration.dive(finish=...)``), everyone else fixed: the
#: rush alone fixes them to their heaviest rosters without pricing and leaves the
#: search a schedule far off (Curtois 12 at 60 s: 5884-6789).
DIVE_FINISH_SHARE = 0.05
#: ... and only on models with at most this many assignment variables, or
#: :data:`DIVE_X_PER_SECOND` per second of the time limit when that is more: on Curtois
#: 12 (10 452) the column generation takes 18-22 s of the two cores and a whole dive
#: 28-37 s more (benchmarks/README.md, sessions 18-19) — too long for 60 s, but a dive
#: cut short at :data:`DIVE_SHARE` and the search after it end within 1 % there
#: (4057-4079 over six seeds, session 20), against 4089-4218 for the search alone; so
#: 12 dives from 59.8 s on.
DIVE_MAX_X = 8_000
DIVE_X_PER_SECOND = 175
#: CP-SAT's latest schedules before a dive that are kept: their rosters are the column
#: generation's first columns too (Curtois 12: 28 rounds instead of 33 from 46 schedules).
KEEP_SOLUTIONS = 100

#: ``solve(dominant_first=None)``: when the objective has a dominant weight class (every
#: weight in it at least this many times every lighter weight, e.g. Curtois cover short
#: at 100 against requests at 1-3), CP-SAT first minimises that class alone for at most
#: :data:`DOMINANT_SHARE` of the time limit, then the whole objective from its schedule.
#: With the requests in the objective, CP-SAT stopped one unit of cover short of the
#: optimum's in about a third of the runs on Curtois 5 and 6 (1233-1243 against 1143,
#: 2041-2042 against 1950); on cover alone it reached the optimum's cover in every run.
DOMINANT_RATIO = 10
DOMINANT_SHARE = 0.25
#: The phase ends early once it has found no better schedule for the first share of its
#: time and for the second number times as long as its latest schedule took (on cover
#: alone, Curtois 4 found its last schedule at 0.8 s and ran on to its quarter without a
#: proof; on 5 and 6 later finds came after quiet spells of up to 3.3 s, or 1.4 times the
#: time to the find before).
DOMINANT_STALL = (0.2, 2.0)

#: Cost per unit of violation of a hard rule or cover in ``solve(relax=True)``.
RELAX_WEIGHT = 1_000_000

#: ``progress(seconds, objective, bound)`` called on every improving solution.
ProgressCallback = Callable[[float, float, float], None]

_STATUS = {
    cp_model.OPTIMAL: Status.optimal,
    cp_model.FEASIBLE: Status.feasible,
    cp_model.INFEASIBLE: Status.infeasible,
    cp_model.UNKNOWN: Status.unknown,
    cp_model.MODEL_INVALID: Status.model_invalid,
}

#: Families that are not rule kinds but can be named in ``tiers``.
_OTHER_FAMILIES = ("structure", "cover", "request")

Terms = list[tuple[Tag, int, Lin]]


class _Bounder:
    """Column generation beside the search, in one thread, from the first schedule the
    search reports: a lower bound that proves the search's schedules optimal when they
    reach it (the search is then stopped), and once converged the master LP's solution
    for the search's relaxation-induced neighbourhoods (:meth:`take_guide`)."""

    def __init__(self, cm: CompiledModel, deadline: float, log: bool, hand_over: bool) -> None:
        self.cm = cm
        #: whether to hand schedules and neighbourhoods to the search (their timing varies)
        self.hand_over = hand_over
        self.deadline = deadline
        self.log = log
        #: the bound rounded up (objectives are integral); None until there is one
        self.target: int | None = None
        self.error = ""
        self.solver: cp_model.CpSolver | None = None  # the CP-SAT solver to stop
        self.limit = max(0.0, deadline - time.perf_counter())
        #: a recombined schedule better than the search's, when the search should take it
        self.better: tuple[int, list[int]] | None = None
        self._best = math.inf
        self._latest: list[int] | None = None  # the search's best schedule
        #: the converged master LP's solution, for the search's RINS (see take_guide)
        self._guide: tuple[Neighbourhoods, dict[int, float]] | None = None
        self._cg: ColumnGeneration | None = None
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def offer(self, objective: float, solution: Callable[[], list[int]]) -> bool:
        """A schedule of the search; True when the bound proves it optimal."""
        with self._lock:
            if objective < self._best:
                self._best = objective
                self._latest = solution()
                self._ready.set()
        return self.reached(objective)

    def take_better(self, objective: float) -> tuple[int, list[int]] | None:
        """The recombined schedule, when it is better than ``objective`` (once)."""
        with self._lock:
            better, self.better = self.better, None
        if better is not None and better[0] < objective:
            return better
        return None

    def take_guide(self) -> tuple[Neighbourhoods, dict[int, float]] | None:
        """The converged master LP's solution in the people's variables, with the
        column generation's index of the model (once; see :data:`RINS_SHARE`)."""
        with self._lock:
            guide, self._guide = self._guide, None
        return guide

    def lift(self, bound: float) -> float:
        """``bound`` raised to this bound when it is better."""
        return bound if self.target is None else max(bound, float(self.target))

    def reached(self, objective: float) -> bool:
        """Whether ``objective`` is proved optimal by the bound."""
        return self.target is not None and objective <= self.target

    def _run(self) -> None:
        self._ready.wait()
        try:
            with self._lock:
                if self._closed or self._latest is None:
                    return
                first = self._latest
            cg = ColumnGeneration(self.cm, first)
            with self._lock:
                if self._closed:
                    return
                self._cg = cg
            cg.run(
                self.deadline, threads=1, on_bound=self._on_bound, log=print if self.log else None
            )
            with self._lock:
                latest, best = self._latest, self._best
            if not (self.hand_over and cg.stats.converged) or latest is None or self.reached(best):
                return
            if RINS_SHARE > 0 and (guide := cg.guide()) is not None:
                with self._lock:
                    self._guide = (cg.nb, guide)
                    if self.solver is not None:
                        self.solver.stop_search()  # the search solves the RINS first
                return
            # the rosters it generated may combine into a better schedule
            end = min(self.deadline, time.perf_counter() + RECOMBINE_SHARE * self.limit)
            full = cg.recombine(latest, end, workers=1)
            if full is None:
                return
            value = self.cm.objective_value(full, self.cm.penalties)
            with self._lock:
                if value < self._best:
                    self.better = (value, full)
                    if self.solver is not None:
                        self.solver.stop_search()  # to go on from the better schedule
        except Exception as exc:  # a bound is a bonus: the search goes on without it
            self.error = f"{type(exc).__name__}: {exc}"

    def _on_bound(self, bound: float) -> None:
        target = math.ceil(bound - 1e-6)
        with self._lock:
            self.target = target
            if self._best <= target and self.solver is not None:
                self.solver.stop_search()

    def close(self) -> None:
        """Stop the column generation and wait for its thread, unless it is still
        setting up (indexing a large model takes seconds): then the thread ends on its
        own once set up, and a search that finished early returns at once."""
        with self._lock:
            self._closed = True
            cg = self._cg
        self._ready.set()
        if cg is not None:
            cg.stop()
            self._thread.join()

    @property
    def stats(self) -> ColgenStats:
        """What the column generation did (empty when it did not start)."""
        return ColgenStats() if self._cg is None else self._cg.stats


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(
        self,
        fn: ProgressCallback | None,
        offset: float,
        bounder: _Bounder | None = None,
        keep: list[list[int]] | None = None,
        bound: float | None = None,
    ) -> None:
        super().__init__()
        self.fn = fn
        self.offset = offset
        self.bounder = bounder
        #: the lower bound to report instead of CP-SAT's: a sub-model's is none of the
        #: whole model's (a neighbourhood's optimum can lie above the whole optimum)
        self.bound = bound
        #: a bound known before this run (set by :func:`_resume`): CP-SAT restarted from
        #: a hint begins its own from scratch, and the progress must not report it falling
        self.floor = -math.inf
        self.last: float | None = None  # perf_counter() of the latest solution
        #: where to keep every solution (the latest :data:`KEEP_SOLUTIONS`), if anywhere
        self.keep = keep

    def on_solution_callback(self) -> None:
        self.last = time.perf_counter()
        if self.keep is not None:
            self.keep.append(list(self.response_proto.solution))
            del self.keep[:-KEEP_SOLUTIONS]
        if self.fn is not None:
            bound = self.bound
            if bound is None:
                bound = max(self.floor, self.best_objective_bound)
                if self.bounder is not None:
                    bound = self.bounder.lift(bound)
            self.fn(self.offset + self.wall_time, self.objective_value, bound)
        b = self.bounder
        if b is not None and b.offer(
            self.objective_value, lambda: list(self.response_proto.solution)
        ):
            self.stop_search()


class _EarlyStop:
    """Stop CP-SAT once it has a schedule and has had ``share`` seconds, or, after
    ``settle`` seconds, has found no better schedule for ``stall`` seconds or for
    ``growth`` times as long as it took to find its latest one (a search that found its
    latest schedule late may find the next one late too)."""

    def __init__(
        self,
        solver: cp_model.CpSolver,
        cb: _Progress | _WholeProgress,
        share: float,
        stall: float,
        settle: float = 0.0,
        growth: float = 0.0,
    ) -> None:
        self._done = threading.Event()
        start = time.perf_counter()

        def watch() -> None:
            while not self._done.wait(0.1):
                if cb.last is None:
                    continue
                now = time.perf_counter()
                quiet = now - cb.last
                stalled = quiet >= max(stall, growth * (cb.last - start)) and now - start >= settle
                if now - start >= share or stalled:
                    solver.stop_search()
                    return

        self._thread = threading.Thread(target=watch, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._done.set()
        self._thread.join()


def _check_params(params: dict[str, Any]) -> None:
    fields = sat_parameters_pb2.SatParameters.DESCRIPTOR.fields_by_name
    for name in params:
        if name not in fields:
            raise ValueError(f"unknown CP-SAT parameter {name!r} (see SatParameters)")


def _set_params(solver: cp_model.CpSolver, params: dict[str, Any]) -> None:
    fields = sat_parameters_pb2.SatParameters.DESCRIPTOR.fields_by_name
    for name, value in params.items():
        try:
            if fields[name].is_repeated:
                field = getattr(solver.parameters, name)
                field.clear()
                field.extend(value)
            else:
                setattr(solver.parameters, name, value)
        except (TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"bad value {value!r} for CP-SAT parameter {name!r}: {exc}") from exc


#: Full-problem subsolvers, best first: CP-SAT uses the first ones that fit the worker count.
#: Its default portfolio has no ``max_lp`` below 8 workers, yet the strongest LP
#: relaxation is what proves these models optimal (Curtois 1-3: seconds instead of a
#: bound stuck at a quarter of the optimum with 2 workers).
PORTFOLIO = (
    "max_lp",
    "core",
    "default_lp",
    "no_lp",
    "quick_restart",
    "reduced_costs",
    "pseudo_costs",
    "lb_tree_search",
    "probing",
    "quick_restart_no_lp",
)


def _default_search(params: dict[str, Any]) -> None:
    """Fill in search defaults the caller did not set: the full LP relaxation, on the
    single worker or as the first subsolver of the portfolio."""
    if params.get("num_workers", 0) == 1:
        params.setdefault("linearization_level", 2)
    elif not {"subsolvers", "ignore_subsolvers", "extra_subsolvers"} & params.keys():
        params["subsolvers"] = list(PORTFOLIO)


def _tier_terms(cm: CompiledModel, tiers: Sequence[Sequence[str]] | None) -> list[Terms]:
    """Split the penalty terms by tier; terms of no named tier form a last tier."""
    if not tiers:
        return [cm.penalties]
    pb = cm.problem
    known = {
        *RULE_TYPES,
        *_OTHER_FAMILIES,
        *(r.id for r in pb.rules),
        *(c.id for c in pb.cover),
        *(q.id for q in pb.requests),
    }
    where: dict[str, int] = {}
    for i, tier in enumerate(tiers):
        if isinstance(tier, str):
            raise ValueError(f"tiers must be a list of lists of names, got tier {tier!r}")
        for name in tier:
            if name not in known:
                raise ValueError(f"tier {i} names {name!r}: not a rule family or an id")
            where.setdefault(name, i)
    out: list[Terms] = [[] for _ in range(len(tiers) + 1)]
    for term in cm.penalties:
        tag = term[0]
        i = where.get(tag.rule, where.get(tag.family, len(tiers)))
        out[i].append(term)
    if not out[-1]:
        out.pop()
    return out


def _bound_terms(cm: CompiledModel, terms: Terms, value: int) -> None:
    """Add ``Σ weight × expr ≤ value`` over ``terms`` (keep an earlier tier's optimum)."""
    coef: dict[int, int] = defaultdict(int)
    offset = 0
    for _, w, e in terms:
        offset += w * e.const
        for v, c in zip(e.vars, e.coeffs, strict=True):
            coef[v] += w * c
    c = cm.proto.constraints.add()
    c.linear.vars.extend(list(coef))
    c.linear.coeffs.extend(list(coef.values()))
    lo = sum(min(0, k) for k in coef.values())
    c.linear.domain.extend((min(lo, value - offset), value - offset))


def _dominant_terms(terms: Terms) -> Terms | None:
    """The penalty terms of the heaviest weight class when every weight in it is at
    least :data:`DOMINANT_RATIO` times every lighter weight (None: no such class, or no
    lighter term)."""
    weights = sorted({w for _, w, _ in terms if w > 0}, reverse=True)
    for heavier, lighter in itertools.pairwise(weights):
        if heavier >= DOMINANT_RATIO * lighter:
            return [t for t in terms if t[1] >= heavier]
    return None


class _WholeProgress(cp_model.CpSolverSolutionCallback):
    """Reports a schedule found on part of the objective with its whole objective (and
    no bound: the part's bound says nothing about the whole)."""

    def __init__(self, fn: ProgressCallback | None, offset: float, cm: CompiledModel) -> None:
        super().__init__()
        self.fn, self.offset, self.cm = fn, offset, cm
        self.last: float | None = None  # perf_counter() of the latest solution

    def on_solution_callback(self) -> None:
        self.last = time.perf_counter()
        if self.fn is not None:
            whole = self.cm.objective_value(list(self.response_proto.solution), self.cm.penalties)
            self.fn(self.offset + self.wall_time, float(whole), -math.inf)


def _dominant_first(
    cm: CompiledModel,
    solver: cp_model.CpSolver,
    terms: Terms,
    seconds: float,
    progress: ProgressCallback | None,
    offset: float,
    stall: bool = True,
) -> tuple[float, int, int]:
    """CP-SAT on the dominant ``terms`` alone for at most ``seconds`` (less once it
    stalls, if ``stall``: :data:`DOMINANT_STALL`); its schedule hints the solve of the
    whole objective that follows. Returns (wall seconds, conflicts, branches)."""
    cm.set_objective(terms)
    solver.parameters.max_time_in_seconds = seconds
    cb = _WholeProgress(progress, offset, cm)
    quiet, growth = DOMINANT_STALL
    watch = _EarlyStop(solver, cb, seconds, quiet * seconds, growth=growth) if stall else None
    try:
        # a callback only where it is read: each call copies the solution into Python
        status = solver.solve(cm.model, cb if progress or watch else None)
    finally:
        if watch is not None:
            watch.close()
        cm.set_objective(cm.penalties)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        _hint_all(cm, list(solver.response_proto.solution))
    return float(solver.wall_time), int(solver.num_conflicts), int(solver.num_branches)


def _hint_all(cm: CompiledModel, values: Sequence[int]) -> None:
    cm.proto.clear_solution_hint()
    cm.proto.solution_hint.vars.extend(range(len(values)))
    cm.proto.solution_hint.values.extend(values)


def _positions(cm: CompiledModel, schedule: Schedule) -> tuple[set[tuple[int, int, int]], bool]:
    """The ``(p, d, s)`` keys of ``schedule`` that have a variable, and whether every
    assignment had one (False when one is ruled out by leave, eligibility or a lock, or
    names an unknown id or a day outside the horizon)."""
    ix = cm.index
    hz = cm.problem.horizon
    on: set[tuple[int, int, int]] = set()
    complete = True
    for a in schedule.assignments:
        p = ix.person_pos.get(a.person)
        s = ix.shift_pos.get(a.shift)
        key = None if p is None or s is None else (p, hz.index(a.day), s)
        if key is None or key not in cm.x or key in on:
            complete = False  # a duplicate is also outside the model (one variable per key)
        else:
            on.add(key)
    return on, complete


def _fixed_solve(
    cm: CompiledModel, on: set[tuple[int, int, int]], time_limit: float | None
) -> tuple[cp_model.CpSolverStatus, list[int], float]:
    """Solve a copy of the model with ``x`` fixed to ``on``: every other variable is a
    function of ``x``, so this only computes their values (or proves a hard violation)."""
    fixed = cp_model.CpModel()
    fixed.proto.copy_from(cm.proto)
    fixed.proto.clear_solution_hint()
    for key, v in cm.x.items():
        val = int(key in on)
        dom = fixed.proto.variables[v].domain
        dom.clear()
        dom.extend((val, val))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = min(30.0, time_limit or 30.0)
    status = solver.solve(fixed)
    solution = list(solver.response_proto.solution)
    return status, solution, float(solver.wall_time)


def _apply_hint(cm: CompiledModel, hint: Schedule, time_limit: float | None) -> float:
    """Hint every variable from ``hint`` (values of the non-``x`` variables come from a
    solve with ``x`` fixed); falls back to hinting ``x`` only when the hint breaks a hard
    rule. Returns the seconds spent."""
    on, _ = _positions(cm, hint)
    status, solution, seconds = _fixed_solve(cm, on, time_limit)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        _hint_all(cm, solution)
    else:
        _hint_x(cm, on)
    return seconds


def _hint_x(cm: CompiledModel, on: set[tuple[int, int, int]]) -> None:
    """Hint only the assignment variables: ``on`` true, the others false."""
    cm.proto.clear_solution_hint()
    cm.proto.solution_hint.vars.extend(list(cm.x.values()))
    cm.proto.solution_hint.values.extend([int(k in on) for k in cm.x])


def _candidates(problem: Problem) -> int:
    """People × days × shift types each may work: the assignment variables before leave,
    locks and rules prune them."""
    from ..problem import ProblemIndex

    ix = ProblemIndex(problem)
    per_day = sum(ix.may_work(p, s) for p in range(len(ix.people)) for s in range(len(ix.shifts)))
    return per_day * ix.days


def _construct(
    problem: Problem,
    t_start: float,
    time_limit: float | None,
    workers: int | None,
    seed: int,
    log: bool,
    progress: ProgressCallback | None,
    sweep: bool = True,
) -> Construction | None:
    """Run the construction heuristic within the time limit (then, with ``sweep``, its
    sweep until :data:`SWEEP_RESERVE` is left); report a feasible schedule."""
    deadline = t_start + time_limit if time_limit is not None else float("inf")
    sweep_until = None
    if sweep:
        # without a time limit the sweep goes on until a pass changes nothing
        sweep_until = deadline
        if time_limit is not None:
            sweep_until -= max(SWEEP_RESERVE[0], SWEEP_RESERVE[1] * time_limit)

    def report(objective: int) -> None:
        if progress is not None:
            progress(time.perf_counter() - t_start, float(objective), 0.0)

    try:
        made = build_first(
            problem,
            deadline=deadline,
            workers=workers or 2,
            seed=seed,
            log=print if log else None,
            sweep_until=sweep_until,
            progress=report,
        )
    except Exception as exc:  # a heuristic must never break a solve: the plain solve follows
        if log:
            print(f"construct: failed: {type(exc).__name__}: {exc}")
        return None
    if made is not None and made.feasible and made.sweep is None:
        # objectives are sums of non-negative costs: 0 is a bound
        report(made.objective)
    return made


def _construct_stats(stats: SolveStats, made: Construction, seconds: float) -> SolveStats:
    """``stats`` with the construction's (and its sweep's) figures."""
    update: dict[str, Any] = {
        "construct_seconds": seconds,
        "construct_parts": made.parts,
        "construct_method": made.method,
        "construct_feasible": made.feasible,
    }
    if made.sweep is not None:
        update.update(
            sweep_seconds=made.sweep.seconds,
            sweep_visits=made.sweep.visits,
            sweep_changed=made.sweep.changed,
        )
    return stats.model_copy(update=update)


def _constructed(
    problem: Problem,
    made: Construction,
    runtime: float,
    build: float,
    stats: SolveStats,
    with_report: bool,
    tiers: int,
) -> Result:
    """The result for the constructed schedule (no proved bound)."""
    report = None
    if with_report:
        from ..check import check

        report = made.report or check(problem, made.schedule)
    note = f"constructed schedule ({made.method}); CP-SAT found nothing better in time"
    if made.sweep is not None and not made.sweep.converged:
        note = (
            f"constructed schedule ({made.method}), improved one person at a time until "
            "the time limit; CP-SAT did not run"
        )
    return Result(
        status=Status.feasible,
        objective=made.objective,
        bound=0.0 if tiers == 1 else None,
        gap=None if tiers > 1 else (1.0 if made.objective else 0.0),
        runtime=runtime,
        build_seconds=build,
        schedule=made.schedule,
        report=report,
        stats=stats,
        message=note,
    )


def _go_on(
    cm: CompiledModel,
    solver: cp_model.CpSolver,
    bounder: _Bounder,
    solution: list[int],
    bound: float,
    deadline: float,
    progress: ProgressCallback | None,
    offset: float,
    limit: float,
    rins: RinsStats,
) -> tuple[list[int], float, cp_model.CpSolverStatus]:
    """After CP-SAT stopped early: while the column generation has a better schedule,
    take it, or, once it has the master LP's solution, solve the RINS around CP-SAT's
    schedule (:func:`_rins`; :data:`RINS_SHARE` of the time ``limit``), and let CP-SAT go
    on from the better schedule (every variable hinted) for the time left."""
    objective = cm.objective_value(solution, cm.penalties)
    t0 = time.perf_counter()

    def watch(bound: float | None = None) -> _Progress:
        return _Progress(progress, offset + time.perf_counter() - t0, bounder, bound=bound)

    while True:
        better = bounder.take_better(objective)
        if better is not None:
            objective, solution = better
        else:
            guide = bounder.take_guide()
            rest = deadline - time.perf_counter()
            if guide is None or rest < 1.0:
                break
            seconds = (min(RINS_SHARE * limit, rest), RINS_NARROW_SHARE * limit)
            # its progress reports the whole model's bound, not the neighbourhood's
            lifted = functools.partial(watch, bounder.lift(bound))
            solution, objective = _rins(cm, solver, guide, solution, seconds, lifted, rins)
        rest = deadline - time.perf_counter()
        if rest < 1.0 or bounder.reached(objective):
            break
        solution, objective, bound, status = _resume(cm, solver, solution, bound, rest, watch())
        if status == cp_model.OPTIMAL:
            return solution, bound, status
    return solution, bound, cp_model.FEASIBLE


@dataclass
class RinsStats:
    """What the relaxation-induced neighbourhoods after the column generation did."""

    seconds: float = 0.0
    #: sub-problems solved
    calls: int = 0
    #: the best schedule's objective after them (None: none solved)
    objective: float | None = None


def _rins(
    cm: CompiledModel,
    solver: cp_model.CpSolver,
    guide: tuple[Neighbourhoods, dict[int, float]],
    solution: list[int],
    seconds: tuple[float, float],
    watch: Callable[[], _Progress],
    stats: RinsStats,
) -> tuple[list[int], int]:
    """CP-SAT, with the parameters of ``solver``, over relaxation-induced neighbourhoods
    of ``solution`` (:meth:`Neighbourhoods.disagreeing` with the master LP's solution in
    ``guide``): the better schedule and its objective. Each better schedule has a
    neighbourhood of its own, solved next; when one gives nothing better, the next is
    widened by a day either side, up to :data:`RINS_WIDEN`. ``seconds``: (for all of
    them, for each narrower than the widest); ``watch()`` gives each one's progress
    callback. Never raises: a failure ends it with the best schedule so far (the search
    goes on from there)."""
    nb, xbar = guide
    t0 = time.perf_counter()
    end = t0 + seconds[0]
    objective = cm.objective_value(solution, cm.penalties)
    widen = 0
    # a heuristic must never break a solve
    with contextlib.suppress(Exception):
        while (left := end - time.perf_counter()) > 0.1:
            free = nb.disagreeing(solution, xbar, widen)
            if not free:
                break  # the schedule is the LP's solution
            model, _ = nb.sub_model(free, solution)
            sub = cp_model.CpSolver()
            sub.parameters.copy_from(solver.parameters)
            narrow = widen < RINS_WIDEN
            sub.parameters.max_time_in_seconds = min(left, seconds[1]) if narrow else left
            status = sub.solve(model, watch())
            stats.calls += 1
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                found = list(sub.response_proto.solution)
                value = cm.objective_value(found, cm.penalties)
                if value < objective:
                    solution, objective = found, value
                    continue
            if not narrow:
                break
            widen += 1
    stats.seconds += time.perf_counter() - t0
    stats.objective = float(objective)
    return solution, objective


def _resume(
    cm: CompiledModel,
    solver: cp_model.CpSolver,
    solution: list[int],
    bound: float,
    seconds: float,
    cb: _Progress | None,
) -> tuple[list[int], int, float, cp_model.CpSolverStatus]:
    """CP-SAT from ``solution`` (every variable hinted) for ``seconds``: the better of
    the two schedules, its objective, the better bound and CP-SAT's status. ``cb``
    reports no bound below ``bound`` (CP-SAT's own starts from scratch)."""
    objective = cm.objective_value(solution, cm.penalties)
    _hint_all(cm, solution)
    if cb is not None:
        cb.floor = bound
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(cm.model, cb)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        again = list(solver.response_proto.solution)
        value = cm.objective_value(again, cm.penalties)
        if value <= objective:
            solution, objective = again, value
        bound = max(bound, float(solver.best_objective_bound))
        if status == cp_model.OPTIMAL:
            bound = max(bound, float(objective))
    return solution, objective, bound, status


@dataclass
class DiveStats:
    """What the column generation, the dive and the RINS before the search did."""

    seconds: float = 0.0
    #: the dive's schedule's objective (None: no schedule)
    objective: float | None = None
    #: whether the search started from it (better than CP-SAT's)
    taken: bool = False
    #: the people its deadline rushed, and whether CP-SAT then re-solved their rosters
    rushed: int = 0
    finished: bool = False
    colgen: ColgenStats = field(default_factory=ColgenStats)
    #: the master LP's solution before the dive (:meth:`ColumnGeneration.guide`), for
    #: the relaxation-induced neighbourhoods after it; None when no dive ran
    guide: dict[int, float] | None = None
    #: those neighbourhoods (:data:`RINS_AFTER_DIVE_SHARE`)
    rins: RinsStats = field(default_factory=RinsStats)

    @property
    def bound(self) -> float | None:
        """The column generation's lower bound rounded up (None: none)."""
        b = self.colgen.bound
        return float(math.ceil(b - 1e-6)) if math.isfinite(b) else None


def _dive_first(
    cm: CompiledModel,
    solution: list[int],
    cg_end: float,
    dive_end: float,
    threads: int,
    stats: DiveStats,
    earlier: Sequence[Sequence[int]] = (),
    finish_seconds: float = 0.0,
) -> tuple[list[int], Neighbourhoods | None]:
    """A column generation from ``solution`` (and the ``earlier`` schedules) until
    ``cg_end``, then a dive until ``dive_end`` when it (nearly) converged, its pricing
    stopped ``finish_seconds`` before (for the people it then rushes): the better
    schedule and the column generation's index of the model, for the search to reuse
    (``stats`` is filled in). Neither runs where a dive cannot
    (:meth:`~rotasolve.solver.colgen.Decomposition.absorbs`: the demo's hard cover and
    supervision made its LP infeasible 22 people into 38, after ~20 s). Never raises: a
    failure leaves ``solution``."""
    t0 = time.perf_counter()
    price_end = max(cg_end, dive_end - finish_seconds)
    nb = None
    try:
        nb = Neighbourhoods(cm)
        cg = ColumnGeneration(cm, solution, nb, earlier)
        if not cg.absorbs:  # a dive could not run: the search gets the time
            return solution, nb
        stats.colgen = cg.run(cg_end, threads=threads)
        if cg.near():
            stats.guide = cg.guide()
        full = cg.dive(solution, price_end, finish=dive_end, threads=threads)  # None unless near
        stats.rushed, stats.finished = cg.rushed, cg.finished
        if full is not None:
            value = cm.objective_value(full, cm.penalties)
            stats.objective = float(value)
            if value < cm.objective_value(solution, cm.penalties):
                solution, stats.taken = full, True
    except Exception:  # a heuristic must never break a solve: the search goes on
        pass
    stats.seconds = time.perf_counter() - t0
    return solution, nb


def _search_on(
    cm: CompiledModel,
    solver: cp_model.CpSolver,
    solution: list[int],
    bound: float,
    seconds: tuple[float, float],
    seed: int,
    workers: int | None,
    progress: ProgressCallback | None,
    offset: float,
    bounder: _Bounder | None = None,
    dive: DiveStats | None = None,
    earlier: Sequence[Sequence[int]] = (),
) -> tuple[list[int], float, cp_model.CpSolverStatus, LnsStats]:
    """After CP-SAT handed over: with ``dive``, a column generation (from ``solution`` and
    the ``earlier`` schedules) and a dive first (:data:`DIVE_CG_SHARE`), then the RINS of
    the better schedule (:data:`RINS_AFTER_DIVE_SHARE`; ``dive`` is filled in); then the
    large-neighbourhood search until it stalls or until
    :data:`LNS_FINAL_SHARE` of the time limit is left, then CP-SAT again from its
    schedule (every variable hinted) for the time left, for a bound and a proof.
    ``seconds``: (time left, the whole time limit).

    Returns the best solution, the best bound and the status (optimal when proved)."""
    left, whole = seconds
    window = max(2.0, LNS_STALL_SHARE * whole)
    reserve = LNS_FINAL_SHARE * whole
    t0 = time.perf_counter()
    stats = LnsStats()
    threads = max(1, workers or os.cpu_count() or 1)

    def report(objective: int, _: list[int]) -> None:
        if progress is not None:
            progress(offset + time.perf_counter() - t0, float(objective), bound)

    nb = None
    if dive is not None:
        started = t0 - (whole - left)  # when the solve's time limit started
        cg_end = min(started + DIVE_CG_SHARE * whole, t0 + left - reserve)
        dive_end = min(started + DIVE_SHARE * whole, t0 + left - reserve)
        if cg_end - t0 >= 1.0:
            solution, nb = _dive_first(
                cm, solution, cg_end, dive_end, threads, dive, earlier, DIVE_FINISH_SHARE * whole
            )
            if dive.bound is not None and dive.bound > bound:
                bound = dive.bound
            if dive.objective is not None and dive.taken:
                report(int(dive.objective), solution)
            search = t0 + left - reserve - time.perf_counter()  # the search's time
            budget = min(RINS_AFTER_DIVE_SHARE, search / whole - RINS_SEARCH_KEEP) * whole
            if dive.guide is not None and nb is not None and budget >= 1.0:

                def watch() -> _Progress:
                    at = offset + time.perf_counter() - t0
                    return _Progress(progress, at, bound=bound)

                solution, _ = _rins(
                    cm,
                    solver,
                    (nb, dive.guide),
                    solution,
                    (budget, RINS_NARROW_SHARE * whole),
                    watch,
                    dive.rins,
                )
    if t0 + left - reserve - time.perf_counter() >= 0.5:
        try:
            solution, stats = lns_improve(
                cm,
                solution,
                t0 + left - reserve,
                seed=seed,
                threads=threads,
                neighbourhoods=nb,
                bound=bound if bounder is None else lambda: bounder.lift(bound),
                inject=None if bounder is None else bounder.take_better,
                on_improve=report,
                stall=window,
            )
        except Exception:  # a heuristic must never break a solve: CP-SAT goes on
            stats = LnsStats()
    objective = cm.objective_value(solution, cm.penalties)
    rest = left - (time.perf_counter() - t0)
    if bounder is not None:
        bound = bounder.lift(bound)
    if objective > bound and rest >= 1.0:
        cb = None
        if progress or bounder:
            cb = _Progress(progress, offset + time.perf_counter() - t0, bounder)
        solution, objective, bound, _ = _resume(cm, solver, solution, bound, rest, cb)
    if bounder is not None:
        better = bounder.take_better(objective)
        if better is not None:
            objective, solution = better
        bound = bounder.lift(bound)
    status = cp_model.OPTIMAL if objective <= bound else cp_model.FEASIBLE
    return solution, bound, status, stats


def evaluate(problem: Problem, schedule: Schedule) -> int | None:
    """The model's objective for ``schedule``, or None when the model rejects it.

    The compiled model is solved with every assignment variable fixed to ``schedule``.
    For any schedule, this is None exactly when :func:`rotasolve.check` reports a hard
    violation, and otherwise equals the checker's objective (the tests hold it to that).
    """
    cm = compile_problem(problem)
    on, complete = _positions(cm, schedule)
    if not complete:
        return None
    status, solution, _ = _fixed_solve(cm, on, None)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return cm.objective_value(solution, cm.penalties)


def _decode(cm: CompiledModel, solution: Sequence[int]) -> Schedule:
    ix = cm.index
    out = [
        Assignment(person=ix.people[p].id, day=ix.dates[d], shift=ix.shifts[s].id)
        for (p, d, s), v in sorted(cm.x.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2]))
        if solution[v]
    ]
    return Schedule(assignments=tuple(out))


def solve(
    problem: Problem,
    *,
    time_limit: float | None = None,
    workers: int | None = None,
    seed: int = 0,
    hint: Schedule | None = None,
    log: bool = False,
    progress: ProgressCallback | None = None,
    tiers: Sequence[Sequence[str]] | None = None,
    explain: bool = True,
    explain_time_limit: float = 10.0,
    relax: bool = False,
    construct: bool | None = None,
    lns: bool | None = None,
    colgen: bool | None = None,
    dive: bool | None = None,
    dominant_first: bool | None = None,
    **params: Any,
) -> Result:
    """Build the best schedule for ``problem`` with CP-SAT.

    Parameters
    ----------
    problem
        The problem.
    time_limit
        Wall-clock seconds for the search (all tiers together); None: no limit.
    workers
        CP-SAT search workers (``num_workers``); None: CP-SAT's default (all cores).
        ``workers=1`` with a fixed ``seed`` is deterministic.
    seed
        CP-SAT ``random_seed``.
    hint
        An earlier schedule to start from (every variable is hinted, penalties included).
    log
        Print CP-SAT's search log.
    progress
        ``progress(seconds, objective, bound)`` called on each improving solution (with
        tiers, objective and bound are the current tier's).
    tiers
        Lexicographic priorities: a list of tiers, each a list of family names
        (``"cover"``, ``"request"``, rule kinds) and/or ids of rules, covers and requests.
        Penalties named by no tier form a last tier. Each tier is optimised in turn, keeping
        the earlier tiers at their best value; the time limit is shared out evenly among
        the tiers still to solve.
    explain
        When the problem is proved infeasible, fill ``Result.conflicts`` with minimal sets
        of requirements that cannot hold together (:func:`rotasolve.explain`, up to three
        disjoint ones). Never raises: a failure is noted in ``message``.
    explain_time_limit
        Seconds for that explanation (sets found when it runs out say they may not be
        minimal).
    construct
        First build a schedule with the construction heuristic
        (:func:`rotasolve.solver.construct.construct`: sub-problems over batches of people
        when no hard rule couples people, else over chunks of days), then hint CP-SAT with
        it. None (default): only when the problem has at least :data:`CONSTRUCT_MIN_VARS`
        candidate assignments and no ``hint`` is given. The time limit then covers
        construction, model building and search; a constructed schedule without hard
        violation (by the checker) is reported through ``progress`` and returned when
        CP-SAT finds nothing better in the time left. A construction by people is first
        improved one person at a time (:func:`rotasolve.solver.construct.sweep`; not with
        ``tiers``) until :data:`SWEEP_RESERVE` of the time is left (without a time limit:
        until a whole pass changes nothing); when it is still improving then, its
        schedule is returned without building the full model (``result.stats.variables``
        is 0). When the construction fails, the plain solve goes on.
    lns
        Hand over to the large-neighbourhood search of :mod:`rotasolve.solver.lns` when
        CP-SAT has a schedule but no proof of optimality after :data:`LNS_FIRST_SHARE` of
        the time limit (or found nothing better for :data:`LNS_STALL_SHARE` of it): small
        sub-problems (a few people over the whole horizon, everyone over a few days, more
        people over a stretch of days, people around a cost of the schedule) re-solved by
        CP-SAT, on ``workers`` threads, with longer time limits once short ones stop
        paying, until CP-SAT's lower bound, until :data:`LNS_FINAL_SHARE` of the time
        limit is left or until it finds nothing better for :data:`LNS_STALL_SHARE` of
        the time limit at the longest sub-problem limit; CP-SAT then goes on from the best
        schedule for the time left (a bound, a proof). None (default): when a
        ``time_limit`` is given, there is one objective (no ``tiers``) and the model has at
        least :data:`LNS_MIN_X` and at most :data:`LNS_MAX_X` assignment variables and at
        most :data:`LNS_MAX_CONSTRAINTS` constraints. A schedule that reaches the bound
        is reported optimal.
    colgen
        Run a column generation over the people (:mod:`rotasolve.solver.colgen`) beside
        the search, in one thread, from its first schedule: each person's rules become
        rosters and the master LP couples them through cover, which bounds the objective
        far better than CP-SAT's LP relaxation. The bound reported is the better of the
        two; the search stops when its schedule reaches it. None (default): when a
        ``time_limit`` is given, there is one objective (no ``tiers``), CP-SAT searches
        alone (no hand-over to the large-neighbourhood search, which it would slow down)
        and the model has at most :data:`COLGEN_MAX_X` assignment variables and at most
        :data:`LNS_MAX_CONSTRAINTS` constraints.
    dive
        Where the large-neighbourhood search takes over from CP-SAT, first run a column
        generation over the people on every worker (until :data:`DIVE_CG_SHARE` of the
        time limit) and, when it (nearly) converged, dive from its master LP to a
        schedule (:meth:`rotasolve.solver.colgen.ColumnGeneration.dive`, until
        :data:`DIVE_SHARE`, then the people still free are fixed without pricing); the
        search goes on from the better schedule, and the column generation's bound is
        reported when better. None (default): when the search runs, ``colgen`` is off,
        ``workers`` is not 1 (the dive's pricing is timed) and the model has at most
        :data:`DIVE_MAX_X` assignment variables, or :data:`DIVE_X_PER_SECOND` per second
        of the time limit when that is more.
        Either way only where no choice of rosters can leave a coupling row unmet (a
        soft cover can always be short, a hard cover cannot:
        :meth:`~rotasolve.solver.colgen.Decomposition.absorbs`), since the dive never
        goes back on a choice.
    dominant_first
        When the objective has a dominant weight class (every weight in it at least
        :data:`DOMINANT_RATIO` times every lighter one), first minimise that class alone
        for at most :data:`DOMINANT_SHARE` of the time limit (less when it stalls:
        :data:`DOMINANT_STALL`, except with ``workers=1``), then the whole objective
        from that schedule (a warm start: the result optimises the whole objective).
        ``progress`` reports that phase's schedules with their whole objective and a
        bound of ``-inf``. None (default): when a ``time_limit`` is given, there is one
        objective (no ``tiers``), no ``hint``, CP-SAT searches alone (no hand-over to the
        large-neighbourhood search) and the model has at most :data:`COLGEN_MAX_X`
        assignment variables.
    relax
        Solve the relaxed problem (:func:`relax_problem`): every hard rule and hard cover
        becomes soft with weight :data:`RELAX_WEIGHT` per unit of violation, while leave,
        locks, eligibility and the structural rules stay hard. The least-violating schedule
        is returned; ``objective`` is then ``RELAX_WEIGHT`` × (total amount of hard
        violation, each in its rule's unit, e.g. minutes over a limit or people short on a
        cover) + the soft cost, so broken hard rules come first as long as the soft cost
        stays below ``RELAX_WEIGHT``. ``report`` is checked against the *original* problem:
        every broken rule is one of its ``hard_violations``. The relaxed problem is
        infeasible only when leave, locks and eligibility contradict each other (then
        ``conflicts`` says how).
    **params
        Further CP-SAT parameters (``SatParameters`` field names); an unknown name raises
        ``ValueError``.

    Returns
    -------
    Result
        Always returned, also when infeasible, timed out or invalid; ``report`` is the
        independent checker's verdict on the schedule.
    """
    target = relax_problem(problem) if relax else problem
    result = _solve(
        target,
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        hint=hint,
        log=log,
        progress=progress,
        tiers=tiers,
        params=params,
        with_report=not relax,
        construct=construct,
        lns=lns,
        colgen=colgen,
        dive=dive,
        dominant_first=dominant_first,
    )
    if relax and result.status.has_schedule:
        from ..check import check

        report = check(problem, result.schedule)
        broken = sorted({v.rule for v in report.hard_violations})
        note = (
            f"relaxed: {len(report.hard_violations)} hard violation(s) of " + ", ".join(broken)
            if broken
            else "relaxed: no hard rule broken"
        )
        message = "; ".join(m for m in (result.message, note) if m)
        result = result.model_copy(update={"report": report, "message": message})
    if explain and result.status == Status.infeasible:
        result = _explained(target, result, explain_time_limit, seed)
    return result


def relax_problem(problem: Problem, weight: int = RELAX_WEIGHT) -> Problem:
    """``problem`` with every hard rule and hard cover min/max made soft with ``weight``
    per unit of violation; leave, locks, eligibility and structure unchanged."""
    rules = tuple(
        r.model_copy(update={"hard": False, "weight": weight}) if r.hard else r
        for r in problem.rules
    )
    cover = tuple(
        c.model_copy(update={"hard": False, "under_weight": weight, "over_weight": weight})
        if c.hard
        else c
        for c in problem.cover
    )
    return problem.model_copy(update={"rules": rules, "cover": cover})


def _explained(problem: Problem, result: Result, time_limit: float, seed: int) -> Result:
    """``result`` with its conflicts filled in; never raises."""
    from ..explain import explain

    try:
        conflicts = explain(problem, time_limit=time_limit, seed=seed)
    except Exception as exc:  # an explanation must never break a solve
        note = f"no explanation of infeasibility: {type(exc).__name__}: {exc}"
        return result.model_copy(
            update={"message": "; ".join(filter(None, [result.message, note]))}
        )
    update: dict[str, Any] = {"conflicts": tuple(conflicts)}
    if not conflicts:
        # say so rather than leave an infeasible result without a reason
        note = (
            f"no conflicting set of requirements found within explain_time_limit="
            f"{time_limit:g} s; a larger limit may find one"
        )
        update["message"] = "; ".join(filter(None, [result.message, note]))
    return result.model_copy(update=update)


def _solve(
    problem: Problem,
    *,
    time_limit: float | None,
    workers: int | None,
    seed: int,
    hint: Schedule | None,
    log: bool,
    progress: ProgressCallback | None,
    tiers: Sequence[Sequence[str]] | None,
    params: dict[str, Any],
    with_report: bool,
    construct: bool | None = None,
    lns: bool | None = None,
    colgen: bool | None = None,
    dive: bool | None = None,
    dominant_first: bool | None = None,
) -> Result:
    _check_params(params)
    t_start = time.perf_counter()
    if construct is None:
        construct = hint is None and _candidates(problem) >= CONSTRUCT_MIN_VARS
    made: Construction | None = None
    if construct:
        # the sweep weighs the whole objective: not for lexicographic tiers
        made = _construct(
            problem, t_start, time_limit, workers, seed, log, progress, sweep=not tiers
        )
        if made is not None:
            hint = made.schedule
    construct_seconds = time.perf_counter() - t_start if construct else 0.0
    if made is not None and made.feasible and made.sweep is not None and not made.sweep.converged:
        # the sweep was still improving when the time was up: no time for the full model
        stats = _construct_stats(SolveStats(), made, construct_seconds)
        return _constructed(problem, made, construct_seconds, 0.0, stats, with_report, 1)
    t0 = time.perf_counter()
    cm = compile_problem(problem)
    groups = _tier_terms(cm, tiers)
    build = time.perf_counter() - t0
    stats = SolveStats(variables=len(cm.proto.variables), constraints=len(cm.proto.constraints))
    invalid = cm.model.validate()
    if invalid:
        return Result(
            status=Status.model_invalid, build_seconds=build, stats=stats, message=invalid
        )

    base: dict[str, Any] = {"random_seed": seed, "log_search_progress": log}
    if workers is not None:
        base["num_workers"] = workers
    base.update(params)
    _default_search(base)
    if made is not None and made.feasible:
        # The hint is a whole schedule, taken as the first solution right after presolve:
        # a lighter presolve leaves the time to improve it (150 x 364 x 32: 60 s -> 27 s).
        for name, value in CONSTRUCT_PRESOLVE.items():
            base.setdefault(name, value)
    solver = cp_model.CpSolver()
    _set_params(solver, base)

    runtime = 0.0
    if construct:
        # the time limit covers everything since the call: construction, build, hint
        runtime = time.perf_counter() - t_start - build
    if construct and time_limit is not None:
        time_limit = max(0.0, time_limit - build)
    if made is not None and not made.feasible:
        # only a guess (it breaks a hard rule): hint x, skip the fixed-x solve that would fail
        _hint_x(cm, _positions(cm, made.schedule)[0])
    elif hint is not None:
        left = None if time_limit is None else max(0.1, time_limit - runtime)
        runtime += _apply_hint(cm, hint, left if construct else time_limit)

    # one objective (no tiers) and a time limit to share: CP-SAT first, then the LNS
    if lns is None:
        lns = (
            time_limit is not None
            and LNS_MIN_X <= len(cm.x) <= LNS_MAX_X
            and len(cm.proto.constraints) <= LNS_MAX_CONSTRAINTS
        )
    use_lns = lns and len(groups) == 1 and time_limit is not None
    if colgen is None:
        # beside CP-SAT alone only: beside the LNS it takes a third of the machine and
        # the LNS's schedules got worse (benchmarks/README.md, session 5)
        colgen = (
            not use_lns
            and time_limit is not None
            and len(cm.x) <= COLGEN_MAX_X
            and len(cm.proto.constraints) <= LNS_MAX_CONSTRAINTS
        )
    bounder = None
    if colgen and len(groups) == 1 and time_limit is not None and cm.proto.has_objective():
        # one worker is deterministic: then the bound may stop the search (at the same
        # schedule) but no schedule is handed over at a moment that depends on timing
        deadline = time.perf_counter() + max(0.0, time_limit - runtime)
        bounder = _Bounder(cm, deadline, log, hand_over=workers != 1)
        bounder.solver = solver
    lns_stats = LnsStats()
    rins_stats = RinsStats()
    if dive is None:
        dive = (
            use_lns
            and bounder is None
            and workers != 1
            and time_limit is not None
            and len(cm.x) <= max(DIVE_MAX_X, DIVE_X_PER_SECOND * time_limit)
        )
    dive_stats = DiveStats() if dive and use_lns and len(groups) == 1 else None
    # CP-SAT's schedules before the dive, for its first columns
    earlier: list[list[int]] | None = [] if dive_stats is not None else None
    solution: list[int] | None = None
    statuses: list[cp_model.CpSolverStatus] = []
    conflicts = branches = 0
    if dominant_first is None:
        dominant_first = not use_lns and hint is None and len(cm.x) <= COLGEN_MAX_X
    dominant = None
    if dominant_first and len(groups) == 1 and time_limit is not None:
        dominant = _dominant_terms(cm.penalties)
    if dominant is not None:
        assert time_limit is not None
        seconds = min(DOMINANT_SHARE * time_limit, max(0.0, time_limit - runtime))
        offset = runtime + (build if construct else 0.0)
        # one worker is deterministic where the phase ends by a proof; a stall is timing
        spent, conflicts, branches = _dominant_first(
            cm, solver, dominant, seconds, progress, offset, stall=workers != 1
        )
        runtime += spent
    bound: float | None = None
    message = ""
    for i, terms in enumerate(groups):
        if len(groups) > 1:
            cm.set_objective(terms)
        if time_limit is not None:
            left = max(0.0, time_limit - runtime)
            solver.parameters.max_time_in_seconds = left / (len(groups) - i)
        offset = runtime + (build if construct else 0.0)
        handover = None
        if use_lns:
            # one tier only: its time limit is all the time left
            turn = float(solver.parameters.max_time_in_seconds)
            watched = _Progress(progress, offset, bounder, earlier)
            share, stall = LNS_FIRST_SHARE * turn, max(1.0, LNS_STALL_SHARE * turn)
            # a stall only counts once CP-SAT's LP had time for a bound
            handover = _EarlyStop(solver, watched, share, stall, settle=share / 2)
            cb: _Progress | None = watched
        else:
            cb = _Progress(progress, offset, bounder) if progress or bounder else None
        status = solver.solve(cm.model, cb)
        if handover is not None:
            handover.close()
        runtime += float(solver.wall_time)
        conflicts += int(solver.num_conflicts)
        branches += int(solver.num_branches)
        statuses.append(status)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solution = list(solver.response_proto.solution)
            bound = float(solver.best_objective_bound)
            if status == cp_model.FEASIBLE and bounder is not None and not use_lns:
                assert time_limit is not None
                t1 = time.perf_counter()
                solution, bound, status = _go_on(
                    cm,
                    solver,
                    bounder,
                    solution,
                    bound,
                    t1 + time_limit - runtime,
                    progress,
                    offset + float(solver.wall_time),
                    time_limit,
                    rins_stats,
                )
                runtime += time.perf_counter() - t1
                statuses[-1] = status
            if status == cp_model.FEASIBLE and use_lns:
                assert time_limit is not None
                t1 = time.perf_counter()
                solution, bound, status, lns_stats = _search_on(
                    cm,
                    solver,
                    solution,
                    bound,
                    (time_limit - runtime, time_limit),
                    seed,
                    workers,
                    progress,
                    offset + float(solver.wall_time),
                    bounder,
                    dive_stats,
                    earlier or (),
                )
                runtime += time.perf_counter() - t1
                statuses[-1] = status
            if i + 1 < len(groups):
                _bound_terms(cm, terms, cm.objective_value(solution, terms))
                _hint_all(cm, solution)
            continue
        if status == cp_model.MODEL_INVALID:
            message = "CP-SAT: model invalid"
        break

    stats = stats.model_copy(
        update={
            "conflicts": conflicts,
            "branches": branches,
        }
    )
    if bounder is not None:
        bounder.close()
        cg = bounder.stats
        stats = stats.model_copy(
            update={
                "colgen_seconds": cg.seconds,
                "colgen_rounds": cg.rounds,
                "colgen_bound": None if bounder.target is None else float(bounder.target),
            }
        )
        if bounder.error:
            message = "; ".join(
                filter(None, [message, f"no column generation bound: {bounder.error}"])
            )
        if bounder.target is not None and solution is not None and statuses:
            bound = bounder.lift(-math.inf if bound is None else bound)
            if cm.objective_value(solution, cm.penalties) <= bound:
                statuses[-1] = cp_model.OPTIMAL
    if dive_stats is not None and dive_stats.rins.calls:
        rins_stats = dive_stats.rins  # the two paths exclude each other
    if rins_stats.calls:
        stats = stats.model_copy(
            update={
                "rins_seconds": rins_stats.seconds,
                "rins_calls": rins_stats.calls,
                "rins_objective": rins_stats.objective,
            }
        )
    if lns_stats.calls:
        stats = stats.model_copy(
            update={
                "lns_seconds": lns_stats.seconds,
                "lns_calls": lns_stats.calls,
                "lns_improvements": lns_stats.improvements,
                "lns_kicks": lns_stats.kicks,
            }
        )
    if dive_stats is not None:
        cgs = dive_stats.colgen
        stats = stats.model_copy(
            update={
                "dive_seconds": dive_stats.seconds,
                "dive_objective": dive_stats.objective,
                "dive_rushed": dive_stats.rushed,
                "dive_finished": dive_stats.finished,
                "colgen_seconds": cgs.seconds,
                "colgen_rounds": cgs.rounds,
                "colgen_bound": dive_stats.bound,
            }
        )
    if construct:
        stats = stats.model_copy(update={"construct_seconds": construct_seconds})
    if made is not None:
        stats = _construct_stats(stats, made, construct_seconds)
        if made.feasible and (
            solution is None
            or (len(groups) == 1 and cm.objective_value(solution, cm.penalties) > made.objective)
        ):
            # CP-SAT found nothing better in the time left: the constructed schedule
            # (the checker found no hard violation in it)
            return _constructed(problem, made, runtime, build, stats, with_report, len(groups))
    if solution is None:
        last = _STATUS.get(statuses[-1], Status.unknown) if statuses else Status.unknown
        return Result(
            status=last,
            runtime=runtime,
            build_seconds=build,
            stats=stats,
            message=message,
        )

    all_optimal = len(statuses) == len(groups) and all(s == cp_model.OPTIMAL for s in statuses)
    status_out = Status.optimal if all_optimal else Status.feasible
    objective = cm.objective_value(solution, cm.penalties)
    if all_optimal:
        bound = float(objective)
    elif len(groups) > 1:
        bound = None
    gap = None
    if bound is not None:
        gap = max(0.0, (objective - bound) / max(1.0, abs(objective)))
    schedule = _decode(cm, solution)
    report = None
    if with_report:
        from ..check import check

        report = check(problem, schedule)
    return Result(
        status=status_out,
        objective=objective,
        bound=bound,
        gap=gap,
        runtime=runtime,
        build_seconds=build,
        schedule=schedule,
        report=report,
        stats=stats,
        message=message,
    )
