"""Benchmark rotasolve on the Curtois & Qu shift scheduling instances.

Each (instance, seed) runs in a fresh subprocess, so peak memory is per instance. The
objective reported is the checker's value of the returned schedule (the benchmark's
objective); a disagreement with the solver's own objective is flagged.

Usage::

    python benchmarks/curtois.py                       # Instances 1-12, 60 s, 2 workers, seed 0
    python benchmarks/curtois.py tests/data/curtois/Instance8.txt --seeds 0 1 2
    python benchmarks/curtois.py --param linearization_level=2 --param symmetry_level=4
    python benchmarks/curtois.py benchmarks/data/gen-150x364x32-s0.txt --time-limit 120

Writes ``results.csv`` and ``results.md`` (plus ``spread.md`` with several seeds) to
``--out``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "curtois"
RESULT_TAG = "BENCH_RESULT "

#: Best known objective values (all proven optimal), Curtois & Qu.
BEST_KNOWN = {
    "Instance1": 607,
    "Instance2": 828,
    "Instance3": 1001,
    "Instance4": 1716,
    "Instance5": 1143,
    "Instance6": 1950,
    "Instance7": 1056,
    "Instance8": 1300,
    "Instance9": 439,
    "Instance10": 4631,
    "Instance11": 3443,
    "Instance12": 4040,
}

COLUMNS = [
    ("instance", "instance"),
    ("seed", "seed"),
    ("staff", "staff"),
    ("days", "days"),
    ("shift_types", "shift types"),
    ("variables", "variables"),
    ("constraints", "constraints"),
    ("build_s", "build s"),
    ("construct_s", "construct s"),
    ("sweep_s", "sweep s"),
    ("lns_s", "lns s"),
    ("colgen_s", "colgen s"),
    ("dive_s", "dive s"),
    ("dive_obj", "dive objective"),
    ("dive_rushed", "dive rushed"),
    ("rins_s", "rins s"),
    ("rins_obj", "rins objective"),
    ("status", "status"),
    ("objective", "objective"),
    ("bound", "lower bound"),
    ("colgen_bound", "colgen bound"),
    ("best_known", "best known"),
    ("planted", "planted roster"),
    ("gap_best_pct", "gap to best %"),
    ("first_s", "first sol. s"),
    ("final_s", "final obj. s"),
    ("runtime_s", "solve s"),
    ("peak_mb", "peak MB"),
    ("hard", "hard viol."),
    ("load", "load"),
    ("note", "note"),
]


def default_instances() -> list[Path]:
    """Instances 1-12 of the benchmark, in order."""
    return [DATA / f"Instance{i}.txt" for i in range(1, 13)]


def parse_param(text: str) -> tuple[str, Any]:
    """``k=v`` with ``v`` read as JSON when possible (int, float, true/false), else a string."""
    key, eq, value = text.partition("=")
    if not eq or not key:
        raise argparse.ArgumentTypeError(f"expected k=v, got {text!r}")
    try:
        return key.strip(), json.loads(value)
    except json.JSONDecodeError:
        return key.strip(), value


# --- child: one instance, one seed ---------------------------------------------------------
def run_one(
    path: Path, seed: int, time_limit: float, workers: int, params: dict[str, Any]
) -> dict[str, Any]:
    """Read, solve and check one instance in this process; return one result row."""
    import rotasolve
    from rotasolve.io import read_curtois

    row: dict[str, Any] = {"instance": path.stem, "seed": seed, "note": ""}
    t0 = time.perf_counter()
    problem = read_curtois(path)
    row["read_s"] = round(time.perf_counter() - t0, 3)
    row["staff"] = len(problem.people)
    row["days"] = problem.horizon.days
    row["shift_types"] = len(problem.shifts)
    row["best_known"] = BEST_KNOWN.get(path.stem)

    # (seconds since the call to solve(), objective) of every improving solution
    improvements: list[tuple[float, float]] = []

    def on_progress(seconds: float, objective: float, bound: float) -> None:
        improvements.append((time.perf_counter() - start, objective))

    start = time.perf_counter()
    result = rotasolve.solve(
        problem,
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        progress=on_progress,
        **params,
    )
    row["wall_s"] = round(time.perf_counter() - start, 2)
    stats = dict(getattr(result, "stats", {}) or {})
    row["variables"] = stats.get("variables")
    row["constraints"] = stats.get("constraints")
    row["build_s"] = _round(getattr(result, "build_seconds", None), 2)
    if stats.get("construct_seconds"):
        row["construct_s"] = round(stats["construct_seconds"], 2)
    if stats.get("sweep_seconds"):
        row["sweep_s"] = round(stats["sweep_seconds"], 2)
    if stats.get("lns_seconds"):
        row["lns_s"] = round(stats["lns_seconds"], 2)
    if stats.get("colgen_seconds"):
        row["colgen_s"] = round(stats["colgen_seconds"], 2)
    row["colgen_bound"] = _round(stats.get("colgen_bound"), 0)
    if stats.get("dive_seconds"):
        row["dive_s"] = round(stats["dive_seconds"], 2)
    row["dive_obj"] = _round(stats.get("dive_objective"), 0)
    if stats.get("dive_rushed"):
        finished = " (finished)" if stats.get("dive_finished") else ""
        row["dive_rushed"] = f"{stats['dive_rushed']}{finished}"
    if stats.get("rins_seconds"):
        row["rins_s"] = round(stats["rins_seconds"], 2)
    row["rins_obj"] = _round(stats.get("rins_objective"), 0)
    row["runtime_s"] = _round(getattr(result, "runtime", None), 2)
    status = getattr(result, "status", None)
    row["status"] = str(getattr(status, "value", status))
    row["solver_objective"] = getattr(result, "objective", None)
    row["bound"] = _round(getattr(result, "bound", None), 0)
    if improvements:
        row["first_s"] = round(improvements[0][0], 2)
        final = min(obj for _, obj in improvements)
        row["final_s"] = round(min(t for t, obj in improvements if obj == final), 2)
    schedule = getattr(result, "schedule", None)
    if schedule is not None and row["status"] in ("optimal", "feasible"):
        report = rotasolve.check(problem, schedule)
        row["objective"] = report.objective
        row["hard"] = len(report.hard_violations)
        if row["solver_objective"] is not None and not math.isclose(
            float(row["solver_objective"]), report.objective
        ):
            row["note"] += f"solver says {row['solver_objective']}! "
        if report.hard_violations:
            row["note"] += f"HARD: {report.hard_violations[0].rule} "
        best = row["best_known"]
        if best:
            row["gap_best_pct"] = round(100.0 * (report.objective - best) / best, 2)
    else:
        row["note"] += "no schedule "
    if not row["variables"]:
        # the solve did not build the full model (its construction took the whole time):
        # build it here for the model's size and build time
        from rotasolve.solver.registry import compile_problem

        t1 = time.perf_counter()
        cm = compile_problem(problem)
        row["build_s"] = round(time.perf_counter() - t1, 2)
        row["variables"] = len(cm.proto.variables)
        row["constraints"] = len(cm.proto.constraints)
        row["note"] += "model built by the harness after the solve (peak MB includes it) "
        del cm
    row["planted"] = planted_objective(path, problem)
    row["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
    # other processes compete for the cores: record the 1-minute load average
    row["load"] = round(os.getloadavg()[0], 1)
    row["stats"] = {k: v for k, v in stats.items() if isinstance(v, int | float | str | None)}
    return row


def planted_objective(path: Path, problem: Any) -> int | None:
    """For an instance written by ``generate.py`` (``gen-SxDxT-sN``): the checker's
    objective of the roster it was generated around (a feasible reference schedule);
    None for other files, or when regenerating does not give the file's text."""
    m = re.fullmatch(r"gen-(\d+)x(\d+)x(\d+)-s(\d+)", path.stem)
    if m is None:
        return None
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import generate

    import rotasolve
    from rotasolve.io.curtois import CURTOIS_START

    inst = generate.generate(*(int(g) for g in m.groups()))
    if inst.text != path.read_text():
        return None
    schedule = rotasolve.Schedule(
        assignments=tuple(
            rotasolve.Assignment(person=p, day=CURTOIS_START + timedelta(days=d), shift=s)
            for (p, d), s in sorted(inst.planted.items())
        )
    )
    return int(rotasolve.check(problem, schedule).objective)


