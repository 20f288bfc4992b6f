"""Rule family ``continuous_duty``: each duty period lasts at most ``max_minutes``."""

from __future__ import annotations

from bisect import bisect_right

from ..problem import ContinuousDuty
from .model import CompiledModel, Lit, neg
from .rest import Duty, duties, predecessors, same_day

__all__ = ["compile"]


def _hard(cm: CompiledModel, rule: ContinuousDuty, p: int, items: list[Duty]) -> None:
    """Forbid every back-to-back chain longer than the limit whose prefix is not.

    With one shift per day, a chain with two assignments starting on the same day can
    never be worked (:func:`~.rest.same_day`); it is neither followed nor forbidden.
    """
    one_a_day = cm.problem.max_shifts_per_day == 1
    nexts: dict[int, list[int]] = {}
    for i, u in enumerate(items):
        nexts.setdefault(u.start, []).append(i)
    limit = rule.max_minutes
    forbid, tag, st = cm.forbid, cm.tag, cm.strength(rule)
    rule_id, kind = rule.id, rule.kind
    no_next: list[int] = []
    # Depth-first over chains, pre-order (the clause order is part of the model): `chain`
    # holds the literals of the chain so far, the stack is extended and popped in place.
    chain: list[Lit] = []

    def extend(start: int, first_day: int, u: Duty) -> None:
        if u.end - start > limit:
            forbid(chain.copy(), tag(rule_id, kind, p, first_day, u.day), st)
            return
        for j in nexts.get(u.end, no_next):
            v = items[j]
            if one_a_day and same_day(u, v):
                continue
            chain.append(v.var)
            extend(start, first_day, v)
            chain.pop()

    for u in items:
        chain.append(u.var)
        extend(u.start, u.day, u)
        chain.pop()


def _soft(cm: CompiledModel, rule: ContinuousDuty, p: int) -> None:
    """Penalise the minutes of each period beyond ``start + max`` exactly.

    ``r[(a1, a)]``: ``a`` is worked in the period that starts with ``a1`` (defined while
    ``a`` starts before ``start(a1) + max``). A duty crossing that threshold costs its
    minutes past it; ``full[a]``: ``a`` lies wholly past its period's threshold (costs all
    its minutes); ``past[a]``: ``a`` ends at or past the threshold.
    """
    limit = rule.max_minutes
    items = duties(cm, p)
    preds = predecessors(cm, p)
    r: dict[tuple[int, int], Lit] = {}
    # crossing[a]: the period starts a1 whose threshold falls in (start(a), end(a)]
    crossing: dict[int, list[int]] = {}
    # furthest[i]: the latest end of a back-to-back chain starting with i; a period can
    # only be too long if it starts with some a1 whose chains run past start + max.
    nexts: dict[int, list[int]] = {}
    for i, u in enumerate(items):
        nexts.setdefault(u.start, []).append(i)
    # with one shift per day, a chain never continues on the day it is on (see _hard)
    one_a_day = cm.problem.max_shifts_per_day == 1
    furthest = [0] * len(items)
    for i in range(len(items) - 1, -1, -1):
        u = items[i]
        furthest[i] = max(
            [
                u.end,
                *(
                    furthest[j]
                    for j in nexts.get(u.end, [])
                    if not (one_a_day and same_day(u, items[j]))
                ),
            ]
        )
    for a1, u in enumerate(items):
        if furthest[a1] - u.start > limit:
            r[(a1, a1)] = cm.and_([u.var, *(neg(items[j].var) for j in preds[a1])])
    # items are sorted by start, and predecessors start earlier, so one pass suffices
    starts = [u.start for u in items]
    for a, u in enumerate(items):
        for a1 in range(bisect_right(starts, u.start - limit), a):
            r_prev = [r[(a1, j)] for j in preds[a] if (a1, j) in r]
            if r_prev:
                r[(a1, a)] = cm.and_([u.var, cm.or_(r_prev)])
    for (a1, a), lit in r.items():
        u = items[a]
        threshold = items[a1].start + limit
        if u.start < threshold <= u.end:
            crossing.setdefault(a, []).append(a1)
            if threshold < u.end:
                cm.forbid(
                    [lit],
                    cm.tag(rule.id, rule.kind, p, items[a1].day, u.day),
                    rule,
                    u.end - threshold,
                )
    past: list[Lit] = []
    for a, u in enumerate(items):
        full = cm.and_([u.var, cm.or_([past[j] for j in preds[a]])])
        if full is not False:
            cm.forbid([full], cm.tag(rule.id, rule.kind, p, u.day, u.day), rule, u.end - u.start)
        past.append(cm.or_([full, *(r[(a1, a)] for a1 in crossing.get(a, []))]))


def compile(cm: CompiledModel) -> None:
    """Every ``continuous_duty`` rule, per person in scope."""
    ix = cm.index
    for rule in cm.problem.rules:
        if not isinstance(rule, ContinuousDuty):
            continue
        for p in ix.people_in(rule.scope):
            if rule.hard:
                _hard(cm, rule, p, duties(cm, p))
            elif rule.weight:
                _soft(cm, rule, p)
