"""The ``rotasolve`` command: check a schedule against a problem, or solve a problem.

::

    rotasolve check problem.json schedule.csv   # or schedule.json; exit 1 on hard violations
                                                # CSV rows: person,date,shift and/or
                                                # person,start,end[,kind] duty periods;
                                                # prints the violations, then the duty-hour
                                                # compliance report
    rotasolve solve problem.json --time-limit 60 --workers 2 --seed 0 --out out/

Exit codes: 0 success (check: no hard violation; solve: a schedule was found), 1 hard
violations or no schedule found, 2 usage errors (missing or invalid files).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from .check import check
from .compliance import compliance
from .io.files import (
    load_problem,
    load_schedule,
    read_schedule_csv,
    save_schedule,
    write_report_csv,
    write_report_json,
    write_schedule_csv,
)
from .problem import Problem
from .report import Report
from .schedule import Schedule
from .solver import solve

__all__ = ["format_duty_table", "format_penalties", "main"]


class _UsageError(Exception):
    """A problem with the command line or its input files (exit code 2)."""


def _hours(minutes: int | None) -> str:
    return "-" if minutes is None else f"{minutes / 60:.1f}"


def format_duty_table(report: Report, problem: Problem | None = None) -> str:
    """The residents' duty figures of ``report`` as an aligned text table.

    Columns: total hours, hours in the worst 28-day window and its weekly average, free
    24-hour days off, longest duty period, shortest rest between periods, in-house calls
    (and in the worst 28 days). With ``problem`` given, the PGY level is shown too.
    """
    pgy: dict[str, str] = {}
    if problem is not None:
        pgy = {p.id: "" if p.pgy is None else str(p.pgy) for p in problem.people}
    header = [
        "resident",
        "PGY",
        "shifts",
        "hours",
        "worst 28d h",
        "avg h/wk",
        "days off",
        "longest duty h",
        "shortest rest h",
        "calls",
    ]
    rows = [header]
    for f in report.duty:
        days_off = f.days_off_free24 if f.days_off_free24 is not None else f.days_off_calendar
        avg = f.worst_28d_avg_weekly_hours
        rows.append(
            [
                f.person,
                pgy.get(f.person, ""),
                str(f.shifts),
                _hours(f.total_minutes),
                _hours(f.worst_28d_minutes),
                "-" if avg is None else f"{avg:.1f}",
                str(days_off),
                _hours(f.longest_duty_minutes),
                _hours(f.shortest_rest_minutes),
                str(f.calls),
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for n, r in enumerate(rows):
        cells = [
            r[0].ljust(widths[0]),
            *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)),
        ]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_penalties(report: Report, limit: int = 30) -> str:
    """Soft violations grouped by rule (count and total penalty), then the first
    ``limit`` one by one: ``rule person dates: message (violated by N unit, penalty P)``."""
    if not report.penalties:
        return "no soft violations"
    totals: dict[str, tuple[int, int]] = {}
    for v in report.penalties:
        n, c = totals.get(v.rule, (0, 0))
        totals[v.rule] = (n + 1, c + v.cost)
    lines = [f"soft violations: {len(report.penalties)}, total penalty {report.objective}"]
    for rule, (n, c) in sorted(totals.items(), key=lambda kv: (-kv[1][1], kv[0])):
        lines.append(f"  {rule:<28} {n:>4} x  penalty {c}")
    lines.append("")
    for v in report.penalties[:limit]:
        who = f" {v.person}" if v.person else ""
        when = ""
        if v.first is not None:
            when = f" {v.first}" if v.last in (None, v.first) else f" {v.first}..{v.last}"
        lines.append(
            f"  {v.rule}{who}{when}: {v.message} (violated by {v.amount_text}, penalty {v.cost})"
        )
    if len(report.penalties) > limit:
        lines.append(f"  ... {len(report.penalties) - limit} more")
    return "\n".join(lines)


def _existing(path: str, what: str) -> Path:
    p = Path(path)
    if not p.is_file():
        raise _UsageError(f"{what} not found: {path}")
    return p


def _load_problem(path: str) -> Problem:
    p = _existing(path, "problem file")
    try:
        return load_problem(p)
    except ValidationError as exc:
        raise _UsageError(f"{path} is not a valid problem:\n{exc}") from exc
    except ValueError as exc:  # malformed JSON is reported as a ValidationError too
        raise _UsageError(f"{path}: {exc}") from exc


def _load_schedule(path: str, problem: Problem) -> tuple[Schedule, Problem]:
    """The schedule, and the problem with the CSV file's duty periods added (if any)."""
    p = _existing(path, "schedule file")
    try:
        if p.suffix.lower() == ".csv":
            return read_schedule_csv(p, problem, with_duty=True)
        return load_schedule(p), problem
    except ValidationError as exc:
        raise _UsageError(f"{path} is not a valid schedule:\n{exc}") from exc
    except ValueError as exc:
        raise _UsageError(str(exc)) from exc


