"""Model size, build time and time to a first schedule with and without the ACGME pack.

Two programs: the demo (``examples/internal_medicine.json``: 38 people, 28 days) and a
generated residency of N residents (PGY 1-3) over W weeks (default 150 × 52) with daily
day, night and 24-hour call shifts and weekday clinic. Three variants of each: no ACGME
rules, ``rotasolve.rules.acgme()`` (hard), and the same rules all soft. Each (program,
variant) runs in a fresh subprocess, so peak memory (``ru_maxrss``) is its own.

Usage::

    python benchmarks/acgme.py                          # demo + 150 × 52, 60 s per solve
    python benchmarks/acgme.py --residents 60 --weeks 12 --time-limit 20
    python benchmarks/acgme.py --programs generated --variants acgme --build-only
    python benchmarks/acgme.py --verify                 # check the planted roster only
    python benchmarks/acgme.py --profile out.prof       # cProfile the ACGME build

Writes ``acgme.csv`` and ``acgme.md`` to ``--out`` (default ``benchmarks/results/``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import rotasolve as rs

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "internal_medicine.json"
RESULT_TAG = "BENCH_RESULT "
START = dt.date(2027, 7, 5)  # a Monday

PROGRAMS = ("demo", "generated")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
VARIANTS = ("none", "acgme", "acgme_soft")
#: Weight per unit of violation of each ACGME rule in the ``acgme_soft`` variant.
SOFT_WEIGHT = 100

# --- the generated program ----------------------------------------------------------------
#: Weekly templates (Monday..Sunday); in every one Sunday is a whole free calendar day and
#: the week stays within 72 h, so any sequence of them meets every ACGME limit (80 h, one
#: day in seven, 24 + 4 h, 8 h rest, 14 h after call, at most 9 calls in 28 days).
D, N, C, K = "day", "night", "call", "clinic"
TEMPLATES: dict[str, tuple[str | None, ...]] = {
    "ward": (D, D, D, D, D, D, None),
    "night": (N, N, N, N, N, None, None),  # Friday's night ends Saturday 07:00
    "call_a": (C, None, D, C, None, D, None),
    "call_b": (D, C, None, D, C, None, None),
    "call_c": (None, D, C, None, D, D, None),
    "clinic": (K, K, K, K, K, D, None),
    "vacation": (None,) * 7,
}
#: Eight-week rotation cycle per PGY; resident i starts at week i mod 8.
CYCLES = {
    1: ("ward", "ward", "call_a", "night", "ward", "call_b", "clinic", "ward"),
    2: ("ward", "call_a", "night", "clinic", "call_b", "ward", "night", "clinic"),
    3: ("clinic", "call_c", "ward", "night", "clinic", "call_a", "clinic", "ward"),
}


def _shifts() -> tuple[rs.ShiftType, ...]:
    residents = rs.Selector(roles=(rs.Role.resident,))
    return (
        rs.ShiftType(
            id=D, start=dt.time(7), minutes=720, tags=("day",), eligible=residents, name="Day"
        ),
        rs.ShiftType(
            id=N, start=dt.time(19), minutes=720, tags=("night",), eligible=residents, name="Night"
        ),
        rs.ShiftType(
            id=C,
            name="24-hour in-house call",
            start=dt.time(7),
            minutes=1440,
            tags=("call", "call24"),
            call=rs.CallKind.in_house,
            eligible=residents,
        ),
        rs.ShiftType(
            id=K,
            name="Continuity clinic",
            start=dt.time(8),
            minutes=540,
            tags=("clinic",),
            eligible=residents,
        ),
    )


def generate(
    residents: int = 150, weeks: int = 52, seed: int = 0
) -> tuple[rs.Problem, rs.Schedule]:
    """A residency program and the planted roster that proves it feasible.

    Residents are PGY-1, 2 and 3 in equal thirds; each follows its PGY's eight-week
    rotation cycle (:data:`CYCLES`) from its own offset, except for three vacation weeks a
    year (leave) and an occasional conference day. Cover is one count per shift type, PGY
    and weekday: ``min`` is the planted roster's lowest head count on those days, ``max``
    its highest plus one (zero stays zero: no clinic on weekends, no weekend call for
    interns where the cycle has none), and a soft ``target`` at the median. Each resident
    asks for two days off and one shift on (soft). The rules are the ACGME pack only.

    Returns
    -------
    (Problem, Schedule)
        The problem (rules: ``acgme()``) and the planted roster.
    """
    rng = random.Random(f"acgme:{residents}x{weeks}:{seed}")
    days = weeks * 7
    people: list[rs.Person] = []
    plan: dict[tuple[str, int], str] = {}
    leave: list[rs.Leave] = []
    for i in range(residents):
        pgy = i % 3 + 1
        pid = f"r{i:03d}"
        people.append(rs.Person(id=pid, pgy=pgy))
        cycle = CYCLES[pgy]
        # three vacation weeks, spread over the year (at most one per third)
        vacation: set[int] = set()
        for part in range(3):
            lo, hi = part * weeks // 3, (part + 1) * weeks // 3
            if hi > lo:
                vacation.add(rng.randrange(lo, hi))
        for w in range(weeks):
            name = "vacation" if w in vacation else cycle[(w + i) % len(cycle)]
            for k, shift in enumerate(TEMPLATES[name]):
                if shift is not None:
                    plan[(pid, w * 7 + k)] = shift
            if w in vacation:
                first = START + dt.timedelta(days=w * 7)
                leave.append(
                    rs.Leave(
                        id=f"vac_{pid}_w{w}",
                        person=pid,
                        first=first,
                        last=first + dt.timedelta(days=6),
                        kind="vacation",
                    )
                )
        # a conference day on a day off of the planted roster
        free = [d for d in range(days) if (pid, d) not in plan]
        if free and rng.random() < 0.5:
            d = rng.choice(free)
            day = START + dt.timedelta(days=d)
            leave.append(
                rs.Leave(id=f"conf_{pid}", person=pid, first=day, last=day, kind="conference")
            )

    pgy_of = {p.id: p.pgy for p in people}
    counts: dict[tuple[str, int, int], int] = defaultdict(int)
    for (pid, d), shift in plan.items():
        counts[(shift, pgy_of[pid] or 0, d)] += 1
    cover: list[rs.Cover] = []
    for shift in (D, N, C, K):
        for pgy in (1, 2, 3):
            for wd in range(7):
                idx = list(range(wd, days, 7))
                ns = sorted(counts[(shift, pgy, d)] for d in idx)
                top = ns[-1]
                cover.append(
                    rs.Cover(
                        id=f"{shift}_pgy{pgy}_{WEEKDAYS[wd]}",
                        shifts=(shift,),
                        days=rs.DaySet(kind="listed", indices=tuple(idx)),
                        eligible=rs.Selector(roles=(rs.Role.resident,), pgy_min=pgy, pgy_max=pgy),
                        min=ns[0],
                        max=top + 1 if top else 0,
                        target=ns[len(ns) // 2] if top else None,
                        target_under_weight=10,
                        target_over_weight=2,
                    )
                )
    requests: list[rs.Request] = []
    for p in people:
        for k in range(2):
            d = rng.randrange(days)
            requests.append(
                rs.Request(
                    id=f"off_{p.id}_{k}",
                    person=p.id,
                    day=START + dt.timedelta(days=d),
                    weight=rng.choice((5, 10, 20)),
                )
            )
        mine = [(d, s) for (pid, d), s in plan.items() if pid == p.id]
        if mine:
            d, s = rng.choice(mine)
            requests.append(
                rs.Request(
                    id=f"on_{p.id}",
                    person=p.id,
                    day=START + dt.timedelta(days=d),
                    shift=s,
                    want="on",
                    weight=5,
                )
            )
    problem = rs.Problem(
        name=f"Generated residency: {residents} residents, {weeks} weeks (seed {seed})",
        horizon=rs.Horizon(start=START, days=days),
        people=tuple(people),
        shifts=_shifts(),
        cover=tuple(cover),
        leave=tuple(leave),
        requests=tuple(requests),
        rules=rs.rules.acgme(),
    )
    planted = rs.Schedule(
        assignments=tuple(
            rs.Assignment(person=pid, day=START + dt.timedelta(days=d), shift=s)
            for (pid, d), s in sorted(plan.items())
        )
    )
    return problem, planted


def is_acgme(rule: rs.Rule) -> bool:
    """Whether a rule comes from the ACGME preset (default id prefix)."""
    return rule.id.startswith("acgme_")


def variant(problem: rs.Problem, name: str) -> rs.Problem:
    """``none``: the problem without its ACGME rules; ``acgme``: as given (the generated
    program has ``acgme()``, the demo ``acgme(night_float=True)``); ``acgme_soft``: every
    ACGME rule soft with weight :data:`SOFT_WEIGHT` per unit."""
    if name == "acgme":
        return problem
    if name == "none":
        rules = tuple(r for r in problem.rules if not is_acgme(r))
    elif name == "acgme_soft":
        rules = tuple(
            r.model_copy(update={"hard": False, "weight": SOFT_WEIGHT}) if is_acgme(r) else r
            for r in problem.rules
        )
    else:
        raise ValueError(f"unknown variant {name!r}")
    return problem.model_copy(update={"rules": rules})


def load_program(name: str, residents: int, weeks: int, seed: int) -> rs.Problem:
    """The demo problem or the generated one."""
    if name == "demo":
        return rs.io.load_problem(DEMO)
    return generate(residents, weeks, seed)[0]


# --- child: one program, one variant ------------------------------------------------------
def _mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)


def run_one(args: argparse.Namespace) -> dict[str, Any]:
    """Build (timed on its own), then solve and check one (program, variant)."""
    from rotasolve.solver import compile_problem

    program, var = args.child
    t0 = time.perf_counter()
    problem = variant(load_program(program, args.residents, args.weeks, args.seed), var)
    row: dict[str, Any] = {
        "program": program,
        "variant": var,
        "people": len(problem.people),
        "days": problem.horizon.days,
        "shift_types": len(problem.shifts),
        "rules": len(problem.rules),
        "load_s": round(time.perf_counter() - t0, 2),
        "note": "",
    }
    base_mb = _mb()
    t0, c0 = time.perf_counter(), time.process_time()
    cm = compile_problem(problem)
    row["build_s"] = round(time.perf_counter() - t0, 2)
    # CPU seconds: steadier than wall time when other jobs share the cores
    row["build_cpu_s"] = round(time.process_time() - c0, 2)
    row["variables"] = len(cm.proto.variables)
    row["constraints"] = len(cm.proto.constraints)
    row["build_mb"] = round(_mb() - base_mb)
    del cm
    gc.collect()
    if args.build_only:
        row["peak_mb"] = _mb()
        return row

    first: list[float] = []

    def on_progress(seconds: float, objective: float, bound: float) -> None:
        if not first:
            first.append(time.perf_counter() - start)

    start = time.perf_counter()
    result = rs.solve(
        problem,
        time_limit=args.time_limit,
        workers=args.workers,
        seed=0,
        progress=on_progress,
        explain=False,
    )
    row["wall_s"] = round(time.perf_counter() - start, 2)
    row["solve_build_s"] = round(result.build_seconds, 2)
    row["first_s"] = round(first[0], 2) if first else None
    if result.stats.construct_seconds:
        row["construct_s"] = round(result.stats.construct_seconds, 2)
    row["status"] = result.status.value
    row["objective"] = result.objective
    row["runtime_s"] = round(result.runtime, 2)
    if result.report is not None:
        row["hard"] = len(result.report.hard_violations)
        if result.report.objective != result.objective:
            row["note"] += f"checker says {result.report.objective}! "
        if result.report.hard_violations:
            row["note"] += f"HARD: {result.report.hard_violations[0].rule} "
    row["peak_mb"] = _mb()
    row["load"] = round(os.getloadavg()[0], 1)
    return row


# --- parent ---------------------------------------------------------------------------------
COLUMNS = [
    ("program", "program"),
    ("variant", "variant"),
    ("people", "people"),
    ("days", "days"),
    ("shift_types", "shift types"),
    ("rules", "rules"),
    ("variables", "variables"),
    ("constraints", "constraints"),
    ("build_s", "build s"),
    ("build_cpu_s", "build CPU s"),
    ("build_mb", "build MB"),
    ("peak_mb", "peak MB"),
    ("construct_s", "construct s"),
    ("first_s", "first sol. s"),
    ("status", "status"),
    ("objective", "objective"),
    ("runtime_s", "solve s"),
    ("hard", "hard viol."),
    ("load", "load"),
    ("note", "note"),
]


def run_in_subprocess(program: str, var: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one (program, variant) in a fresh interpreter and parse its result line."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        program,
        var,
        "--residents",
        str(args.residents),
        "--weeks",
        str(args.weeks),
        "--seed",
        str(args.seed),
        "--time-limit",
        str(args.time_limit),
        "--workers",
        str(args.workers),
    ]
    if args.build_only:
        cmd.append("--build-only")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.time_limit * 3 + 900)
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_TAG):
            return dict(json.loads(line[len(RESULT_TAG) :]))
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
    return {"program": program, "variant": var, "note": f"FAILED rc={proc.returncode}: {tail[0]}"}


def markdown(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table."""
    head = "| " + " | ".join(t for _, t in COLUMNS) + " |"
    sep = "|" + "|".join("---" for _ in COLUMNS) + "|"
    body = [
        "| " + " | ".join("" if r.get(k) is None else str(r.get(k)) for k, _ in COLUMNS) + " |"
        for r in rows
    ]
    return "\n".join([head, sep, *body])


