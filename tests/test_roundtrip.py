"""Random valid problems (every rule kind, duty entries) and random schedules: JSON round
trips are lossless, the JSON schema builds, and the checker never crashes and adds up."""

from __future__ import annotations

import warnings
from datetime import date, datetime, time, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rotasolve import (
    Assignment,
    Problem,
    Report,
    Schedule,
    check,
)
from rotasolve.problem import RULE_TYPES

TAGS = ("night", "call", "day", "odd{tag}")
SKILLS = ("icu", "peds")
STARTS = (date(2024, 1, 1), date(2024, 1, 6), date(2024, 1, 7), date(2023, 12, 29))


@st.composite
def selectors(draw: st.DrawFn, people: list[str]) -> dict[str, Any]:
    sel: dict[str, Any] = {}
    if draw(st.booleans()):
        sel["roles"] = draw(st.lists(st.sampled_from(["resident", "faculty", "other"]), max_size=2))
    if draw(st.booleans()):
        lo = draw(st.integers(1, 3))
        sel["pgy_min"], sel["pgy_max"] = lo, draw(st.integers(lo, 5))
    if draw(st.booleans()):
        sel["skills"] = draw(st.lists(st.sampled_from(SKILLS), max_size=1))
    if draw(st.booleans()):
        sel["people"] = draw(st.lists(st.sampled_from(people), max_size=3, unique=True))
    return sel


@st.composite
def filters(draw: st.DrawFn, shifts: list[str]) -> dict[str, Any]:
    return {
        "shifts": draw(st.lists(st.sampled_from(shifts), max_size=2, unique=True)),
        "tags": draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True)),
    }


@st.composite
def min_max(draw: st.DrawFn, top: int) -> dict[str, Any]:
    lo = draw(st.integers(0, top))
    hi = draw(st.none() | st.integers(lo, top + 2))
    out: dict[str, Any] = {"min": lo}
    if hi is not None:
        out["max"] = hi
    return out


@st.composite
def daysets(draw: st.DrawFn, start: date, days: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(["all", "weekdays", "weekend", "listed"]))
    if kind != "listed":
        return {"kind": kind}
    idx = draw(st.lists(st.integers(0, days - 1), max_size=3))
    dates = [
        start + timedelta(days=i) for i in draw(st.lists(st.integers(0, days - 1), max_size=2))
    ]
    return {"kind": "listed", "indices": idx, "dates": [d.isoformat() for d in dates]}


