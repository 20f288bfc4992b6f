"""ACGME duty-hour rules exactly at their limits, to the minute.

Each case is a hand-written schedule on clock-timed shifts, checked by :func:`rotasolve.check`
and by :func:`rotasolve.compliance.compliance`; the rule comes from the ACGME preset
(:func:`rotasolve.rules.acgme`) and is the only rule of its problem, so the assertions are
about that rule alone. One minute on the wrong side of a limit must flip the verdict.
"""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from helpers import day, sched, tiny_problem
from rotasolve import CallKind, DaysOff, Problem, Rule, Schedule, ShiftType, check
from rotasolve.compliance import ComplianceLine, compliance
from rotasolve.rules import acgme


def preset_rule(key: str, **kwargs: Any) -> Rule:
    """The rule ``acgme_<key>`` of the ACGME preset."""
    return next(r for r in acgme(**kwargs) if r.id == f"acgme_{key}")


def shift(sid: str, hh: int, mm: int, minutes: int, *tags: str, **kw: Any) -> ShiftType:
    return ShiftType(id=sid, start=time(hh, mm), minutes=minutes, tags=tags, **kw)


def verdict(pb: Problem, schedule: Schedule, rule: str, person: str = "A") -> ComplianceLine:
    """The compliance line of ``rule`` for ``person``, after asserting that the checker and
    the report agree on it (fail iff the checker reports a hard violation; same count)."""
    report = check(pb, schedule)
    found = [v for v in report.hard_violations if v.rule == rule and v.person == person]
    line = compliance(pb, schedule).line(person, rule)
    assert line.passed == (not found)
    assert line.breaches == len(found)
    assert line.amount == sum(v.amount for v in found)
    assert "rolling" in line.windowing or "fixed" in line.windowing or "per " in line.windowing
    return line


# --- 80 hours per week averaged over four weeks ----------------------------------------------

NIGHT = shift("N", 19, 0, 720, "night")
DAY12 = shift("D", 7, 0, 720)


def weekly_case(extra: int, **preset: Any) -> tuple[Problem, Schedule]:
    """29 days. Day 0: a night 19:00-07:00 (300 min on day 0, 420 on day 1); day 1 off;
    days 2..28 work 12 h except day 15 off, and day 10 works ``780 + extra`` minutes.

    Window days 1..28 = 420 + 25 x 720 + 780 + extra = 19200 + extra minutes;
    window days 0..27 = 720 + 24 x 720 + 780 + extra = 18780 + extra.
    """
    long_day = shift("L", 7, 0, 780 + extra)
    rule = preset_rule("weekly_hours", **preset)
    pb = tiny_problem(1, days=29, shifts=(NIGHT, DAY12, long_day), rules=[rule])
    items = [("A", 0, "N")] + [("A", d, "L" if d == 10 else "D") for d in range(2, 29) if d != 15]
    return pb, sched(*items)


def test_exactly_80_hours_per_week_passes() -> None:
    pb, s = weekly_case(0)
    line = verdict(pb, s, "acgme_weekly_hours")
    assert (line.worst, line.limit, line.first, line.last) == (19200, 19200, day(1), day(28))
    assert line.avg_weekly_hours == 80.0
    assert line.window_days == 28
    assert line.windowing == "rolling 28-day windows"
    assert line.status == "pass"
    # The night's 420 minutes after midnight count in the window that starts on day 1.
    assert line.worst - 420 == 25 * 720 + 780


@pytest.mark.parametrize(("extra", "weekly"), [(1, 80.0), (60, 80.25)])
def test_above_80_hours_per_week_fails(extra: int, weekly: float) -> None:
    pb, s = weekly_case(extra)
    line = verdict(pb, s, "acgme_weekly_hours")
    assert (line.worst, line.amount, line.breaches) == (19200 + extra, extra, 1)
    assert (line.first, line.last, line.status) == (day(1), day(28), "FAIL")
    assert line.avg_weekly_hours == weekly  # 19201 min is 80.004 h/week, shown as 80.0
    v = check(pb, s).hard_violations[0]
    assert (v.rule, v.first, v.last, v.value, v.limit) == (
        "acgme_weekly_hours",
        day(1),
        day(28),
        19200 + extra,
        19200,
    )


def test_80_25_hours_passes_in_fixed_blocks() -> None:
    """The same schedule averaged over the fixed block days 0..27 (18840 min) passes: the
    window that breaks the limit straddles the block edge. The report says which was used."""
    pb, s = weekly_case(60, blocks=True)
    line = verdict(pb, s, "acgme_weekly_hours")
    assert (line.worst, line.first, line.last, line.passed) == (18840, day(0), day(27), True)
    assert line.windowing == "fixed 28-day blocks"
    summary = compliance(pb, s).rule_summary("acgme_weekly_hours")
    assert summary.windowing == "fixed 28-day blocks (1 blocks; last 1 days in no block)"


