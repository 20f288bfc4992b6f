"""Column generation over people (``solver/colgen.py``): the decomposition follows the
people, its bound never exceeds the optimum, recombined schedules are exact, and
``solve`` reports the bound."""

from __future__ import annotations

import importlib
import math
import threading
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from rotasolve import Problem, check, solve
from rotasolve.io import load_problem, read_curtois
from rotasolve.solver import colgen as colgen_module
from rotasolve.solver.colgen import (
    ColgenStats,
    ColumnGeneration,
    Decomposition,
    Row,
    _flat,
    _Master,
    decompose,
)
from rotasolve.solver.lns import Neighbourhoods
from rotasolve.solver.model import CompiledModel
from rotasolve.solver.registry import compile_problem
from test_lns import _drawn_with_start, _first_solution

DATA = Path(__file__).parent / "data" / "curtois"
EXAMPLES = Path(__file__).parent.parent / "examples"
solve_module = importlib.import_module("rotasolve.solver.solve")  # the function shadows it


class _Stops:
    """Stands in for the CP-SAT solver a bounder watches: counts its stops."""

    def __init__(self) -> None:
        self.stops = 0

    def stop_search(self) -> None:
        self.stops += 1


def _column_generation(name: str) -> tuple[Problem, CompiledModel, list[int], ColumnGeneration]:
    """Curtois instance ``name``: its problem, model, CP-SAT's first schedule and a column
    generation from that schedule (not run yet)."""
    pb = read_curtois(DATA / name)
    cm = compile_problem(pb)
    start = _first_solution(cm, first_only=True)
    assert start is not None
    return pb, cm, start, ColumnGeneration(cm, start)


def _optimum(cm: object) -> int:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    assert solver.solve(cm.model) == cp_model.OPTIMAL  # type: ignore[attr-defined]
    return round(solver.objective_value)


def test_curtois_decomposes_into_one_block_per_person_coupled_by_cover() -> None:
    pb = read_curtois(DATA / "Instance2.txt")
    cm = compile_problem(pb)
    nb = Neighbourhoods(cm)
    dec = decompose(nb)
    assert dec is not None
    assert [p for p, _, _ in dec.blocks] == list(range(len(pb.people)))
    for p, vs, _ in dec.blocks:
        mine = {v for (q, _, _), v in cm.x.items() if q == p}
        assert mine <= set(vs)
    # cover is soft: each day and shift type's shortfall and surplus are master variables
    # tied to the people's assignments by "target ≥ expression" rows
    assert dec.master and dec.rows and dec.dropped == 0
    owned = {v for _, vs, _ in dec.blocks for v in vs}
    assert owned.isdisjoint(dec.master)
    assert owned | set(dec.master) == set(range(len(cm.proto.variables)))


def test_bound_reaches_the_proven_optimum_of_instance_3() -> None:
    """The Dantzig-Wolfe bound is far stronger than the compact LP: on Instance 3 it is
    the optimum itself (1001)."""
    cm = compile_problem(read_curtois(DATA / "Instance3.txt"))
    start = _first_solution(cm, first_only=True)
    assert start is not None
    cg = ColumnGeneration(cm, start)
    seen: list[float] = []
    stats = cg.run(time.perf_counter() + 60, threads=1, on_bound=seen.append)
    assert stats.converged
    assert seen == sorted(seen) and seen[-1] == stats.bound
    assert 1000 < stats.bound <= 1001 + 1e-6
    assert stats.lp_value >= stats.bound - 1e-6


def test_bound_below_the_optimum_and_an_exact_recombination_on_instance_1() -> None:
    """Instance 1 is one where rosters do not combine to the LP's value: the bound (558)
    stays below the optimum (607); the recombined schedule is exact and optimal."""
    pb, cm, start, cg = _column_generation("Instance1.txt")
    stats = cg.run(time.perf_counter() + 60, threads=2)
    assert stats.converged and 550 < stats.bound <= stats.lp_value + 1e-6 < 607
    full = cg.recombine(start, time.perf_counter() + 30, workers=2)
    assert full is not None
    report = check(pb, solve_module._decode(cm, full))
    assert not report.hard_violations
    assert report.objective == cm.objective_value(full, cm.penalties)
    assert 607 <= report.objective <= cm.objective_value(start, cm.penalties)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_bound_is_below_the_optimum_and_recombined_schedules_are_exact(
    data: st.DataObject,
) -> None:
    """On random problems (every rule kind, supervision and hard cover included): the
    bound never exceeds the optimum, and a recombined schedule is one the checker accepts,
    at its own objective, no worse than the schedule it started from."""
    pb, cm, start = _drawn_with_start(data, max_people=3, max_days=5)
    best = _optimum(cm)
    cg = ColumnGeneration(cm, start)
    stats = cg.run(time.perf_counter() + 20, threads=1)
    dec = cg.dec
    assert dec is not None
    event(f"people {len(dec.blocks)}, coupling rows {bool(dec.rows)}, dropped {bool(dec.dropped)}")
    event(f"converged {stats.converged}, bound at optimum {stats.bound > best - 1}")
    assert stats.bound <= best + 1e-6
    if stats.converged:
        assert stats.lp_value <= best + 1e-6
    full = cg.recombine(start, time.perf_counter() + 10, workers=1)
    event(f"recombined {full is not None}")
    if full is not None:
        value = cm.objective_value(full, cm.penalties)
        schedule = solve_module._decode(cm, full)
        report = check(pb, schedule)
        assert not report.hard_violations
        assert report.objective == value
        assert best <= value <= cm.objective_value(start, cm.penalties)
    # a dive's schedule, when it finds one, is exact too (no better than the optimum)
    dived = cg.dive(start, time.perf_counter() + 10, threads=1)
    event(f"dived {dived is not None}, absorbs {cg.absorbs}")
    if dived is not None:
        assert stats.converged and cg.absorbs
        report = check(pb, solve_module._decode(cm, dived))
        assert not report.hard_violations
        assert report.objective == cm.objective_value(dived, cm.penalties) >= best