@st.composite
def rules(
    draw: st.DrawFn,
    kind: str,
    rid: str,
    people: list[str],
    shifts: list[str],
    days: int,
    start: date,
) -> dict[str, Any]:
    r: dict[str, Any] = {"kind": kind, "id": rid}
    if draw(st.booleans()):
        r["hard"] = False
        r["weight"] = draw(st.integers(0, 5))
    if draw(st.booleans()):
        r["scope"] = draw(selectors(people))
    window = draw(st.none() | st.integers(1, days))
    blocks = draw(st.booleans())
    if kind in ("shift_count", "work_minutes", "consecutive_days", "fairness", "supervision"):
        r.update(draw(filters(shifts)))
    if kind == "shift_count":
        r.update(draw(min_max(4)), window=window, blocks=blocks)
    elif kind == "work_minutes":
        r.update(draw(min_max(3000)), window=window, blocks=blocks)
        r["split"] = draw(st.sampled_from(["start_day", "clock"]))
    elif kind in ("consecutive_days", "consecutive_days_off"):
        r.update(draw(min_max(4)), exempt_edges=draw(st.booleans()))
    elif kind == "weekends":
        r["max"] = draw(st.integers(0, 3))
    elif kind == "succession":
        r["first"], r["second"] = draw(filters(shifts)), draw(filters(shifts))
    elif kind == "rest":
        r["minutes"] = draw(st.integers(1, 1000))
        r["after"] = draw(filters(shifts))
    elif kind == "continuous_duty":
        r["max_minutes"] = draw(st.integers(1, 2000))
    elif kind == "days_off":
        r.update(min=draw(st.integers(0, 3)), window=draw(st.integers(1, days)), blocks=blocks)
        r["day_off"] = draw(st.sampled_from(["calendar", "free24"]))
    elif kind == "fairness":
        r["days"] = draw(daysets(start, days))
        r["tolerance"] = draw(st.integers(0, 2))
        r["carried"] = draw(
            st.dictionaries(st.sampled_from(people), st.integers(-2, 3), max_size=2)
        )
    elif kind == "supervision":
        r["supervisors"] = draw(selectors(people))
        r["per_supervisor"] = draw(st.integers(1, 4))
        r["loads"] = draw(st.dictionaries(st.integers(0, 5), st.integers(0, 3), max_size=2))
        r["default_load"] = draw(st.integers(0, 2))
        r["days"] = draw(daysets(start, days))
    return r


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    start = draw(st.sampled_from(STARTS))
    days = draw(st.integers(1, 16))
    clock = draw(st.booleans())
    n_people = draw(st.integers(1, 4))
    people = []
    for i in range(n_people):
        role = draw(st.sampled_from(["resident", "resident", "faculty", "other"]))
        p: dict[str, Any] = {
            "id": f"P{i}",
            "role": role,
            "skills": draw(st.lists(st.sampled_from(SKILLS), max_size=2, unique=True)),
        }
        if role == "resident" and draw(st.booleans()):
            p["pgy"] = draw(st.integers(1, 5))
        if draw(st.booleans()):
            p["name"] = f"Dr {i}"
        people.append(p)
    pids = [p["id"] for p in people]
    shifts = []
    for i in range(draw(st.integers(1, 4))):
        s: dict[str, Any] = {
            "id": f"S{i}",
            "minutes": draw(st.sampled_from([240, 480, 600, 720, 1440, 1680])),
            "tags": draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True)),
            "call": draw(st.sampled_from(["none", "in_house", "at_home"])),
            "counts_hours": draw(st.booleans()),
        }
        if clock:
            s["start"] = time(draw(st.sampled_from([0, 7, 8, 17, 19, 23]))).isoformat()
        if draw(st.integers(0, 3)) == 0:
            s["eligible"] = draw(selectors(pids))
        shifts.append(s)
    sids = [s["id"] for s in shifts]
    horizon_days = [start + timedelta(days=i) for i in range(days)]
    cover = []
    for i in range(draw(st.integers(0, 3))):
        c: dict[str, Any] = {
            "id": f"C{i}",
            "shifts": draw(st.lists(st.sampled_from(sids), min_size=1, max_size=2, unique=True)),
            "days": draw(daysets(start, days)),
            "eligible": draw(selectors(pids)),
            "hard": draw(st.booleans()),
            "under_weight": draw(st.integers(0, 3)),
            "over_weight": draw(st.integers(0, 3)),
            "target_under_weight": draw(st.integers(0, 3)),
            "target_over_weight": draw(st.integers(0, 3)),
        }
        c.update(draw(min_max(3)))
        c["target"] = draw(st.none() | st.integers(0, c.get("max", 4)))
        cover.append(c)
    leave = []
    for i in range(draw(st.integers(0, 2))):
        a, b = sorted(draw(st.lists(st.sampled_from(horizon_days), min_size=2, max_size=2)))
        leave.append(
            {
                "id": f"L{i}",
                "person": draw(st.sampled_from(pids)),
                "first": a.isoformat(),
                "last": b.isoformat(),
            }
        )
    requests = [
        {
            "id": f"Q{i}",
            "person": draw(st.sampled_from(pids)),
            "day": draw(st.sampled_from(horizon_days)).isoformat(),
            "shift": draw(st.none() | st.sampled_from(sids)),
            "want": draw(st.sampled_from(["on", "off"])),
            "weight": draw(st.integers(0, 4)),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    locks = [
        {
            "id": f"K{i}",
            "person": draw(st.sampled_from(pids)),
            "day": draw(st.sampled_from(horizon_days)).isoformat(),
            "shift": draw(st.none() | st.sampled_from(sids)),
        }
        for i in range(draw(st.integers(0, 2)))
    ]
    duty = []
    for i, who in enumerate(draw(st.lists(st.sampled_from(pids), max_size=3, unique=True))):
        first = datetime.combine(start, time(0))
        a = first + timedelta(
            days=draw(st.integers(-1, days - 1)), hours=draw(st.sampled_from([0, 7, 17, 19, 23]))
        )
        b = a + timedelta(minutes=draw(st.sampled_from([60, 180, 480, 1680])))
        if b > first:  # one entry per person: never overlapping; must touch the horizon
            duty.append(
                {
                    "id": f"E{i}",
                    "person": who,
                    "start": a.isoformat(),
                    "end": b.isoformat(),
                    "kind": draw(
                        st.sampled_from(["duty", "moonlighting", "home_call_in_hospital"])
                    ),
                    "counts_hours": draw(st.booleans()),
                }
            )
    kinds = [k for k in RULE_TYPES if clock or k not in ("rest", "continuous_duty")]
    chosen = draw(st.lists(st.sampled_from(kinds), max_size=8))
    rule_list = []
    for i, kind in enumerate(chosen):
        r = draw(rules(kind, f"R{i}", pids, sids, days, start))
        if not clock and (r.get("split") == "clock" or r.get("day_off") == "free24"):
            r.pop("split", None)
            r.pop("day_off", None)
        rule_list.append(r)
    data = {
        "name": "random",
        "horizon": {"start": start.isoformat(), "days": days},
        "people": people,
        "shifts": shifts,
        "cover": cover,
        "leave": leave,
        "requests": requests,
        "locks": locks,
        "rules": rule_list,
        "duty": duty,
        "max_shifts_per_day": draw(st.integers(1, 2)),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Problem.model_validate(data)


@st.composite
def problem_and_schedule(draw: st.DrawFn) -> tuple[Problem, Schedule]:
    pb = draw(problems())
    pids = [p.id for p in pb.people] + ["ghost"]
    sids = [s.id for s in pb.shifts] + ["ZZ"]
    offsets = st.integers(-2, pb.horizon.days + 1)
    items = draw(
        st.lists(
            st.tuples(
                st.sampled_from(pids[:-1]) | st.sampled_from(pids),
                offsets,
                st.sampled_from(sids[:-1]) | st.sampled_from(sids),
            ),
            max_size=3 * pb.horizon.days * len(pb.people) // 2 + 1,
        )
    )
    schedule = Schedule(
        assignments=tuple(
            Assignment(person=p, day=pb.horizon.start + timedelta(days=d), shift=s)
            for p, d, s in items
        )
    )
    return pb, schedule


def _reload(pb: Problem) -> Problem:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Problem.model_validate_json(pb.model_dump_json())


@settings(max_examples=80, deadline=None)
@given(problems())
def test_problem_json_round_trip(pb: Problem) -> None:
    assert _reload(pb) == pb


def test_problem_json_schema() -> None:
    schema = Problem.model_json_schema()
    assert schema["title"] == "Problem"
    text = str(schema)
    for kind in RULE_TYPES:
        assert kind in text
    assert Schedule.model_json_schema()["title"] == "Schedule"
    assert Report.model_json_schema()["title"] == "Report"


@settings(max_examples=100, deadline=None)
@given(problem_and_schedule())
def test_checker_never_crashes_and_adds_up(case: tuple[Problem, Schedule]) -> None:
    pb, schedule = case
    assert Schedule.model_validate_json(schedule.model_dump_json()) == schedule
    report = check(pb, schedule)
    assert report.objective == sum(v.cost for v in report.penalties)
    assert all(v.hard and v.cost == 0 for v in report.hard_violations)
    assert all(not v.hard and v.cost >= 0 for v in report.penalties)
    assert all(v.amount > 0 and v.message for v in (*report.hard_violations, *report.penalties))
    known = {p.id for p in pb.people}
    for v in (*report.hard_violations, *report.penalties):
        assert v.person is None or v.person in known or v.rule in ("unknown_id", "outside_horizon")
    # Every rejected assignment is reported; the order of the input does not matter.
    bad = [
        a
        for a in schedule.assignments
        if a.person not in known
        or a.shift not in {s.id for s in pb.shifts}
        or not pb.horizon.contains(a.day)
    ]
    assert len(
        {
            (v.first, v.person)
            for v in report.hard_violations
            if v.rule in ("unknown_id", "outside_horizon")
        }
    ) == len({(a.day, a.person) for a in bad})
    shuffled = Schedule(assignments=tuple(reversed(schedule.assignments)))
    assert check(pb, shuffled) == report
    assert Report.model_validate_json(report.model_dump_json()) == report
    # Duty figures cover exactly the residents.
    assert [f.person for f in report.duty] == [p.id for p in pb.people if p.role == "resident"]
