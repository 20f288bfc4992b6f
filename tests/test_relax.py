"""solve(relax=True): hard rules and covers become heavily weighted soft ones; the report,
checked against the original problem, lists every broken rule as a hard violation."""

from __future__ import annotations

from helpers import D, N, cover_over_availability, day, tiny_problem
from rotasolve import Cover, Leave, Lock, Request, ShiftCount, Status, solve
from rotasolve.solver.solve import RELAX_WEIGHT, relax_problem


def q3_problem() -> object:
    return tiny_problem(
        2,
        3,
        shifts=(N,),
        cover=[Cover(id="call", shifts=("N",), min=1)],
        rules=[ShiftCount(id="q3", max=1, window=3, shifts=("N",))],
    )


def test_relaxed_problem_keeps_leave_and_locks_hard() -> None:
    pb = tiny_problem(
        2,
        cover=[Cover(id="c", shifts=("D",), min=1), Cover(id="soft", shifts=("N",), hard=False)],
        leave=[Leave(id="lv", person="A", first=day(0), last=day(1))],
        locks=[Lock(id="lk", person="B", day=day(2), shift="D")],
        rules=[ShiftCount(id="max5", max=5), ShiftCount(id="soft5", max=5, hard=False, weight=3)],
    )
    rel = relax_problem(pb)
    assert rel.leave == pb.leave and rel.locks == pb.locks
    assert all(not r.hard for r in rel.rules)
    assert rel.rules[0].weight == RELAX_WEIGHT and rel.rules[1].weight == 3
    assert not rel.cover[0].hard and rel.cover[0].under_weight == RELAX_WEIGHT
    assert rel.cover[1] == pb.cover[1]


def test_least_violating_schedule_reports_the_broken_rule() -> None:
    pb = q3_problem()
    assert solve(pb, workers=1, time_limit=10, explain=False).status == Status.infeasible
    res = solve(pb, workers=1, time_limit=10, relax=True)
    assert res.status == Status.optimal
    assert res.report is not None
    (v,) = res.report.hard_violations  # one person works 2 calls in the 3 days
    assert v.rule == "q3" and v.amount == 1
    assert res.objective == RELAX_WEIGHT * 1  # one unit of hard violation, no soft cost
    assert res.report.objective == 0
    assert "relaxed: 1 hard violation(s) of q3" in res.message


def test_cover_short_is_reported_against_the_original_cover() -> None:
    pb = cover_over_availability(requests=[Request(id="c_off", person="C", day=day(2), weight=5)])
    res = solve(pb, workers=1, time_limit=10, relax=True)
    assert res.ok and res.report is not None
    (v,) = res.report.hard_violations
    assert (v.rule, v.family, v.first, v.amount) == ("night_cover", "cover", day(2), 1)
    # C still works the night: one person short costs far more than C's request.
    assert res.objective == RELAX_WEIGHT + 5
    assert res.report.objective == 5


def test_feasible_problem_is_solved_as_usual() -> None:
    pb = tiny_problem(
        2,
        shifts=(D, N),
        cover=[Cover(id="c", shifts=("D",), min=1)],
        rules=[ShiftCount(id="max4", max=4)],
        requests=[Request(id="a_off", person="A", day=day(0), weight=2)],
    )
    plain = solve(pb, workers=1, time_limit=10)
    relaxed = solve(pb, workers=1, time_limit=10, relax=True)
    assert relaxed.objective == plain.objective == 0
    assert relaxed.report is not None and relaxed.report.hard_violations == ()
    assert "no hard rule broken" in relaxed.message


def test_leave_against_lock_stays_infeasible_and_is_explained() -> None:
    pb = tiny_problem(
        2,
        leave=[Leave(id="vac", person="A", first=day(2), last=day(4))],
        locks=[Lock(id="fix", person="A", day=day(3), shift="D")],
        rules=[ShiftCount(id="max1", max=1)],
    )
    res = solve(pb, workers=1, time_limit=10, relax=True)
    assert res.status == Status.infeasible
    (c,) = res.conflicts
    assert {r.rule for r in c.requirements} == {"vac", "fix"}
