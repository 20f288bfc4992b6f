"""Generate larger instances in the Curtois & Qu benchmark format (seeded, feasible).

The instances have the shape of the published benchmark — cover requirement per day and
shift type with under/over weights, per-staff limits, days off, on/off requests, forbidden
successions — at sizes up to 150 staff, 364 days and 32 shift types.

Feasibility of the hard rules is guaranteed by construction: a *planted roster* is drawn
first (work runs of legal length with forward-rotating shifts, off runs of legal length),
then every hard limit is set so that the planted roster satisfies it with some slack, and
days off are chosen among its days off. Cover requirements are the planted head counts
with noise, so the planted roster is good but not optimal.

Usage::

    python benchmarks/generate.py --staff 150 --days 364 --shifts 32 --seed 0 \
        --out benchmarks/data/gen-150x364x32-s0.txt [--planted roster.csv] [--verify]
"""

from __future__ import annotations

import argparse
import math
import random
import string
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Instance", "generate", "main"]


@dataclass
class Instance:
    """A generated instance and the planted roster that proves it feasible."""

    text: str
    #: (person, day) -> shift id of the planted roster
    planted: dict[tuple[str, int], str]


def _staff_ids(n: int) -> list[str]:
    """A, B, ..., Z, AA, AB, ... like the benchmark files."""
    out: list[str] = []
    letters = string.ascii_uppercase
    width = 1
    while len(out) < n:
        for k in range(len(letters) ** width):
            name = ""
            for _ in range(width):
                k, r = divmod(k, len(letters))
                name = letters[r] + name
            out.append(name)
            if len(out) == n:
                break
        width += 1
    return out


