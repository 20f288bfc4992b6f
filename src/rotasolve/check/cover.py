"""Cover: head counts per day against min, max (hard or soft) and target (soft)."""

from __future__ import annotations

from ..problem import Cover
from .context import CheckContext

__all__ = ["check"]

FAMILY = "cover"


def check(ctx: CheckContext) -> None:
    """Record every cover shortfall and excess.

    A soft side whose weight is 0 (the default for targets) is not wanted and is not
    reported; it would cost nothing anyway.
    """
    by_day: list[list[tuple[int, int]]] = [[] for _ in range(ctx.index.days)]
    for p, d, s in ctx.assignments:
        by_day[d].append((p, s))
    for cover in ctx.problem.cover:
        people = set(ctx.index.people_in(cover.eligible))
        shifts = {ctx.index.shift_pos[s] for s in cover.shifts}
        for d in ctx.index.days_in(cover.days):
            n = sum(1 for p, s in by_day[d] if s in shifts and p in people)
            _limits(ctx, cover, d, n)


def _limits(ctx: CheckContext, c: Cover, d: int, n: int) -> None:
    where = f"cover {c.id} on {ctx.days_text(d)} has {n}"

    def breach(limit: int, amount: int, what: str, hard: bool, weight: int) -> None:
        # A soft side with weight 0 is not wanted (see ``check``), so it is not reported.
        message = f"{where} ({what} {limit})"
        if hard:
            ctx.hard(
                c.id,
                FAMILY,
                None,
                d,
                d,
                value=n,
                limit=limit,
                amount=amount,
                unit="people",
                message=message,
            )
        elif weight:
            ctx.soft(
                c.id,
                FAMILY,
                None,
                d,
                d,
                weight=weight,
                value=n,
                limit=limit,
                amount=amount,
                unit="people",
                message=message,
            )

    if n < c.min:
        breach(c.min, c.min - n, "min", c.hard, c.under_weight)
    if c.max is not None and n > c.max:
        breach(c.max, n - c.max, "max", c.hard, c.over_weight)
    if c.target is None:
        return
    if n < c.target:
        breach(c.target, c.target - n, "target", False, c.target_under_weight)
    elif n > c.target:
        breach(c.target, n - c.target, "target", False, c.target_over_weight)
