"""Carried-in history (``Problem.history_start``): windows straddling the horizon start, what
the reports say about the days before the horizon, duty periods chained across it, and the
solver scheduling around carried-in hours."""

from __future__ import annotations

import warnings
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from helpers import START, D, day, one, rows, tiny_problem
from rotasolve import (
    ContinuousDuty,
    Cover,
    DaysOff,
    DutyEntry,
    Problem,
    ProblemIndex,
    Rest,
    ShiftCount,
    WorkMinutes,
    check,
)
from rotasolve.compliance import compliance
from rotasolve.problem import ProblemWarning
from rotasolve.solver import evaluate, solve

HOURS80 = WorkMinutes(id="hours80", max=80 * 60 * 4, window=28, split="clock")
WEEK_BEFORE = START - timedelta(days=7)


def at(d: int, hh: int) -> datetime:
    """``hh:00`` on day index ``d`` (negative: before the horizon)."""
    return datetime.combine(day(d), time(hh))


def carried(person: str, days: range, hours: int = 12, start: int = 7) -> list[DutyEntry]:
    """One ``hours``-hour entry per day of ``days``, from ``start`` o'clock."""
    return [
        DutyEntry(
            id=f"h{person}{d}",
            person=person,
            start=at(d, start),
            end=at(d, start) + timedelta(hours=hours),
        )
        for d in days
    ]


def calls_table() -> dict[str, str]:
    """A: 24-hour calls every other day from day 0 to day 20, a day shift on day 19, then
    a week off: 274 h in the 28-day horizon (68.5 h/week)."""
    cells = ["C24" if d % 2 == 0 and d <= 20 else "-" for d in range(28)]
    cells[19] = "D"
    return {"A": " ".join(cells)}


# --- windows ---------------------------------------------------------------------------------
def test_index_windows_reach_back_only_for_rules_counting_entries() -> None:
    pb = tiny_problem(1, 28, history_start=WEEK_BEFORE)
    ix = ProblemIndex(pb)
    assert ix.history_days == 7
    assert ix.windows(28, history=True)[0] == (-7, 20)
    assert ix.windows(28, history=True)[-1] == (0, 27)
    assert ix.windows(3, history=True)[0] == (-2, 0)  # windows must end inside the horizon
    assert ix.windows(7, blocks=True, history=True) == ix.windows(7, blocks=True)
    assert ix.uses_history(HOURS80)
    assert ix.uses_history(DaysOff(id="off", min=4, window=28))
    assert not ix.uses_history(WorkMinutes(id="n", max=60, window=7, tags=("night",)))
    assert not ix.uses_history(ShiftCount(id="q3", max=9, window=28))
    assert not ix.uses_history(DaysOff(id="off", min=4, window=7, blocks=True))
    assert ProblemIndex(tiny_problem(1, 28)).windows(28, history=True) == [(0, 27)]


def test_80_hours_broken_by_carried_in_hours_in_a_straddling_window() -> None:
    """60 h of entries in the 7 days before the horizon + 274 h scheduled: the windows
    starting 7 and 6 days before the horizon hold 327 h and 322 h (max 320)."""
    pb = tiny_problem(
        1,
        28,
        rules=[HOURS80],
        duty=carried("A", range(-7, -2)),
        history_start=WEEK_BEFORE,
    )
    schedule = rows(calls_table())
    report = check(pb, schedule)
    got = [(v.first, v.last, v.value, v.amount) for v in report.by_rule("hours80")]
    assert got == [
        (day(-7), day(20), 327 * 60, 420),
        (day(-6), day(21), 322 * 60, 120),
    ]
    assert all(v.hard and v.person == "A" for v in report.by_rule("hours80"))
    assert any(f"history from {WEEK_BEFORE}" in n for n in report.notes)
    assert evaluate(pb, schedule) is None  # the model agrees: a hard violation
    comp = compliance(pb, schedule)
    line = comp.line("A", "hours80")
    assert (line.worst, line.first, line.last, line.breaches, line.amount) == (
        327 * 60,
        day(-7),
        day(20),
        2,
        540,
    )
    assert not line.passed and not comp.passed
    assert line.windowing == f"rolling 28-day windows from {WEEK_BEFORE}"
    assert f"History from {WEEK_BEFORE}" in comp.assumptions[0]
    assert f"History from {WEEK_BEFORE}" in comp.to_text()
    fig = report.duty[0]
    assert fig.worst_28d_minutes == 327 * 60 and fig.worst_28d_first == day(-7)


