"""JSON and CSV files: problems, schedules and reports.

JSON files are the Pydantic models' own JSON, so anything saved loads back equal. CSV
schedules have one assignment per row with a header ``person,date,shift``; a schedule read
from CSV keeps unknown person and shift ids so :func:`rotasolve.check` can report them.
CSV rows may also be free-form duty periods ``person,start,end[,kind]`` (moonlighting,
at-home call hours in hospital), read as :class:`~rotasolve.problem.DutyEntry`.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, overload

from pydantic import ValidationError

from ..problem import DutyEntry, Problem
from ..report import Report, Violation
from ..schedule import Assignment, Schedule

__all__ = [
    "DUTY_COLUMNS",
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

#: Columns of a free-form duty period row (``kind`` and ``id`` are optional).
DUTY_COLUMNS = ("person", "start", "end")

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


@overload
def read_schedule_csv(
    path: str | Path, problem: Problem | None = None, *, with_duty: Literal[False] = False
) -> Schedule: ...


@overload
def read_schedule_csv(
    path: str | Path, problem: Problem, *, with_duty: Literal[True]
) -> tuple[Schedule, Problem]: ...


def read_schedule_csv(
    path: str | Path, problem: Problem | None = None, *, with_duty: bool = False
) -> Schedule | tuple[Schedule, Problem]:
    """Read a schedule from CSV rows ``person,date,shift`` with a header row, and free-form
    duty periods from rows ``person,start,end[,kind]``.

    The header names the columns (any order, any case; other columns are ignored): it must
    name ``person`` and either ``date`` and ``shift`` or ``start`` and ``end``, or all of
    them. Each row fills either ``date`` and ``shift`` (an assignment) or ``start`` and
    ``end`` (a duty period). A date is an ISO date (``2027-07-05``) or, when ``problem`` is
    given, a day index of its horizon (``0`` is the first day). Blank lines are skipped.
    Unknown person or shift ids and days outside the horizon are kept, so
    :func:`rotasolve.check` reports them.

    A duty period row becomes a :class:`~rotasolve.problem.DutyEntry`: ``start`` and ``end``
    are ISO local date-times (``2027-07-05T19:00`` or ``2027-07-05 19:00``); the optional
    ``kind`` column is ``moonlighting``, ``home_call_in_hospital`` or ``duty`` (default);
    the optional ``id`` column names it, else its id is ``<file name>:<line>``.

    Parameters
    ----------
    path
        The CSV file.
    problem
        The problem the schedule is for (needed for day indices and with ``with_duty``).
    with_duty
        False: return the schedule only; a file with duty period rows is refused (they
        would be lost). True: return ``(schedule, problem with the duty entries added)``,
        ready for :func:`rotasolve.check`.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        When the header lacks a column or a row is malformed; the message names the file
        and line. Also when the file has duty period rows and ``with_duty`` is False.
    pydantic.ValidationError
        With ``with_duty``, when a duty entry does not fit the problem (unknown person,
        outside the horizon, overlapping another entry of the person); the errors name
        the entries by id.
    """
    src = Path(path)
    if with_duty and problem is None:
        raise ValueError("read_schedule_csv: with_duty=True needs the problem")
    assignments: list[Assignment] = []
    entries: list[DutyEntry] = []
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
                cols = _header_columns(header, src, line)
                continue
            if len(row) < len(header):
                raise ValueError(
                    f"{src}, line {line}: expected {len(header)} fields "
                    f"({', '.join(header)}), got {len(row)}: {','.join(row)}"
                )
            cell = {c: row[i].strip() for c, i in cols.items()}
            if _is_duty_row(cell, src, line, row):
                entries.append(_duty_entry(cell, src, line, row))
                continue
            person, day_text, shift = (cell[c] for c in SCHEDULE_COLUMNS)
            if not person or not shift:
                raise ValueError(f"{src}, line {line}: empty person or shift: {','.join(row)}")
            assignments.append(
                Assignment(person=person, day=_parse_day(day_text, problem, src, line), shift=shift)
            )
    if header is None:
        raise ValueError(f"{src}: empty file, expected a header {','.join(SCHEDULE_COLUMNS)}")
    schedule = Schedule(assignments=tuple(assignments))
    if not with_duty:
        if entries:
            raise ValueError(
                f"{src}: {len(entries)} duty period row(s) ({','.join(DUTY_COLUMNS)}); read "
                "with with_duty=True to get the problem with these duty entries"
            )
        return schedule
    assert problem is not None
    return schedule, (problem.with_duty(entries) if entries else problem)


def _header_columns(header: list[str], src: Path, line: int) -> dict[str, int]:
    """Column positions of a schedule CSV header (either form, or both)."""
    shift_form = all(c in header for c in SCHEDULE_COLUMNS)
    duty_form = all(c in header for c in DUTY_COLUMNS)
    if not (shift_form or duty_form):
        missing = [c for c in SCHEDULE_COLUMNS if c not in header]
        other = [c for c in DUTY_COLUMNS if c not in header]
        if len(other) < len(missing):
            missing = other
        raise ValueError(
            f"{src}, line {line}: header must name the columns {', '.join(SCHEDULE_COLUMNS)} "
            f"(or {', '.join(DUTY_COLUMNS)} for duty periods); missing {', '.join(missing)} "
            f"(got {', '.join(header)})"
        )
    names = ("person", "date", "shift", "start", "end", "kind", "id")
    return {c: header.index(c) for c in names if c in header}


def _is_duty_row(cell: dict[str, str], src: Path, line: int, row: list[str]) -> bool:
    """Whether a row is a duty period (start/end filled) rather than an assignment."""
    shift_part = bool(cell.get("date", "") or cell.get("shift", ""))
    duty_part = bool(cell.get("start", "") or cell.get("end", ""))
    if "date" not in cell:
        return True
    if "start" not in cell:
        return False
    if shift_part == duty_part:
        raise ValueError(
            f"{src}, line {line}: fill either date and shift (an assignment) or start and "
            f"end (a duty period): {','.join(row)}"
        )
    return duty_part


def _duty_entry(cell: dict[str, str], src: Path, line: int, row: list[str]) -> DutyEntry:
    person, start, end = (cell[c] for c in DUTY_COLUMNS)
    if not person or not start or not end:
        raise ValueError(f"{src}, line {line}: empty person, start or end: {','.join(row)}")
    times = []
    for text in (start, end):
        try:
            times.append(datetime.fromisoformat(text))
        except ValueError:
            raise ValueError(
                f"{src}, line {line}: bad date-time {text!r}; expected YYYY-MM-DDTHH:MM"
            ) from None
    try:
        return DutyEntry(
            id=cell.get("id", "") or f"{src.name}:{line}",
            person=person,
            start=times[0],
            end=times[1],
            kind=cell.get("kind", "") or "duty",
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ValueError(f"{src}, line {line}: bad duty period ({problems})") from None


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
