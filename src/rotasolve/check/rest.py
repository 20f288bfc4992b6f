"""Rule family ``rest``: minimum rest after duty periods, on the clock."""

from __future__ import annotations

from itertools import pairwise

from ..problem import Rest
from .context import CheckContext, DutyPeriod, fmt_clock

__all__ = ["check", "rest_gaps"]


def rest_gaps(ctx: CheckContext, rule: Rest, p: int) -> list[tuple[DutyPeriod, DutyPeriod]]:
    """The ``(period, next period)`` pairs of person ``p`` that ``rule`` measures: every
    duty period containing a shift matching ``rule.after``, except the last one. Without
    an ``after`` filter every period counts, including one made only of duty entries."""
    every = rule.after.is_all()
    after = ctx.matching(rule.after)
    return [
        (cur, nxt)
        for cur, nxt in pairwise(ctx.duty_periods(p))
        if every or any(s in after for _, s in cur.shifts)
    ]


def check(ctx: CheckContext) -> None:
    """Record every gap between a duty period (containing a shift matching ``after``) and
    the next one that is shorter than ``minutes``. The last period is not checked."""
    for rule in ctx.problem.rules:
        if not isinstance(rule, Rest):
            continue
        for p in ctx.scope(rule):
            for cur, nxt in rest_gaps(ctx, rule, p):
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
