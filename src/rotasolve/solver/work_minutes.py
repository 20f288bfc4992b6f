"""Rule family ``work_minutes``: min/max worked minutes per person and window."""

from __future__ import annotations

from itertools import accumulate

from ..problem import WorkMinutes
from ..problem.index import MINUTES_PER_DAY
from .duty import entry_minutes_prefix
from .model import CompiledModel, Lin, Series

__all__ = ["compile"]


def compile(cm: CompiledModel) -> None:
    """Every ``work_minutes`` rule: one limit per person in scope and window.

    ``split="start_day"`` counts a shift's minutes on its start day; ``split="clock"``
    counts only the minutes inside the window's clock interval: a window's sum is the slice
    of its days with full minutes, corrected for shifts running past its last day and
    completed with shifts started up to a few days before its first day. A rule counting
    every shift type adds the person's duty entries that count hours as a constant: their
    minutes inside the window's clock interval, or (``start_day``) the minutes of those
    starting on one of its days. With carried-in history (``ProblemIndex.uses_history``)
    windows may start before the horizon; those days add their entries only.
    """
    ix = cm.index
    for rule in cm.problem.rules:
        if not isinstance(rule, WorkMinutes):
            continue
        if rule.min == 0 and rule.max is None:
            continue
        st = cm.strength(rule)
        minutes = {
            s: ix.shifts[s].minutes for s in ix.shifts_matching(rule) if ix.shifts[s].counts_hours
        }
        windows = ix.rule_windows(rule)
        # carried-in days before the horizon (Problem.history_start): entries only
        h = ix.history_days if ix.uses_history(rule) else 0
        # cum[s][j]: minutes of shift s falling on the first j calendar days it touches
        cum: dict[int, list[int]] = {}
        if rule.split == "clock":
            for s in minutes:
                start, end = ix.interval(0, s)
                days = (end - 1) // MINUTES_PER_DAY + 1
                per_day = [
                    ix.overlap((start, end), (j * MINUTES_PER_DAY, (j + 1) * MINUTES_PER_DAY))
                    for j in range(days)
                ]
                cum[s] = [0, *accumulate(per_day)]
        reach = max((len(c) - 2 for c in cum.values()), default=0)
        with_entries = rule.filter.is_all()
        for p in ix.people_in(rule.scope):
            clock = rule.split == "clock"
            fixed = entry_minutes_prefix(cm, p, clock, h) if with_entries else None
            vs, cs, off = cm.series(p, minutes)
            row = cm.by_day[p]
            ser = Series(cm, vs, cs, off)
            if ser.use_prefix_for(windows):
                _prefix_windows(cm, rule, p, ser, windows, cum, reach, fixed, h)
                continue
            for a, b in windows:
                a0 = max(a, 0)  # days before the horizon hold no shift
                wv = vs[off[a0] : off[b + 1]]
                wc = cs[off[a0] : off[b + 1]]
                if reach:
                    tail, head = _edges(row, cum, a0, a, b, reach)
                    k0 = off[max(a0, b - reach + 1)] - off[a0]
                    for j, (_, inside, _) in enumerate(tail):
                        wc[k0 + j] = inside
                    for v, inside in head:
                        wv.append(v)
                        wc.append(inside)
                const = 0 if fixed is None else fixed[b + 1 + h] - fixed[a + h]
                expr = Lin.bools(wv, wc, const)
                cm.limit(expr, rule.min, rule.max, cm.tag(rule.id, rule.kind, p, a, b), st)


def _edges(
    row: list[list[tuple[int, int]]],
    cum: dict[int, list[int]],
    a0: int,
    a: int,
    b: int,
    reach: int,
) -> tuple[list[tuple[int, int, int]], list[tuple[int, int]]]:
    """The clock split at the edges of the window ``a..b`` (``a0 = max(a, 0)``).

    ``tail``: ``(variable, minutes inside the window, full minutes)`` of each shift on the
    window's last ``reach`` days, in series order (those may run past its end); ``head``:
    ``(variable, minutes inside)`` of the shifts started up to ``reach`` days before it
    that run into it.
    """
    tail: list[tuple[int, int, int]] = []
    for d in range(max(a0, b - reach + 1), b + 1):
        for s, v in row[d]:
            c = cum.get(s)
            if c is not None:
                tail.append((v, c[min(len(c) - 1, b - d + 1)], c[-1]))
    head: list[tuple[int, int]] = []
    for d in range(max(0, a - reach), a):
        for s, v in row[d]:
            c = cum.get(s)
            if c is not None:
                inside = c[min(len(c) - 1, b - d + 1)] - c[min(len(c) - 1, a - d)]
                if inside > 0:
                    head.append((v, inside))
    return tail, head


def _prefix_windows(
    cm: CompiledModel,
    rule: WorkMinutes,
    p: int,
    ser: Series,
    windows: list[tuple[int, int]],
    cum: dict[int, list[int]],
    reach: int,
    fixed: list[int] | None,
    h: int,
) -> None:
    """The windows of :func:`compile` over prefix sums of full shift minutes per start day,
    with the clock split's corrections as extra terms: shifts of the last days that run
    past the window count only their part inside, shifts started before it their part
    inside it."""
    row = cm.by_day[p]
    st = cm.strength(rule)
    for a, b in windows:
        a0 = max(a, 0)
        base = ser.window(a0, b)
        ev: list[int] = []
        ec: list[int] = []
        if reach:
            tail, head = _edges(row, cum, a0, a, b, reach)
            for v, inside, full in tail:
                if inside != full:
                    ev.append(v)
                    ec.append(inside - full)
            for v, inside in head:
                ev.append(v)
                ec.append(inside)
        const = 0 if fixed is None else fixed[b + 1 + h] - fixed[a + h]
        lo = base.lb + const + sum(c for c in ec if c < 0)
        hi = base.ub + const + sum(c for c in ec if c > 0)
        expr = Lin(base.vars + ev, base.coeffs + ec, base.const + const, lo, hi)
        cm.limit(expr, rule.min, rule.max, cm.tag(rule.id, rule.kind, p, a, b), st)
