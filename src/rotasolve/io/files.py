"""JSON and CSV files: problems, schedules and reports.

JSON files are the Pydantic models' own JSON, so anything saved loads back equal. CSV
schedules have one assignment per row with a header ``person,date,shift``; a schedule read
from CSV keeps unknown person and shift ids so :func:`rotasolve.check` can report them.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from ..problem import Problem
from ..report import Report, Violation
from ..schedule import Assignment, Schedule

__all__ = [
    "SCHEDULE_COLUMNS",
    "VIOLATION_COLUMNS",
    "load_problem",
    "load_schedule",
    "read_schedule_csv",
    "save_problem",
    "save_schedule",
    "write_report_csv",
    "write_report_json",
    "write_schedule_csv",
]

#: Columns of a schedule CSV file, in the order written.
SCHEDULE_COLUMNS = ("person", "date", "shift")

#: Columns of a report CSV file, one row per violation.
VIOLATION_COLUMNS = (
    "hard",
    "rule",
    "family",
    "person",
    "first",
    "last",
    "value",
    "limit",
    "amount",
    "unit",
    "cost",
    "message",
)


def _write_text(path: str | Path, text: str) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out


def load_problem(path: str | Path) -> Problem:
    """Read a problem from a JSON file written by :func:`save_problem` (or by hand).

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    pydantic.ValidationError
        When the file is not a valid problem; every error is listed.
    """
    return Problem.model_validate_json(Path(path).read_text(encoding="utf-8"))


def save_problem(problem: Problem, path: str | Path) -> Path:
    """Write ``problem`` as indented JSON (every field, so defaults can never drift);
    parent directories are created. Returns the path written."""
    return _write_text(path, problem.model_dump_json(indent=2) + "\n")


def load_schedule(path: str | Path) -> Schedule:
    """Read a schedule from a JSON file written by :func:`save_schedule`."""
    return Schedule.model_validate_json(Path(path).read_text(encoding="utf-8"))


def save_schedule(schedule: Schedule, path: str | Path) -> Path:
    """Write ``schedule`` as JSON; parent directories are created. Returns the path."""
    return _write_text(path, schedule.model_dump_json(indent=2) + "\n")


def write_schedule_csv(schedule: Schedule, path: str | Path) -> Path:
    """Write ``schedule`` as CSV rows ``person,date,shift`` (ISO dates) under a header,
    in (date, person, shift) order. Returns the path written."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(SCHEDULE_COLUMNS)
        for a in schedule.sorted().assignments:
            w.writerow((a.person, a.day.isoformat(), a.shift))
    return out


def read_schedule_csv(path: str | Path, problem: Problem | None = None) -> Schedule:
    """Read a schedule from CSV rows ``person,date,shift`` with a header row.

    The header names the columns (any order, any case; other columns are ignored). A date
    is an ISO date (``2027-07-05``) or, when ``problem`` is given, a day index of its
    horizon (``0`` is the first day). Blank lines are skipped. Unknown person or shift ids
    and days outside the horizon are kept, so :func:`rotasolve.check` reports them.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        When the header lacks a column or a row is malformed; the message names the file
        and line.
    """
    src = Path(path)
    assignments: list[Assignment] = []
    with src.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header: list[str] | None = None
        cols: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [c.strip().lower() for c in row]
                missing = [c for c in SCHEDULE_COLUMNS if c not in header]
                if missing:
                    raise ValueError(
                        f"{src}, line {line}: header must name the columns "
                        f"{', '.join(SCHEDULE_COLUMNS)}; missing {', '.join(missing)} "
                        f"(got {', '.join(header)})"
                    )
                cols = {c: header.index(c) for c in SCHEDULE_COLUMNS}
                continue
            if len(row) < len(header):
                raise ValueError(
                    f"{src}, line {line}: expected {len(header)} fields "
                    f"({', '.join(header)}), got {len(row)}: {','.join(row)}"
                )
            person, day_text, shift = (row[cols[c]].strip() for c in SCHEDULE_COLUMNS)
            if not person or not shift:
                raise ValueError(f"{src}, line {line}: empty person or shift: {','.join(row)}")
            assignments.append(
                Assignment(person=person, day=_parse_day(day_text, problem, src, line), shift=shift)
            )
    if header is None:
        raise ValueError(f"{src}: empty file, expected a header {','.join(SCHEDULE_COLUMNS)}")
    return Schedule(assignments=tuple(assignments))


def _parse_day(text: str, problem: Problem | None, src: Path, line: int) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    if problem is not None and text.lstrip("-").isdigit():
        return problem.horizon.date(int(text))
    hint = " or a day index" if problem is not None else ""
    raise ValueError(f"{src}, line {line}: bad date {text!r}; expected YYYY-MM-DD{hint}")


def _report_dict(report: Report) -> dict[str, Any]:
    data = report.model_dump(mode="json")
    return {"feasible": report.feasible, "objective": report.objective, **data}


def write_report_json(report: Report, path: str | Path) -> Path:
    """Write ``report`` as JSON: ``feasible``, ``objective``, then every field of
    :class:`~rotasolve.report.Report` (violations, penalties, duty figures, notes)."""
    return _write_text(path, json.dumps(_report_dict(report), indent=2) + "\n")


def write_report_csv(report: Report, path: str | Path) -> Path:
    """Write every violation of ``report`` (hard first, then soft penalties) as CSV with
    the columns :data:`VIOLATION_COLUMNS`. Returns the path written."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(VIOLATION_COLUMNS)
        for v in (*report.hard_violations, *report.penalties):
            w.writerow(_violation_row(v))
    return out


def _violation_row(v: Violation) -> list[str]:
    def cell(x: object) -> str:
        if x is None:
            return ""
        if isinstance(x, date):
            return x.isoformat()
        if isinstance(x, float):
            return f"{x:g}"
        return str(x)

    data = v.model_dump()
    data["hard"] = "hard" if v.hard else "soft"
    return [cell(data[c]) for c in VIOLATION_COLUMNS]
