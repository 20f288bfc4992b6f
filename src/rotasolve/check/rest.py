"""Rule family ``rest``: minimum rest after duty periods, on the clock."""

from __future__ import annotations

from itertools import pairwise

from ..problem import Rest
from .context import CheckContext, fmt_clock

__all__ = ["check"]


def check(ctx: CheckContext) -> None:
    """Record every gap between a duty period (containing a shift matching ``after``) and
    the next one that is shorter than ``minutes``. The last period is not checked."""
    for rule in ctx.problem.rules:
        if not isinstance(rule, Rest):
            continue
        after = ctx.matching(rule.after)
        for p in ctx.scope(rule):
            periods = ctx.duty_periods(p)
            for cur, nxt in pairwise(periods):
                if not any(s in after for _, s in cur.shifts):
                    continue
                rest = nxt.start - cur.end
                if rest >= rule.minutes:
                    continue
                ctx.rule_violation(
                    rule,
                    p,
                    ctx.minute_day(cur.end),
                    ctx.minute_day(nxt.start),
                    value=rest,
                    limit=rule.minutes,
                    amount=rule.minutes - rest,
                    message=f"{ctx.label(p)} rests {rest} min ({rest / 60:.1f} h) from "
                    f"{fmt_clock(ctx, cur.end)} to {fmt_clock(ctx, nxt.start)} "
                    f"(min {rule.minutes}) [{rule.title}]",
                )
