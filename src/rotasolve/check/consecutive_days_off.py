"""Rule family ``consecutive_days_off``: runs of consecutive days off."""

from __future__ import annotations

from ..problem import ConsecutiveDaysOff
from .context import CheckContext
from .windows import run_limits

__all__ = ["check"]


def check(ctx: CheckContext) -> None:
    """Record every run of days with no shift start that is too long or too short."""
    for rule in ctx.problem.rules:
        if not isinstance(rule, ConsecutiveDaysOff):
            continue
        for p in ctx.scope(rule):
            flags = [n == 0 for n in ctx.daily_counts(p)]
            run_limits(ctx, rule, p, flags, rule.min, rule.max, rule.exempt_edges, "days off")
