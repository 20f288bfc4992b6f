"""Structural requirements that hold whatever the rules say: known ids, days inside the
horizon, one shift per day, no overlap, eligibility, leave and locks."""

from __future__ import annotations

from itertools import combinations

from .context import CheckContext, fmt_days

__all__ = ["check"]

FAMILY = "structure"


def check(ctx: CheckContext) -> None:
    """Record every structural violation (all hard)."""
    _ids_and_horizon(ctx)
    _one_shift_per_day(ctx)
    _no_overlap(ctx)
    _eligibility(ctx)
    _leave(ctx)
    _locks(ctx)


def _ids_and_horizon(ctx: CheckContext) -> None:
    ix = ctx.index
    hz = ctx.problem.horizon
    for a in ctx.rejected:
        unknown = []
        if a.person not in ix.person_pos:
            unknown.append(f"person {a.person!r}")
        if a.shift not in ix.shift_pos:
            unknown.append(f"shift type {a.shift!r}")
        if unknown:
            ctx.hard(
                "unknown_id",
                FAMILY,
                a.person,
                a.day,
                a.day,
                amount=1,
                unit="assignments",
                message=f"assignment of {a.shift!r} to {a.person!r} on {a.day} names unknown "
                + " and ".join(unknown),
            )
        if not hz.contains(a.day):
            ctx.hard(
                "outside_horizon",
                FAMILY,
                a.person,
                a.day,
                a.day,
                amount=1,
                unit="assignments",
                message=f"assignment of {a.shift!r} to {a.person!r} on {a.day} is outside the "
                f"horizon {hz.start}..{hz.end}",
            )


def _one_shift_per_day(ctx: CheckContext) -> None:
    limit = ctx.problem.max_shifts_per_day
    ix = ctx.index
    for p, days in enumerate(ctx.starts):
        for d in sorted(days):
            n = len(days[d])
            if n > limit:
                names = ", ".join(ix.shifts[s].id for s in days[d])
                ctx.hard(
                    "one_shift_per_day",
                    FAMILY,
                    p,
                    d,
                    d,
                    value=n,
                    limit=limit,
                    amount=n - limit,
                    unit="shifts",
                    message=f"{ctx.label(p)} starts {n} shifts ({names}) on "
                    f"{ctx.days_text(d)} (max {limit})",
                )


def _no_overlap(ctx: CheckContext) -> None:
    ix = ctx.index
    for p, mine in enumerate(ctx.by_person):
        pairs: list[tuple[int, int, int, int, int | None]] = []
        timed = sorted(
            (*ix.interval(d, s), d, s) for d, s in mine if ix.shifts[s].start is not None
        )
        # Sweep: only later shifts starting before this one ends can overlap it.
        for i, (_, b1, d1, s1) in enumerate(timed):
            j = i + 1
            while j < len(timed) and timed[j][0] < b1:
                a2, b2, d2, s2 = timed[j]
                pairs.append((d1, s1, d2, s2, min(b1, b2) - a2))
                j += 1
        # Without a start time, two shifts starting on one day count as overlapping.
        for d, ss in sorted(ctx.starts[p].items()):
            for s1, s2 in combinations(ss, 2):
                if ix.shifts[s1].start is None or ix.shifts[s2].start is None:
                    pairs.append((d, s1, d, s2, None))
        for d1, s1, d2, s2, minutes in sorted(pairs, key=lambda t: (t[0], t[2], t[1], t[3])):
            how = f" by {minutes} min" if minutes is not None else " (same day, no clock time)"
            ctx.hard(
                "no_overlap",
                FAMILY,
                p,
                d1,
                d2,
                value=minutes,
                amount=1,
                unit="pairs",
                message=f"{ctx.label(p)} works {ix.shifts[s1].id} on {ctx.days_text(d1)} and "
                f"{ix.shifts[s2].id} on {ctx.days_text(d2)}, which overlap{how}",
            )


def _eligibility(ctx: CheckContext) -> None:
    ix = ctx.index
    for p, d, s in ctx.assignments:
        if not ix.may_work(p, s):
            ctx.hard(
                "eligibility",
                FAMILY,
                p,
                d,
                d,
                amount=1,
                unit="assignments",
                message=f"{ctx.label(p)} is not eligible for {ix.shifts[s].id} but works it on "
                f"{ctx.days_text(d)}",
            )


def _leave(ctx: CheckContext) -> None:
    ix = ctx.index
    hz = ctx.problem.horizon
    for lv in ctx.problem.leave:
        p = ix.person_pos[lv.person]
        first = max(0, hz.index(lv.first))
        last = min(ix.days - 1, hz.index(lv.last))
        for d in range(first, last + 1):
            for s in ctx.starts[p].get(d, ()):
                ctx.hard(
                    lv.id,
                    "leave",
                    p,
                    d,
                    d,
                    amount=1,
                    unit="assignments",
                    message=f"{ctx.label(p)} works {ix.shifts[s].id} on {ctx.days_text(d)} "
                    f"during {lv.kind} {lv.id} ({fmt_days(lv.first, lv.last)})",
                )


def _locks(ctx: CheckContext) -> None:
    ix = ctx.index
    hz = ctx.problem.horizon
    for lk in ctx.problem.locks:
        p = ix.person_pos[lk.person]
        d = hz.index(lk.day)
        got = sorted(set(ctx.starts[p].get(d, ())))
        want = [] if lk.shift is None else [ix.shift_pos[lk.shift]]
        if got == want:
            continue
        works = ", ".join(ix.shifts[s].id for s in got) or "nothing"
        must = "be off" if lk.shift is None else f"work exactly {lk.shift}"
        ctx.hard(
            lk.id,
            "lock",
            p,
            d,
            d,
            amount=1,
            unit="locks",
            message=f"{ctx.label(p)} must {must} on {ctx.days_text(d)} (lock {lk.id}) but "
            f"works {works}",
        )