def test_a_decomposition_absorbs_when_master_variables_can_meet_every_row() -> None:
    """A row ``x0 + s ≥ 2`` (``x0`` a person's 0/1, ``s`` a master variable) is met
    whatever the person works only when ``s`` can reach 2; ``x0 - s ≤ 0`` needs ``s``
    to reach 1; a row without a master variable is met only when no roster breaks it."""
    ge = Decomposition([], [Row({0: 1, 1: 1}, 2, math.inf)], [1])
    assert not ge.absorbs([(0, 1), (0, 1)])
    assert ge.absorbs([(0, 1), (0, 2)])
    le = Decomposition([], [Row({0: 1, 1: -1}, -math.inf, 0)], [1])
    assert le.absorbs([(0, 1), (0, 1)])
    assert not le.absorbs([(0, 1), (0, 0)])
    people_only = Decomposition([], [Row({0: 1, 2: 1}, 1, math.inf)], [1])
    assert not people_only.absorbs([(0, 1), (0, 5), (0, 1)])
    assert people_only.absorbs([(1, 1), (0, 5), (0, 1)])


def test_curtois_cover_absorbs_and_a_hard_cover_does_not() -> None:
    """Curtois cover is soft (a shortfall and a surplus per day and shift type), so every
    choice of rosters leaves a feasible master; the demo program's hard cover and
    supervision do not, so ``solve`` neither generates columns nor dives there: the
    search has the time."""
    cm = compile_problem(read_curtois(DATA / "Instance2.txt"))
    start = _first_solution(cm, first_only=True)
    assert start is not None
    assert ColumnGeneration(cm, start).absorbs
    demo = load_problem(EXAMPLES / "internal_medicine.json")
    nb = Neighbourhoods(compile_problem(demo))
    dec = decompose(nb)
    assert dec is not None and not dec.absorbs(nb.domains)
    res = solve(demo, time_limit=10, workers=2, seed=0, lns=True)
    assert res.stats.dive_seconds == 0 and res.stats.colgen_rounds == 0
    assert res.stats.lns_calls > 0
    assert res.report is not None and not res.report.hard_violations
    assert res.objective == res.report.objective


