"""Rule family ``succession``: forbidden shift pairs on consecutive days."""

from __future__ import annotations

from ..problem import Succession
from .model import CompiledModel, Lin

__all__ = ["compile"]


def compile(cm: CompiledModel) -> None:
    """Every ``succession`` rule.

    Hard, with at most one shift per day (an unconditional structural rule): one linear
    constraint per person and day, ``Σ first(d) + Σ second(d + 1) <= 1`` — the same
    schedules as one clause per forbidden pair, since each side is at most 1, but one
    constraint instead of up to ``|first| × |second|``. Otherwise (soft, or several shifts
    a day): one forbidden pattern per (first, second) assignment pair, each an occurrence.
    """
    ix = cm.index
    aggregate_ok = cm.problem.max_shifts_per_day == 1
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
                tag = cm.tag(rule.id, rule.kind, p, d, d + 1)
                if st.hard and aggregate_ok:
                    cur = [v for s, v in row[d] if s in first]
                    if cur:
                        cm.limit(Lin.bools(cur + nxt), None, 1, tag, st)
                    continue
                for s, v in row[d]:
                    if s in first:
                        for w in nxt:
                            cm.forbid([v, w], tag, st)
