"""Rule family ``shift_count``: matching shifts per person per window."""

from __future__ import annotations

from ..problem import ShiftCount
from .context import CheckContext
from .windows import describe_filter, literal, window_limits

__all__ = ["check", "daily_shifts"]


def daily_shifts(ctx: CheckContext, rule: ShiftCount, p: int) -> list[int]:
    """Per day, how many assignments of shift types matching ``rule`` person ``p`` starts."""
    return ctx.daily_counts(p, ctx.matching(rule))


def check(ctx: CheckContext) -> None:
    """Record every window whose count of matching shifts is outside ``[min, max]``."""
    for rule in ctx.problem.rules:
        if not isinstance(rule, ShiftCount):
            continue
        what = describe_filter(rule)
        noun = f"{what} shifts" if what else "shifts"
        for p in ctx.scope(rule):
            daily = daily_shifts(ctx, rule, p)
            window_limits(ctx, rule, p, daily, rule.min, rule.max, "works {v} " + literal(noun))
