"""Rule family ``succession``: forbidden shift pairs on consecutive days."""

from __future__ import annotations

from ..problem import Succession
from .model import CompiledModel

__all__ = ["compile"]


def compile(cm: CompiledModel) -> None:
    """Every ``succession`` rule: one forbidden pair per (first, second) assignment pair."""
    ix = cm.index
    for rule in cm.problem.rules:
        if not isinstance(rule, Succession):
            continue
        first = set(ix.shifts_matching(rule.first))
        second = set(ix.shifts_matching(rule.second))
        st = cm.strength(rule)
        for p in ix.people_in(rule.scope):
            row = cm.by_day[p]
            for d in range(ix.days - 1):
                nxt = [v for s, v in row[d + 1] if s in second]
                if not nxt:
                    continue
                for s, v in row[d]:
                    if s in first:
                        for w in nxt:
                            cm.forbid([v, w], cm.tag(rule.id, rule.kind, p, d, d + 1), st)
