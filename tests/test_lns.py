"""The large-neighbourhood search (``solver/lns.py``): its sub-models are exact, it never
makes a schedule worse, and ``solve`` hands over to it."""

from __future__ import annotations

import importlib
import itertools
import random
import time
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from helpers import tiny_problem
from rotasolve import Fairness, Problem, Weekends, check, solve
from rotasolve.io import read_curtois
from rotasolve.solver import lns as lns_module
from rotasolve.solver.lns import Neighbourhoods, improve
from rotasolve.solver.model import CompiledModel
from rotasolve.solver.registry import compile_problem
from rotasolve.solver.solve import _decode, _fixed_solve
from test_soundness import _all_schedules, _space, problems

DATA = Path(__file__).parent / "data" / "curtois"
solve_module = importlib.import_module("rotasolve.solver.solve")  # the function shadows it


def _first_solution(cm: object, first_only: bool = False) -> list[int] | None:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    solver.parameters.stop_after_first_solution = first_only
    status = solver.solve(cm.model)  # type: ignore[attr-defined]
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution)


def _instance1_at_its_optimum() -> tuple[Problem, CompiledModel, Neighbourhoods, list[int]]:
    """Curtois Instance 1, its model and neighbourhoods, and an optimal solution (607)."""
    pb = read_curtois(DATA / "Instance1.txt")
    cm = compile_problem(pb)
    start = _first_solution(cm)
    assert start is not None
    nb = Neighbourhoods(cm)
    assert nb.objective(start) == 607
    return pb, cm, nb, start


def _drawn_with_start(
    data: st.DataObject, max_people: int, max_days: int
) -> tuple[Problem, CompiledModel, list[int]]:
    """A random problem with an objective, its compiled model and a first solution (the
    example is rejected when there is none)."""
    pb = data.draw(problems(max_people=max_people, max_days=max_days, max_shifts=2, soft_bias=0.7))
    cm = compile_problem(pb)
    assume(cm.x and cm.proto.has_objective())
    start = _first_solution(cm, first_only=True)
    assume(start is not None)
    assert start is not None
    return pb, cm, start


