"""Rule family ``continuous_duty``: the length of each duty period, on the clock."""

from __future__ import annotations

from ..problem import ContinuousDuty
from .context import CheckContext, fmt_clock

__all__ = ["check"]


def check(ctx: CheckContext) -> None:
    """Record every duty period longer than ``max_minutes`` (periods running past the
    horizon's end count in full)."""
    for rule in ctx.problem.rules:
        if not isinstance(rule, ContinuousDuty):
            continue
        for p in ctx.scope(rule):
            for period in ctx.duty_periods(p):
                n = period.minutes
                if n <= rule.max_minutes:
                    continue
                ctx.rule_violation(
                    rule,
                    p,
                    ctx.minute_day(period.start),
                    ctx.minute_day(period.end - 1),
                    value=n,
                    limit=rule.max_minutes,
                    amount=n - rule.max_minutes,
                    message=f"{ctx.label(p)} is on duty {n} min ({n / 60:.1f} h) from "
                    f"{fmt_clock(ctx, period.start)} to {fmt_clock(ctx, period.end)} "
                    f"(max {rule.max_minutes}) [{rule.title}]",
                )
