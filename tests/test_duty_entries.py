"""Fixed duty entries (moonlighting, at-home call hours in hospital): one violating and one
satisfying case per rule they affect, the PGY-1 moonlighting ban, validation, CSV input and
the solver scheduling around an entry."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from helpers import HOME, START, day, one, people, rows, sched, tiny_problem
from rotasolve import (
    ContinuousDuty,
    Cover,
    DaysOff,
    DutyEntry,
    Problem,
    Request,
    Rest,
    ShiftFilter,
    WorkMinutes,
    check,
)
from rotasolve.check import CheckContext
from rotasolve.cli import main
from rotasolve.compliance import compliance
from rotasolve.io import read_schedule_csv, save_problem
from rotasolve.solver import evaluate, solve


def at(d: int, hh: int, mm: int = 0) -> datetime:
    """Wall-clock time ``hh:mm`` on day index ``d`` from the helpers' START (a Monday)."""
    return datetime.combine(START + timedelta(days=d), time(hh, mm))


def entry(
    eid: str, person: str, start: datetime, end: datetime, kind: str = "moonlighting", **kw: Any
) -> DutyEntry:
    return DutyEntry(id=eid, person=person, start=start, end=end, kind=kind, **kw)  # type: ignore[arg-type]


def problem(*entries: DutyEntry, **kw: Any) -> Problem:
    """Three residents (A PGY-1, B PGY-2, C PGY-3) over 7 days with D, N, C24 and H."""
    kw.setdefault("shifts", (*tiny_problem().shifts, HOME))
    return tiny_problem(3, kw.pop("days", 7), duty=entries, **kw)


# --- work_minutes ---------------------------------------------------------------------------
HOURS80 = WorkMinutes(id="hours80", max=80 * 60 * 4, window=28, split="clock")


def _q2_calls() -> str:
    """13 in-house 24-hour calls every other day: 312 h in 28 days, 78 h/week."""
    return " ".join("C24" if d % 2 == 0 and d <= 24 else "-" for d in range(28))


@pytest.mark.parametrize(("hours", "over"), [(3, 240), (2, 0)])
def test_weekly_moonlighting_counts_toward_80_hours(hours: int, over: int) -> None:
    # 78 h/week scheduled plus `hours` h of moonlighting every week.
    moon = [entry(f"m{w}", "B", at(d, 19), at(d, 19 + hours)) for w, d in enumerate((1, 9, 15, 23))]
    pb = problem(*moon, days=28, rules=[HOURS80])
    report = check(pb, rows({"B": _q2_calls()}))
    assert [v.rule for v in report.hard_violations] == (["hours80"] if over else [])
    if over:
        v = one(report, "hours80")
        assert (v.person, v.first, v.last, v.value, v.amount) == ("B", day(0), day(27), 19440, 240)
        assert v.hard and v.family == "work_minutes"
    else:
        assert report.by_rule("hours80") == []
    fig = next(f for f in report.duty if f.person == "B")
    assert fig.worst_28d_minutes == 18720 + 4 * 60 * hours
    assert fig.total_minutes == 18720 + 4 * 60 * hours
    assert fig.shifts == 13  # entries are not shifts
    line = compliance(pb, rows({"B": _q2_calls()})).line("B", "hours80")
    assert line.worst == 18720 + 4 * 60 * hours and line.passed == (over == 0)


def test_home_call_hours_in_hospital_count_and_may_overlap_the_home_call() -> None:
    rule = WorkMinutes(id="wk", max=600, window=7, split="clock")
    calls_only = WorkMinutes(id="calls", tags=("call",), max=0, window=7)
    inside = entry("h1", "B", at(0, 22), at(1, 3), kind="home_call_in_hospital")  # 300 min
    pb = problem(inside, rules=[rule, calls_only], max_shifts_per_day=2)
    # 10 h day shift + 5 h in hospital on home call: over 600 by 300.
    report = check(pb, rows({"B": "D+H - - - - - -"}))
    assert [v.rule for v in report.hard_violations] == ["wk"]
    assert report.hard_violations[0].amount == 300
    # The at-home call shift itself counts no hours; without the day shift all is well.
    assert check(pb, rows({"B": "H - - - - - -"})).feasible


def test_clock_split_counts_only_minutes_inside_the_horizon_start_day_none() -> None:
    before = entry("early", "B", at(-1, 22), at(0, 2), kind="duty")  # 120 min on day 0
    clock = WorkMinutes(id="clock", max=0, window=1, split="clock")
    start_day = WorkMinutes(id="start", max=0, window=1)
    report = check(problem(before, rules=[clock, start_day]), rows({}))
    v = one(report, "clock")
    assert (v.first, v.amount) == (day(0), 120)
    assert report.by_rule("start") == []


