"""Duty-hour figures per resident (what an auditor looks at, whatever the rules say), and
the structural requirements of fixed duty entries (family ``duty``)."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from ..problem import CallKind, Role
from ..report import DutyFigures
from .context import CheckContext, fmt_clock
from .days_off import calendar_days_off, free24_days
from .windows import window_values

__all__ = ["FAMILY", "NOTE", "WINDOW", "check", "duty_figures", "note"]

#: Family of the duty-entry requirements ``pgy1_moonlighting`` and ``duty_overlap``.
FAMILY = "duty"

#: Length of the averaging window of the worst-window figures.
WINDOW = 28

#: The note of a problem without carried-in history (``Problem.history_start`` unset).
NOTE = (
    f"duty figures: worst {WINDOW}-day values are over rolling windows lying fully inside the "
    "horizon; nothing is assumed about days before the horizon (rest before its first shift "
    "and hours of earlier windows are unknown)"
)


def note(ctx: CheckContext) -> str:
    """The report's note on the days before the horizon: :data:`NOTE` without carried-in
    history, else from which date history was taken into account."""
    if not ctx.index.history_days:
        return f"{NOTE}; windows start on the horizon's first day, {ctx.problem.horizon.start}"
    hs = ctx.problem.history_start
    return (
        f"duty figures and windowed rules: {ctx.index.history_text()}; worst {WINDOW}-day "
        f"hours are over rolling windows starting on or after {hs} (call counts and days "
        "off counted inside the horizon only)"
    )


def _worst_window(
    ctx: CheckContext, daily: list[int], before: list[int] | None = None
) -> tuple[int, int]:
    """Largest sum over a rolling ``WINDOW``-day window and its first day (earliest tie);
    with ``before`` (carried-in days) windows may start before the horizon."""
    best, first = -1, 0
    for a, _, v in window_values(ctx, daily, WINDOW, False, before):
        if v > best:
            best, first = v, a
    return best, first


def duty_figures(ctx: CheckContext) -> list[DutyFigures]:
    """One :class:`DutyFigures` per resident, in problem order."""
    ix = ctx.index
    clock = ix.has_clock()
    long_enough = ix.days >= WINDOW
    call_shifts = {
        i for i, s in enumerate(ix.shifts) if "call" in s.tags or s.call == CallKind.in_house
    }
    out = []
    for p, person in enumerate(ix.people):
        if person.role != Role.resident:
            continue
        mine = ctx.by_person[p]
        # Duty entries count like shifts: in full on the day they start (when inside).
        total = sum(ix.shifts[s].minutes for _, s in mine if s in ctx.hour_shifts)
        total += sum(ctx.entry_daily_minutes(p, clock=False))
        calls = ctx.daily_counts(p, call_shifts)
        fig: dict[str, object] = {
            "person": person.id,
            "total_minutes": total,
            "shifts": len(mine),
            "days_off_calendar": sum(calendar_days_off(ctx, p)),
            "calls": sum(calls),
        }
        if long_enough:
            fig["worst_28d_calls"] = _worst_window(ctx, calls)[0]
        if clock:
            periods = ctx.duty_periods(p)
            fig["days_off_free24"] = sum(free24_days(ctx, p))
            fig["longest_duty_minutes"] = max((q.minutes for q in periods), default=0)
            gaps = [b.start - a.end for a, b in pairwise(periods)]
            fig["shortest_rest_minutes"] = min(gaps) if gaps else None
            if long_enough:
                daily = ctx.clock_daily_minutes(p, ctx.hour_shifts)
                entries = ctx.entry_daily_minutes(p, clock=True)
                daily = [x + y for x, y in zip(daily, entries, strict=True)]
                before = ctx.history_entry_minutes(p, clock=True) if ix.history_days else None
                worst, first = _worst_window(ctx, daily, before)
                fig["worst_28d_minutes"] = worst
                fig["worst_28d_first"] = ctx.date(first)
                fig["worst_28d_avg_weekly_hours"] = round(worst / 60 / (WINDOW / 7), 2)
        out.append(DutyFigures.model_validate(fig))
    return out


def check(ctx: CheckContext) -> None:
    """Record the hard requirements of duty entries (whatever the rules say).

    ``pgy1_moonlighting``: a moonlighting entry of a PGY-1 resident (ACGME VI.F.5), amount
    its minutes. ``duty_overlap``: an entry that counts hours overlapping an assignment of a
    shift type that counts hours (clock times known), amount the shared minutes; dates are
    those of the assignment's day.
    """
    ix = ctx.index
    for p, person in enumerate(ix.people):
        mine = ctx.duty[p]
        if not mine:
            continue
        for a, b, e in mine:
            if e.kind == "moonlighting" and person.role == Role.resident and person.pgy == 1:
                ctx.hard(
                    "pgy1_moonlighting",
                    FAMILY,
                    p,
                    e.start.date(),
                    (e.end - timedelta(minutes=1)).date(),
                    amount=b - a,
                    unit="minutes",
                    value=b - a,
                    limit=0,
                    message=f"{ctx.label(p)} is PGY-1 and moonlights {fmt_clock(ctx, a)} to "
                    f"{fmt_clock(ctx, b)} (entry {e.id}); PGY-1 residents may not moonlight "
                    "[ACGME VI.F.5]",
                )
        for d, s in ctx.by_person[p]:
            if s not in ctx.hour_shifts or ix.shifts[s].start is None:
                continue
            iv = ix.interval(d, s)
            for a, b, e in mine:
                shared = ix.overlap(iv, (a, b)) if e.counts_hours else 0
                if shared:
                    ctx.hard(
                        "duty_overlap",
                        FAMILY,
                        p,
                        d,
                        d,
                        amount=shared,
                        unit="minutes",
                        value=shared,
                        limit=0,
                        message=f"{ctx.label(p)} works {ix.shifts[s].id} from "
                        f"{fmt_clock(ctx, iv[0])} to {fmt_clock(ctx, iv[1])} during duty entry "
                        f"{e.id} ({fmt_clock(ctx, a)} to {fmt_clock(ctx, b)})",
                    )
