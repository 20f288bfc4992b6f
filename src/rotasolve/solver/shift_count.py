"""Rule family ``shift_count``: min/max matching shifts per person and window."""

from __future__ import annotations

from ..problem import ShiftCount
from .model import CompiledModel, Series

__all__ = ["compile"]


def compile(cm: CompiledModel) -> None:
    """Every ``shift_count`` rule: one limit per person in scope and window."""
    ix = cm.index
    for rule in cm.problem.rules:
        if not isinstance(rule, ShiftCount):
            continue
        if rule.min == 0 and rule.max is None:
            continue
        st = cm.strength(rule)
        ones = dict.fromkeys(ix.shifts_matching(rule), 1)
        windows = ix.windows(rule.window, rule.blocks)
        for p in ix.people_in(rule.scope):
            vs, cs, off = cm.series(p, ones)
            ser = Series(cm, vs, cs, off)
            ser.use_prefix_for(windows)
            for a, b in windows:
                expr = ser.window(a, b)
                cm.limit(expr, rule.min, rule.max, cm.tag(rule.id, rule.kind, p, a, b), st)
