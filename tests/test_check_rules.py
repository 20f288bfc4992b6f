"""Calendar rule families: shift_count, work_minutes, consecutive_days, consecutive_days_off,
weekends, succession, days_off (calendar), fairness. One violating and one satisfying case
each, plus the edge cases of their definitions."""

from __future__ import annotations

from datetime import date

from helpers import C24, HOME, D, N, day, one, rows, tiny_problem
from rotasolve import (
    ConsecutiveDays,
    ConsecutiveDaysOff,
    DaySet,
    DaysOff,
    Fairness,
    Selector,
    ShiftCount,
    ShiftFilter,
    Succession,
    Weekends,
    WorkMinutes,
    check,
)

# --- shift_count ---------------------------------------------------------------------------


def test_shift_count_rolling_window_max() -> None:
    rule = ShiftCount(id="calls", tags=("call",), max=1, window=3)
    pb = tiny_problem(days=5, rules=[rule])
    v = one(check(pb, rows({"A": "C24 - C24 - -"})), "calls")
    assert (v.person, v.first, v.last, v.value, v.limit, v.amount) == ("A", day(0), day(2), 2, 1, 1)
    assert (v.family, v.unit, v.hard, v.cost) == ("shift_count", "shifts", True, 0)
    assert "Dr A works 2 call shifts in 2024-01-01..2024-01-03 (max 1)" in v.message
    assert check(pb, rows({"A": "C24 - - C24 -"})).feasible


def test_shift_count_rolling_vs_blocks() -> None:
    rolling = ShiftCount(id="r", tags=("call",), max=1, window=2)
    blocks = ShiftCount(id="b", tags=("call",), max=1, window=2, blocks=True)
    pb = tiny_problem(days=4, rules=[rolling, blocks])
    r = check(pb, rows({"A": "- C24 C24 -"}))
    assert one(r, "r").first == day(1)  # window days 1-2 straddles the blocks
    assert r.by_rule("b") == []


def test_shift_count_soft_min_over_horizon() -> None:
    rule = ShiftCount(id="min2", min=2, hard=False, weight=3, scope=Selector(people=("B",)))
    pb = tiny_problem(days=3, rules=[rule])
    v = one(check(pb, rows({"A": "- - -", "B": "D - -"})), "min2")
    assert (v.person, v.first, v.last, v.amount, v.cost, v.hard) == (
        "B",
        day(0),
        day(2),
        1,
        3,
        False,
    )
    assert not check(pb, rows({"B": "D N -"})).penalties


# --- work_minutes --------------------------------------------------------------------------


def test_work_minutes_start_day_vs_clock_split() -> None:
    """A night 19:00-07:00: by start day all 720 min fall on day 0; on the clock 300 / 420."""
    start_day = WorkMinutes(id="sd", max=600, window=1)
    clock = WorkMinutes(id="ck", max=600, window=1, split="clock")
    pb = tiny_problem(days=2, rules=[start_day, clock])
    r = check(pb, rows({"A": "N -"}))
    v = one(r, "sd")
    assert (v.first, v.value, v.amount, v.unit) == (day(0), 720, 120, "minutes")
    assert r.by_rule("ck") == []


def test_work_minutes_clock_split_at_block_edge() -> None:
    clock = WorkMinutes(id="ck", max=1000, window=2, blocks=True, split="clock")
    start_day = WorkMinutes(id="sd", max=1000, window=2, blocks=True)
    pb = tiny_problem(days=4, rules=[clock, start_day])
    # D 600 + N's 300 before midnight = 900 in block 0; N's 420 after midnight + D 600 = 1020.
    r = check(pb, rows({"A": "D N D -"}))
    v = one(r, "ck")
    assert (v.first, v.last, v.value, v.amount) == (day(2), day(3), 1020, 20)
    v = one(r, "sd")
    assert (v.first, v.last, v.value, v.amount) == (day(0), day(1), 1320, 320)