def test_80_hours_pass_without_history_and_the_reports_say_so() -> None:
    pb = tiny_problem(1, 28, rules=[HOURS80])
    report = check(pb, rows(calls_table()))
    assert report.feasible
    note = next(n for n in report.notes if "before the horizon" in n)
    assert "nothing is assumed" in note and f"first day, {START}" in note
    comp = compliance(pb, rows(calls_table()))
    assert comp.passed and comp.line("A", "hours80").worst == 274 * 60
    assert comp.assumptions[0].startswith("Nothing is assumed about days before the horizon")
    assert comp.line("A", "hours80").windowing == "rolling 28-day windows"


def test_entries_before_the_horizon_need_history_start() -> None:
    with pytest.raises(ValidationError, match="set history_start"):
        tiny_problem(1, 28, duty=carried("A", range(-7, -2)))


def test_history_start_after_horizon_start_is_an_error() -> None:
    with pytest.raises(ValidationError, match="is after the horizon"):
        tiny_problem(1, 7, history_start=START + timedelta(days=1))


def test_entries_before_history_start_warn() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tiny_problem(1, 7, duty=carried("A", range(-9, -8)), history_start=WEEK_BEFORE, quiet=False)
    assert any(
        issubclass(w.category, ProblemWarning) and "before history_start" in str(w.message)
        for w in caught
    )


def test_history_start_on_the_horizon_start_changes_nothing() -> None:
    pb = tiny_problem(1, 28, rules=[HOURS80], history_start=START)
    assert ProblemIndex(pb).history_days == 0
    assert check(pb, rows(calls_table())).feasible


# --- days off -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["calendar", "free24"])
def test_days_off_counted_across_the_horizon_start(kind: str) -> None:
    """A day shift every day 0..23, 4 days off at the end: the horizon's only 28-day window
    has 4 days off; with a week of recorded duty before it, windows from 7 days before have
    fewer (one in seven averaged over four weeks = 4)."""
    rule = DaysOff(id="off4", min=4, window=28, day_off=kind)  # type: ignore[arg-type]
    table = {"A": " ".join(["D"] * 24 + ["-"] * 4)}
    plain = tiny_problem(1, 28, rules=[rule])
    assert check(plain, rows(table)).feasible
    pb = tiny_problem(
        1, 28, rules=[rule], duty=carried("A", range(-7, 0), 8), history_start=WEEK_BEFORE
    )
    report = check(pb, rows(table))
    got = [(v.first, v.value, v.amount) for v in report.by_rule("off4")]
    # the window from day -k ends on day 27 - k and holds days off 24 .. 27 - k
    assert got == [(day(-k), max(0, 4 - k), min(4, k)) for k in range(7, 0, -1)]
    line = compliance(pb, rows(table)).line("A", "off4")
    assert (line.worst, line.first, line.breaches) == (0, day(-7), 7)
    # a carried-in day without an entry is a day off
    gap = [e for e in carried("A", range(-7, 0), 8) if e.start.date() != day(-1)]
    pb2 = tiny_problem(1, 28, rules=[rule], duty=gap, history_start=WEEK_BEFORE)
    got = [(v.first, v.value) for v in check(pb2, rows(table)).by_rule("off4")]
    assert got == [(day(-k), 1 + max(0, 4 - k)) for k in range(7, 1, -1)]


