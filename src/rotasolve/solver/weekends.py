"""Rule family ``weekends``: at most ``max`` worked weekends per person."""

from __future__ import annotations

from ..problem import Weekends
from .model import CompiledModel, Lin

__all__ = ["compile"]


def compile(cm: CompiledModel) -> None:
    """Every ``weekends`` rule: a worked-weekend literal (OR of its days) per weekend."""
    ix = cm.index
    weekends = ix.weekends
    if not weekends:
        return
    for rule in cm.problem.rules:
        if not isinstance(rule, Weekends):
            continue
        for p in ix.people_in(rule.scope):
            worked = [cm.or_([cm.works(p, d) for d in days]) for days in weekends]
            tag = cm.tag(rule.id, rule.kind, p, weekends[0][0], weekends[-1][-1])
            cm.limit(Lin.lits(worked), None, rule.max, tag, rule)