def test_work_minutes_clock_drops_minutes_after_horizon_and_min_soft() -> None:
    rule = WorkMinutes(
        id="wm", min=400, split="clock", hard=False, weight=1, scope=Selector(people=("A",))
    )
    pb = tiny_problem(days=2, rules=[rule])
    v = one(check(pb, rows({"A": "- N"})), "wm")
    assert (v.value, v.amount, v.cost) == (300, 100, 100)
    assert not check(pb, rows({"A": "N -"})).by_rule("wm")


def test_work_minutes_ignores_shifts_that_do_not_count_hours() -> None:
    rule = WorkMinutes(id="wm", max=600)
    pb = tiny_problem(days=2, shifts=(D, N, C24, HOME), rules=[rule])
    assert check(pb, rows({"A": "D H"})).feasible
    assert one(check(pb, rows({"A": "D D"})), "wm").amount == 600


def test_work_minutes_filter_by_tag() -> None:
    rule = WorkMinutes(id="nights", tags=("night",), max=720)
    pb = tiny_problem(days=3, rules=[rule])
    assert check(pb, rows({"A": "N D D"})).feasible
    assert one(check(pb, rows({"A": "N - N"})), "nights").value == 1440


# --- consecutive_days ----------------------------------------------------------------------


def test_consecutive_days_max() -> None:
    pb = tiny_problem(rules=[ConsecutiveDays(id="cd", max=3)])
    v = one(check(pb, rows({"A": "D D N - - - -"}.copy() | {"B": "D D D D D - -"})), "cd")
    assert (v.person, v.first, v.last, v.value, v.limit, v.amount) == (
        "B",
        day(0),
        day(4),
        5,
        3,
        2,
    )
    assert v.message == ("Dr B has 5 consecutive working days 2024-01-01..2024-01-05 (max 3) [cd]")


def test_consecutive_days_min_exempts_runs_touching_the_horizon_edges() -> None:
    pb = tiny_problem(rules=[ConsecutiveDays(id="cd", min=2)])
    r = check(pb, rows({"A": "D - - D - - D"}))
    v = one(r, "cd")  # days 0 and 6 touch the edges
    assert (v.first, v.last, v.amount) == (day(3), day(3), 1)
    strict = tiny_problem(rules=[ConsecutiveDays(id="cd", min=2, exempt_edges=False)])
    assert [x.first for x in check(strict, rows({"A": "D - - D - - D"})).by_rule("cd")] == [
        day(0),
        day(3),
        day(6),
    ]
    assert check(pb, rows({"A": "D - - D D - D"})).feasible


def test_consecutive_nights() -> None:
    pb = tiny_problem(rules=[ConsecutiveDays(id="nights", tags=("night",), max=2)])
    v = one(check(pb, rows({"A": "N N N D - - -"})), "nights")
    assert (v.first, v.last, v.amount) == (day(0), day(2), 1)
    assert check(pb, rows({"A": "N N D N N - -"})).feasible


# --- consecutive_days_off ------------------------------------------------------------------


def test_consecutive_days_off_max() -> None:
    pb = tiny_problem(rules=[ConsecutiveDaysOff(id="off", max=2, hard=False, weight=4)])
    r = check(pb, rows({"A": "D - - - - D D", "B": "D - - D - - D"}))
    v = one(r, "off")
    assert (v.person, v.first, v.last, v.value, v.amount, v.cost) == (
        "A",
        day(1),
        day(4),
        4,
        2,
        8,
    )


def test_consecutive_days_off_min_with_edges() -> None:
    pb = tiny_problem(rules=[ConsecutiveDaysOff(id="off", min=2)])
    r = check(pb, rows({"A": "D D - D D D -"}))
    v = one(r, "off")  # the lone day off at the end touches the edge and is exempt
    assert (v.first, v.last, v.value, v.amount) == (day(2), day(2), 1, 1)
    assert check(pb, rows({"A": "- D - - D D D"})).feasible