# --- one day in seven free: a whole calendar day, 00:00 to 24:00 ----------------------------

D10 = shift("D", 7, 0, 600)
EVE = shift("E", 16, 0, 480)  # ends 24:00 exactly
EVE_LATE = shift("E1", 16, 1, 480)  # ends 00:01 the next day
MIDNIGHT = shift("M", 0, 0, 480)


def day_off_case(evening: str, after_night: bool = False) -> tuple[Problem, Schedule]:
    """28 days of day shifts with days 6, 13, 20 off; day 26 is off after ``evening`` on
    day 25 and before a shift starting at 00:00 on day 27. With ``after_night`` day 26 is
    instead off after a 19:00-07:00 night on day 25."""
    shifts = (D10, EVE, EVE_LATE, MIDNIGHT, NIGHT)
    rules = [preset_rule("day_off"), DaysOff(id="calendar", min=4, window=28)]
    pb = tiny_problem(1, days=28, shifts=shifts, rules=rules)
    items = [("A", d, "D") for d in range(25) if d not in (6, 13, 20)]
    items += [("A", 25, "N" if after_night else evening), ("A", 27, "M")]
    return pb, sched(*items)


def test_day_off_of_exactly_24_hours_counts() -> None:
    pb, s = day_off_case("E")
    line = verdict(pb, s, "acgme_day_off")
    assert (line.worst, line.limit, line.passed) == (4, 4, True)
    assert line.bound == "min"


def test_day_off_of_23_hours_59_minutes_does_not_count() -> None:
    pb, s = day_off_case("E1")
    line = verdict(pb, s, "acgme_day_off")
    assert (line.worst, line.amount, line.first, line.last) == (3, 1, day(0), day(27))
    assert line.status == "FAIL"
    # By calendar days (no shift starts on day 26) it would still be a day off.
    assert check(pb, s).by_rule("calendar") == []


def test_night_ending_0700_uses_that_calendar_day() -> None:
    pb, s = day_off_case("E", after_night=True)
    line = verdict(pb, s, "acgme_day_off")
    assert (line.worst, line.amount) == (3, 1)
    assert check(pb, s).by_rule("calendar") == []
    v = check(pb, s).by_rule("acgme_day_off")[0]
    assert (v.value, v.limit, v.first, v.last) == (3, 4, day(0), day(27))


# --- 24 + 4 hours of continuous duty ---------------------------------------------------------

CALL = shift("C24", 7, 0, 1440, "call", "call24", call=CallKind.in_house)
HANDOFF = shift("T", 7, 0, 240)
HANDOFF_1 = shift("T1", 7, 0, 241)
HANDOFF_LATE = shift("TL", 7, 1, 240)
AFTERNOON = shift("S", 17, 0, 840)  # 17:00 to 07:00 the next day


def continuous_problem(**extra: Any) -> Problem:
    shifts = (D10, CALL, HANDOFF, HANDOFF_1, HANDOFF_LATE, AFTERNOON)
    rules = [preset_rule("continuous_duty")]
    return tiny_problem(1, days=5, shifts=shifts, rules=rules, **extra)


def test_24_plus_4_hours_chained_across_midnight_passes() -> None:
    pb = continuous_problem()
    line = verdict(pb, sched(("A", 1, "C24"), ("A", 2, "T")), "acgme_continuous_duty")
    assert (line.worst, line.limit, line.first, line.last) == (1680, 1680, day(1), day(2))
    assert line.detail == "2024-01-02 07:00 to 2024-01-03 11:00"


def test_24_plus_4_hours_and_one_minute_fails() -> None:
    pb = continuous_problem()
    s = sched(("A", 1, "C24"), ("A", 2, "T1"))
    line = verdict(pb, s, "acgme_continuous_duty")
    assert (line.worst, line.amount, line.status) == (1681, 1, "FAIL")
    v = check(pb, s).hard_violations[0]
    assert (v.rule, v.first, v.last, v.value, v.amount) == (
        "acgme_continuous_duty",
        day(1),
        day(2),
        1681,
        1,
    )


def test_one_minute_gap_breaks_the_chain() -> None:
    pb = continuous_problem()
    line = verdict(pb, sched(("A", 1, "C24"), ("A", 2, "TL")), "acgme_continuous_duty")
    assert (line.worst, line.passed) == (1440, True)


