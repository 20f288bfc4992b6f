"""Rule family ``days_off``: at least ``min`` days off in every window."""

from __future__ import annotations

from ..problem import DaysOff
from ..problem.index import MINUTES_PER_DAY
from .duty import entries
from .model import CompiledModel, Lit, Series, neg

__all__ = ["compile"]


def _free24(cm: CompiledModel, p: int) -> list[Lit]:
    """Per day, the literal "no assignment and no duty entry of ``p`` overlaps the day's
    24 hours" (an entry makes the days it touches busy, whether it counts hours or not)."""
    ix = cm.index
    # spans[s]: offsets of the calendar days a shift of type s overlaps (from its start day)
    spans = []
    for s in range(len(ix.shifts)):
        a, b = ix.interval(0, s)
        spans.append(range(a // MINUTES_PER_DAY, (b - 1) // MINUTES_PER_DAY + 1))
    busy: list[list[Lit]] = [[] for _ in range(ix.days)]
    for e, cell in enumerate(cm.by_day[p]):
        for s, v in cell:
            for j in spans[s]:
                if e + j < ix.days:
                    busy[e + j].append(v)
    for a, b, _ in entries(cm, p):
        for d in range(max(0, a // MINUTES_PER_DAY), min(ix.days, (b - 1) // MINUTES_PER_DAY + 1)):
            busy[d].append(True)
    return [neg(cm.or_(vs)) for vs in busy]


def _history_off(cm: CompiledModel, rule: DaysOff, p: int, h: int) -> list[int]:
    """Prefix counts of the days off among the ``h`` carried-in days before the horizon
    (``pre[j]``: days ``-h .. -h + j - 1``), from the duty entries alone: a day is busy when
    an entry starts on it (calendar) or overlaps it (free24)."""
    busy = [False] * h
    for a, b, _ in entries(cm, p):
        first = a // MINUTES_PER_DAY
        last = first if rule.day_off == "calendar" else (b - 1) // MINUTES_PER_DAY
        for d in range(max(-h, first), min(0, last + 1)):
            busy[d + h] = True
    pre = [0]
    for x in busy:
        pre.append(pre[-1] + (not x))
    return pre


def compile(cm: CompiledModel) -> None:
    """Every ``days_off`` rule: count of off days per window at least ``min``. A calendar
    day on which a duty entry starts is never off. Windows reaching before the horizon
    (carried-in history) count those days' days off as a constant."""
    ix = cm.index
    for rule in cm.problem.rules:
        if not isinstance(rule, DaysOff):
            continue
        if rule.min == 0:
            continue
        windows = ix.rule_windows(rule)
        h = ix.history_days if ix.uses_history(rule) else 0
        st = cm.strength(rule)
        for p in ix.people_in(rule.scope):
            if rule.day_off == "free24":
                off = _free24(cm, p)
            else:
                busy = {a // MINUTES_PER_DAY for a, _, _ in entries(cm, p)}
                off = [False if d in busy else neg(cm.works(p, d)) for d in range(ix.days)]
            ser = Series(cm, *cm.lit_series(off))
            past = _history_off(cm, rule, p, h)
            ser.use_prefix_for(windows)
            for a, b in windows:
                a0 = max(a, 0)  # carried-in days before the horizon are constants
                expr = ser.window(a0, b).plus(past[h] - past[min(a, 0) + h])
                cm.limit(expr, rule.min, None, cm.tag(rule.id, rule.kind, p, a, b), st)
