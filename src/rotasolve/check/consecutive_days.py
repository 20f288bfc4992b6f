"""Rule family ``consecutive_days``: runs of consecutive working days."""

from __future__ import annotations

from ..problem import ConsecutiveDays
from .context import CheckContext
from .windows import describe_filter, run_limits

__all__ = ["check", "working_days"]


def working_days(ctx: CheckContext, rule: ConsecutiveDays, p: int) -> list[bool]:
    """Per day: True when person ``p`` starts a shift matching ``rule`` that day."""
    return [n > 0 for n in ctx.daily_counts(p, ctx.matching(rule))]


def check(ctx: CheckContext) -> None:
    """Record every run of days starting a matching shift that is too long or too short."""
    for rule in ctx.problem.rules:
        if not isinstance(rule, ConsecutiveDays):
            continue
        what = describe_filter(rule)
        noun = f"{what} working days" if what else "working days"
        for p in ctx.scope(rule):
            flags = working_days(ctx, rule, p)
            run_limits(ctx, rule, p, flags, rule.min, rule.max, rule.exempt_edges, noun)
