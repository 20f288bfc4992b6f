"""Rule family ``consecutive_days_off``: min/max length of runs of days off."""

from __future__ import annotations

from ..problem import ConsecutiveDaysOff
from .consecutive_days import runs
from .model import CompiledModel, neg

__all__ = ["compile"]


def compile(cm: CompiledModel) -> None:
    """Every ``consecutive_days_off`` rule: runs of days on which no shift starts."""
    ix = cm.index
    for rule in cm.problem.rules:
        if not isinstance(rule, ConsecutiveDaysOff):
            continue
        if rule.min <= 1 and rule.max is None:
            continue
        for p in ix.people_in(rule.scope):
            off = [neg(cm.works(p, d)) for d in range(ix.days)]
            runs(cm, rule, p, off, rule.min, rule.max, rule.exempt_edges)
