"""Clock rule families: rest, continuous_duty, days_off with free24, and the duty figures;
plus a naive minute-by-minute reference for the clock rules run on random schedules."""

from __future__ import annotations

from datetime import time
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import C24, HOME, D, N, X, day, one, rows, tiny_problem
from rotasolve import (
    ContinuousDuty,
    DaysOff,
    Person,
    Problem,
    Rest,
    Role,
    Schedule,
    ShiftFilter,
    ShiftType,
    WorkMinutes,
    check,
)
from rotasolve.check.context import CheckContext

# --- rest ----------------------------------------------------------------------------------


def test_rest_after_call_tag_only() -> None:
    rule = Rest(id="r14", minutes=840, after=ShiftFilter(tags=("call",)))
    pb = tiny_problem(days=3, rules=[rule], max_shifts_per_day=2)
    # C24 ends on day 1 at 07:00, the night starts at 19:00: 720 min of rest.
    v = one(check(pb, rows({"A": "C24 N"})), "r14")
    assert (v.person, v.first, v.last, v.value, v.limit, v.amount) == (
        "A",
        day(1),
        day(1),
        720,
        840,
        120,
    )
    assert "from 2024-01-02 07:00 to 2024-01-02 19:00" in v.message
    # 2 h between a day shift and a night is not after call.
    assert check(pb, rows({"A": "D+N"})).feasible


def test_rest_between_all_periods_and_last_period_unchecked() -> None:
    pb = tiny_problem(days=3, rules=[Rest(id="r8", minutes=480)], max_shifts_per_day=2)
    v = one(check(pb, rows({"A": "D+N"})), "r8")
    assert (v.first, v.last, v.value, v.amount) == (day(0), day(0), 120, 360)
    assert check(pb, rows({"A": "- - N"})).feasible


def test_rest_back_to_back_chain_is_one_period() -> None:
    pb = tiny_problem(days=3, rules=[Rest(id="r8", minutes=480)], max_shifts_per_day=2)
    # N (19:00-07:00) then D from 07:00 is one duty period, no rest between them; the
    # night on day 1 starts 2 h after that period ends.
    v = one(check(pb, rows({"A": "N D+N"})), "r8")
    assert (v.first, v.value) == (day(1), 120)


def test_rest_ignores_shifts_that_do_not_count_hours() -> None:
    pb = tiny_problem(days=3, shifts=(D, N, C24, HOME), max_shifts_per_day=2)
    schedule = rows({"A": "D+H D"})  # home call 17:00-07:00 between two day shifts
    ok = pb.model_copy(update={"rules": (Rest(id="r", minutes=840),)})
    assert check(ok, schedule).feasible
    short = pb.model_copy(update={"rules": (Rest(id="r", minutes=900),)})
    assert one(check(short, schedule), "r").amount == 60


# --- continuous_duty -----------------------------------------------------------------------


def test_continuous_duty_24_plus_4() -> None:
    pb = tiny_problem(days=3, rules=[ContinuousDuty(id="cd", max_minutes=1680)])
    v = one(check(pb, rows({"A": "C24 D"})), "cd")
    assert (v.person, v.first, v.last, v.value, v.limit, v.amount) == (
        "A",
        day(0),
        day(1),
        2040,
        1680,
        360,
    )
    assert (v.family, v.unit) == ("continuous_duty", "minutes")
    assert check(pb, rows({"A": "C24 - D"})).feasible


def test_continuous_duty_chain_across_midnight() -> None:
    pb = tiny_problem(days=3, rules=[ContinuousDuty(id="cd", max_minutes=1200)])
    v = one(check(pb, rows({"A": "N D"})), "cd")
    assert (v.first, v.last, v.value, v.amount) == (day(0), day(1), 1320, 120)
    assert check(pb, rows({"A": "N N N"})).feasible  # 12 h gaps between nights


def test_continuous_duty_counts_period_past_horizon_end_in_full() -> None:
    pb = tiny_problem(days=2, rules=[ContinuousDuty(id="cd", max_minutes=1200)])
    v = one(check(pb, rows({"A": "- C24"})), "cd")
    assert (v.first, v.last, v.value, v.amount) == (day(1), day(2), 1440, 240)


