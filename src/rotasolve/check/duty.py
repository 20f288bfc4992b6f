"""Duty-hour figures per resident: what an auditor looks at, whatever the rules say."""

from __future__ import annotations

from itertools import pairwise

from ..problem import CallKind, Role
from ..report import DutyFigures
from .context import CheckContext
from .days_off import calendar_days_off, free24_days

__all__ = ["NOTE", "WINDOW", "duty_figures"]

#: Length of the averaging window of the worst-window figures.
WINDOW = 28

NOTE = (
    f"duty figures: worst {WINDOW}-day values are over rolling windows lying fully inside the "
    "horizon; nothing is assumed about days before the horizon (rest before its first shift "
    "and hours of earlier windows are unknown)"
)


def _worst_window(ctx: CheckContext, daily: list[int]) -> tuple[int, int]:
    """Largest sum over a rolling ``WINDOW``-day window and its first day (earliest tie)."""
    pre = ctx.prefix(daily)
    best, first = -1, 0
    for a in range(ctx.index.days - WINDOW + 1):
        v = pre[a + WINDOW] - pre[a]
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
        total = sum(ix.shifts[s].minutes for _, s in mine if s in ctx.hour_shifts)
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
                worst, first = _worst_window(ctx, ctx.clock_daily_minutes(p, ctx.hour_shifts))
                fig["worst_28d_minutes"] = worst
                fig["worst_28d_first"] = ctx.date(first)
                fig["worst_28d_avg_weekly_hours"] = round(worst / 60 / (WINDOW / 7), 2)
        out.append(DutyFigures.model_validate(fig))
    return out
