"""Rule family ``fairness``: spread of matching-shift totals across a group."""

from __future__ import annotations

from ..problem import Fairness
from .model import CompiledModel, Lin

__all__ = ["compile"]


def compile(cm: CompiledModel) -> None:
    """Every ``fairness`` rule: exact max/min totals, then limit ``max - min``."""
    ix = cm.index
    for rule in cm.problem.rules:
        if not isinstance(rule, Fairness):
            continue
        people = ix.people_in(rule.scope)
        if len(people) < 2:
            continue
        match = set(ix.shifts_matching(rule))
        days = ix.days_in(rule.days)
        totals = []
        for p in people:
            vs = [v for d in days for s, v in cm.by_day[p][d] if s in match]
            totals.append(Lin.bools(vs, const=rule.carried.get(ix.people[p].id, 0)))
        lo = min(t.lb for t in totals)
        hi = max(t.ub for t in totals)
        top = cm.new_int(lo, hi)
        bottom = cm.new_int(lo, hi)
        for target, sign in ((top, 1), (bottom, -1)):
            # min(t) = -max(-t)
            c = cm.proto.constraints.add()
            c.lin_max.target.vars.append(target)
            c.lin_max.target.coeffs.append(sign)
            for t in totals:
                e = c.lin_max.exprs.add()
                e.vars.extend(t.vars)
                e.coeffs.extend(sign * k for k in t.coeffs)
                e.offset = sign * t.const
        spread = Lin([top, bottom], [1, -1], 0, 0, hi - lo)
        tag = cm.tag(rule.id, rule.kind, None, 0, ix.days - 1)
        cm.limit(spread, None, rule.tolerance, tag, rule)
