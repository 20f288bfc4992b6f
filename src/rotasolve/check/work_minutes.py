"""Rule family ``work_minutes``: worked minutes per person per window."""

from __future__ import annotations

from ..problem import WorkMinutes
from .context import CheckContext
from .windows import describe_filter, literal, window_limits

__all__ = ["check", "daily_minutes", "history_minutes"]


def daily_minutes(ctx: CheckContext, rule: WorkMinutes, p: int) -> list[int]:
    """Per day, the minutes of person ``p`` that ``rule`` counts on that day.

    Only matching shift types that count hours count. ``start_day`` puts a shift's minutes
    on its start day; ``clock`` splits them at midnight and drops those after the horizon.
    A rule that counts every shift type also counts the person's duty entries that count
    hours (moonlighting, at-home call hours in hospital), split the same way.
    """
    ix = ctx.index
    shifts = ctx.matching(rule) & ctx.hour_shifts
    clock = rule.split == "clock"
    if clock:
        daily = ctx.clock_daily_minutes(p, shifts)
    else:
        daily = [0] * ix.days
        for d, s in ctx.by_person[p]:
            if s in shifts:
                daily[d] += ix.shifts[s].minutes
    if rule.filter.is_all() and ctx.duty[p]:
        daily = [x + y for x, y in zip(daily, ctx.entry_daily_minutes(p, clock), strict=True)]
    return daily


def history_minutes(ctx: CheckContext, rule: WorkMinutes, p: int) -> list[int] | None:
    """Per carried-in day before the horizon (``Problem.history_start``), the minutes of
    person ``p`` that ``rule`` counts: only duty entries, split as the rule says. None when
    the rule's windows stay inside the horizon (no history, or a rule that counts shifts
    only)."""
    if not ctx.index.uses_history(rule):
        return None
    return ctx.history_entry_minutes(p, rule.split == "clock")


def check(ctx: CheckContext) -> None:
    """Record every window whose worked minutes (see :func:`daily_minutes`) are outside
    ``[min, max]``."""
    for rule in ctx.problem.rules:
        if not isinstance(rule, WorkMinutes):
            continue
        what = describe_filter(rule)
        noun = f" on {what}" if what else ""
        for p in ctx.scope(rule):
            window_limits(
                ctx,
                rule,
                p,
                daily_minutes(ctx, rule, p),
                rule.min,
                rule.max,
                "works {v} min ({h:.1f} h)" + literal(noun),
                history_minutes(ctx, rule, p),
            )