@pytest.mark.parametrize(("handoff", "minutes"), [("T", 1680), ("T1", 1681)])
def test_three_shift_chain(handoff: str, minutes: int) -> None:
    """07:00-17:00, 17:00-07:00, 07:00-11:00(+1 min): one duty period of 1680 (1681) min."""
    pb = continuous_problem(max_shifts_per_day=2)
    s = sched(("A", 0, "D"), ("A", 0, "S"), ("A", 1, handoff))
    line = verdict(pb, s, "acgme_continuous_duty")
    assert (line.worst, line.passed) == (minutes, minutes <= 1680)
    assert check(pb, s).feasible == (minutes <= 1680)


# --- in-house call no more often than every third night: 9 in any 28 days --------------------


def test_call_q3_nine_in_28_days_passes_ten_fails() -> None:
    pb = tiny_problem(1, days=28, shifts=(CALL,), rules=[preset_rule("call_q3")])
    nine = [("A", d, "C24") for d in range(0, 27, 3)]
    line = verdict(pb, sched(*nine), "acgme_call_q3")
    assert (line.worst, line.limit, line.passed) == (9, 9, True)
    line = verdict(pb, sched(*nine, ("A", 27, "C24")), "acgme_call_q3")
    assert (line.worst, line.amount, line.first, line.last) == (10, 1, day(0), day(27))


def test_call_every_third_night_breaks_some_rolling_windows() -> None:
    """q3 for 31 days: windows 0..27 and 3..30 hold 10 calls, the two between hold 9."""
    pb = tiny_problem(1, days=31, shifts=(CALL,), rules=[preset_rule("call_q3")])
    s = sched(*[("A", d, "C24") for d in range(0, 31, 3)])
    line = verdict(pb, s, "acgme_call_q3")
    assert (line.worst, line.breaches, line.first, line.last) == (10, 2, day(0), day(27))
    assert line.windowing == "rolling 28-day windows"


# --- rest: 8 hours between duty periods, 14 hours after 24-hour call -------------------------

REST_SHIFTS = (
    D10,
    CALL,
    HANDOFF,
    shift("R", 1, 0, 360),
    shift("R1", 0, 59, 360),
    shift("E21", 21, 0, 600),
    shift("E2059", 20, 59, 600),
)


def rest_problem(key: str) -> Problem:
    return tiny_problem(1, days=5, shifts=REST_SHIFTS, rules=[preset_rule(key)])


@pytest.mark.parametrize(("nxt", "rest"), [("R", 480), ("R1", 479)])
def test_rest_8_hours_exactly(nxt: str, rest: int) -> None:
    """17:00 to 01:00 is 8 h; to 00:59 is 7 h 59 min."""
    pb = rest_problem("rest_8h")
    line = verdict(pb, sched(("A", 0, "D"), ("A", 1, nxt)), "acgme_rest_8h")
    assert (line.worst, line.limit, line.passed) == (rest, 480, rest >= 480)
    assert (line.first, line.last) == (day(0), day(1))
    assert line.detail == f"2024-01-01 17:00 to 2024-01-02 {'01:00' if rest == 480 else '00:59'}"


@pytest.mark.parametrize(("nxt", "rest"), [("E21", 840), ("E2059", 839)])
def test_rest_14_hours_after_24_hour_call(nxt: str, rest: int) -> None:
    """Call 07:00-07:00, next shift at 21:00 (14 h) or 20:59 (13 h 59 min)."""
    pb = rest_problem("rest_14h_after_call")
    line = verdict(pb, sched(("A", 0, "C24"), ("A", 1, nxt)), "acgme_rest_14h_after_call")
    assert (line.worst, line.passed, line.amount) == (rest, rest >= 840, max(0, 840 - rest))


@pytest.mark.parametrize(("nxt", "rest"), [("R", 840), ("R1", 839)])
def test_rest_after_call_counts_from_the_end_of_the_chain(nxt: str, rest: int) -> None:
    """Call 07:00-07:00 then handoff 07:00-11:00: rest runs from 11:00 to 01:00 (00:59)."""
    pb = rest_problem("rest_14h_after_call")
    s = sched(("A", 0, "C24"), ("A", 1, "T"), ("A", 2, nxt))
    line = verdict(pb, s, "acgme_rest_14h_after_call")
    assert (line.worst, line.passed) == (rest, rest >= 840)


def test_rest_after_call_does_not_apply_after_a_day_shift() -> None:
    pb = rest_problem("rest_14h_after_call")
    line = verdict(pb, sched(("A", 0, "D"), ("A", 1, "R1")), "acgme_rest_14h_after_call")
    assert (line.worst, line.passed, line.detail) == (None, True, "no rest to measure")
