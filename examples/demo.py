"""What ``make demo`` runs: solve the bundled internal medicine block and show the result.

Loads ``examples/internal_medicine.json`` (see ``internal_medicine.py``), solves it with
CP-SAT, prints the status, objective, bound and gap, the soft violations and each
resident's duty figures, and writes ``out/schedule.json``, ``out/schedule.csv`` and the
report (``out/report.json``, ``out/report.csv``).

    python examples/demo.py [--time-limit 45] [--workers 2] [--seed 0] [--out out]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import rotasolve as rs
from rotasolve.cli import format_duty_table, format_penalties
from rotasolve.result import Result

PROBLEM = Path(__file__).with_name("internal_medicine.json")


def run(
    time_limit: float = 45.0, workers: int = 2, seed: int = 0, out: str | Path = "out"
) -> Result:
    """Solve the bundled problem, print the account, write the files; return the result."""
    problem = rs.io.load_problem(PROBLEM)
    residents = sum(p.role == rs.Role.resident for p in problem.people)
    print(f"{problem.name}")
    print(
        f"{residents} residents, {len(problem.people) - residents} faculty, "
        f"{problem.horizon.days} days from {problem.horizon.start}, "
        f"{len(problem.shifts)} shift types, {len(problem.cover)} cover needs, "
        f"{len(problem.rules)} rules"
    )
    print(f"solving: time limit {time_limit:g} s, {workers} workers, seed {seed}\n")
    t0 = time.perf_counter()
    result = rs.solve(problem, time_limit=time_limit, workers=workers, seed=seed)
    elapsed = time.perf_counter() - t0
    print(f"status:    {result.status.value}")
    print(f"objective: {result.objective}")
    print(f"bound:     {'-' if result.bound is None else f'{result.bound:g}'}")
    print(f"gap:       {'-' if result.gap is None else f'{result.gap:.1%}'}")
    print(
        f"time:      {elapsed:.1f} s ({result.build_seconds:.1f} s building, "
        f"{result.runtime:.1f} s solving; {result.stats.variables} variables, "
        f"{result.stats.constraints} constraints)"
    )
    if not result.ok or result.report is None:
        print(f"no schedule found {result.message}".rstrip())
        return result
    report: rs.Report = result.report
    print(f"schedule:  {len(result.schedule)} assignments")
    print(f"hard violations: {len(report.hard_violations)} (checked by rotasolve.check)")
    for v in report.hard_violations[:20]:
        print(f"  HARD {v.rule}: {v.message}")
    print()
    print(format_penalties(report))
    print()
    print("Duty figures per resident (clock hours; days off are free 24-hour days):")
    print(format_duty_table(report, problem))
    out_dir = Path(out)
    rs.io.save_schedule(result.schedule, out_dir / "schedule.json")
    rs.io.write_schedule_csv(result.schedule, out_dir / "schedule.csv")
    rs.io.write_report_json(report, out_dir / "report.json")
    rs.io.write_report_csv(report, out_dir / "report.csv")
    print(
        f"\nwrote {out_dir / 'schedule.json'}, {out_dir / 'schedule.csv'}, "
        f"{out_dir / 'report.json'}, {out_dir / 'report.csv'}"
    )
    where = os.path.relpath(PROBLEM)
    print(f"check it again with: rotasolve check {where} {out_dir / 'schedule.csv'} --duty")
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line of the demo."""
    parser = argparse.ArgumentParser(description="Solve the bundled internal medicine block.")
    parser.add_argument("--time-limit", type=float, default=45.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="out")
    args = parser.parse_args(argv)
    result = run(args.time_limit, args.workers, args.seed, args.out)
    return 0 if result.ok and result.report is not None and result.report.feasible else 1


if __name__ == "__main__":
    sys.exit(main())
