"""Rule family ``supervision``: enough supervisors per shift for the residents' load."""

from __future__ import annotations

from ..problem import Supervision
from .model import CompiledModel, Lin

__all__ = ["compile"]


def compile(cm: CompiledModel) -> None:
    """Every ``supervision`` rule, per day in ``days`` and matching shift type.

    With load ``L`` and ``S`` supervisors on, ``missing = max(0, ceil(L / P) - S)``. Hard:
    ``L <= P * S``. Soft: an exact ``q = ceil(L / P)`` (``L <= P q <= L + P - 1``), then the
    excess of ``q - S`` over 0.
    """
    ix = cm.index
    for rule in cm.problem.rules:
        if not isinstance(rule, Supervision):
            continue
        st = cm.strength(rule)
        if not st.hard and st.over == 0:
            continue
        per = rule.per_supervisor
        sup = ix.people_in(rule.supervisors)
        sup_set = set(sup)
        load = {
            p: rule.load_of(ix.people[p].pgy) for p in ix.people_in(rule.scope) if p not in sup_set
        }
        load = {p: w for p, w in load.items() if w}
        for d in ix.days_in(rule.days):
            for s in ix.shifts_matching(rule):
                lv = [(v, w) for p, w in load.items() if (v := cm.x.get((p, d, s))) is not None]
                if not lv:
                    continue
                sv = [v for p in sup if (v := cm.x.get((p, d, s))) is not None]
                tag = cm.tag(rule.id, rule.kind, None, d, d)
                lvars = [v for v, _ in lv]
                lcoef = [w for _, w in lv]
                if st.hard:
                    expr = Lin.bools(lvars + sv, lcoef + [-per] * len(sv))
                    cm.limit(expr, None, 0, tag, st)
                    continue
                total = sum(lcoef)
                q = cm.new_int(0, -(-total // per))
                c = cm.proto.constraints.add()
                c.linear.vars.extend([q, *lvars])
                c.linear.coeffs.extend([per, *(-w for w in lcoef)])
                c.linear.domain.extend((0, per - 1))
                qs = Lin([q], [1], 0, 0, -(-total // per))
                cm.limit(qs - Lin.bools(sv), None, 0, tag, st)
