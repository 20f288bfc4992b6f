"""Rule family ``days_off``: at least ``min`` days off in every window."""

from __future__ import annotations

from ..problem import DaysOff
from ..problem.index import MINUTES_PER_DAY
from .model import CompiledModel, Lin, Lit, neg

__all__ = ["compile"]


def _free24(cm: CompiledModel, p: int) -> list[Lit]:
    """Per day, the literal "no assignment of ``p`` overlaps the day's 24 hours"."""
    ix = cm.index
    reach = max(
        ((ix.interval(0, s)[1] - 1) // MINUTES_PER_DAY for s in range(len(ix.shifts))), default=0
    )
    out: list[Lit] = []
    for d in range(ix.days):
        day = (d * MINUTES_PER_DAY, (d + 1) * MINUTES_PER_DAY)
        busy = [
            v
            for e in range(max(0, d - reach), d + 1)
            for s, v in cm.by_day[p][e]
            if ix.overlap(ix.interval(e, s), day) > 0
        ]
        out.append(neg(cm.or_(list(busy))))
    return out


def compile(cm: CompiledModel) -> None:
    """Every ``days_off`` rule: count of off days per window at least ``min``."""
    ix = cm.index
    for rule in cm.problem.rules:
        if not isinstance(rule, DaysOff):
            continue
        if rule.min == 0:
            continue
        windows = ix.windows(rule.window, rule.blocks)
        for p in ix.people_in(rule.scope):
            if rule.day_off == "free24":
                off = _free24(cm, p)
            else:
                off = [neg(cm.works(p, d)) for d in range(ix.days)]
            for a, b in windows:
                cm.limit(
                    Lin.lits(off[a : b + 1]),
                    rule.min,
                    None,
                    cm.tag(rule.id, rule.kind, p, a, b),
                    rule,
                )
