"""Rule family ``fairness``: spread of a count across the people in scope."""

from __future__ import annotations

from ..problem import Fairness
from .context import CheckContext
from .windows import describe_filter

__all__ = ["check"]


def check(ctx: CheckContext) -> None:
    """Record one group violation per rule whose spread exceeds its tolerance."""
    ix = ctx.index
    for rule in ctx.problem.rules:
        if not isinstance(rule, Fairness):
            continue
        people = ctx.scope(rule)
        if not people:
            continue
        shifts = ctx.matching(rule)
        days = ix.days_in(rule.days)
        chosen = set(days)
        totals = {
            p: rule.carried.get(ix.people[p].id, 0)
            + sum(1 for d, s in ctx.by_person[p] if s in shifts and d in chosen)
            for p in people
        }
        hi = max(people, key=lambda p: (totals[p], -p))
        lo = min(people, key=lambda p: (totals[p], p))
        spread = totals[hi] - totals[lo]
        if spread <= rule.tolerance:
            continue
        first, last = (days[0], days[-1]) if days else (0, ix.days - 1)
        what = describe_filter(rule) or "all"
        ctx.rule_violation(
            rule,
            None,
            first,
            last,
            value=spread,
            limit=rule.tolerance,
            amount=spread - rule.tolerance,
            message=f"spread of {what} shifts is {spread} ({ctx.label(hi)} {totals[hi]}, "
            f"{ctx.label(lo)} {totals[lo]}) over {ctx.days_text(first, last)} "
            f"(tolerance {rule.tolerance}) [{rule.title}]",
        )
