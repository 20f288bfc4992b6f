"""Rule family ``work_minutes``: worked minutes per person per window."""

from __future__ import annotations

from ..problem import WorkMinutes
from .context import CheckContext
from .windows import describe_filter, literal, window_limits

__all__ = ["check"]


def check(ctx: CheckContext) -> None:
    """Record every window whose worked minutes are outside ``[min, max]``.

    Only matching shift types that count hours count. ``start_day`` puts a shift's minutes
    on its start day; ``clock`` splits them at midnight and drops those after the horizon.
    """
    ix = ctx.index
    for rule in ctx.problem.rules:
        if not isinstance(rule, WorkMinutes):
            continue
        shifts = ctx.matching(rule) & ctx.hour_shifts
        what = describe_filter(rule)
        noun = f" on {what}" if what else ""
        for p in ctx.scope(rule):
            if rule.split == "clock":
                daily = ctx.clock_daily_minutes(p, shifts)
            else:
                daily = [0] * ix.days
                for d, s in ctx.by_person[p]:
                    if s in shifts:
                        daily[d] += ix.shifts[s].minutes
            window_limits(
                ctx,
                rule,
                p,
                daily,
                rule.min,
                rule.max,
                "works {v} min ({h:.1f} h)" + literal(noun),
            )
