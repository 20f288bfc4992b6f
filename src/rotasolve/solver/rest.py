"""Rule family ``rest``: minimum rest between consecutive duty periods, on the clock."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from typing import NamedTuple, cast

from ..problem import Rest
from ..problem.index import MINUTES_PER_DAY
from .duty import entries, tag_day
from .model import CompiledModel, Lit, neg

__all__ = ["Duty", "compile", "duties", "predecessors", "same_day"]


class Duty(NamedTuple):
    """A piece of possible duty with its clock interval: an assignment of a shift type that
    counts hours (``var`` its variable), or a fixed duty entry that counts hours (``shift``
    -1, ``var`` True, ``day`` its start day clamped into the horizon)."""

    day: int
    shift: int
    var: Lit
    start: int
    end: int

    @property
    def fixed(self) -> bool:
        """Whether this is a fixed duty entry rather than a decision."""
        return self.shift < 0


def same_day(u: Duty, v: Duty) -> bool:
    """Whether ``u`` and ``v`` are two assignments (not duty entries) starting on the same
    day: with one shift per day, never both worked."""
    return u.day == v.day and u.shift >= 0 and v.shift >= 0


def duties(cm: CompiledModel, p: int) -> list[Duty]:
    """The person's possible assignments of shift types that count hours, and their duty
    entries that count hours, by start time (cached: rest and continuous duty share them)."""
    key = ("duties", p)
    got = cm.cache.get(key)
    if got is None:
        ix = cm.index
        # (start minute, length) of each hour-counting shift type; None when it has no start
        # (then ix.interval raises, as it should)
        clock = {
            s: (st.start_minute, st.minutes) for s, st in enumerate(ix.shifts) if st.counts_hours
        }
        built: list[Duty] = []
        for d, cell in enumerate(cm.by_day[p]):
            base = d * MINUTES_PER_DAY
            for s, v in cell:
                c = clock.get(s)
                if c is None:
                    continue
                sm, length = c
                if sm is None:
                    built.append(Duty(d, s, v, *ix.interval(d, s)))
                else:
                    built.append(Duty(d, s, v, base + sm, base + sm + length))
        built.extend(
            Duty(tag_day(cm, a // MINUTES_PER_DAY), -1, True, a, b)
            for a, b, e in entries(cm, p)
            if e.counts_hours
        )
        built.sort(key=lambda u: (u.start, u.end))
        cm.cache[key] = got = built
    return cast(list[Duty], got)


def predecessors(cm: CompiledModel, p: int) -> list[list[int]]:
    """For each of :func:`duties`, the positions of the duties ending when it starts that
    can be worked together with it.

    With one shift per day (a hard structural rule, unconditional even in explain mode)
    two assignments starting on the same day never can, so such a predecessor is left out:
    every chain through it is empty, and leaving it out spares a literal per duty (a day
    shift ending at 19:00 is not a predecessor of that day's night shift).
    """
    key = ("preds", p)
    got = cm.cache.get(key)
    if got is None:
        items = duties(cm, p)
        by_end: dict[int, list[int]] = defaultdict(list)
        for i, u in enumerate(items):
            by_end[u.end].append(i)
        if cm.problem.max_shifts_per_day == 1:
            got = [[j for j in by_end.get(u.start, ()) if not same_day(u, items[j])] for u in items]
        else:
            got = [by_end.get(u.start, []) for u in items]
        cm.cache[key] = got
    return cast(list[list[int]], got)


def compile(cm: CompiledModel) -> None:
    """Every ``rest`` rule.

    The pair (a, b) with ``0 < start(b) - end(a) < minutes`` is short rest exactly when
    both are worked, no duty starts in ``[end(a), start(b))`` (so ``a`` ends a period, ``b``
    starts the next one; no-overlap and ``duty_overlap`` rule out anything else in
    between), and ``a``'s period contains a shift matching ``after``: the literal ``m(a)``
    follows back-to-back chains (``m(a) = x_a ∧ (a matches ∨ OR m(pred))``). Without an
    ``after`` filter every period counts, so ``m(a) = x_a``. Duty entries are pieces whose
    literal is True. Cost: the minutes short.
    """
    ix = cm.index
    one_a_day = cm.problem.max_shifts_per_day == 1
    for rule in cm.problem.rules:
        if not isinstance(rule, Rest):
            continue
        st = cm.strength(rule)
        if not st.hard and not st.over:
            continue
        match = set(ix.shifts_matching(rule.after))
        every = rule.after.is_all()
        minutes = rule.minutes
        rule_id, kind = rule.id, rule.kind
        forbid, tag = cm.forbid, cm.tag
        for p in ix.people_in(rule.scope):
            items = duties(cm, p)
            if not items:
                continue
            starts = [u.start for u in items]
            preds = predecessors(cm, p)
            m: list[Lit] = []
            for i, u in enumerate(items):
                if every or u.shift in match:
                    m.append(u.var)
                elif not preds[i]:
                    m.append(False)
                else:
                    m.append(cm.and_([u.var, cm.or_([m[j] for j in preds[i]])]))
            # Hot loop (hundreds of thousands of pairs a year): locals, no attribute lookups.
            negs = [neg(u.var) for u in items]
            for i, a in enumerate(items):
                ma = m[i]
                if ma is False:
                    continue
                a_end, a_day = a.end, a.day
                same_day_excluded = one_a_day and a.shift >= 0
                lo = bisect_left(starts, a_end)
                hi = bisect_left(starts, a_end + minutes, lo)
                for k in range(lo, hi):
                    b = items[k]
                    b_start = b.start
                    gap = b_start - a_end
                    if gap <= 0 or (same_day_excluded and b.day == a_day and b.shift >= 0):
                        continue  # back to back, or never both worked
                    pattern = [ma, b.var]
                    # items[lo:k] start at or after a's end; those starting before b are off
                    for j in range(lo, k):
                        if starts[j] < b_start:
                            pattern.append(negs[j])
                    forbid(pattern, tag(rule_id, kind, p, a_day, b.day), st, minutes - gap)