def test_a_dive_fixes_everyone_to_a_roster_of_an_exact_schedule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From the converged master LP of Instance 3 (its value the optimum, 1001), the dive
    fixes every person and returns a schedule the checker accepts at its own objective,
    no better than the bound; the column generation's own master is left as it was (its
    first fixes are bounds there, reset afterwards; :data:`DIVE_WARM`). When
    GLOP fails on a rebuilt master, the dive goes on with a master of every roster seen;
    when that fails too, it gives no schedule. Past its deadline it prices no more and
    rushes everyone still free to an exact schedule, also when its warm LP fails; given
    time to finish, CP-SAT then re-solves the rushed people's rosters."""
    pb, cm, start, cg = _column_generation("Instance3.txt")
    assert cg.dive(start, time.perf_counter() + 30) is None  # not converged yet
    stats = cg.run(time.perf_counter() + 60, threads=2)
    assert stats.converged
    master = cg.master
    lines: list[str] = []
    full = cg.dive(start, time.perf_counter() + 60, threads=2, log=lines.append)
    assert cg.master is master
    assert full is not None and cg.rushed == 0 and not cg.finished
    assert lines and lines[-1].startswith(f"dive {len(pb.people):3d}/{len(pb.people)}")
    report = check(pb, solve_module._decode(cm, full))
    assert not report.hard_violations
    assert report.objective == cm.objective_value(full, cm.penalties) >= 1001
    # the first fixes were bounds in the column generation's master, reset afterwards
    assert any(line.endswith("(by bounds)") for line in lines)
    inf = master.lp.infinity()
    assert all(lam.lb() == 0 and lam.ub() == inf for lams in master.weights for lam in lams)
    again = master.solve()
    assert again is not None and again[0] + cg.nb.obj_offset == pytest.approx(stats.lp_value)
    # ... and without them every fix rebuilds the master
    lines.clear()
    with monkeypatch.context() as m:
        m.setattr(colgen_module, "DIVE_WARM", False)
        full = cg.dive(start, time.perf_counter() + 60, threads=2, log=lines.append)
    assert full is not None and lines
    assert not any(line.endswith("(by bounds)") for line in lines)
    report = check(pb, solve_module._decode(cm, full))
    assert not report.hard_violations
    assert report.objective == cm.objective_value(full, cm.penalties) >= 1001
    # past its deadline a dive prices no more: everyone is rushed to their heaviest
    # roster, and the schedule is still exact
    lines.clear()
    priced: list[int] = []
    price_all = ColumnGeneration._price_all

    def counted(self: ColumnGeneration, *a: Any, **k: Any) -> Any:
        priced.append(1)
        return price_all(self, *a, **k)

    with monkeypatch.context() as m:
        m.setattr(ColumnGeneration, "_price_all", counted)
        full = cg.dive(start, time.perf_counter() - 1, threads=2, log=lines.append)
    assert full is not None and not priced
    assert cg.rushed == len(pb.people) and not cg.finished
    assert lines and all(line.endswith("(rushed)") for line in lines)
    assert lines[-1].startswith(f"dive {len(pb.people):3d}/{len(pb.people)}")
    report = check(pb, solve_module._decode(cm, full))
    assert not report.hard_violations
    assert report.objective == cm.objective_value(full, cm.penalties) >= 1001
    assert all(lam.lb() == 0 and lam.ub() == inf for lams in master.weights for lam in lams)
    rush = report.objective
    # ... and given time to finish, CP-SAT re-solves the rushed people's rosters from
    # the rush (everyone, here) to an exact schedule no worse than it
    lines.clear()
    full = cg.dive(start, time.perf_counter() - 1, finish=time.perf_counter() + 5, log=lines.append)
    assert full is not None and cg.rushed == len(pb.people) and cg.finished
    assert lines[-1] == f"dive finished {len(pb.people)} rushed people by CP-SAT"
    report = check(pb, solve_module._decode(cm, full))
    assert not report.hard_violations
    assert rush >= report.objective == cm.objective_value(full, cm.penalties) >= 1001
    # with less than DIVE_FINISH_MIN to go it does not start
    lines.clear()
    full = cg.dive(start, time.perf_counter() - 1, finish=time.perf_counter(), log=lines.append)
    assert full is not None and all(line.endswith("(rushed)") for line in lines)
    # with no rounds allowed without the LP going down (and no longer time limit to
    # price at), a dive prices nothing
    priced.clear()
    with monkeypatch.context() as m:
        m.setattr(colgen_module, "DIVE_STALL", 0)
        m.setattr(colgen_module, "DIVE_SECONDS_MAX", colgen_module.DIVE_SECONDS)
        m.setattr(ColumnGeneration, "_price_all", counted)
        full = cg.dive(start, time.perf_counter() + 60, threads=2)
    assert full is not None and not priced
    report = check(pb, solve_module._decode(cm, full))
    assert not report.hard_violations
    assert report.objective == cm.objective_value(full, cm.penalties) >= 1001
    solve_lp = _Master.solve
    calls: list[int] = []

    def failing(after: int, times: int) -> Any:
        def solve(master: _Master, warm: bool = False, dual: bool = False) -> Any:
            if warm:  # fixes by bounds before any pricing: not a rebuilt master
                return solve_lp(master, warm, dual)
            calls.append(1)
            n = len(calls)
            return None if after < n <= after + times else solve_lp(master)

        return solve

    monkeypatch.setattr(colgen_module, "DIVE_WARM", False)  # every fix rebuilds the master
    monkeypatch.setattr(_Master, "solve", failing(after=1, times=1))
    full = cg.dive(start, time.perf_counter() + 60, threads=2)
    assert full is not None and len(calls) > 3
    report = check(pb, solve_module._decode(cm, full))
    assert not report.hard_violations
    assert report.objective == cm.objective_value(full, cm.penalties) >= 1001
    calls.clear()
    monkeypatch.setattr(_Master, "solve", failing(after=1, times=2))
    assert cg.dive(start, time.perf_counter() + 60, threads=2) is None
    assert cg.master is master
    # a rush whose LP fails fixes everyone left at once, to an exact schedule
    monkeypatch.setattr(
        _Master, "solve", lambda master, warm=False, dual=False: None if warm else solve_lp(master)
    )
    lines.clear()
    full = cg.dive(start, time.perf_counter() - 1, threads=2, log=lines.append)
    assert full is not None and 1 <= len(lines) <= 2
    assert all(line.endswith("lp - (rushed)") for line in lines)
    assert lines[-1].startswith(f"dive {len(pb.people):3d}/{len(pb.people)}")
    report = check(pb, solve_module._decode(cm, full))
    assert not report.hard_violations
    assert report.objective == cm.objective_value(full, cm.penalties) >= 1001
    assert cg.master is master


