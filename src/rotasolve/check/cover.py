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
    if n < c.min:
        if c.hard:
            ctx.hard(
                c.id,
                FAMILY,
                None,
                d,
                d,
                value=n,
                limit=c.min,
                amount=c.min - n,
                unit="people",
                message=f"{where} (min {c.min})",
            )
        elif c.under_weight:
            ctx.soft(
                c.id,
                FAMILY,
                None,
                d,
                d,
                value=n,
                limit=c.min,
                amount=c.min - n,
                weight=c.under_weight,
                unit="people",
                message=f"{where} (min {c.min})",
            )
    if c.max is not None and n > c.max:
        if c.hard:
            ctx.hard(
                c.id,
                FAMILY,
                None,
                d,
                d,
                value=n,
                limit=c.max,
                amount=n - c.max,
                unit="people",
                message=f"{where} (max {c.max})",
            )
        elif c.over_weight:
            ctx.soft(
                c.id,
                FAMILY,
                None,
                d,
                d,
                value=n,
                limit=c.max,
                amount=n - c.max,
                weight=c.over_weight,
                unit="people",
                message=f"{where} (max {c.max})",
            )
    if c.target is None:
        return
    if n < c.target and c.target_under_weight:
        ctx.soft(
            c.id,
            FAMILY,
            None,
            d,
            d,
            value=n,
            limit=c.target,
            amount=c.target - n,
            weight=c.target_under_weight,
            unit="people",
            message=f"{where} (target {c.target})",
        )
    elif n > c.target and c.target_over_weight:
        ctx.soft(
            c.id,
            FAMILY,
            None,
            d,
            d,
            value=n,
            limit=c.target,
            amount=n - c.target,
            weight=c.target_over_weight,
            unit="people",
            message=f"{where} (target {c.target})",
        )