def _keys(schedule: object, skip: set[tuple[str, object]]) -> set[tuple[str, object, str]]:
    return {
        (a.person, a.day, a.shift)
        for a in schedule.assignments  # type: ignore[attr-defined]
        if (a.person, a.day) not in skip
    }


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_sub_model_is_exact_and_optimal_over_its_neighbourhood(data: st.DataObject) -> None:
    """Free random (person, day) cells of a feasible solution and solve the sub-model: the
    result is a schedule the checker accepts, its objective is the checker's, and it is
    the best of all schedules that agree with the start outside the freed cells."""
    pb, cm, start = _drawn_with_start(data, max_people=2, max_days=4)
    nb = Neighbourhoods(cm)
    cells = data.draw(
        st.lists(
            st.tuples(st.integers(0, nb.people - 1), st.integers(0, nb.days - 1)),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    free = nb.free_of([(p, d, d + 1) for p, d in cells])
    assume(free)
    sub, open_vars = nb.sub_model(free, start)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(sub)
    assert status == cp_model.OPTIMAL  # the start itself is a solution of the sub-model
    values = list(solver.response_proto.solution)
    assert len(values) == len(start)  # the full model's variables, under their indices
    assert all(values[v] == start[v] for v in set(range(len(start))) - set(open_vars))
    cand = list(start)
    for v in open_vars:
        cand[v] = values[v]
    schedule = _decode(cm, cand)
    report = check(pb, schedule)
    assert not report.hard_violations, report.summary()
    assert nb.objective(cand) == report.objective
    assert nb.objective(cand) <= nb.objective(start)
    if _space(pb) <= 2000:
        ix = cm.index
        skip = {(ix.people[p].id, ix.dates[d]) for p, d in cells}
        outside = _keys(_decode(cm, start), skip)
        best = min(
            rep.objective
            for sch in _all_schedules(pb)
            if _keys(sch, skip) == outside and not (rep := check(pb, sch)).hard_violations
        )
        assert nb.objective(cand) == best


def test_a_reloaded_sub_model_is_the_same_as_a_fresh_one() -> None:
    """A search chain reloads one ``SubModel`` for each neighbourhood, around schedules
    that change (its own improvements, a schedule adopted from elsewhere): each reload
    solves to the same optimum as a sub-model built afresh, and leaves every variable
    outside the neighbourhood at the schedule's value."""
    pb = read_curtois(DATA / "Instance2.txt")
    cm = compile_problem(pb)
    first = _first_solution(cm, first_only=True)
    assert first is not None
    nb = Neighbourhoods(cm)
    work = lns_module.SubModel(nb)
    rng = random.Random(3)
    solution = list(first)
    improved = 0
    for i in range(24):
        if i == 16:
            solution = list(first)  # as when a chain adopts a schedule found elsewhere
        kind = ("people", "days", "random")[i % 3]
        size = {"people": 2.0, "days": 3.0, "random": 0.2}[kind]
        free = lns_module._pick(nb, lns_module._Kind(kind, size, 1.0, 99.0), rng, solution)
        results = []
        for into in (work, None):
            sub, open_vars = nb.sub_model(free, solution, into)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            assert solver.solve(sub) == cp_model.OPTIMAL
            values = list(solver.response_proto.solution)
            outside = set(range(len(solution))) - set(open_vars)
            assert all(values[v] == solution[v] for v in outside)
            results.append((round(solver.objective_value), values))
        assert results[0][0] == results[1][0] == nb.objective(results[0][1])
        if results[0][0] < nb.objective(solution):
            improved += 1
            solution = results[0][1]
    assert improved >= 2  # the schedules it reloads around did change


def test_improve_reaches_the_optimum_of_a_small_instance_and_stops_at_the_bound() -> None:
    """From CP-SAT's first solution of Curtois Instance 1, the search reaches the proven
    optimum 607 and stops there (given as the bound), never making the schedule worse."""
    pb = read_curtois(DATA / "Instance1.txt")
    cm = compile_problem(pb)
    start = _first_solution(cm, first_only=True)
    assert start is not None
    nb = Neighbourhoods(cm)
    seen: list[int] = []
    best, stats = improve(
        cm,
        start,
        time.perf_counter() + 60,
        seed=0,
        threads=1,
        bound=607,
        on_improve=lambda obj, _: seen.append(obj),
        neighbourhoods=nb,
    )
    assert nb.objective(best) == 607
    assert stats.calls > 0
    assert seen == sorted(seen, reverse=True) and seen[-1] == 607
    assert all(obj < nb.objective(start) for obj in seen)
    report = check(pb, _decode(cm, best))
    assert not report.hard_violations
    assert report.objective == 607


def test_improve_adopts_an_injected_better_schedule_and_a_bound_that_arrives_later() -> None:
    """A better schedule offered through ``inject`` (the column generation's) becomes the
    search's best, and a bound given as a function is read as it changes: here it only
    exists once the optimum was injected, and the search stops there."""
    pb = read_curtois(DATA / "Instance1.txt")
    cm = compile_problem(pb)
    start = _first_solution(cm, first_only=True)
    optimum = _first_solution(cm)
    assert start is not None and optimum is not None
    nb = Neighbourhoods(cm)
    assert nb.objective(start) > 607 == nb.objective(optimum)
    offered: list[int] = []

    def inject(objective: int) -> tuple[int, list[int]] | None:
        offered.append(objective)
        return None if len(offered) < 3 else (607, optimum)

    seen: list[int] = []
    best, stats = improve(
        cm,
        start,
        time.perf_counter() + 60,
        seed=0,
        threads=1,
        bound=lambda: 607.0 if len(offered) >= 3 else None,
        on_improve=lambda obj, _: seen.append(obj),
        neighbourhoods=nb,
        inject=inject,
    )
    assert best == optimum and seen[-1] == 607
    # asked before each sub-problem: the third starts from the injected optimum, and the
    # bound (now known) ends the search before a fourth
    assert stats.calls == 3 and len(offered) == 3


def test_a_chain_that_finds_nothing_gives_its_sub_problems_more_time() -> None:
    """From the optimum of Instance 1 (bound not given) nothing better exists: after
    ``ESCALATE_AFTER`` fruitless sub-problems a chain doubles their time limit, up to
    ``SUB_SECONDS_MAX``, and a stall ends the search with the schedule unchanged."""
    _, cm, nb, start = _instance1_at_its_optimum()
    with (
        mock.patch.object(lns_module, "ESCALATE_AFTER", 2),
        mock.patch.object(lns_module, "SUB_SECONDS", 0.05),
        mock.patch.object(lns_module, "SUB_SECONDS_MAX", 0.2),
    ):
        best, stats = improve(
            cm, start, time.perf_counter() + 30, threads=1, stall=1.0, neighbourhoods=nb
        )
    assert best == start
    assert stats.improvements == 0
    assert stats.longest == 0.2  # 0.05 -> 0.1 -> 0.2, and no further
    assert stats.stalled  # ended by the stall, not by the deadline


def test_the_random_kind_gets_more_time_than_the_chain_s_limit() -> None:
    """Half of all cells freed at random needs longer to be proved than the small kinds:
    its sub-problems get ``RANDOM_TIME`` times the chain's limit, the others the limit."""
    _, cm, nb, start = _instance1_at_its_optimum()
    kinds: list[str] = []
    limits: list[tuple[float, float]] = []  # (time limit, time left then)
    pick, sub_solver = lns_module._pick, lns_module._sub_solver
    deadline = time.perf_counter() + 3

    def picked(nb_: Neighbourhoods, kind: object, *args: object) -> list[int]:
        kinds.append(kind.name)  # type: ignore[attr-defined]
        return pick(nb_, kind, *args)  # type: ignore[arg-type]

    def solver_for(rng: random.Random, seconds: float) -> cp_model.CpSolver:
        limits.append((seconds, deadline - time.perf_counter()))
        return sub_solver(rng, seconds)

    with (
        mock.patch.object(lns_module, "SUB_SECONDS", 0.05),
        mock.patch.object(lns_module, "ESCALATE_AFTER", 10_000),
        mock.patch.object(lns_module, "_pick", picked),
        mock.patch.object(lns_module, "_sub_solver", solver_for),
    ):
        improve(cm, start, deadline, threads=1, neighbourhoods=nb)
    assert set(kinds[: len(limits)]) >= {"random", "people", "days"}
    full = 0
    for k, (t, left) in zip(kinds, limits, strict=False):
        want = 0.05 * lns_module.RANDOM_TIME if k == "random" else 0.05
        if t == pytest.approx(want):
            full += 1
        else:  # only the deadline may cut a limit short
            assert left <= t < want, (k, t, left)
    assert full >= len(limits) - 2


def test_solve_reports_the_kicks_and_still_the_checked_schedule() -> None:
    """With kicks after every fruitless sub-problem, ``solve`` counts them in its stats and
    still returns the checker's schedule."""
    pb = read_curtois(DATA / "Instance5.txt")
    with (
        mock.patch.object(lns_module, "KICK_AFTER", 1),
        mock.patch.object(lns_module, "KICK_LIMIT", 0.0),
    ):
        res = solve(pb, time_limit=6, workers=2, seed=0, lns=True)
    assert res.stats.lns_kicks > 0
    assert res.report is not None and not res.report.hard_violations
    assert res.objective == res.report.objective


def test_solve_hands_over_to_the_search_and_reports_the_checked_schedule() -> None:
    """Instance 5 is not proved optimal in seconds, so CP-SAT hands over after its share of
    the time; the schedule returned is the checker's and no worse than CP-SAT's own."""
    pb = read_curtois(DATA / "Instance5.txt")
    res = solve(pb, time_limit=6, workers=2, seed=0, lns=True)
    assert res.status == "feasible"
    assert res.stats.lns_calls > 0
    assert res.stats.lns_seconds > 0
    assert res.report is not None and not res.report.hard_violations
    assert res.objective == res.report.objective
    assert res.bound is not None and res.bound <= res.objective


def test_solve_does_not_hand_over_when_off_small_or_tiered() -> None:
    pb = read_curtois(DATA / "Instance5.txt")
    assert solve(pb, time_limit=2, workers=2, lns=False).stats.lns_calls == 0
    assert solve(pb, time_limit=2, workers=2).stats.lns_calls == 0  # below LNS_MIN_X
    tiered = solve(pb, time_limit=2, workers=2, tiers=[["cover"]], lns=True)
    assert tiered.stats.lns_calls == 0


def test_solve_hands_over_by_default_only_within_the_size_window() -> None:
    """Instance 8 (2 158 assignment variables) hands over by default; with the window's
    upper end moved below its size it keeps CP-SAT alone, unless forced."""
    pb = read_curtois(DATA / "Instance8.txt")
    assert solve(pb, time_limit=3, workers=2).stats.lns_calls > 0
    with mock.patch.object(solve_module, "LNS_MAX_X", 2000):
        assert solve(pb, time_limit=3, workers=2).stats.lns_calls == 0
        assert solve(pb, time_limit=3, workers=2, lns=True).stats.lns_calls > 0


@pytest.mark.parametrize(
    ("rule", "on", "cost", "people"),
    [
        # a spread of night counts: A three nights, B none, C and D one each
        (
            Fairness(id="fair", tags=("night",), tolerance=0, hard=False, weight=4),
            {0: {0, 2, 4}, 2: {1}, 3: {3}},
            4 * 3,
            {0, 1},
        ),
        # worked weekends: A works three (one allowed), B one
        (
            Weekends(id="wk", max=1, hard=False, weight=5),
            {0: {5, 13, 20}, 1: {6}},
            5 * 2,
            {0},
        ),
    ],
)
def test_costly_follows_a_penalty_on_an_aggregate_to_the_people_it_counts(
    rule: Fairness | Weekends, on: dict[int, set[int]], cost: int, people: set[int]
) -> None:
    """A penalty on totals or maxima reads no assignment itself: the neighbourhood
    around it is the people who set its value (a spread's top and bottom, the person
    over a limit), not people at random or the whole group."""
    pb = tiny_problem(4, 21, rules=[rule])
    cm = compile_problem(pb)
    nb = Neighbourhoods(cm)
    nights = {k for k in cm.x if cm.index.shifts[k[2]].id == "N" and k[1] in on.get(k[0], ())}
    status, schedule, _ = _fixed_solve(cm, nights, None)
    assert status == cp_model.OPTIMAL
    assert nb.objective(schedule) == check(pb, _decode(cm, schedule)).objective == cost
    for seed in range(10):
        hit = nb.costly(schedule, random.Random(seed))
        assert hit is not None
        assert set(hit[0]) == people


def test_costly_centres_a_request_on_its_person_and_day() -> None:
    """Around an unmet request the neighbourhood starts from the requester on the
    request's day — not from the middle of the horizon, where the requester's limits on
    the whole horizon would put it."""
    pb, cm, nb, start = _instance1_at_its_optimum()
    report = check(pb, _decode(cm, start))
    unmet = {
        (cm.index.person_pos[v.person], pb.horizon.index(v.first))
        for v in report.penalties
        if v.family == "request" and v.person is not None and v.first is not None
    }
    assert unmet
    seen = 0
    for seed in range(40):
        hit = nb.costly(start, random.Random(seed))
        assert hit is not None
        people, day, own = hit
        if own:
            seen += 1
            assert own == 1 and (people[0], day) in unmet
    assert seen >= 5


def test_the_costly_kind_keeps_the_penalty_s_own_people() -> None:
    """However few people the kind frees, the request's person is among them."""
    _, _, nb, start = _instance1_at_its_optimum()
    kind = lns_module._Kind("costly", 2.0, 2.0, float(nb.people))
    hit = ([3, 0, 1, 2, 4, 5, 6], 9, 1)
    with mock.patch.object(nb, "costly", return_value=hit):
        for seed in range(20):
            free = set(lns_module._pick(nb, kind, random.Random(seed), start))
            assert set(nb.cells[3][9]) <= free


def test_a_kick_steps_sideways_within_its_slack() -> None:
    """From the optimum of Instance 1, a kick rearranges some people's whole horizons:
    the schedule differs, breaks no hard rule, and costs at most the slack more."""
    pb, cm, nb, start = _instance1_at_its_optimum()
    slack = max(1, int(lns_module.KICK_SLACK * 607))
    for seed in range(3):
        kicked = lns_module._kick(nb, random.Random(seed), start, 607, 5.0)
        assert kicked is not None and kicked != start
        report = check(pb, _decode(cm, kicked))
        assert not report.hard_violations
        assert 607 <= report.objective == nb.objective(kicked) <= 607 + slack


def test_a_stuck_chain_kicks_but_returns_the_best_schedule() -> None:
    """A chain that finds nothing better kicks (here after two fruitless sub-problems);
    the walks that follow never replace the best schedule the search returns."""
    _, cm, nb, start = _instance1_at_its_optimum()
    seen: list[int] = []
    with (
        mock.patch.object(lns_module, "KICK_AFTER", 2),
        mock.patch.object(lns_module, "KICK_LIMIT", 0.0),
        mock.patch.object(lns_module, "KICK_WALK", 3),
        mock.patch.object(lns_module, "SUB_SECONDS", 0.05),
    ):
        best, stats = improve(
            cm,
            start,
            time.perf_counter() + 4,
            threads=2,
            neighbourhoods=nb,
            on_improve=lambda obj, _: seen.append(obj),
        )
    assert stats.kicks >= 2
    assert best == start and seen == []  # 607 is optimal: nothing is better
    assert stats.calls > 0


def test_a_failing_sub_model_keeps_the_best_schedule() -> None:
    """An error inside the search ends it with the schedule it had, and says so."""
    pb = read_curtois(DATA / "Instance1.txt")
    cm = compile_problem(pb)
    start = _first_solution(cm, first_only=True)
    assert start is not None

    def boom(*_: object) -> None:
        raise RuntimeError("boom")

    with mock.patch.object(Neighbourhoods, "sub_model", boom):
        best, stats = improve(cm, start, time.perf_counter() + 5, threads=2)
    assert best == start
    assert stats.error == "RuntimeError: boom"


@pytest.mark.parametrize("quick", [True, False])
def test_the_random_share_grows_faster_when_proved_in_a_fraction_of_its_time(quick: bool) -> None:
    """Each proved sub-problem grows its kind's size; the random share grows by
    ``RANDOM_GROW`` when the proof took less than ``RANDOM_QUICK`` of its time limit
    (Instance 1's sub-problems are proved in milliseconds) and by a tenth otherwise."""
    _, cm, nb, start = _instance1_at_its_optimum()
    sizes: list[float] = []
    pick = lns_module._pick

    def picked(nb_: Neighbourhoods, kind: object, *args: object) -> list[int]:
        if kind.name == "random":  # type: ignore[attr-defined]
            sizes.append(kind.size)  # type: ignore[attr-defined]
        return pick(nb_, kind, *args)  # type: ignore[arg-type]

    with (
        mock.patch.object(lns_module, "SUB_SECONDS", 0.5),
        mock.patch.object(lns_module, "ESCALATE_AFTER", 10_000),
        mock.patch.object(lns_module, "RANDOM_QUICK", 0.25 if quick else 0.0),
        mock.patch.object(lns_module, "_pick", picked),
    ):
        improve(cm, start, time.perf_counter() + 2, threads=1, neighbourhoods=nb)
    rate = lns_module.RANDOM_GROW if quick else lns_module.SIZE_GROW
    # the climb from the first pick on, before a large share might not be proved
    small = list(itertools.takewhile(lambda s: s < 0.35, sizes))
    assert len(small) >= 3
    for a, b in itertools.pairwise(small):
        assert b == pytest.approx(a * rate)
