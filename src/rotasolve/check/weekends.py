"""Rule family ``weekends``: working weekends per person."""

from __future__ import annotations

from ..problem import Weekends
from .context import CheckContext

__all__ = ["check"]


def check(ctx: CheckContext) -> None:
    """Record every person working more than ``max`` weekends (Saturday or Sunday starts)."""
    weekends = ctx.index.weekends
    for rule in ctx.problem.rules:
        if not isinstance(rule, Weekends):
            continue
        for p in ctx.scope(rule):
            starts = ctx.starts[p]
            worked = [wk for wk in weekends if any(d in starts for d in wk)]
            n = len(worked)
            if n <= rule.max:
                continue
            first, last = worked[0][0], worked[-1][-1]
            ctx.rule_violation(
                rule,
                p,
                first,
                last,
                value=n,
                limit=rule.max,
                amount=n - rule.max,
                message=f"{ctx.label(p)} works {n} weekends between {ctx.days_text(first, last)} "
                f"(max {rule.max}) [{rule.title}]",
            )
