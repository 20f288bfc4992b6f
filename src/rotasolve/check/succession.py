"""Rule family ``succession``: forbidden shift successions on consecutive days."""

from __future__ import annotations

from ..problem import Succession
from .context import CheckContext

__all__ = ["check"]


def check(ctx: CheckContext) -> None:
    """Record one occurrence per pair (``first`` shift on d, ``second`` shift on d + 1)."""
    ix = ctx.index
    for rule in ctx.problem.rules:
        if not isinstance(rule, Succession):
            continue
        first = ctx.matching(rule.first)
        second = ctx.matching(rule.second)
        for p in ctx.scope(rule):
            starts = ctx.starts[p]
            for d in sorted(starts):
                following = starts.get(d + 1, [])
                for s1 in starts[d]:
                    if s1 not in first:
                        continue
                    for s2 in following:
                        if s2 not in second:
                            continue
                        ctx.rule_violation(
                            rule,
                            p,
                            d,
                            d + 1,
                            value=1,
                            limit=0,
                            amount=1,
                            message=f"{ctx.label(p)} works {ix.shifts[s1].id} on "
                            f"{ctx.days_text(d)} then {ix.shifts[s2].id} on "
                            f"{ctx.days_text(d + 1)} [{rule.title}]",
                        )