def generate(staff: int = 150, days: int = 364, shifts: int = 32, seed: int = 0) -> Instance:
    """Generate one instance.

    Parameters
    ----------
    staff, days, shifts
        Number of employees, days (any positive number; day 0 is a Monday) and shift types.
    seed
        Random seed; the same arguments always give the same text.

    Returns
    -------
    Instance
        The text in the benchmark format and the planted roster.
    """
    if staff < 1 or days < 1 or shifts < 1:
        raise ValueError("staff, days and shifts must be positive")
    rng = random.Random(f"{staff}x{days}x{shifts}:{seed}")
    people = _staff_ids(staff)

    # Shift types in start-time order; a later-starting shift forbids an earlier one the
    # next day (too little rest), as in the benchmark's a/d/p/n families.
    n_groups = min(4, shifts)
    group_of = [min(n_groups - 1, i * n_groups // shifts) for i in range(shifts)]
    prefix = "adpn" if n_groups == 4 else "abcd"
    counters: Counter[int] = Counter()
    shift_ids: list[str] = []
    for g in group_of:
        counters[g] += 1
        shift_ids.append(f"{prefix[g]}{counters[g]}")
    lengths = [rng.choice((480, 480, 480, 600, 720)) if g < 3 else 600 for g in group_of]

    def forbidden(i: int) -> list[int]:
        return [j for j in range(shifts) if group_of[j] < group_of[i]]

    # Per-person contract type: full time or part time.
    weeks = days / 7
    planted: dict[tuple[str, int], str] = {}
    staff_rows: list[str] = []
    off_rows: list[str] = []
    on_rows: list[str] = []
    offreq_rows: list[str] = []
    for pid in people:
        full = rng.random() < 0.75
        max_run = rng.choice((5, 5, 6)) if full else 5
        min_run = 2 if full else 1
        min_off = rng.choice((2, 2, 3)) if full else 2
        k = max(1, round(shifts * rng.uniform(0.2, 0.45)))
        allowed = sorted(rng.sample(range(shifts), k))
        work_frac = rng.uniform(0.6, 0.72) if full else rng.uniform(0.3, 0.45)

        # Planted pattern: alternate work and off runs of legal length.
        day = 0
        working = rng.random() < 0.5
        pattern: list[int | None] = []
        while day < days:
            if working:
                length = rng.randint(max(min_run, 2), max_run)
                # forward rotation inside a run never breaks a forbidden succession
                start = rng.randrange(len(allowed))
                seq: list[int] = []
                pos = start
                for _ in range(length):
                    seq.append(allowed[pos])
                    if pos + 1 < len(allowed) and rng.random() < 0.25:
                        pos += 1
                pattern.extend(seq)
                day += length
            else:
                mean_off = max(min_off, round(max_run * (1 - work_frac) / work_frac))
                length = rng.randint(min_off, max(min_off, mean_off + 1))
                pattern.extend([None] * length)
                day += length
            working = not working
        pattern = pattern[:days]
        for d, s in enumerate(pattern):
            if s is not None:
                planted[(pid, d)] = shift_ids[s]

        # Limits with slack around the planted roster.
        counts = Counter(s for s in pattern if s is not None)
        caps = []
        for i, sid in enumerate(shift_ids):
            if i not in allowed:
                caps.append(f"{sid}=0")
            elif rng.random() < 0.3:
                caps.append(f"{sid}={counts[i] + max(2, math.ceil(0.2 * counts[i]))}")
            else:
                caps.append(f"{sid}={days}")
        minutes = sum(lengths[s] for s in pattern if s is not None)
        slack = max(960, round(0.08 * minutes))
        max_minutes = minutes + slack
        min_minutes = max(0, minutes - slack)
        worked_weekends = len(
            {d // 7 for d in range(days) if d % 7 >= 5 and pattern[d] is not None}
        )
        max_weekends = worked_weekends + rng.choice((0, 1, 1, 2))
        staff_rows.append(
            f"{pid},{'|'.join(caps)},{max_minutes},{min_minutes},{max_run},{min_run},"
            f"{min_off},{max_weekends}"
        )

        # Days off: some of the planted days off, mostly in runs.
        off_days = [d for d in range(days) if pattern[d] is None]
        wanted = max(1, round(rng.uniform(0.5, 1.5) * weeks / 4))
        chosen: set[int] = set()
        for _ in range(wanted):
            d0 = rng.choice(off_days)
            chosen.add(d0)
            if d0 + 1 < days and pattern[d0 + 1] is None and rng.random() < 0.5:
                chosen.add(d0 + 1)
        off_rows.append(",".join([pid, *(str(d) for d in sorted(chosen))]))

        # Requests: on-requests mostly for planted work, off-requests mostly for other days.
        for d in range(days):
            if d in chosen:
                continue
            r = rng.random()
            if r < 0.09:
                s = pattern[d] if pattern[d] is not None and rng.random() < 0.6 else None
                s = s if s is not None else rng.choice(allowed)
                on_rows.append(f"{pid},{d},{shift_ids[s]},{rng.randint(1, 3)}")
            elif r < 0.13:
                s = rng.choice(allowed)
                offreq_rows.append(f"{pid},{d},{shift_ids[s]},{rng.randint(1, 3)}")

    # Cover: planted head count with noise.
    heads = Counter((d, s) for (_, d), s in planted.items())
    cover_rows = []
    for d in range(days):
        for sid in shift_ids:
            need = max(0, heads[(d, sid)] + rng.choice((-1, 0, 0, 0, 0, 0, 0, 1)))
            cover_rows.append(f"{d},{sid},{need},100,1")

    def section(title: str, comment: str, rows: list[str]) -> str:
        return "\n".join([title, f"# {comment}", *rows, ""])

    text = "\n".join(
        [
            f"# Generated by benchmarks/generate.py --staff {staff} --days {days} "
            f"--shifts {shifts} --seed {seed}",
            section(
                "SECTION_HORIZON", "Day 0 is a Monday. The horizon length in days:", [str(days)]
            ),
            section(
                "SECTION_SHIFTS",
                "ShiftID, Length in mins, Shifts which cannot follow this shift | separated",
                [
                    f"{sid},{lengths[i]},{'|'.join(shift_ids[j] for j in forbidden(i))}"
                    for i, sid in enumerate(shift_ids)
                ],
            ),
            section(
                "SECTION_STAFF",
                "ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, "
                "MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends",
                staff_rows,
            ),
            section("SECTION_DAYS_OFF", "EmployeeID, DayIndexes (start at zero)", off_rows),
            section("SECTION_SHIFT_ON_REQUESTS", "EmployeeID, Day, ShiftID, Weight", on_rows),
            section("SECTION_SHIFT_OFF_REQUESTS", "EmployeeID, Day, ShiftID, Weight", offreq_rows),
            section(
                "SECTION_COVER",
                "Day, ShiftID, Requirement, Weight for under, Weight for over",
                cover_rows,
            ),
        ]
    )
    return Instance(text=text, planted=planted)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--staff", type=int, default=150)
    ap.add_argument("--days", type=int, default=364)
    ap.add_argument("--shifts", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, help="instance file (default: print to stdout)")
    ap.add_argument("--planted", type=Path, help="also write the planted roster (person,day,shift)")
    ap.add_argument(
        "--verify",
        action="store_true",
        help="read the instance back and check the planted roster with rotasolve.check",
    )
    args = ap.parse_args(argv)
    inst = generate(args.staff, args.days, args.shifts, args.seed)
    if args.out is None:
        sys.stdout.write(inst.text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(inst.text)
        print(f"wrote {args.out} ({len(inst.text) // 1024} KiB)", file=sys.stderr)
    if args.planted is not None:
        rows = [f"{p},{d},{s}" for (p, d), s in sorted(inst.planted.items())]
        args.planted.write_text("\n".join(["person,day,shift", *rows, ""]))
    if args.verify:
        return _verify(inst, args.out.stem if args.out else "generated")
    return 0


def _verify(inst: Instance, name: str) -> int:
    """Check the planted roster against the instance; non-zero exit on a hard violation."""
    from datetime import timedelta

    from rotasolve import Assignment, Schedule, check
    from rotasolve.io.curtois import CURTOIS_START, read_curtois_text

    problem = read_curtois_text(inst.text, name=name)
    schedule = Schedule(
        assignments=tuple(
            Assignment(person=p, day=CURTOIS_START + timedelta(days=d), shift=s)
            for (p, d), s in sorted(inst.planted.items())
        )
    )
    report = check(problem, schedule)
    print(
        f"planted roster: {len(schedule)} assignments, {len(report.hard_violations)} hard "
        f"violations, objective {report.objective}",
        file=sys.stderr,
    )
    if report.hard_violations:
        print(report.summary(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