# --- duty periods across the horizon start ---------------------------------------------------
def test_rest_after_a_night_worked_before_the_horizon() -> None:
    """A night entry ending at 23:00 the day before the horizon, a day shift at 07:00 on its
    first day: 8 h of rest (min 14)."""
    night = DutyEntry(id="night", person="A", start=at(-1, 11), end=at(-1, 23))
    rest = Rest(id="rest14", minutes=14 * 60)
    pb = tiny_problem(1, 7, rules=[rest], duty=[night], history_start=day(-1))
    v = one(check(pb, rows({"A": "D - - - - - -"})), "rest14")
    assert (v.first, v.last, v.value, v.amount) == (day(-1), day(0), 480, 360)
    assert check(pb, rows({"A": "- D - - - - -"})).feasible


def test_continuous_duty_across_the_horizon_start() -> None:
    """24 h of duty ending at 07:00 on the first day, then a 10-hour day shift: 34 h."""
    call = DutyEntry(id="call", person="A", start=at(-1, 7), end=at(0, 7))
    rule = ContinuousDuty(id="max28", max_minutes=28 * 60)
    pb = tiny_problem(1, 7, rules=[rule], duty=[call])
    v = one(check(pb, rows({"A": "D - - - - - -"})), "max28")
    assert (v.first, v.value, v.amount) == (day(-1), 34 * 60, 6 * 60)
    assert check(pb, rows({"A": "- D - - - - -"})).feasible


# --- the solver -----------------------------------------------------------------------------
def _cover_problem(b_max: int, history: bool, **kw: Any) -> Problem:
    """A and B, one day shift needed each day for 7 days, B at most ``b_max`` shifts; A
    carried 36 h over the 3 days before the horizon; at most 50 h in any 7 days."""
    rules = [
        WorkMinutes(id="h50", max=50 * 60, window=7, split="clock"),
        ShiftCount(id="bmax", max=b_max, scope={"people": ("B",)}),  # type: ignore[arg-type]
    ]
    extra: dict[str, Any] = {}
    if history:
        extra = {"duty": carried("A", range(-3, 0)), "history_start": day(-3)}
    return tiny_problem(
        2,
        7,
        shifts=[D],
        rules=rules,
        cover=[Cover(id="day", shifts=("D",), min=1, max=1)],
        **extra,
        **kw,
    )


@pytest.mark.parametrize("b_max", [5, 3])
def test_solver_schedules_around_carried_in_hours(b_max: int) -> None:
    pb = _cover_problem(b_max, history=True)
    res = solve(pb, time_limit=10, workers=1, seed=0)
    assert res.ok and res.report is not None
    assert not res.report.hard_violations
    assert check(pb, res.schedule) == res.report
    a_days = sorted(pb.horizon.index(x.day) for x in res.schedule.assignments if x.person == "A")
    assert len(a_days) >= 7 - b_max
    assert sum(d <= 3 for d in a_days) <= 1  # window -3..3 holds 36 h already


def test_carried_in_hours_make_the_problem_infeasible() -> None:
    """B at most 2: A needs 5 day shifts, but at most 1 fits in days 0..3 and 3 in 4..6."""
    assert solve(_cover_problem(2, history=False), time_limit=10, workers=1).ok
    res = solve(_cover_problem(2, history=True), time_limit=10, workers=1)
    assert res.status == "infeasible"


def test_solver_avoids_short_rest_after_a_pre_horizon_night() -> None:
    night = DutyEntry(id="night", person="A", start=at(-1, 11), end=at(-1, 23))
    pb = tiny_problem(
        2,
        3,
        shifts=[D],
        rules=[Rest(id="rest14", minutes=14 * 60)],
        cover=[Cover(id="day", shifts=("D",), min=1, max=1)],
        locks=[],
        duty=[night],
        history_start=day(-1),
    )
    res = solve(pb, time_limit=10, workers=1, seed=0)
    assert res.ok and res.report is not None and not res.report.hard_violations
    assert not any(x.person == "A" and x.day == START for x in res.schedule.assignments)


def test_history_survives_json_round_trip(tmp_path: Any) -> None:
    from rotasolve.io import load_problem, save_problem

    pb = tiny_problem(1, 28, duty=carried("A", range(-7, -2)), history_start=WEEK_BEFORE)
    save_problem(pb, tmp_path / "p.json")
    assert load_problem(tmp_path / "p.json") == pb
    assert isinstance(pb.history_start, date)
