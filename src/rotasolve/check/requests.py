"""Requests: soft wishes to work or be off on a day, each unmet one costing its weight."""

from __future__ import annotations

from .context import CheckContext

__all__ = ["check"]

FAMILY = "request"


def check(ctx: CheckContext) -> None:
    """Record every unmet request (one occurrence, cost = weight)."""
    ix = ctx.index
    for rq in ctx.problem.requests:
        p = ix.person_pos[rq.person]
        d = ctx.problem.horizon.index(rq.day)
        worked = ctx.starts[p].get(d, [])
        hit = bool(worked) if rq.shift is None else ix.shift_pos[rq.shift] in worked
        if hit == (rq.want == "on"):
            continue
        what = "any shift" if rq.shift is None else rq.shift
        works = ", ".join(ix.shifts[s].id for s in worked) or "nothing"
        wish = f"to work {what}" if rq.want == "on" else f"not to work {what}"
        ctx.soft(
            rq.id,
            FAMILY,
            p,
            d,
            d,
            amount=1,
            weight=rq.weight,
            unit="requests",
            message=f"{ctx.label(p)} asked {wish} on {ctx.days_text(d)} but works {works}",
        )
