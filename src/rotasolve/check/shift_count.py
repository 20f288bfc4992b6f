"""Rule family ``shift_count``: matching shifts per person per window."""

from __future__ import annotations

from ..problem import ShiftCount
from .context import CheckContext
from .windows import describe_filter, literal, window_limits

__all__ = ["check"]


def check(ctx: CheckContext) -> None:
    """Record every window whose count of matching shifts is outside ``[min, max]``."""
    for rule in ctx.problem.rules:
        if not isinstance(rule, ShiftCount):
            continue
        shifts = ctx.matching(rule)
        what = describe_filter(rule)
        noun = f"{what} shifts" if what else "shifts"
        for p in ctx.scope(rule):
            daily = ctx.daily_counts(p, shifts)
            window_limits(ctx, rule, p, daily, rule.min, rule.max, "works {v} " + literal(noun))