# --- days_off free24 -----------------------------------------------------------------------


def test_free24_night_uses_next_day_but_it_is_a_calendar_day_off() -> None:
    free = DaysOff(id="f", min=2, window=7, day_off="free24")
    cal = DaysOff(id="c", min=2, window=7)
    pb = tiny_problem(rules=[free, cal])
    # Nights on days 0, 2, 4: calendar days off 1, 3, 5, 6; free 24 h only day 6.
    r = check(pb, rows({"A": "N - N - N - -", "B": "- - - - - - -"}))
    v = one(r, "f")
    assert (v.person, v.value, v.amount) == ("A", 1, 1)
    assert "free24" in v.message
    assert r.by_rule("c") == []
    assert check(pb, rows({"A": "N - - D - - -"})).feasible


def test_free24_at_home_call_uses_the_day() -> None:
    pb = tiny_problem(
        shifts=(D, N, C24, HOME), rules=[DaysOff(id="f", min=5, window=7, day_off="free24")]
    )
    v = one(check(pb, rows({"A": "D - - - - H -"})), "f")  # home call 17:00 day 5 -> 07:00 day 6
    assert (v.value, v.amount) == (4, 1)


# --- duty figures --------------------------------------------------------------------------


def test_duty_figures_night_day_off() -> None:
    r = check(tiny_problem(days=2), rows({"A": "N -"}))
    a = r.duty[0]
    assert (a.person, a.days_off_calendar, a.days_off_free24) == ("A", 1, 0)
    assert (a.total_minutes, a.shifts, a.longest_duty_minutes) == (720, 1, 720)
    assert a.shortest_rest_minutes is None
    assert a.worst_28d_minutes is None and a.worst_28d_calls is None  # horizon < 28 days
    assert any("rolling" in n and "before the horizon" in n for n in r.notes)


def test_duty_figures_over_30_days() -> None:
    pb = tiny_problem(days=30)
    a_row = ["D"] * 5 + ["-"] * 24 + ["N"]
    b_row = ["-"] * 30
    for i in (0, 10, 20, 29):
        b_row[i] = "C24"
    r = check(pb, rows({"A": " ".join(a_row), "B": " ".join(b_row)}))
    a, b = r.duty
    # Window 0-27 holds the five day shifts; the last night counts only 300 min in 2-29.
    assert (a.worst_28d_minutes, a.worst_28d_first, a.worst_28d_avg_weekly_hours) == (
        3000,
        day(0),
        12.5,
    )
    assert (a.total_minutes, a.shifts, a.calls, a.worst_28d_calls) == (3720, 6, 0, 0)
    assert (a.days_off_calendar, a.days_off_free24) == (24, 24)
    assert (a.longest_duty_minutes, a.shortest_rest_minutes) == (720, 840)
    assert (b.calls, b.worst_28d_calls) == (4, 3)


def test_duty_figures_only_residents_and_none_without_clock() -> None:
    people = (Person(id="R", pgy=1), Person(id="F", role=Role.faculty))
    pb = tiny_problem(people, days=28, shifts=(X,))
    r = check(pb, rows({"R": "X X", "F": "X"}))
    (fig,) = r.duty
    assert fig.person == "R" and fig.total_minutes == 960
    assert fig.days_off_free24 is None and fig.longest_duty_minutes is None
    assert fig.worst_28d_minutes is None and fig.worst_28d_calls == 0


# --- naive minute-by-minute reference --------------------------------------------------------

MIN_DAY = 1440
EARLY = ShiftType(id="E", start=time(5), minutes=300, tags=("call",))
SHIFTS = (D, N, C24, HOME, EARLY)