def test_uncounted_entry_adds_no_minutes() -> None:
    e = entry("x", "B", at(0, 8), at(0, 12), kind="duty", counts_hours=False)
    report = check(problem(e, rules=[WorkMinutes(id="wk", max=0)]), rows({}))
    assert report.feasible


# --- rest -----------------------------------------------------------------------------------
REST8 = Rest(id="rest8", minutes=480)


@pytest.mark.parametrize(
    ("start", "end", "short"), [(at(0, 19), at(1, 5), 360), (at(0, 17), at(0, 23), 0)]
)
def test_moonlighting_before_a_shift_needs_8_hours_rest(
    start: datetime, end: datetime, short: int
) -> None:
    moon = entry("m", "B", start, end)
    report = check(problem(moon, rules=[REST8]), rows({"B": "- D - - - - -"}))
    if short:
        v = one(report, "rest8")
        assert (v.person, v.first, v.last, v.value, v.amount) == ("B", day(1), day(1), 120, 360)
        assert "05:00" in v.message and "07:00" in v.message
    else:
        assert report.feasible


def test_rest_after_a_shift_before_moonlighting() -> None:
    moon = entry("m", "B", at(0, 19), at(0, 23))
    report = check(problem(moon, rules=[REST8]), rows({"B": "D - - - - - -"}))
    v = one(report, "rest8")
    assert (v.value, v.amount) == (120, 360)


def test_rest_after_filter_matches_shifts_only() -> None:
    # A period made only of an entry is not "after call", so 14 h after call is not asked.
    after_call = Rest(id="r14", minutes=840, after=ShiftFilter(tags=("call",)))
    moon = entry("m", "B", at(0, 19), at(0, 23))
    assert check(problem(moon, rules=[after_call]), rows({"B": "- D - - - - -"})).feasible
    # A call chained with an entry is: call 07:00-07:00, entry to 09:00, day shift next day.
    chained = entry("k", "B", at(1, 7), at(1, 9), kind="duty")
    report = check(problem(chained, rules=[after_call]), rows({"B": "C24 N - - - - -"}))
    v = one(report, "r14")
    assert (v.value, v.amount) == (600, 240)


# --- continuous duty ------------------------------------------------------------------------
MAX28 = ContinuousDuty(id="max28", max_minutes=1680)


@pytest.mark.parametrize(("end_hour", "over"), [(12, 60), (11, 0)])
def test_entry_back_to_back_with_24h_call_counts_in_24_plus_4(end_hour: int, over: int) -> None:
    after_call = entry("t", "B", at(1, 7), at(1, end_hour), kind="duty")
    report = check(problem(after_call, rules=[MAX28]), rows({"B": "C24 - - - - - -"}))
    if over:
        v = one(report, "max28")
        assert (v.person, v.first, v.last, v.value, v.amount) == ("B", day(0), day(1), 1740, 60)
    else:
        assert report.feasible
    (period,) = CheckContext(problem(after_call), rows({"B": "C24"})).duty_periods(1)
    assert period.entries == ("t",) and period.minutes == 1440 + 60 * (end_hour - 7)


def test_entry_with_a_gap_does_not_chain() -> None:
    later = entry("t", "B", at(1, 8), at(1, 12), kind="duty")
    assert check(problem(later, rules=[MAX28]), rows({"B": "C24 - - - - - -"})).feasible


# --- days off -------------------------------------------------------------------------------
FREE = DaysOff(id="free", min=1, window=7, day_off="free24")
CAL = DaysOff(id="cal", min=1, window=7, day_off="calendar")


@pytest.mark.parametrize(("d", "short"), [(6, 1), (5, 0)])
def test_moonlighting_on_the_only_free_day(d: int, short: int) -> None:
    moon = entry("m", "B", at(d, 10), at(d, 14), counts_hours=False)  # even if it counts no hours
    report = check(problem(moon, rules=[FREE, CAL]), rows({"B": "D D D D D D -"}))
    if short:
        assert [(v.rule, v.amount, v.first, v.last) for v in report.hard_violations] == [
            ("free", 1, day(0), day(6)),
            ("cal", 1, day(0), day(6)),
        ]
    else:
        assert report.feasible


def test_entry_across_midnight_uses_the_free_day_but_not_the_calendar_day() -> None:
    late = entry("m", "B", at(5, 22), at(6, 2))
    report = check(problem(late, rules=[FREE, CAL]), rows({"B": "D D D D D D -"}))
    assert [v.rule for v in report.hard_violations] == ["free"]
    fig = next(f for f in report.duty if f.person == "B")
    assert (fig.days_off_free24, fig.days_off_calendar) == (0, 1)