# --- weekends ------------------------------------------------------------------------------


def test_weekends_saturday_or_sunday_counts() -> None:
    pb = tiny_problem(days=14, rules=[Weekends(id="we", max=1)])
    # 2024-01-06 is a Saturday; 2024-01-14 a Sunday: two different weekends.
    r = check(pb, rows({"A": "- - - - - D - - - - - - - N"}))
    v = one(r, "we")
    assert (v.person, v.first, v.last, v.value, v.limit, v.amount) == (
        "A",
        date(2024, 1, 6),
        date(2024, 1, 14),
        2,
        1,
        1,
    )
    # Saturday and Sunday of one weekend is one weekend.
    assert check(pb, rows({"A": "- - - - - D N"})).feasible


def test_weekends_lone_sunday_at_horizon_start_is_a_weekend() -> None:
    # Starts on Sunday 2023-12-31: that Sunday alone is a weekend.
    pb = tiny_problem(days=8, start=date(2023, 12, 31), rules=[Weekends(id="we", max=1)])
    r = check(pb, rows({"A": "D - - - - - - D"}, start=date(2023, 12, 31)))
    assert one(r, "we").first == date(2023, 12, 31)


# --- succession ----------------------------------------------------------------------------


def test_succession() -> None:
    rule = Succession(
        id="nd", first=ShiftFilter(tags=("night",)), second=ShiftFilter(shifts=("D",))
    )
    pb = tiny_problem(rules=[rule])
    v = one(check(pb, rows({"A": "- N D"})), "nd")
    assert (v.person, v.first, v.last, v.amount, v.unit) == ("A", day(1), day(2), 1, "occurrences")
    assert check(pb, rows({"A": "N N - D N - D"})).feasible


# --- days_off ------------------------------------------------------------------------------


def test_days_off_calendar() -> None:
    pb = tiny_problem(rules=[DaysOff(id="do", min=2, window=7)])
    v = one(check(pb, rows({"A": "D D D - D D D"})), "do")
    assert (v.first, v.last, v.value, v.limit, v.amount) == (day(0), day(6), 1, 2, 1)
    assert check(pb, rows({"A": "D D - - D D D"})).feasible


def test_days_off_rolling_vs_blocks() -> None:
    rolling = DaysOff(id="r", min=1, window=2)
    blocks = DaysOff(id="b", min=1, window=2, blocks=True)
    pb = tiny_problem(days=4, rules=[rolling, blocks])
    r = check(pb, rows({"A": "- D D -"}))
    v = one(r, "r")
    assert (v.first, v.last) == (day(1), day(2))
    assert r.by_rule("b") == []


# --- fairness ------------------------------------------------------------------------------


def test_fairness() -> None:
    rule = Fairness(id="fair", tags=("call",), tolerance=1, hard=False, weight=10)
    pb = tiny_problem(days=7, rules=[rule])
    v = one(check(pb, rows({"A": "C24 - C24 - C24 - -", "B": "D - - - - - -"})), "fair")
    assert (v.person, v.value, v.limit, v.amount, v.cost, v.family) == (
        None,
        3,
        1,
        2,
        20,
        "fairness",
    )
    assert (v.first, v.last) == (day(0), day(6))
    assert "Dr A 3" in v.message and "Dr B 0" in v.message
    carried = rule.model_copy(update={"carried": {"B": 2}})
    assert not check(tiny_problem(rules=[carried]), rows({"A": "C24 - C24 - C24"})).penalties


def test_weekend_fairness_counts_only_weekend_days() -> None:
    rule = Fairness(id="wf", days=DaySet(kind="weekend"))
    pb = tiny_problem(days=7, rules=[rule])
    assert check(pb, rows({"A": "D D D D D - -", "B": "- - - - - D -"})).by_rule("wf")[0].value == 1
    assert check(pb, rows({"A": "D D D D D D -", "B": "- - - - - - D"})).feasible
