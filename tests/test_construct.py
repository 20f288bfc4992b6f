"""Construction heuristic (:mod:`rotasolve.solver.construct`) and its use in ``solve``."""

from __future__ import annotations

import dataclasses
import importlib
import math
import time
from typing import Any

import pytest

from helpers import day, tiny_problem
from rotasolve import (
    ConsecutiveDays,
    Cover,
    DaysOff,
    Leave,
    Lock,
    Problem,
    Request,
    Rest,
    Selector,
    ShiftCount,
    Status,
    WorkMinutes,
    check,
    solve,
)
from rotasolve.solver import construct as C

# the module, not the function rotasolve.solver.solve
S = importlib.import_module("rotasolve.solver.solve")


def per_person(n: int = 6, days: int = 21) -> Problem:
    """Only per-person hard rules; cover and requests are soft."""
    return tiny_problem(
        n,
        days,
        cover=[Cover(id="day", shifts=("D",), min=2, hard=False, under_weight=5)],
        leave=[Leave(id="lv", person="A", first=day(3), last=day(5))],
        locks=[Lock(id="lk", person="B", day=day(2), shift="N")],
        requests=[Request(id="rq", person="C", day=day(1), weight=2)],
        rules=[
            ShiftCount(id="min", min=8),
            ShiftCount(id="cap", max=14),
            ConsecutiveDays(id="run", max=4),
            DaysOff(id="off", min=1, window=7),
            Rest(id="rest", minutes=600),
        ],
    )


def covered(n: int = 5, days: int = 28) -> Problem:
    """Hard cover couples people; rolling hour windows span chunks."""
    return tiny_problem(
        n,
        days,
        cover=[
            Cover(id="day", shifts=("D",), min=1, max=2),
            Cover(id="night", shifts=("N",), min=1, max=1),
        ],
        leave=[Leave(id="lv", person="A", first=day(9), last=day(12))],
        rules=[
            Rest(id="rest", minutes=600),
            ConsecutiveDays(id="run", max=5),
            WorkMinutes(id="hours", max=80 * 60, window=14),
            ShiftCount(id="no_call", tags=("call",), max=0),
        ],
    )


def test_coupling_is_read_from_the_model() -> None:
    assert C._lookback(covered()) == (13, True)
    assert not C.coupled(per_person())
    assert C.coupled(covered())


def test_people_batches_give_a_feasible_schedule() -> None:
    pb = per_person()
    made = C.construct(pb, deadline=time.perf_counter() + 60, batch_size=2)
    assert made is not None and made.method == "people" and made.parts == 3
    report = check(pb, made.schedule)
    assert made.feasible and not report.hard_violations
    assert made.objective == report.objective


def test_time_chunks_give_a_feasible_schedule() -> None:
    pb = covered()
    made = C.construct(pb, deadline=time.perf_counter() + 60, chunk_days=5)
    assert made is not None and made.method == "time" and made.parts >= 6
    report = check(pb, made.schedule)
    assert made.feasible and not report.hard_violations