# --- the duty family: PGY-1 moonlighting and overlaps ---------------------------------------
def test_pgy1_may_not_moonlight() -> None:
    pb = problem(
        entry("a_moon", "A", at(2, 18), at(2, 22)),
        entry("a_duty", "A", at(3, 18), at(3, 22), kind="duty"),
        entry("b_moon", "B", at(2, 18), at(2, 22)),
    )
    report = check(pb, rows({}))
    v = one(report, "pgy1_moonlighting")
    assert (v.person, v.family, v.hard, v.first, v.last, v.amount) == (
        "A",
        "duty",
        True,
        day(2),
        day(2),
        240,
    )
    assert "a_moon" in v.message and "VI.F.5" in v.message
    assert len(report.hard_violations) == 1


def test_entry_may_not_overlap_an_hour_counting_shift() -> None:
    e = entry("m", "B", at(0, 15), at(0, 20), kind="duty")
    report = check(problem(e, max_shifts_per_day=2), rows({"B": "D - - - - - -"}))
    v = one(report, "duty_overlap")
    assert (v.person, v.family, v.first, v.amount) == ("B", "duty", day(0), 120)
    # Back to back is fine, and so is an at-home call shift (it counts no hours).
    ok = entry("m", "B", at(0, 17), at(0, 20), kind="duty")
    assert check(problem(ok, max_shifts_per_day=2), rows({"B": "D+H - - - - - -"})).feasible
    assert check(problem(ok), rows({"B": "D - - - - - -"})).feasible


# --- validation -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("entries", "match"),
    [
        ([entry("e1", "Z", at(0, 8), at(0, 9))], r"duty entry 'e1' refers to unknown person 'Z'"),
        ([entry("e1", "B", at(0, 9), at(0, 9))], r"duty entry 'e1': end .* is not after start"),
        ([entry("e1", "B", at(7, 0), at(7, 5))], r"duty entry 'e1': .* entirely outside"),
        ([entry("e1", "B", at(-1, 20), at(0, 0))], r"duty entry 'e1': .* entirely outside"),
        (
            [entry("e1", "B", at(0, 8), at(0, 12)), entry("e2", "B", at(0, 11), at(0, 13))],
            r"duty entry 'e2' of 'B' .* overlaps duty entry 'e1'",
        ),
        (
            [entry("e1", "B", at(0, 8), at(0, 12)), entry("e1", "C", at(0, 8), at(0, 9))],
            r"duplicate id 'e1' in duty",
        ),
    ],
)
def test_validation_names_the_entry(entries: list[DutyEntry], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        problem(*entries)


def test_entries_of_different_people_may_overlap_and_edges_may_stick_out() -> None:
    pb = problem(
        entry("e1", "B", at(-1, 20), at(0, 1)),
        entry("e2", "C", at(-1, 20), at(0, 1)),
        entry("e3", "B", at(6, 20), at(7, 8)),
    )
    assert len(pb.duty) == 3


def test_times_are_naive_whole_minutes() -> None:
    with pytest.raises(ValidationError, match="time zone"):
        entry("e", "B", at(0, 8).replace(tzinfo=UTC), at(0, 9))
    with pytest.raises(ValidationError, match="whole minutes"):
        entry("e", "B", at(0, 8).replace(second=30), at(0, 9))
    with pytest.raises(ValidationError):
        entry("e", "B", at(0, 8), at(0, 9), kind="locum")


def test_with_duty_validates_and_json_round_trips() -> None:
    pb = problem()
    added = pb.with_duty([entry("m", "B", at(0, 19), at(0, 23))])
    assert added.duty[0].id == "m" and pb.duty == ()
    assert Problem.model_validate_json(added.model_dump_json()) == added
    with pytest.raises(ValidationError, match="unknown person"):
        pb.with_duty([entry("m", "nobody", at(0, 19), at(0, 23))])


# --- CSV ------------------------------------------------------------------------------------
def test_csv_free_form_rows(tmp_path: Path) -> None:
    path = tmp_path / "hand.csv"
    path.write_text(
        "person,date,shift,start,end,kind\n"
        "B,2024-01-02,D,,,\n"
        "B,,,2024-01-01T19:00,2024-01-02 05:00,moonlighting\n"
        "C,,,2024-01-03T22:00,2024-01-04T01:00,home_call_in_hospital\n"
        "C,,,2024-01-05T08:00,2024-01-05T10:00,\n"
    )
    pb = problem(rules=[REST8])
    schedule, with_entries = read_schedule_csv(path, pb, with_duty=True)
    assert schedule == sched(("B", 1, "D"))
    assert [(e.id, e.person, e.kind) for e in with_entries.duty] == [
        ("hand.csv:3", "B", "moonlighting"),
        ("hand.csv:4", "C", "home_call_in_hospital"),
        ("hand.csv:5", "C", "duty"),
    ]
    v = one(check(with_entries, schedule), "rest8")
    assert (v.person, v.amount) == ("B", 360)
    # Reading the schedule only would lose the entries: refused.
    with pytest.raises(ValueError, match=r"3 duty period row\(s\).*with_duty=True"):
        read_schedule_csv(path, pb)


def test_csv_duty_only_file_with_ids(tmp_path: Path) -> None:
    path = tmp_path / "moon.csv"
    path.write_text("id,person,start,end,kind\nx1,B,2024-01-01T19:00,2024-01-01T23:00,\n")
    schedule, pb = read_schedule_csv(path, problem(), with_duty=True)
    assert len(schedule) == 0 and pb.duty[0].id == "x1" and pb.duty[0].kind == "duty"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("person,start\nB,2024-01-01T19:00\n", r"line 1: header .* missing"),
        ("person,start,end\nB,2024-01-01 7pm,2024-01-01T23:00\n", r"line 2: bad date-time"),
        ("person,start,end,kind\nB,2024-01-01T19:00,2024-01-01T23:00,locum\n", r"line 2: bad duty"),
        ("person,date,shift,start,end\nB,2024-01-01,D,2024-01-01T19:00,\n", r"line 2: fill either"),
        ("person,start,end\nB,,2024-01-01T23:00\n", r"line 2: empty person, start or end"),
    ],
)
def test_csv_bad_duty_rows_name_the_line(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=match):
        read_schedule_csv(path, problem(), with_duty=True)