def verify(args: argparse.Namespace) -> int:
    """Check the generated program's planted roster: it must break no hard rule."""
    problem, planted = generate(args.residents, args.weeks, args.seed)
    report = rs.check(problem, planted)
    print(
        f"{problem.name}: {len(planted.assignments)} planted assignments, "
        f"{len(report.hard_violations)} hard violations, objective {report.objective}"
    )
    for v in report.hard_violations[:10]:
        print("  ", v)
    return 1 if report.hard_violations else 0


def profile(args: argparse.Namespace) -> int:
    """cProfile the build of the generated program with the ACGME pack."""
    import cProfile
    import pstats

    from rotasolve.solver import compile_problem

    problem = generate(args.residents, args.weeks, args.seed)[0]
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    compile_problem(problem)
    prof.disable()
    print(f"build {time.perf_counter() - t0:.2f} s (under cProfile)")
    prof.dump_stats(args.profile)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments; run the table, or one child run, or a check or a profile."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", nargs="+", choices=PROGRAMS, default=list(PROGRAMS))
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--residents", type=int, default=150)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--build-only", action="store_true", help="build, do not solve")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--label", default="", help="suffix of the output file names")
    parser.add_argument("--verify", action="store_true", help="check the planted roster")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the ACGME build to FILE")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(RESULT_TAG + json.dumps(run_one(args), default=str), flush=True)
        return 0
    if args.verify:
        return verify(args)
    if args.profile:
        return profile(args)
    rows: list[dict[str, Any]] = []
    for program in args.programs:
        for var in args.variants:
            row = run_in_subprocess(program, var, args)
            rows.append(row)
            print(", ".join(f"{t}={row.get(k)}" for k, t in COLUMNS if row.get(k) is not None))
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "acgme" + (f"-{args.label}" if args.label else "")
    keys = [k for k, _ in COLUMNS] + sorted({k for r in rows for k in r} - dict(COLUMNS).keys())
    with open(args.out / f"{stem}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        w.writerows(rows)
    table = markdown(rows)
    (args.out / f"{stem}.md").write_text(table + "\n")
    print()
    print(table)
    bad = [r for r in rows if r.get("hard") or str(r.get("note", "")).startswith("FAILED")]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