def test_a_dive_prices_longer_after_a_fix_that_raised_its_lp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When re-pricing after a fix at :data:`DIVE_SECONDS` finds nothing and the fix
    raised the LP, the dive prices again at five times the limit, up to
    :data:`DIVE_SECONDS_MAX`. Here pricing problems given less than the longest limit
    find nothing (as when cut off before their roster), so every roster the dive adds
    comes from an escalated round."""
    pb, cm, start, cg = _column_generation("Instance3.txt")
    assert cg.run(time.perf_counter() + 60, threads=2).converged
    monkeypatch.setattr(colgen_module, "DIVE_WARM", False)  # every fix re-prices
    monkeypatch.setattr(colgen_module, "DIVE_TOLERANCE", 0.0)
    caps: list[float] = []
    price_all = ColumnGeneration._price_all
    longest = colgen_module.DIVE_SECONDS_MAX

    def cut_off(
        self: ColumnGeneration,
        duals: Any,
        deadline: float,
        threads: int,
        people: Any = None,
        cap: float = 1.0,
    ) -> Any:
        caps.append(cap)
        if cap < longest:
            return [None] * len(self._models)
        return price_all(self, duals, deadline, threads, people, cap)

    monkeypatch.setattr(ColumnGeneration, "_price_all", cut_off)
    lines: list[str] = []
    full = cg.dive(start, time.perf_counter() + 60, threads=2, log=lines.append)
    assert full is not None
    report = check(pb, solve_module._decode(cm, full))
    assert not report.hard_violations
    assert report.objective == cm.objective_value(full, cm.penalties) >= 1001
    short = colgen_module.DIVE_SECONDS
    middle = short * colgen_module.DIVE_ESCALATE
    assert caps[0] == short and longest in caps
    # each fix starts at the short limit and climbs one step at a time
    for a, b in pairwise(caps):
        assert b in (short, a, min(longest, a * colgen_module.DIVE_ESCALATE))
    assert middle in caps
    assert any(line.endswith(f"(priced up to {longest:g} s)") for line in lines)
    # without a longer limit to go to, the dive stops at the first empty round
    caps.clear()
    monkeypatch.setattr(colgen_module, "DIVE_SECONDS_MAX", short)
    longest = short * 2  # nothing is priced for real
    full = cg.dive(start, time.perf_counter() + 60, threads=2, log=lines.append)
    assert full is not None and caps and set(caps) == {short}


def test_other_schedules_give_first_columns_and_the_same_lp() -> None:
    """Every person's roster in each of ``others`` is a first column (each once), and the
    converged master LP has the same value as from one schedule alone."""
    cm = compile_problem(read_curtois(DATA / "Instance2.txt"))
    first = _first_solution(cm, first_only=True)
    better = _first_solution(cm)
    assert first is not None and better is not None and first != better
    one = ColumnGeneration(cm, first)
    both = ColumnGeneration(cm, first, others=[better, first])
    assert one.dec is not None and both.dec is not None
    for b, (_, vs, _) in enumerate(both.dec.blocks):
        rosters = {tuple(sol[v] for v in vs) for sol in (first, better)}
        assert set(both.master.columns[b]) == rosters
        assert len(both.master.columns[b]) == len(rosters)
        assert one.master.columns[b] == [tuple(first[v] for v in vs)]
    a = one.run(time.perf_counter() + 60, threads=2)
    c = both.run(time.perf_counter() + 60, threads=2)
    assert a.converged and c.converged
    assert c.lp_value == pytest.approx(a.lp_value, abs=1e-6)


def test_the_master_lp_re_solves_by_the_dual_simplex_to_the_same_value() -> None:
    """A roster fixed by bounds and the master re-solved warm by the dual simplex (as a
    dive's fixes by bounds are) gives the value a cold solve by the primal simplex gives;
    with the bounds reset, the primal simplex is back and so is the LP's value."""
    _, _, _, cg = _column_generation("Instance1.txt")
    stats = cg.run(time.perf_counter() + 60, threads=2)
    assert stats.converged
    master = cg.master
    first = master.solve(True)
    assert first is not None
    lam = max(master.weights[0], key=lambda w: w.solution_value())
    others = [w for w in master.weights[0] if w is not lam]
    for w in others:
        w.SetBounds(0, 0)
    lam.SetBounds(1, 1)
    dual = master.solve(True, dual=True)
    primal = master.solve()
    assert dual is not None and primal is not None
    assert dual[0] == pytest.approx(primal[0], abs=1e-6)
    assert dual[0] >= first[0] - 1e-6
    for w in master.weights[0]:
        w.SetBounds(0, master.lp.infinity())
    again = master.solve(True)
    assert again is not None and again[0] == pytest.approx(first[0], abs=1e-6)


def test_flat_trail() -> None:
    """A dive stops re-pricing after a fix once the LP has not gone down in
    ``DIVE_STALL`` rounds."""
    n = colgen_module.DIVE_STALL
    assert n >= 1
    assert not _flat([10.0] * n)  # too few rounds to tell
    assert _flat([10.0] * (n + 1))
    assert _flat([10.0] + [10.0 - 1e-9] * n)  # within a millionth
    assert not _flat([10.0] * n + [9.9])  # the last round brought it down
    assert not _flat([12.0, 11.0] + [11.0] * (n - 1))  # down within the last rounds


def test_a_dive_starts_from_a_column_generation_near_convergence() -> None:
    """A dive needs a converged column generation, or one whose bound is within
    ``DIVE_GAP`` of its LP (a deadline stopped it near the end); from such a master it
    still gives an exact schedule."""
    pb, cm, start, cg = _column_generation("Instance1.txt")
    assert not cg.near() and cg.dive(start, time.perf_counter() + 30) is None  # no round
    stats = cg.run(time.perf_counter() + 60, threads=1)
    assert stats.converged and cg.near()
    gap = colgen_module.DIVE_GAP * stats.lp_value
    cg.stats = ColgenStats(rounds=stats.rounds, lp_value=stats.lp_value)
    assert not cg.near()  # no bound yet
    cg.stats.bound = stats.lp_value - 1.5 * gap
    assert not cg.near()
    cg.stats.bound = stats.lp_value - 0.5 * gap
    assert cg.near()
    full = cg.dive(start, time.perf_counter() + 60, threads=1)
    assert full is not None
    report = check(pb, solve_module._decode(cm, full))
    assert not report.hard_violations
    assert report.objective == cm.objective_value(full, cm.penalties) >= 607


def test_solve_dives_before_the_search_and_keeps_the_better_schedule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the search takes over (forced on Instance 5), the column generation runs
    first on every worker and, converged, dives; the search starts from the better
    schedule, the bound is the column generation's when better, and the result is the
    checker's; its first columns come from CP-SAT's schedules before the dive. Not with
    one worker (timed pricing) nor with ``dive=False``. The size limit grows with the
    time limit: with at most 100 assignment variables or 40 per second, Instance 5's 676
    dive at 20 s (800) but not at 4 s (160). Between the dive and the search, the
    relaxation-induced neighbourhoods of the better schedule."""
    pb = read_curtois(DATA / "Instance5.txt")
    cm = compile_problem(pb)
    given: list[list[list[int]]] = []
    made = ColumnGeneration.__init__

    def recorded(self: ColumnGeneration, *args: Any, **kwargs: Any) -> None:
        others = args[3] if len(args) > 3 else kwargs.get("others", ())
        given.append([list(o) for o in others])
        made(self, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(solve_module, "DIVE_MAX_X", 100)
        m.setattr(solve_module, "DIVE_X_PER_SECOND", 40)
        m.setattr(solve_module, "KEEP_SOLUTIONS", 3)
        m.setattr(ColumnGeneration, "__init__", recorded)
        res = solve(pb, time_limit=20, workers=2, seed=0, lns=True)
        small = solve(pb, time_limit=4, workers=2, seed=0, lns=True)
    # the column generation started from CP-SAT's latest schedules too (at most 3 kept),
    # each one the checker accepts
    assert len(given) == 1 and 1 <= len(given[0]) <= 3
    for other in given[0]:
        assert not check(pb, solve_module._decode(cm, other)).hard_violations
    assert small.stats.dive_seconds == 0 and small.stats.colgen_rounds == 0
    assert res.stats.dive_seconds > 0 and res.stats.colgen_rounds > 0
    assert res.stats.colgen_bound is not None and res.stats.colgen_bound <= 1143
    assert res.stats.dive_objective is not None
    assert res.objective is not None and res.objective <= res.stats.dive_objective
    # the dive had the time it needed: nobody rushed, nothing to finish
    assert res.stats.dive_rushed == 0 and not res.stats.dive_finished
    assert res.report is not None and not res.report.hard_violations
    assert res.objective == res.report.objective
    assert res.bound is not None and res.bound >= res.stats.colgen_bound
    assert res.stats.lns_calls > 0
    # between the dive and the search, the RINS around the better schedule
    assert res.stats.rins_calls >= 1 and res.stats.rins_objective is not None
    assert res.objective <= res.stats.rins_objective <= res.stats.dive_objective
    assert small.stats.rins_calls == 0
    for kwargs in ({"workers": 1}, {"workers": 2, "dive": False}):
        off = solve(pb, time_limit=4, seed=0, lns=True, **kwargs)  # type: ignore[arg-type]
        assert off.stats.dive_seconds == 0 and off.stats.dive_objective is None
        assert off.stats.rins_calls == 0


def test_solve_reports_the_people_a_dive_rushed_and_finished(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A dive whose deadline has passed when it starts rushes everyone, and CP-SAT
    finishes them in the time ``solve`` gives it; the statistics say so."""
    pb = read_curtois(DATA / "Instance5.txt")
    dive = ColumnGeneration.dive

    def late(self: ColumnGeneration, solution: Any, deadline: float, **kwargs: Any) -> Any:
        return dive(self, solution, time.perf_counter() - 1, **kwargs)

    monkeypatch.setattr(solve_module, "DIVE_MAX_X", 100)
    monkeypatch.setattr(solve_module, "DIVE_X_PER_SECOND", 40)
    monkeypatch.setattr(ColumnGeneration, "dive", late)
    res = solve(pb, time_limit=20, workers=2, seed=0, lns=True)
    assert res.stats.dive_objective is not None
    assert res.stats.dive_rushed == len(pb.people) and res.stats.dive_finished
    assert res.report is not None and not res.report.hard_violations


def test_solve_reports_the_bound_and_proves_with_it() -> None:
    pb = read_curtois(DATA / "Instance3.txt")
    on = solve(pb, time_limit=30, workers=2, seed=0)
    assert on.stats.colgen_rounds >= 1
    assert on.stats.colgen_bound is not None and on.stats.colgen_bound <= 1001
    assert on.status.value == "optimal" and on.objective == 1001
    off = solve(pb, time_limit=30, workers=2, seed=0, colgen=False)
    assert off.stats.colgen_rounds == 0 and off.stats.colgen_bound is None
    assert off.objective == 1001


def test_the_bound_stops_the_search_and_counts_as_a_proof() -> None:
    """When the search reports a schedule at the column generation's bound, the bounder
    stops the CP-SAT solver it watches and the schedule counts as proved optimal."""
    pb = read_curtois(DATA / "Instance3.txt")
    optimum = solve(pb, time_limit=60, workers=2, seed=0, colgen=False)
    assert optimum.objective == 1001 and optimum.status.value == "optimal"
    cm = compile_problem(pb)
    on, _ = solve_module._positions(cm, optimum.schedule)
    _, full, _ = solve_module._fixed_solve(cm, on, None)

    fake = _Stops()
    bounder = solve_module._Bounder(cm, time.perf_counter() + 60, False, hand_over=False)
    bounder.solver = fake  # type: ignore[assignment]
    assert not bounder.offer(1001, lambda: full)  # no bound yet
    bounder._thread.join(60)  # the column generation converges (about a second)
    bounder.close()
    assert bounder.target == 1001 and bounder.stats.converged
    assert bounder.reached(1001) and not bounder.reached(1002)
    assert fake.stops == 1

    # and through solve(): CP-SAT without any LP relaxation, hinted with the optimum
    res = solve(
        pb,
        time_limit=60,
        workers=2,
        seed=0,
        hint=optimum.schedule,
        subsolvers=["no_lp", "quick_restart_no_lp"],
    )
    assert res.objective == 1001 and res.status.value == "optimal"
    assert res.stats.colgen_bound == 1001 and res.bound == 1001


def test_a_failing_column_generation_never_breaks_a_solve(monkeypatch: object) -> None:
    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(solve_module.ColumnGeneration, "run", boom)  # type: ignore[attr-defined]
    res = solve(read_curtois(DATA / "Instance3.txt"), time_limit=30, workers=2, seed=0)
    assert res.objective == 1001
    assert res.stats.colgen_bound is None
    assert "no column generation bound: RuntimeError: boom" in res.message


def test_a_search_that_ends_early_does_not_wait_for_the_set_up(monkeypatch: object) -> None:
    """CP-SAT proves Instance 1 optimal while the column generation is still setting up
    (held here until the solve has returned): ``solve`` returns without waiting for it."""
    released, set_up = threading.Event(), threading.Event()
    original = ColumnGeneration.__init__

    def slow(self: ColumnGeneration, *args: Any, **kwargs: Any) -> None:
        released.wait(120)
        original(self, *args, **kwargs)
        set_up.set()

    monkeypatch.setattr(ColumnGeneration, "__init__", slow)  # type: ignore[attr-defined]
    try:
        res = solve(read_curtois(DATA / "Instance1.txt"), time_limit=30, workers=2, seed=0)
        assert not set_up.is_set()  # it returned before the set-up was let through
    finally:
        released.set()
    assert res.status.value == "optimal" and res.objective == 607
    assert res.stats.colgen_rounds == 0 and res.stats.colgen_bound is None


def _poor_and_optimal(
    name: str, optimal: bool = True
) -> tuple[Any, Any, Neighbourhoods, list[int], list[int]]:
    """A Curtois instance, its model and neighbourhoods, CP-SAT's first schedule and
    (``optimal``) its best in 10 s on one worker (Instance 1: optimal), else []."""
    pb = read_curtois(DATA / name)
    cm = compile_problem(pb)
    poor = _first_solution(cm, first_only=True)
    best = _first_solution(cm) if optimal else []
    assert poor is not None and best is not None
    return pb, cm, Neighbourhoods(cm), poor, best


def test_the_guide_is_the_master_lp_solution() -> None:
    """Before any round the master has one roster per person, the start's: x̄ is that
    schedule. Once converged, x̄ is a convex combination of rosters (values in [0, 1], at
    most one shift a day) whose cost, with the master variables', is the LP value."""
    _, cm, nb, poor, _ = _poor_and_optimal("Instance2.txt", optimal=False)
    cg = ColumnGeneration(cm, poor, nb)
    first = cg.guide()
    assert first is not None and cg.dec is not None
    owned = [v for _, vs, _ in cg.dec.blocks for v in vs]
    assert sorted(first) == sorted(owned)
    assert all(first[v] == pytest.approx(poor[v]) for v in owned)
    stats = cg.run(time.perf_counter() + 60, threads=2)
    assert stats.converged
    xbar = cg.guide()
    assert xbar is not None
    assert all(-1e-9 <= xbar[v] <= 1 + 1e-9 for v in nb.where)
    assert any(1e-6 < xbar[v] < 1 - 1e-6 for v in nb.where)  # Instance 2's LP is fractional
    for row in nb.cells:
        for cell in row:
            assert sum(xbar[v] for v in cell) <= 1 + 1e-9
    cost = sum(nb.obj_coef.get(v, 0) * x for v, x in xbar.items())
    cost += sum(nb.obj_coef.get(v, 0) * var.solution_value() for v, var in cg.master.mvars.items())
    assert cost + nb.obj_offset == pytest.approx(stats.lp_value)


def test_disagreeing_frees_the_days_where_a_schedule_and_the_guide_differ() -> None:
    _, _, nb, poor, _ = _poor_and_optimal("Instance1.txt")
    same = {v: float(poor[v]) for v in nb.where}
    assert nb.disagreeing(poor, same) == []
    assert nb.disagreeing(poor, {}) == []  # variables the guide leaves out agree
    p, d = 3, 5
    assert nb.cells[p][d]
    v = nb.cells[p][d][0]
    off = dict(same)
    off[v] = 0.5
    assert sorted(nb.disagreeing(poor, off, widen=0)) == sorted(nb.cells[p][d])
    around = sorted(nb.disagreeing(poor, off, widen=1))
    assert around == sorted(nb.free_of([(p, d - 1, d + 2)]))
    # at the horizon's first day the neighbourhood stops at the edge
    q = next(q for q, row in enumerate(nb.cells) if row[0])  # someone with a day-0 variable
    w = nb.cells[q][0][0]
    edge = dict(same)
    edge[w] = 1.0 - poor[w]
    assert sorted(nb.disagreeing(poor, edge, widen=2)) == sorted(nb.free_of([(q, 0, 3)]))


def test_rins_around_a_poor_schedule_reaches_the_guides_optimum() -> None:
    """With an optimal schedule as the guide, every assignment where the poor schedule
    differs from it is free: the neighbourhood holds the optimum, and CP-SAT finds and
    proves it there (one sub-problem; the exact schedule the checker accepts)."""
    pb, cm, nb, poor, best = _poor_and_optimal("Instance1.txt")
    assert nb.objective(poor) > 607 and nb.objective(best) == 607
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    stats = solve_module.RinsStats()
    seen: list[float] = []

    def watch() -> Any:
        return solve_module._Progress(lambda _t, o, _b: seen.append(o), 0.0)

    guide = (nb, {v: float(best[v]) for v in nb.where})
    full, value = solve_module._rins(cm, solver, guide, list(poor), (30.0, 30.0), watch, stats)
    assert value == 607 == cm.objective_value(full, cm.penalties)
    assert stats.objective == 607 and stats.calls >= 1 and stats.seconds > 0
    assert seen and seen[-1] == 607
    report = check(pb, solve_module._decode(cm, full))
    assert not report.hard_violations and report.objective == 607
    # at the guide itself nothing is free: no sub-problem
    again = solve_module.RinsStats()
    same, value = solve_module._rins(cm, solver, guide, list(best), (30.0, 30.0), watch, again)
    assert same == best and value == 607 and again.calls == 0


def test_rins_widens_a_neighbourhood_that_gives_nothing_better(monkeypatch: object) -> None:
    """From the optimum, with a guide that disagrees on one day: that day's neighbourhood
    gives nothing better, so the next is widened by a day either side (up to
    ``RINS_WIDEN``), then it stops."""
    _, cm, nb, _, best = _poor_and_optimal("Instance1.txt")
    guide = {v: float(best[v]) for v in nb.where}
    guide[nb.cells[2][10][0]] = 0.5
    widths: list[int] = []
    original = Neighbourhoods.disagreeing

    def seen(self: Neighbourhoods, solution: Any, xbar: Any, widen: int = 1) -> list[int]:
        widths.append(widen)
        return original(self, solution, xbar, widen)

    monkeypatch.setattr(Neighbourhoods, "disagreeing", seen)  # type: ignore[attr-defined]
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    stats = solve_module.RinsStats()
    full, value = solve_module._rins(
        cm, solver, (nb, guide), list(best), (30.0, 10.0), lambda: None, stats
    )
    assert widths == list(range(solve_module.RINS_WIDEN + 1)) and stats.calls == len(widths)
    assert value == 607 and full == best and stats.objective == 607


def test_go_on_solves_the_rins_when_the_guide_is_ready(monkeypatch: object) -> None:
    """After CP-SAT was stopped for the guide, the RINS runs once (the guide is taken),
    then CP-SAT goes on from its schedule, here to a proof. While the RINS runs, progress
    reports the whole model's bound (the bounder's), not the neighbourhood's."""
    _, cm, nb, poor, best = _poor_and_optimal("Instance1.txt")

    class Bounder:
        def __init__(self) -> None:
            self.guides = [(nb, {v: float(best[v]) for v in nb.where})]

        def take_better(self, objective: float) -> None:
            return None

        def take_guide(self) -> Any:
            return self.guides.pop() if self.guides else None

        def reached(self, objective: float) -> bool:
            return False

        def offer(self, objective: float, solution: Any) -> bool:
            return False

        def lift(self, bound: float) -> float:
            return max(bound, 550.0)

    calls: list[int] = []
    rins = solve_module._rins

    def counted(*args: Any) -> Any:
        calls.append(cm.objective_value(args[3], cm.penalties))
        return rins(*args)

    monkeypatch.setattr(solve_module, "_rins", counted)  # type: ignore[attr-defined]
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    stats = solve_module.RinsStats()
    seen: list[tuple[float, float]] = []

    def progress(_: float, objective: float, bound: float) -> None:
        seen.append((objective, bound))

    full, bound, status = solve_module._go_on(
        cm, solver, Bounder(), list(poor), 0.0, time.perf_counter() + 30, progress, 0.0, 30.0, stats
    )
    assert calls == [nb.objective(poor)]
    assert stats.objective == 607
    assert status == cp_model.OPTIMAL and bound == 607 == nb.objective(full)
    # the RINS's schedules come first, down to 607, each with the bounder's bound
    rins_part = seen[: next(i for i, (o, _) in enumerate(seen) if o == 607) + 1]
    assert rins_part and all(b == 550.0 for _, b in rins_part)
    # CP-SAT's restart after it reports no bound below the bounder's
    assert all(550 <= b <= 607 for _, b in seen)


def test_a_restart_reports_no_bound_below_the_known_one() -> None:
    """CP-SAT restarted from a schedule starts its own bound from scratch (3 on Instance 1
    until its proof); the progress reports the bound known before the restart instead
    (here 590, below the optimum 607), never less."""
    _, cm, _, poor, _ = _poor_and_optimal("Instance1.txt", optimal=False)
    seen: list[float] = []

    def progress(_: float, objective: float, bound: float) -> None:
        seen.append(bound)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    cb = solve_module._Progress(progress, 0.0)
    full, objective, bound, status = solve_module._resume(cm, solver, list(poor), 590.0, 30, cb)
    assert cm.objective_value(full, cm.penalties) == 607
    assert status == cp_model.OPTIMAL and objective == bound == 607
    assert seen and all(590 <= b <= 607 for b in seen)


def test_the_bounder_hands_over_its_guide_once_converged() -> None:
    """Handing over, the bounder stops the search it watches once its column generation
    has converged below the search's schedule and keeps the master LP's solution for it
    (taken once)."""
    _, cm, nb, poor, _ = _poor_and_optimal("Instance2.txt", optimal=False)

    fake = _Stops()
    bounder = solve_module._Bounder(cm, time.perf_counter() + 60, False, hand_over=True)
    bounder.solver = fake  # type: ignore[assignment]
    bounder.offer(nb.objective(poor), lambda: list(poor))
    bounder._thread.join(60)
    bounder.close()
    assert bounder.stats.converged and fake.stops == 1
    guide = bounder.take_guide()
    assert guide is not None and bounder.take_guide() is None
    g_nb, xbar = guide
    assert set(xbar) >= set(g_nb.where)
    assert g_nb.disagreeing(poor, xbar)  # the first schedule is not the LP's solution


def test_a_failing_rins_never_breaks_a_solve(monkeypatch: object) -> None:
    """Instance 4's column generation converges in seconds, long before CP-SAT proves
    it: the RINS is asked for, its first sub-model fails here, and CP-SAT goes on to an
    exact schedule."""
    calls: list[int] = []

    def boom(*_: object, **__: object) -> None:
        calls.append(1)
        raise RuntimeError("boom")

    monkeypatch.setattr(Neighbourhoods, "sub_model", boom)  # type: ignore[attr-defined]
    pb = read_curtois(DATA / "Instance4.txt")
    res = solve(pb, time_limit=10, workers=2, seed=0)
    assert calls == [1]
    assert res.schedule is not None and res.objective is not None
    assert res.stats.rins_calls == 0 and res.stats.rins_objective is None
    report = check(pb, res.schedule)
    assert not report.hard_violations and report.objective == res.objective
