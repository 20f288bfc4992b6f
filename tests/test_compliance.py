"""The duty-hour compliance report: agreement with the checker on random schedules, worst
values and dates, the program summary, and its text / JSON / CSV forms."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections import defaultdict
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import C24, HOME, D, N, day, rows, tiny_problem
from rotasolve import (
    Assignment,
    ConsecutiveDays,
    ContinuousDuty,
    DaysOff,
    Problem,
    Rest,
    Schedule,
    Selector,
    ShiftCount,
    ShiftFilter,
    WorkMinutes,
    check,
    selects,
)
from rotasolve.compliance import ComplianceReport, compliance, is_duty_rule
from rotasolve.rules import acgme
from test_roundtrip import problem_and_schedule


def assert_agrees(pb: Problem, schedule: Schedule) -> ComplianceReport:
    """The report and the checker agree on every (duty rule, person)."""
    report = check(pb, schedule)
    comp = compliance(pb, schedule)
    hard: dict[tuple[str, str | None], list[Any]] = defaultdict(list)
    soft: dict[tuple[str, str | None], list[Any]] = defaultdict(list)
    for v in report.hard_violations:
        hard[(v.rule, v.person)].append(v)
    for v in report.penalties:
        soft[(v.rule, v.person)].append(v)
    duty = [r for r in pb.rules if is_duty_rule(r)]
    assert [s.rule for s in comp.summary] == [r.id for r in duty]
    seen = set()
    for r in duty:
        scope = [p.id for p in pb.people if selects(r.scope, p)]
        lines = [ln for ln in comp.lines if ln.rule == r.id]
        assert sorted({ln.person for ln in lines}) == sorted(scope)
        for pid in scope:
            mine = [ln for ln in lines if ln.person == pid]
            assert mine
            found = (hard if r.hard else soft)[(r.id, pid)]
            # Fails iff the checker reports a violation; same count, amount and cost.
            assert all(ln.passed for ln in mine) == (not found), (r, pid, mine, found)
            assert sum(ln.breaches for ln in mine) == len(found)
            assert sum(ln.amount for ln in mine) == sum(v.amount for v in found)
            assert sum(ln.cost for ln in mine) == sum(v.cost for v in found)
            for ln in mine:
                assert ln.status == (
                    ("pass" if ln.passed else "FAIL")
                    if r.hard
                    else ("ok" if ln.passed else f"cost {ln.cost}")
                )
                if not ln.passed:
                    # The worst value is one the checker reports, with the same dates.
                    assert any(
                        v.value == ln.worst and v.first == ln.first and v.last == ln.last
                        for v in found
                    ), (ln, found)
            seen.add((r.id, pid))
    # Nothing is reported for rules that are not duty-hour rules.
    assert {ln.rule for ln in comp.lines} <= {r.id for r in duty}
    assert comp.passed == (not any(ln.hard and not ln.passed for ln in comp.lines))
    for s in comp.summary:
        assert s.passing + s.failing == s.people
    return comp


# --- random agreement ------------------------------------------------------------------------

STARTS = ((0, 0), (7, 0), (16, 0), (16, 1), (17, 0), (19, 0), (23, 59))
LENGTHS = (240, 241, 479, 480, 600, 720, 780, 1439, 1440, 1441, 1680)


@st.composite
def clock_cases(draw: st.DrawFn) -> tuple[Problem, Schedule]:
    """Clock-timed shifts with lengths and starts near the ACGME edges, duty rules (the
    preset with short windows, plus random ones), and dense random schedules."""
    days = draw(st.integers(7, 21))
    shifts = []
    for i in range(draw(st.integers(1, 4))):
        hh, mm = draw(st.sampled_from(STARTS))
        tags = draw(st.lists(st.sampled_from(["call", "call24", "night"]), max_size=2, unique=True))
        shifts.append(
            {
                "id": f"S{i}",
                "start": time(hh, mm).isoformat(),
                "minutes": draw(st.sampled_from(LENGTHS)),
                "tags": tags,
                "counts_hours": draw(st.integers(0, 5)) > 0,
            }
        )
    people = [
        {"id": f"P{i}", "pgy": 1 + i % 3} if i < 3 else {"id": f"P{i}", "role": "faculty"}
        for i in range(draw(st.integers(1, 4)))
    ]
    window = draw(st.integers(7, days))
    blocks = draw(st.booleans())
    preset = acgme(
        averaging_days=window,
        blocks=blocks,
        night_float=draw(st.booleans()),
        max_consecutive_nights=draw(st.integers(1, 4)),
        weekly_hours=draw(st.integers(20, 80)),
        soft=draw(st.sampled_from([{}, {"rest_8h": 3}, {"weekly_hours": 1, "call_q3": 2}])),
    )
    rules: list[Any] = [r.model_dump() for r in preset]
    w = draw(st.none() | st.integers(1, days))
    extra = [
        WorkMinutes(
            id="wm", min=draw(st.integers(0, 3000)), window=w, blocks=blocks, hard=False, weight=2
        ),
        WorkMinutes(id="wmt", max=draw(st.integers(0, 5000)), window=w, split="start_day"),
        ShiftCount(id="sc", min=draw(st.integers(0, 3)), max=draw(st.integers(3, 6)), window=w)
        if w is not None
        else ShiftCount(id="sc_total", max=5),
        DaysOff(id="cal", min=draw(st.integers(0, 3)), window=draw(st.integers(1, days))),
        ConsecutiveDays(
            id="cd",
            min=draw(st.integers(0, 2)),
            max=draw(st.none() | st.integers(2, 5)),
            exempt_edges=draw(st.booleans()),
        ),
        ContinuousDuty(id="cdm", max_minutes=draw(st.sampled_from([600, 1440, 1680])), hard=False),
        Rest(id="r", minutes=draw(st.integers(1, 900)), after=ShiftFilter(tags=("night",))),
        ShiftCount(id="not_duty", max=1),
    ]
    chosen = draw(st.lists(st.sampled_from(extra), unique_by=lambda r: r.id))
    rules += [r.model_dump() for r in chosen]
    start = draw(st.sampled_from([date(2024, 1, 1), date(2024, 2, 26)]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pb = Problem.model_validate(
            {
                "horizon": {"start": start, "days": days},
                "people": people,
                "shifts": shifts,
                "rules": rules,
                "max_shifts_per_day": 2,
            }
        )
    # Dense rows (each day off or one shift, sometimes two) plus a few random extras.
    sids = [s["id"] for s in shifts]
    cell = st.sampled_from([(), (), *((s,) for s in sids), *((a, b) for a in sids for b in sids)])
    items = [(p["id"], d, s) for p in people for d in range(days) for s in draw(cell)]
    items += draw(
        st.lists(
            st.tuples(
                st.sampled_from([p["id"] for p in people]),
                st.integers(0, days - 1),
                st.sampled_from(sids),
            ),
            max_size=4,
        )
    )
    schedule = Schedule(
        assignments=tuple(
            Assignment(person=p, day=start + timedelta(days=d), shift=s) for p, d, s in items
        )
    )
    return pb, schedule


@settings(max_examples=150, deadline=None)
@given(clock_cases())
def test_compliance_agrees_with_checker_on_clock_schedules(case: tuple[Problem, Schedule]) -> None:
    pb, schedule = case
    comp = assert_agrees(pb, schedule)
    assert comp.to_text()


@settings(max_examples=80, deadline=None)
@given(problem_and_schedule())
def test_compliance_agrees_with_checker_on_any_problem(case: tuple[Problem, Schedule]) -> None:
    """Every rule kind, clockless problems, unknown ids and days outside the horizon."""
    pb, schedule = case
    comp = assert_agrees(pb, schedule)
    assert ComplianceReport.model_validate_json(comp.to_json()) == comp
    assert comp.to_csv().count("\n") == len(comp.lines) + 1


# --- worst values, summary and output -----------------------------------------------------------


def acgme_week_problem() -> Problem:
    rules = acgme(averaging_days=7, night_float=True, max_consecutive_nights=3)
    return tiny_problem(3, days=14, rules=rules)


def test_worst_values_dates_and_summary() -> None:
    pb = acgme_week_problem()
    s = rows(
        {
            "A": "D D D D D D - D D D D D D -",
            "B": "N N N N - - - C24 - - C24 - - -",
            "C": "C24 - C24 - - D - - - - - - - -",
        }
    )
    comp = assert_agrees(pb, s)
    a_hours = comp.line("A", "acgme_weekly_hours")
    assert (a_hours.worst, a_hours.first, a_hours.last) == (3600, day(0), day(6))
    assert a_hours.avg_weekly_hours == 60.0
    assert a_hours.limit == 80 * 60
    nights = comp.line("B", "acgme_night_float")
    assert (nights.worst, nights.first, nights.last, nights.status) == (4, day(0), day(3), "FAIL")
    calls = comp.line("C", "acgme_call_q3")
    assert (calls.worst, calls.limit, calls.passed) == (2, 2, True)
    # C: call day 0 ends day 1 07:00, call day 2 starts 07:00: the shortest rest, 24 h.
    rest = comp.line("C", "acgme_rest_8h")
    assert (rest.worst, rest.first, rest.last) == (1440, day(1), day(2))
    assert rest.detail == "2024-01-02 07:00 to 2024-01-03 07:00"
    # The helpers' C24 is not tagged call24, so there is no rest after 24-hour call to measure.
    assert comp.line("C", "acgme_rest_14h_after_call").worst is None
    summary = comp.rule_summary("acgme_night_float")
    assert (summary.people, summary.passing, summary.failing, summary.worst_person) == (
        3,
        2,
        1,
        "B",
    )
    hours = comp.rule_summary("acgme_weekly_hours")
    assert hours.worst_person == "A"
    assert hours.windowing == "rolling 7-day windows (8 windows)"
    assert hours.limits == "max 4800 minutes (80 h/week)"
    assert not comp.passed
    assert [ln.rule for ln in comp.failures()] == ["acgme_night_float"]


def test_scope_and_non_duty_rules() -> None:
    rules = [
        ShiftCount(id="total", max=1),  # no window: not a duty-hour rule
        WorkMinutes(id="pgy1", max=600, window=7, scope=Selector(pgy_min=1, pgy_max=1)),
    ]
    pb = tiny_problem(3, days=7, rules=rules)
    comp = compliance(pb, rows({"A": "D D", "B": "D D"}))
    assert [(ln.person, ln.rule) for ln in comp.lines] == [("A", "pgy1")]
    assert comp.line("A", "pgy1").status == "FAIL"
    assert comp.line("A", "pgy1").windowing == "rolling 7-day windows"


def test_min_and_max_sides_are_separate_lines() -> None:
    rule = WorkMinutes(id="band", min=1200, max=2400, window=7, blocks=True, hard=False, weight=1)
    pb = tiny_problem(1, days=14, rules=[rule])
    comp = assert_agrees(pb, rows({"A": "D D D D D - - D - - - - - -"}))
    hi, lo = comp.line("A", "band", "max"), comp.line("A", "band", "min")
    assert (hi.worst, hi.first, hi.cost, hi.status) == (3000, day(0), 600, "cost 600")
    assert (lo.worst, lo.first, lo.cost, lo.status) == (600, day(7), 600, "cost 600")
    assert lo.windowing == hi.windowing == "fixed 7-day blocks"
    assert comp.cost == 1200


def test_no_duty_at_all() -> None:
    pb = acgme_week_problem()
    comp = assert_agrees(pb, Schedule())
    duty = comp.line("A", "acgme_continuous_duty")
    assert (duty.worst, duty.detail, duty.passed) == (None, "no duty period", True)
    assert comp.line("A", "acgme_day_off").worst == 7
    assert comp.passed


def test_text_report_states_windowing_and_assumptions() -> None:
    pb = acgme_week_problem()
    s = rows({"A": "D D D D D D D D", "B": "N N N N"})
    comp = compliance(pb, s)
    text = comp.to_text()
    assert "Program summary" in text and "Per person" in text
    assert "Dr A" in text and "acgme_weekly_hours" in text
    assert "h/week avg" in text
    assert "FAIL" in text
    assert "Nothing is assumed about days before the horizon" in text
    assert "duty periods are not extended backwards" in text
    per_person = text.split("Per person")[1].split("Rules")[0].splitlines()[3:]
    assert per_person and all(
        "rolling" in ln or "fixed" in ln or "whole horizon" in ln or "not averaged" in ln
        for ln in per_person
        if ln.strip()
    )
    assert str(comp) == text


def test_json_and_csv(tmp_path: Path) -> None:
    pb = acgme_week_problem()
    comp = compliance(pb, rows({"A": "C24 - C24 - C24", "B": "D"}))
    data = json.loads(comp.to_json())
    assert data["assumptions"] and data["summary"] and data["lines"]
    assert ComplianceReport.model_validate(data) == comp
    path = tmp_path / "c.csv"
    text = comp.to_csv(path)
    assert path.read_text() == text
    buf = io.StringIO()
    comp.to_csv(buf)
    assert buf.getvalue() == text
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == len(comp.lines)
    row = next(r for r in table if r["person"] == "A" and r["rule"] == "acgme_call_q3")
    assert (row["worst"], row["limit"], row["status"], row["windowing"]) == (
        "3",
        "2",
        "FAIL",
        "rolling 7-day windows",
    )


def test_shifts_without_hours_only_block_free_days() -> None:
    """At-home call counts no hours but still uses the calendar day (free24)."""
    pb = tiny_problem(1, days=7, shifts=(D, N, C24, HOME), rules=acgme(averaging_days=7))
    comp = assert_agrees(pb, rows({"A": "H H H H H H -"}))
    assert comp.line("A", "acgme_weekly_hours").worst == 0
    assert comp.line("A", "acgme_day_off").worst == 0