def naive(pb: Problem, schedule: Schedule) -> dict[str, list[tuple[str | None, int]]]:
    """Rest, continuous duty, free24 and clock work minutes from minute occupancy arrays."""
    days = pb.horizon.days
    span = (days + 3) * MIN_DAY
    shifts = {s.id: s for s in pb.shifts}
    out: dict[str, list[tuple[str | None, int]]] = {}
    for person in pb.people:
        mine = [
            (pb.horizon.index(a.day), shifts[a.shift])
            for a in schedule.assignments
            if a.person == person.id and a.shift in shifts and pb.horizon.contains(a.day)
        ]
        duty = [False] * span
        anything = [False] * span
        load = [0] * span  # overlapping shifts both count toward work minutes
        call_starts = set()
        for d, s in mine:
            a = d * MIN_DAY + s.start_minute
            for m in range(a, a + s.minutes):
                anything[m] = True
                if s.counts_hours:
                    duty[m] = True
                    load[m] += 1
            if s.counts_hours and "call" in s.tags:
                call_starts.add(a)
        # Periods = maximal runs of duty minutes (touching shifts merge).
        periods = []
        m = 0
        while m < span:
            if duty[m]:
                e = m
                while e < span and duty[e]:
                    e += 1
                periods.append((m, e))
                m = e
            else:
                m += 1
        for rule in pb.rules:
            found = out.setdefault(rule.id, [])
            if isinstance(rule, ContinuousDuty):
                found += [
                    (person.id, e - a - rule.max_minutes)
                    for a, e in periods
                    if e - a > rule.max_minutes
                ]
            elif isinstance(rule, Rest):
                for (a, e), (a2, _) in pairwise(periods):
                    after_call = any(a <= c < e for c in call_starts)
                    if (rule.after.tags == () or after_call) and a2 - e < rule.minutes:
                        found.append((person.id, rule.minutes - (a2 - e)))
            elif isinstance(rule, DaysOff):
                free = [not any(anything[d * MIN_DAY : (d + 1) * MIN_DAY]) for d in range(days)]
                for w in range(days - rule.window + 1):
                    n = sum(free[w : w + rule.window])
                    if n < rule.min:
                        found.append((person.id, rule.min - n))
            elif isinstance(rule, WorkMinutes):
                per_day = [sum(load[d * MIN_DAY : (d + 1) * MIN_DAY]) for d in range(days)]
                for w in range(days - rule.window + 1):
                    n = sum(per_day[w : w + rule.window])
                    if n > rule.max:
                        found.append((person.id, n - rule.max))
    return out


@st.composite
def clock_cases(draw: st.DrawFn) -> tuple[Problem, Schedule]:
    days = draw(st.integers(3, 6))
    rules = [
        ContinuousDuty(id="cd", max_minutes=draw(st.sampled_from([600, 1200, 1680]))),
        Rest(id="rest", minutes=draw(st.sampled_from([480, 600, 840]))),
        Rest(id="rest_call", minutes=840, after=ShiftFilter(tags=("call",))),
        DaysOff(id="free", min=draw(st.integers(0, 3)), window=min(days, 3), day_off="free24"),
        WorkMinutes(id="wm", max=draw(st.sampled_from([600, 1000, 2000])), window=2, split="clock"),
    ]
    pb = tiny_problem(2, days=days, shifts=SHIFTS, rules=rules, max_shifts_per_day=3)
    cells = st.tuples(st.sampled_from("AB"), st.integers(0, days - 1), st.sampled_from("DNCHE"))
    picks = draw(st.lists(cells, max_size=10))
    ids = {"C": "C24", "H": "H"}
    schedule = Schedule.model_validate(
        {
            "assignments": [
                {"person": p, "day": day(d).isoformat(), "shift": ids.get(s, s)}
                for p, d, s in picks
            ]
        }
    )
    return pb, schedule


@settings(max_examples=80, deadline=None)
@given(clock_cases())
def test_clock_rules_match_naive_reference(case: tuple[Problem, Schedule]) -> None:
    pb, schedule = case
    report = check(pb, schedule)
    expected = naive(pb, schedule)
    for rule_id, found in expected.items():
        got = [(v.person, v.amount) for v in report.by_rule(rule_id)]
        assert sorted(got) == sorted(found), rule_id


def test_duty_periods_merge_overlaps() -> None:
    pb = tiny_problem(days=2, max_shifts_per_day=2)
    ctx = CheckContext(pb, rows({"A": "C24+N D"}))
    (period,) = ctx.duty_periods(0)
    assert (period.start, period.end, period.minutes) == (420, 1860 + 600, 2040)
    assert len(period.shifts) == 3
    assert ctx.duty_periods(1) == []
