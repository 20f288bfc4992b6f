"""JSON and CSV files: round trips, bad rows, reports."""

from __future__ import annotations

import csv
import json
import warnings
from datetime import date, time
from pathlib import Path

import pytest
from pydantic import ValidationError

import rotasolve as rs
from rotasolve.io import (
    load_problem,
    load_schedule,
    read_schedule_csv,
    save_problem,
    save_schedule,
    write_report_csv,
    write_report_json,
    write_schedule_csv,
)

START = date(2027, 7, 5)


def small_problem() -> rs.Problem:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.ProblemWarning)
        return rs.Problem(
            name="io",
            horizon=rs.Horizon(start=START, days=28),
            people=(rs.Person(id="a", pgy=1, skills=("icu",)), rs.Person(id="b", pgy=3)),
            shifts=(
                rs.ShiftType(id="D", start=time(7), minutes=720),
                rs.ShiftType(id="N", start=time(19), minutes=720, tags=("night",)),
            ),
            cover=(rs.Cover(id="nights", shifts=("N",), min=1, hard=False, under_weight=7),),
            leave=(rs.Leave(id="lv", person="a", first=date(2027, 7, 10), last=date(2027, 7, 11)),),
            requests=(rs.Request(id="rq", person="b", day=date(2027, 7, 6), want="on"),),
            locks=(rs.Lock(id="lk", person="b", day=date(2027, 7, 7), shift=None),),
            rules=(
                *rs.rules.acgme(night_float=True, omit=("rest_14h_after_call", "call_q3")),
                rs.Fairness(id="fair", tags=("night",), hard=False, weight=3, carried={"a": 1}),
            ),
        )


SCHEDULE = rs.Schedule(
    assignments=(
        rs.Assignment(person="b", day=date(2027, 7, 6), shift="N"),
        rs.Assignment(person="a", day=date(2027, 7, 5), shift="D"),
        rs.Assignment(person="a", day=date(2027, 7, 6), shift="D"),
    )
)


def test_problem_json_round_trip(tmp_path: Path) -> None:
    pb = small_problem()
    path = save_problem(pb, tmp_path / "sub" / "problem.json")
    assert path.exists()
    assert load_problem(path) == pb
    data = json.loads(path.read_text())
    assert {r["kind"] for r in data["rules"]} >= {"work_minutes", "fairness", "rest"}


def test_invalid_problem_json_lists_errors(tmp_path: Path) -> None:
    data = small_problem().model_dump(mode="json")
    data["requests"][0]["person"] = "nobody"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValidationError, match="unknown person 'nobody'"):
        load_problem(path)
    with pytest.raises(FileNotFoundError):
        load_problem(tmp_path / "missing.json")


def test_schedule_json_round_trip(tmp_path: Path) -> None:
    path = save_schedule(SCHEDULE, tmp_path / "s.json")
    assert load_schedule(path) == SCHEDULE


def test_schedule_csv_round_trip(tmp_path: Path) -> None:
    path = write_schedule_csv(SCHEDULE, tmp_path / "s.csv")
    lines = path.read_text().splitlines()
    assert lines == [
        "person,date,shift",
        "a,2027-07-05,D",
        "a,2027-07-06,D",
        "b,2027-07-06,N",
    ]
    assert read_schedule_csv(path, small_problem()) == SCHEDULE.sorted()
    assert read_schedule_csv(path) == SCHEDULE.sorted()


def test_csv_header_order_day_index_blank_lines_and_unknown_ids(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "Shift, Date ,Person,note\n\nD,0,a,first day\nX,2027-07-06,zed,\nN,2027-09-01,b,\n"
    )
    s = read_schedule_csv(path, small_problem())
    assert [(a.person, a.day, a.shift) for a in s.assignments] == [
        ("a", START, "D"),
        ("zed", date(2027, 7, 6), "X"),
        ("b", date(2027, 9, 1), "N"),
    ]
    # Unknown ids and days outside the horizon are kept for the checker to report.
    report = rs.check(small_problem(), s)
    assert {v.rule for v in report.hard_violations} >= {"unknown_id", "outside_horizon"}


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("person,date,shift\na,2027-07-05,D\nb,07/06/2027,N\n", r"line 3: bad date '07/06/2027'"),
        ("person,date,shift\na,2027-07-05\n", r"line 2: expected 3 fields"),
        ("person,date,shift\n\n\na,2027-07-05,\n", r"line 4: empty person or shift"),
        ("person,day,shift\na,2027-07-05,D\n", r"line 1: header .* missing date"),
        ("", r"empty file"),
    ],
)
def test_csv_bad_rows_name_the_line(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=match) as info:
        read_schedule_csv(path, small_problem())
    assert "bad.csv" in str(info.value)


def test_csv_day_index_needs_problem(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("person,date,shift\na,3,D\n")
    assert read_schedule_csv(path, small_problem()).assignments[0].day == date(2027, 7, 8)
    with pytest.raises(ValueError, match=r"line 2: bad date '3'; expected YYYY-MM-DD$"):
        read_schedule_csv(path)


def test_report_json_and_csv(tmp_path: Path) -> None:
    pb = small_problem()
    bad = rs.Schedule(
        assignments=(
            *SCHEDULE.assignments,
            rs.Assignment(person="a", day=date(2027, 7, 10), shift="D"),  # on leave
        )
    )
    report = rs.check(pb, bad)
    assert report.hard_violations and report.penalties

    jpath = write_report_json(report, tmp_path / "r" / "report.json")
    data = json.loads(jpath.read_text())
    assert data["feasible"] is False
    assert data["objective"] == report.objective
    assert len(data["hard_violations"]) == len(report.hard_violations)
    assert len(data["penalties"]) == len(report.penalties)
    assert [d["person"] for d in data["duty"]] == ["a", "b"]
    restored = rs.Report.model_validate(
        {k: v for k, v in data.items() if k not in ("feasible", "objective")}
    )
    assert restored == report

    cpath = write_report_csv(report, tmp_path / "report.csv")
    with cpath.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(report.hard_violations) + len(report.penalties)
    first = rows[0]
    hv = report.hard_violations[0]
    assert (first["hard"], first["rule"], first["family"]) == ("hard", hv.rule, hv.family)
    assert first["first"] == (hv.first.isoformat() if hv.first else "")
    soft = rows[len(report.hard_violations)]
    assert soft["hard"] == "soft" and int(soft["cost"]) == report.penalties[0].cost
    assert sum(int(r["cost"]) for r in rows) == report.objective