@pytest.mark.parametrize("make", [per_person, covered])
def test_solve_with_construction(make: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(C, "BATCH_PEOPLE", 2)
    monkeypatch.setattr(C, "CHUNK_DAYS", 7)
    pb = make()  # type: ignore[operator]
    seen: list[float] = []
    res = solve(
        pb, time_limit=30, workers=2, construct=True, progress=lambda t, o, b: seen.append(o)
    )
    assert res.status.has_schedule
    assert res.report is not None and not res.report.hard_violations
    assert res.objective == res.report.objective
    assert res.stats.construct_method in ("people", "time")
    assert res.stats.construct_parts > 0 and res.stats.construct_seconds > 0
    assert res.stats.construct_feasible and seen


def test_small_problems_do_not_construct() -> None:
    res = solve(per_person(), time_limit=10, workers=2)
    assert res.stats.construct_method == "" and res.stats.construct_parts == 0
    assert S._candidates(per_person()) < S.CONSTRUCT_MIN_VARS


def test_infeasible_problem_falls_back() -> None:
    pb = tiny_problem(2, 7, cover=[Cover(id="c", shifts=("D",), min=3)])
    assert C.construct(pb, deadline=time.perf_counter() + 30) is None
    res = solve(pb, time_limit=10, workers=2, construct=True, explain=False)
    assert res.status is Status.infeasible
    assert res.stats.construct_method == ""


def test_whole_horizon_rule_makes_chunks_only_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    # A cap over the whole horizon is applied to each chunk's days only: the joined
    # schedule may break it; then it is only a hint and CP-SAT's schedule is returned.
    monkeypatch.setattr(C, "CHUNK_DAYS", 7)
    pb = tiny_problem(
        2,
        21,
        cover=[Cover(id="c", shifts=("D",), min=1, max=1)],
        rules=[
            ShiftCount(id="cap", shifts=("D",), max=11),
            ShiftCount(id="z", shifts=("N",), max=0),
        ],
    )
    assert C._lookback(pb) == (7, False)
    res = solve(pb, time_limit=20, workers=2, construct=True)
    assert res.status.has_schedule
    assert res.report is not None and not res.report.hard_violations
    if not res.stats.construct_feasible:
        assert "constructed" not in res.message


def test_construction_out_of_time_falls_back() -> None:
    made = C.construct(covered(), deadline=time.perf_counter())
    assert made is None


def test_constructed_schedule_is_returned_when_cp_sat_finds_nothing() -> None:
    pb = per_person()
    res = solve(pb, time_limit=20, workers=2, construct=True, stop_after_presolve=True)
    assert res.status is Status.feasible and "constructed" in res.message
    assert res.report is not None and not res.report.hard_violations
    assert res.objective == res.report.objective
    assert res.bound == 0 and res.stats.construct_feasible


def test_a_failed_people_batch_stops_the_construction() -> None:
    # person C cannot work 30 shifts in 21 days: its batch fails, the others are stopped
    pb = tiny_problem(6, 21, rules=[ShiftCount(id="lots", min=30, scope=Selector(people=("C",)))])
    assert not C.coupled(pb)
    assert C.construct(pb, deadline=time.perf_counter() + 30, batch_size=1) is None
    res = solve(pb, time_limit=10, workers=2, construct=True, explain=False)
    assert res.status is Status.infeasible


def test_residual_cover_asks_what_earlier_batches_left() -> None:
    pb = tiny_problem(
        3,
        3,
        cover=[Cover(id="d", shifts=("D",), min=2, max=3, target=2, hard=False, under_weight=5)],
    )
    res = C._Residual(pb)
    res.add({("A", 1): ["D"], ("A", 2): ["N"]})
    left = {c.days.indices if c.days.kind == "listed" else "all": c for c in res.covers_left()}
    # day 1: one of two supplied; days 0 and 2: nothing supplied yet
    assert (left[(1,)].min, left[(1,)].max, left[(1,)].target) == (1, 2, 1)
    assert (left[(0, 2)].min, left[(0, 2)].max, left[(0, 2)].target) == (2, 3, 2)
    res.add({("B", 1): ["D"], ("C", 1): ["D"], ("A", 0): ["D"]})
    left = {c.days.indices: c for c in res.covers_left()}
    assert (left[(1,)].min, left[(1,)].max, left[(1,)].target) == (0, 0, 0)
    assert (left[(0,)].min, left[(0,)].max, left[(0,)].target) == (1, 2, 1)


def test_optimised_construction_is_no_worse() -> None:
    for pb, kw in ((per_person(), {"batch_size": 2}), (covered(), {"chunk_days": 7})):
        plain = C.construct(pb, deadline=time.perf_counter() + 60, optimise=False, **kw)
        good = C.construct(pb, deadline=time.perf_counter() + 60, optimise=True, **kw)
        assert plain is not None and good is not None and good.feasible
        assert good.objective <= plain.objective
        assert good.objective == check(pb, good.schedule).objective


def many(n: int = 8, days: int = 21, **extra: Any) -> Problem:
    """Per-person hard rules, soft cover on two shifts that the construction leaves short,
    requests against some of it."""
    return tiny_problem(
        n,
        days,
        cover=[
            Cover(id="day", shifts=("D",), min=3, hard=False, under_weight=10, over_weight=1),
            Cover(id="night", shifts=("N",), min=2, hard=False, under_weight=10, over_weight=1),
        ],
        requests=[
            Request(id=f"rq{d}", person="ABCDEFGH"[d % n], day=day(d), weight=3)
            for d in range(0, days, 2)
        ],
        rules=[
            ShiftCount(id="min", min=4),
            ShiftCount(id="cap", max=14),
            ConsecutiveDays(id="run", max=4),
            Rest(id="rest", minutes=600),
        ],
        **extra,
    )


def plan_of(pb: Problem, made: C.Construction) -> C.Plan:
    plan: C.Plan = {}
    for a in made.schedule.assignments:
        plan.setdefault((a.person, pb.horizon.index(a.day)), []).append(a.shift)
    return plan


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("per_day", [1, 2])
def test_the_sweep_lowers_the_objective_by_what_it_says(threads: int, per_day: int) -> None:
    # one shift a day: the cover's cost is linear in a person's assignments; two: the
    # person's model gets the residual covers themselves
    pb = many(max_shifts_per_day=per_day)
    made = C.construct(pb, deadline=time.perf_counter() + 60, batch_size=4)
    assert made is not None and made.feasible and made.sweep is None
    plan, stats = C.sweep(pb, plan_of(pb, made), time.perf_counter() + 30, threads=threads)
    report = check(pb, C._schedule(pb, plan))
    assert not report.hard_violations
    # the gain is exact: head counts another visit changed meanwhile are accounted for
    assert stats.gain > 0 and report.objective == made.objective - stats.gain
    assert stats.changed > 0 and stats.visits >= stats.changed + len(pb.people)
    assert stats.converged and stats.passes >= 2
    # quick visits until SWEEP_QUICK_IDLE of them in a row changed nothing, then as many
    # thorough ones as there are people after the last change
    assert stats.quick >= C.SWEEP_QUICK_IDLE
    assert stats.visits - stats.quick >= len(pb.people)


def test_the_sweep_refuses_a_problem_whose_people_a_hard_rule_couples() -> None:
    hard = Cover(id="d", shifts=("D",), min=1, hard=True)
    with pytest.raises(ValueError, match="several people"):
        C.sweep(tiny_problem(3, 1, cover=[hard]), {}, time.perf_counter() + 5)


def test_residual_cover_costs_are_the_checkers() -> None:
    c = Cover(
        id="d",
        shifts=("D",),
        min=2,
        max=3,
        hard=False,
        under_weight=7,
        over_weight=2,
        target=2,
        target_under_weight=1,
        target_over_weight=5,
    )
    for n in range(5):
        pb = tiny_problem(5, 1, cover=[c])
        on = ("A", "B", "C", "D", "E")[:n]
        schedule = C._schedule(pb, {(p, 0): ["D"] for p in on})
        assert C._Residual(pb).cost(0, n) == check(pb, schedule).objective


def test_a_soft_rule_over_several_people_stops_the_sweep() -> None:
    from rotasolve import Fairness

    assert not C.soft_coupled(many())
    fair = many().model_copy(
        update={"rules": (*many().rules, Fairness(id="f", hard=False, weight=1))}
    )
    assert C.soft_coupled(fair)
    seen: list[int] = []
    made = C.construct(
        fair, deadline=time.perf_counter() + 60, sweep_until=math.inf, progress=seen.append
    )
    assert made is not None and made.sweep is None
    assert seen == []  # solve reports the constructed schedule itself, once


def test_construction_with_a_sweep_reports_its_progress() -> None:
    pb = many()
    seen: list[int] = []
    made = C.construct(
        pb,
        deadline=time.perf_counter() + 60,
        batch_size=4,
        sweep_until=time.perf_counter() + 30,
        progress=seen.append,
    )
    assert made is not None and made.sweep is not None and made.sweep.converged
    assert made.report is not None and made.objective == made.report.objective
    assert seen[-1] == made.objective < seen[0]
    assert seen == sorted(seen, reverse=True)


def test_solve_returns_the_swept_schedule_when_the_sweep_uses_the_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = C._sweep

    def unfinished(*args: object, **kwargs: object) -> tuple[C.Plan, C.SweepStats]:
        plan, stats = real(*args, **kwargs)  # type: ignore[arg-type]
        return plan, dataclasses.replace(stats, converged=False)

    monkeypatch.setattr(C, "_sweep", unfinished)
    monkeypatch.setattr(C, "BATCH_PEOPLE", 4)
    pb = many()
    res = solve(pb, time_limit=20, workers=2, construct=True)
    assert res.status is Status.feasible and "CP-SAT did not run" in res.message
    assert res.report is not None and not res.report.hard_violations
    assert res.objective == res.report.objective == check(pb, res.schedule).objective
    assert res.stats.variables == 0 and res.build_seconds == 0
    assert res.stats.sweep_visits > 0 and res.stats.sweep_changed > 0


def test_one_worker_constructs_and_sweeps_the_same_way_twice() -> None:
    pb = many()
    runs = [
        C.construct(
            pb, deadline=time.perf_counter() + 60, workers=1, batch_size=4, sweep_until=math.inf
        )
        for _ in range(2)
    ]
    assert runs[0] is not None and runs[1] is not None
    assert runs[0].sweep is not None and runs[0].sweep.converged and runs[0].sweep.changed
    assert runs[0].schedule == runs[1].schedule and runs[0].sweep.gain == runs[1].sweep.gain


def test_one_worker_still_proves_a_batch_has_no_schedule() -> None:
    pb = tiny_problem(6, 21, rules=[ShiftCount(id="lots", min=30, scope=Selector(people=("C",)))])
    sub = C._people_problem(C._hard_only(pb), {"C"})
    part, proved = C._solve_sub(sub, time.perf_counter() + 60, workers=1, seed=0)
    assert part is None and proved  # by a proof, not by running out of time
    assert C.construct(pb, deadline=time.perf_counter() + 60, workers=1, batch_size=2) is None
    # one person's question goes without presolve: still a proof
    part, proved = C._solve_sub(sub, time.perf_counter() + 60, 1, 0, presolve=False)
    assert part is None and proved
    assert C.construct(pb, deadline=time.perf_counter() + 60, workers=1, batch_size=1) is None


def test_without_a_time_limit_the_sweep_runs_until_a_pass_changes_nothing() -> None:
    pb = many()
    res = solve(pb, workers=2, construct=True, stop_after_presolve=True)
    assert res.status is Status.feasible and "constructed" in res.message
    assert "CP-SAT did not run" not in res.message  # it converged, then CP-SAT ran
    assert res.stats.sweep_visits > res.stats.sweep_changed > 0
    assert res.objective == check(pb, res.schedule).objective


def test_a_sweep_that_breaks_a_rule_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(pb: Problem, plan: C.Plan, *args: object, **kwargs: object) -> object:
        # person A's roster emptied: below its hard minimum of shifts
        return {k: v for k, v in plan.items() if k[0] != "A"}, C.SweepStats(changed=1)

    monkeypatch.setattr(C, "_sweep", broken)
    pb = many()
    made = C.construct(pb, deadline=time.perf_counter() + 60, batch_size=4, sweep_until=math.inf)
    assert made is not None and made.feasible and made.sweep is not None
    assert made.sweep.changed == 0 and "not kept" in made.sweep.error
    report = check(pb, made.schedule)
    assert not report.hard_violations and made.objective == report.objective
    assert any(a.person == "A" for a in made.schedule.assignments)


def test_more_visits_at_once_than_people_still_converge() -> None:
    pb = many(2)
    made = C.construct(pb, deadline=time.perf_counter() + 60, batch_size=1)
    assert made is not None and made.feasible
    plan, stats = C.sweep(pb, plan_of(pb, made), time.perf_counter() + 30, threads=3)
    assert stats.converged and not stats.error
    assert check(pb, C._schedule(pb, plan)).objective == made.objective - stats.gain
