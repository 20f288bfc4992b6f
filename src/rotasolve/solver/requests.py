"""Requests: soft wishes to work (``on``) or not work (``off``) a day or a shift."""

from __future__ import annotations

from .model import CompiledModel, Lit, Strength, neg

__all__ = ["compile"]


def compile(cm: CompiledModel) -> None:
    """Each unmet request costs its weight."""
    ix = cm.index
    pb = cm.problem
    for rq in pb.requests:
        p = ix.person_pos[rq.person]
        d = pb.horizon.index(rq.day)
        lit: Lit
        if rq.shift is None:
            lit = cm.works(p, d)
        else:
            lit = cm.x.get((p, d, ix.shift_pos[rq.shift]), False)
        broken = neg(lit) if rq.want == "on" else lit
        cm.forbid([broken], cm.tag(rq.id, "request", p, d, d), Strength(False, 0, rq.weight))