def _write_reports(report: Report, args: argparse.Namespace) -> None:
    if args.report_json:
        write_report_json(report, args.report_json)
    if args.report_csv:
        write_report_csv(report, args.report_csv)


def _cmd_check(args: argparse.Namespace) -> int:
    problem = _load_problem(args.problem)
    schedule, problem = _load_schedule(args.schedule, problem)
    report = check(problem, schedule)
    print(report.summary(limit=args.limit))
    if args.duty:
        print()
        print(format_duty_table(report, problem))
    if not args.no_compliance:
        comp = compliance(problem, schedule)
        print()
        if comp.lines:
            print(comp.to_text())
        else:
            print("Duty-hour compliance: the problem has no duty-hour rule.")
        if args.compliance_csv:
            comp.to_csv(args.compliance_csv)
    _write_reports(report, args)
    # The compliance report agrees with the checker: a failing hard duty-hour rule is a
    # hard violation, so the exit code follows the checker alone.
    return 0 if report.feasible else 1


def _cmd_solve(args: argparse.Namespace) -> int:
    problem = _load_problem(args.problem)
    result = solve(problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    print(result.summary())
    if not result.ok or result.report is None:
        print(f"rotasolve: no schedule found ({result.status.value})", file=sys.stderr)
        return 1
    schedule, report = result.schedule, result.report
    if args.duty:
        print()
        print(format_duty_table(report, problem))
    out = Path(args.out)
    save_schedule(schedule, out / "schedule.json")
    write_schedule_csv(schedule, out / "schedule.csv")
    write_report_json(report, out / "report.json")
    write_report_csv(report, out / "report.csv")
    _write_reports(report, args)
    print(f"wrote {out / 'schedule.json'}, schedule.csv, report.json, report.csv")
    return 0 if report.feasible else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rotasolve", description="Residency schedules with OR-Tools CP-SAT."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def report_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--duty", action="store_true", help="print each resident's duty figures")
        p.add_argument("--report-json", metavar="PATH", help="also write the report as JSON")
        p.add_argument("--report-csv", metavar="PATH", help="also write the violations as CSV")

    pc = sub.add_parser(
        "check",
        help="check a schedule against a problem (exit 1 on hard violations)",
        description="Check a schedule (CSV person,date,shift or JSON) against a problem. "
        "CSV rows person,start,end[,kind] (ISO date-times; kind moonlighting, "
        "home_call_in_hospital or duty) are fixed duty periods, counted by the duty-hour "
        "rules. Prints the violations, then the duty-hour compliance report (per resident "
        "and rule the worst window, value, limit and pass/fail, and a program summary).",
    )
    pc.add_argument("problem", help="problem JSON file")
    pc.add_argument(
        "schedule",
        help="schedule file: .csv (person,date,shift and/or person,start,end[,kind]) or .json",
    )
    pc.add_argument("--limit", type=int, default=50, help="violations listed per kind (50)")
    pc.add_argument(
        "--no-compliance",
        action="store_true",
        help="do not print the duty-hour compliance report",
    )
    pc.add_argument(
        "--compliance-csv", metavar="PATH", help="also write the compliance lines as CSV"
    )
    report_options(pc)
    pc.set_defaults(func=_cmd_check)

    ps = sub.add_parser(
        "solve",
        help="solve a problem and write the schedule and report",
        description="Solve a problem; write schedule.json, schedule.csv, report.json and "
        "report.csv to --out.",
    )
    ps.add_argument("problem", help="problem JSON file")
    ps.add_argument("--time-limit", type=float, default=60.0, help="seconds (60)")
    ps.add_argument("--workers", type=int, default=2, help="CP-SAT search workers (2)")
    ps.add_argument("--seed", type=int, default=0, help="random seed (0)")
    ps.add_argument("--out", default="out", help="output directory (out)")
    report_options(ps)
    ps.set_defaults(func=_cmd_solve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also used by the console script)."""
    args = _parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except _UsageError as exc:
        print(f"rotasolve: error: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
