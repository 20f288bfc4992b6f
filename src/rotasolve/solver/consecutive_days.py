"""Rule family ``consecutive_days``: min/max length of runs of working days."""

from __future__ import annotations

from ..problem import ConsecutiveDays, ConsecutiveDaysOff
from .model import CompiledModel, Lit, neg

__all__ = ["compile", "runs"]


def runs(
    cm: CompiledModel,
    rule: ConsecutiveDays | ConsecutiveDaysOff,
    p: int,
    on: list[Lit],
    lo: int,
    hi: int | None,
    exempt_edges: bool,
) -> None:
    """Limit the maximal runs of true literals in ``on`` (one per day) to ``[lo, hi]``.

    Max: every ``hi + 1`` consecutive days hold a false literal; soft, each fully true
    window costs one (a run of ``L`` contains ``L - hi`` of them). Min: the pattern
    "run of exactly ``L < lo`` days starting on day ``t``" is forbidden; soft, it costs
    ``lo - L`` (each maximal run matches exactly one pattern).
    """
    n = len(on)
    st = cm.strength(rule)
    if hi is not None:
        for t in range(n - hi):
            cm.forbid(on[t : t + hi + 1], cm.tag(rule.id, rule.kind, p, t, t + hi), st)
    if st.hard and lo > 1:
        _hard_min_runs(cm, rule, p, on, lo, exempt_edges)
        return
    for length in range(1, lo):
        for t in range(n - length + 1):
            end = t + length  # first day after the run
            if exempt_edges and (t == 0 or end == n):
                continue
            pattern = on[t:end]
            if t > 0:
                pattern = [neg(on[t - 1]), *pattern]
            if end < n:
                pattern = [*pattern, neg(on[end])]
            cm.forbid(pattern, cm.tag(rule.id, rule.kind, p, t, end - 1), st, lo - length)


def _hard_min_runs(
    cm: CompiledModel,
    rule: ConsecutiveDays | ConsecutiveDaysOff,
    p: int,
    on: list[Lit],
    lo: int,
    exempt_edges: bool,
) -> None:
    """Hard minimum run length as 3-literal implications: a run that starts on day ``t``
    (``on[t]`` and not ``on[t - 1]``) goes on through day ``t + j`` for every
    ``j < lo``.

    Equivalent to forbidding each short run as a pattern (``lo - 1`` clauses of up to
    ``lo + 1`` literals per start day), but with short clauses that propagate as soon as
    a run starts and whose LP relaxation is much tighter (Curtois Instance 9: lower bound
    283 -> 406 at 60 s). A run that would have to go past the horizon's end cannot start
    there, unless edge runs are exempt.
    """
    n = len(on)
    st = cm.strength(rule)
    for t in range(n):
        if t == 0 and exempt_edges:
            continue
        start = [on[t]] if t == 0 else [neg(on[t - 1]), on[t]]
        for j in range(1, lo):
            if t + j >= n:
                if not exempt_edges:
                    cm.forbid(start, cm.tag(rule.id, rule.kind, p, t, n - 1), st)
                break
            cm.forbid([*start, neg(on[t + j])], cm.tag(rule.id, rule.kind, p, t, t + j), st)


def compile(cm: CompiledModel) -> None:
    """Every ``consecutive_days`` rule, per person in scope."""
    ix = cm.index
    for rule in cm.problem.rules:
        if not isinstance(rule, ConsecutiveDays):
            continue
        if rule.min <= 1 and rule.max is None:
            continue
        match = frozenset(ix.shifts_matching(rule))
        flt = None if len(match) == len(ix.shifts) else match
        for p in ix.people_in(rule.scope):
            on = [cm.works(p, d, flt) for d in range(ix.days)]
            runs(cm, rule, p, on, rule.min, rule.max, rule.exempt_edges)
