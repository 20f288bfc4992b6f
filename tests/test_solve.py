"""``rotasolve.solve``: every status, parameters, hints, progress, tiers, determinism."""

from __future__ import annotations

from datetime import date

import pytest

from helpers import START, day, tiny_problem
from rotasolve import (
    ConsecutiveDays,
    Cover,
    DaysOff,
    Fairness,
    Leave,
    Lock,
    Problem,
    Request,
    Rest,
    Result,
    ShiftCount,
    Status,
    Weekends,
    check,
    solve,
)


def medium(n: int = 8, days: int = 28) -> Problem:
    """Cover every day and night with soft targets, requests and soft rules: many ties."""
    return tiny_problem(
        n,
        days,
        cover=[
            Cover(id="day", shifts=("D",), min=1, target=2, target_under_weight=2),
            Cover(id="night", shifts=("N",), min=1),
        ],
        requests=[
            Request(id=f"q{i}", person=chr(65 + i % n), day=day(i % days), weight=1 + i % 3)
            for i in range(0, 3 * days, 2)
        ],
        rules=[
            Rest(id="rest", minutes=600),
            ConsecutiveDays(id="cons", max=4, min=2, hard=False, weight=3),
            DaysOff(id="off", min=1, window=7),
            Weekends(id="wk", max=2, hard=False, weight=5),
            Fairness(id="fair", tags=("night",), tolerance=0, hard=False, weight=4),
            ShiftCount(id="q3", tags=("call",), max=0),
        ],
    )


def test_optimal() -> None:
    pb = tiny_problem(2, 3, cover=[Cover(id="c", shifts=("D",), min=1)])
    res = solve(pb, workers=1)
    assert res.status is Status.optimal
    assert res.objective == 0 and res.bound == 0 and res.gap == 0
    assert res.report is not None and res.report.feasible
    assert len(res.schedule) == 3
    assert res.stats.variables > 0 and res.stats.constraints > 0
    assert res.build_seconds >= 0 and res.runtime >= 0


def test_feasible_with_a_solution_limit() -> None:
    res = solve(medium(), workers=1, stop_after_first_solution=True)
    assert res.status is Status.feasible
    assert res.objective is not None and res.report is not None
    assert res.objective == res.report.objective and res.report.feasible
    assert res.bound is not None and res.bound <= res.objective
    assert res.gap is not None and res.gap >= 0


def test_infeasible_returns_a_result() -> None:
    pb = tiny_problem(
        1,
        2,
        leave=[Leave(id="lv", person="A", first=START, last=START)],
        locks=[Lock(id="k", person="A", day=START, shift="D")],
    )
    res = solve(pb, workers=1)
    assert res.status is Status.infeasible
    assert res.objective is None and res.report is None and len(res.schedule) == 0
    assert "infeasible" in res.summary()


def test_unknown_with_a_tiny_time_limit() -> None:
    res = solve(medium(12, 56), workers=1, time_limit=1e-6)
    assert res.status in (Status.unknown, Status.feasible)
    if res.status is Status.unknown:
        assert res.objective is None and len(res.schedule) == 0


def test_model_invalid_when_weights_overflow() -> None:
    huge = 2**62
    pb = tiny_problem(
        1,
        2,
        requests=[
            Request(id="a", person="A", day=START, want="on", weight=huge),
            Request(id="b", person="A", day=date(2024, 1, 2), want="on", weight=huge),
        ],
    )
    res = solve(pb, workers=1)
    assert res.status is Status.model_invalid
    assert res.message and res.report is None


def test_unknown_parameter_names_it() -> None:
    with pytest.raises(ValueError, match="no_such_knob"):
        solve(tiny_problem(), no_such_knob=3)


def test_bad_parameter_value_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="num_search_workers"):
        solve(tiny_problem(), num_search_workers="many")


def test_cp_sat_parameters_pass_through() -> None:
    res = solve(tiny_problem(), workers=1, max_time_in_seconds=5.0, cp_model_presolve=False)
    assert res.status is Status.optimal


