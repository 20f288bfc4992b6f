"""Cover: head counts per day, hard or soft min/max and an always-soft target."""

from __future__ import annotations

from .model import CompiledModel, Lin, Strength

__all__ = ["compile"]


def compile(cm: CompiledModel) -> None:
    """Every cover of the problem, one count per selected day."""
    ix = cm.index
    for c in cm.problem.cover:
        people = ix.people_in(c.eligible)
        shifts = [ix.shift_pos[s] for s in c.shifts]
        limits = Strength(c.hard, c.under_weight, c.over_weight)
        target = Strength(False, c.target_under_weight, c.target_over_weight)
        for d in ix.days_in(c.days):
            vs = [v for p in people for s in shifts if (v := cm.x.get((p, d, s))) is not None]
            n = Lin.bools(vs)
            tag = cm.tag(c.id, "cover", None, d, d)
            cm.limit(n, c.min, c.max, tag, limits)
            if c.target is not None:
                cm.limit(n, c.target, c.target, tag, target)