def _round(x: Any, digits: int) -> Any:
    if isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x):
        return round(x, digits) if digits else round(x)
    return x


def child_main(args: argparse.Namespace) -> int:
    if args.memory_limit_gb:
        # cap the address space so a runaway model fails this run, not the machine
        limit = int(args.memory_limit_gb * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    params = dict(args.param or [])
    row = run_one(Path(args.child), args.child_seed, args.time_limit, args.workers, params)
    print(RESULT_TAG + json.dumps(row, default=str), flush=True)
    return 0


# --- parent: one subprocess per run, tables ------------------------------------------------
def run_in_subprocess(path: Path, seed: int, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(path),
        "--child-seed",
        str(seed),
        "--time-limit",
        str(args.time_limit),
        "--workers",
        str(args.workers),
    ]
    if args.memory_limit_gb:
        cmd += ["--memory-limit-gb", str(args.memory_limit_gb)]
    for k, v in args.param or []:
        cmd += ["--param", f"{k}={json.dumps(v) if not isinstance(v, str) else v}"]
    timeout = args.time_limit * 3 + 600
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    failed: dict[str, Any] = {
        "instance": path.stem,
        "seed": seed,
        "best_known": BEST_KNOWN.get(path.stem),
    }
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {**failed, "note": f"timeout after {timeout:.0f} s"}
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_TAG):
            row: dict[str, Any] = json.loads(line[len(RESULT_TAG) :])
            return row
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
    return {**failed, "note": f"exit {proc.returncode}: {' | '.join(tail)}"}


def fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v)


def markdown(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    head = "| " + " | ".join(title for _, title in columns) + " |"
    sep = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join(fmt(r.get(key)).strip() for key, _ in columns) + " |" for r in rows]
    return "\n".join([head, sep, *body])


def spread(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per instance, the spread of the checker objective and times over seeds."""
    out = []
    by: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by.setdefault(r["instance"], []).append(r)
    for inst, rs in by.items():
        objs = [r["objective"] for r in rs if r.get("objective") is not None]
        finals = [r["final_s"] for r in rs if r.get("final_s") is not None]
        best = rs[0].get("best_known")
        entry: dict[str, Any] = {"instance": inst, "seeds": len(rs), "best_known": best}
        if objs:
            entry.update(
                min=min(objs),
                median=statistics.median(objs),
                max=max(objs),
                optimal_runs=sum(1 for r in rs if r.get("status") == "optimal"),
            )
            if best:
                entry["gap_min_pct"] = round(100.0 * (min(objs) - best) / best, 2)
                entry["gap_median_pct"] = round(100.0 * (statistics.median(objs) - best) / best, 2)
        if finals:
            entry["final_s_mean"] = round(statistics.mean(finals), 1)
        entry["peak_mb_max"] = max((r.get("peak_mb") or 0) for r in rs) or None
        out.append(entry)
    return out


SPREAD_COLUMNS = [
    ("instance", "instance"),
    ("seeds", "seeds"),
    ("best_known", "best known"),
    ("min", "min"),
    ("median", "median"),
    ("max", "max"),
    ("gap_min_pct", "gap min %"),
    ("gap_median_pct", "gap median %"),
    ("optimal_runs", "optimal runs"),
    ("final_s_mean", "mean final obj. s"),
    ("peak_mb_max", "peak MB"),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "instances", nargs="*", type=Path, help="instance files (default: Instances 1-12)"
    )
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve (default 60)")
    ap.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0], help="random seeds (default 0)")
    ap.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks" / "results", help="output directory"
    )
    ap.add_argument(
        "--param",
        type=parse_param,
        action="append",
        metavar="K=V",
        help="CP-SAT parameter passed to solve(), e.g. linearization_level=2 (repeatable)",
    )
    ap.add_argument(
        "--memory-limit-gb",
        type=float,
        default=0.0,
        help="address-space limit per run in GiB (default: none)",
    )
    ap.add_argument("--label", default="", help="tag for the output files (default: none)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--child-seed", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child_main(args)

    instances: list[Path] = args.instances or default_instances()
    for p in instances:
        if not p.is_file():
            ap.error(f"no such instance file: {p}")
    params = dict(args.param or [])
    header = (
        f"rotasolve on Curtois & Qu: time limit {args.time_limit:g} s, {args.workers} workers, "
        f"seeds {' '.join(map(str, args.seeds))}, params {params or '{}'}, "
        f"{os.cpu_count()} CPUs, {datetime.now().isoformat(timespec='seconds')}"
    )
    print(header, flush=True)
    rows: list[dict[str, Any]] = []
    for path in instances:
        for seed in args.seeds:
            row = run_in_subprocess(path, seed, args)
            rows.append(row)
            print(
                "  "
                + ", ".join(
                    f"{title}={fmt(row.get(key))}"
                    for key, title in COLUMNS
                    if row.get(key) not in (None, "")
                ),
                flush=True,
            )

    args.out.mkdir(parents=True, exist_ok=True)
    stem = "results" + (f"-{_slug(args.label)}" if args.label else "")
    with (args.out / f"{stem}.csv").open("w", newline="") as fh:
        keys = [k for k, _ in COLUMNS] + ["solver_objective", "read_s", "wall_s"]
        w = csv.DictWriter(fh, fieldnames=keys, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: fmt(r.get(k)) for k in keys})
    table = markdown(rows, COLUMNS)
    text = f"{header}\n\n{table}\n"
    if len(args.seeds) > 1:
        text += "\nSpread over seeds:\n\n" + markdown(spread(rows), SPREAD_COLUMNS) + "\n"
    (args.out / f"{stem}.md").write_text(text)
    (args.out / f"{stem}.json").write_text(
        json.dumps({"header": header, "rows": rows}, indent=1, default=str)
    )
    print()
    print(text)
    print(f"wrote {args.out / stem}.csv/.md/.json")
    return 0


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.=-]+", "_", text)


if __name__ == "__main__":
    raise SystemExit(main())