def test_hint_round_trip() -> None:
    pb = medium(4, 10)
    first = solve(pb, workers=1, time_limit=5)
    assert first.ok
    # The hint is complete and consistent: fixing every variable to it reproduces it.
    again = solve(pb, workers=1, hint=first.schedule, fix_variables_to_their_hinted_value=True)
    assert again.ok
    assert again.schedule == first.schedule
    assert again.objective == first.objective
    # And it is a good start: the first solution is at least as good as the hint.
    quick = solve(pb, workers=1, hint=first.schedule, stop_after_first_solution=True)
    assert quick.objective is not None and quick.objective <= first.objective


def test_infeasible_hint_is_only_a_hint() -> None:
    pb = tiny_problem(2, 3, cover=[Cover(id="c", shifts=("D",), min=1)])
    bad = solve(pb, workers=1).schedule.model_copy(update={"assignments": ()})
    res = solve(pb, workers=1, hint=bad)
    assert res.status is Status.optimal


def test_progress_callback_is_called() -> None:
    calls: list[tuple[float, float, float]] = []
    res = solve(
        medium(4, 10), workers=1, time_limit=5, progress=lambda t, o, b: calls.append((t, o, b))
    )
    assert res.ok and calls
    t, obj, bound = calls[-1]
    assert t >= 0 and bound <= obj
    assert obj == pytest.approx(res.objective)


def test_log_does_not_break(capsys: pytest.CaptureFixture[str]) -> None:
    res = solve(tiny_problem(), workers=1, log=True)
    assert res.status is Status.optimal


def _tradeoff() -> Problem:
    # Working costs the request 5; not working costs the cover target 1.
    return tiny_problem(
        1,
        1,
        cover=[Cover(id="c", shifts=("D",), target=1, target_under_weight=1)],
        requests=[Request(id="q", person="A", day=START, want="off", weight=5)],
        shifts=tiny_problem().shifts[:1],
    )


def test_tiers_are_lexicographic() -> None:
    pb = _tradeoff()
    plain = solve(pb, workers=1)
    assert plain.objective == 1 and len(plain.schedule) == 0
    cover_first = solve(pb, workers=1, tiers=[["cover"]])
    assert cover_first.status is Status.optimal
    assert len(cover_first.schedule) == 1
    assert cover_first.objective == 5 == cover_first.report.objective  # type: ignore[union-attr]
    by_id = solve(pb, workers=1, tiers=[["c"], ["request"]])
    assert by_id.objective == 5
    request_first = solve(pb, workers=1, tiers=[["request"], ["cover"]])
    assert request_first.objective == 1


def test_tiers_with_a_time_limit_and_unnamed_rest() -> None:
    res = solve(medium(), workers=1, time_limit=4, tiers=[["cover"], ["rest", "cons"]])
    assert res.ok and res.report is not None
    assert res.objective == res.report.objective


def test_unknown_tier_name() -> None:
    with pytest.raises(ValueError, match="nonsense"):
        solve(_tradeoff(), tiers=[["nonsense"]])


def test_deterministic_with_one_worker() -> None:
    pb = medium(4, 10)
    a = solve(pb, workers=1, seed=3, time_limit=20)
    b = solve(pb, workers=1, seed=3, time_limit=20)
    assert a.status is Status.optimal
    assert a.schedule == b.schedule and a.objective == b.objective


def test_result_json_round_trip_and_summary() -> None:
    res = solve(medium(4, 7), workers=1, time_limit=5)
    back = Result.model_validate_json(res.model_dump_json())
    assert back == res
    text = str(res)
    assert res.status.value in text and "objective" in text


def test_report_is_the_checkers() -> None:
    pb = medium(4, 7)
    res = solve(pb, workers=1, time_limit=5)
    assert res.report == check(pb, res.schedule)


def test_locks_leave_and_eligibility_are_respected() -> None:
    pb = medium(4, 7).model_copy(
        update={
            "leave": (Leave(id="lv", person="A", first=day(0), last=day(2)),),
            "locks": (Lock(id="k", person="B", day=day(1), shift="N"),),
        }
    )
    res = solve(pb, workers=1, time_limit=5)
    assert res.ok
    got = {(a.person, a.day, a.shift) for a in res.schedule.assignments}
    assert ("B", day(1), "N") in got
    assert not any(p == "A" and d <= day(2) for p, d, _ in got)