def test_cli_check_counts_duty_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save_problem(problem(rules=[REST8]), tmp_path / "p.json")
    ok = tmp_path / "ok.csv"
    ok.write_text("person,date,shift\nB,2024-01-02,D\n")
    assert main(["check", str(tmp_path / "p.json"), str(ok)]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "person,date,shift,start,end,kind\n"
        "B,2024-01-02,D,,,\n"
        "B,,,2024-01-01T19:00,2024-01-02T05:00,moonlighting\n"
    )
    capsys.readouterr()
    assert main(["check", str(tmp_path / "p.json"), str(bad), "--duty"]) == 1
    out = capsys.readouterr().out
    assert "HARD rest8" in out
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("person,start,end\nZ,2024-01-01T19:00,2024-01-01T23:00\n")
    assert main(["check", str(tmp_path / "p.json"), str(unknown)]) == 2
    assert "unknown person 'Z'" in capsys.readouterr().err


# --- solver ---------------------------------------------------------------------------------
def test_solver_schedules_around_a_fixed_entry() -> None:
    # One night a day; B wants every night, but moonlights on day 1 from 10:00 to 16:00:
    # night 0 ends 3 h before it, night 1 starts 3 h after it, so C must take both.
    wants = [Request(id=f"b{d}", person="B", day=day(d), shift="N", want="on") for d in range(3)]
    free = tiny_problem(
        people(3)[1:],
        3,
        rules=[REST8, MAX28],
        requests=wants,
        cover=[Cover(id="nights", shifts=("N",), min=1, max=1)],
    )
    res = solve(free, workers=1, time_limit=10)
    assert res.status == "optimal" and res.objective == 0
    pb = free.with_duty([entry("m", "B", at(1, 10), at(1, 16))])
    res = solve(pb, workers=1, time_limit=10)
    assert res.status == "optimal" and res.report is not None and res.report.feasible
    nights = {(a.person, pb.horizon.index(a.day)) for a in res.schedule.assignments}
    assert nights == {("C", 0), ("C", 1), ("B", 2)}
    assert res.objective == res.report.objective == 2
    # The model rejects exactly what the checker rejects.
    forced = rows({"B": "N N N"})
    assert not check(pb, forced).feasible and evaluate(pb, forced) is None


def test_solver_never_overlaps_an_entry_and_pgy1_moonlighting_is_infeasible() -> None:
    cover = [Cover(id="days", shifts=("D",), min=1, max=1)]
    blocked = entry("m", "B", at(0, 12), at(0, 14), kind="duty")
    pb = tiny_problem(people(3)[1:], 1, cover=cover, duty=(blocked,))
    res = solve(pb, workers=1, time_limit=10)
    assert res.status == "optimal" and res.schedule is not None
    assert [(a.person, a.shift) for a in res.schedule.assignments if a.shift == "D"] == [("C", "D")]
    assert evaluate(pb, sched(("B", 0, "D"))) is None
    pgy1 = tiny_problem(2, 1, duty=(entry("m", "A", at(0, 19), at(0, 23)),))
    assert solve(pgy1, workers=1, time_limit=10).status == "infeasible"
    assert not check(pgy1, rows({})).feasible
