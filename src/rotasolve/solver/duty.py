"""Fixed duty entries in the model: constants, never decisions.

Entries (:class:`~rotasolve.problem.DutyEntry`) add constants to window sums
(``work_minutes``), make days busy (``days_off``) and join duty periods as pieces whose
literal is ``True`` (``rest``, ``continuous_duty``). This module holds what those families
share, and compiles the family ``duty``: ``pgy1_moonlighting`` (a constant violation, so
the model is infeasible) and ``duty_overlap`` (no hour-counting assignment may overlap an
hour-counting entry of the same person).
"""

from __future__ import annotations

from typing import cast

from ..problem import FixedDuty, Role, duty_by_person
from ..problem.index import MINUTES_PER_DAY
from .model import HARD, CompiledModel

__all__ = ["FAMILY", "compile", "entries", "entry_minutes_prefix", "tag_day"]

#: Family of the duty-entry requirements (as in the checker).
FAMILY = "duty"


def entries(cm: CompiledModel, p: int) -> list[FixedDuty]:
    """Person ``p``'s duty entries with their clock intervals, sorted (cached)."""
    got = cm.cache.get("duty_entries")
    if got is None:
        by_id = duty_by_person(cm.problem)
        got = [by_id.get(person.id, []) for person in cm.index.people]
        cm.cache["duty_entries"] = got
    return cast(list[list[FixedDuty]], got)[p]


def entry_minutes_prefix(
    cm: CompiledModel, p: int, clock: bool, history: int = 0
) -> list[int] | None:
    """Prefix sums over the days ``-history .. days - 1`` (``history`` carried-in days
    before the horizon, see ``Problem.history_start``) of the minutes of ``p``'s
    hour-counting entries (``pre[b + 1 + history] - pre[a + history]`` is days ``a..b``):
    with ``clock`` the minutes inside each day's 00:00-24:00, else all of an entry's
    minutes on its start day (none when that day is outside those days). None when the
    person has no such entry."""
    lo, hi = -history, cm.index.days
    daily = [0] * (hi - lo)
    found = False
    for a, b, e in entries(cm, p):
        if not e.counts_hours:
            continue
        found = True
        first = a // MINUTES_PER_DAY
        if not clock:
            if lo <= first < hi:
                daily[first - lo] += b - a
            continue
        for d in range(max(lo, first), min(hi, (b - 1) // MINUTES_PER_DAY + 1)):
            daily[d - lo] += min(b, (d + 1) * MINUTES_PER_DAY) - max(a, d * MINUTES_PER_DAY)
    if not found:
        return None
    pre = [0]
    for m in daily:
        pre.append(pre[-1] + m)
    return pre


def tag_day(cm: CompiledModel, d: int) -> int:
    """Day position ``d`` clamped into the horizon (an entry may start before it), for
    tags, which name horizon dates."""
    return min(max(d, 0), cm.index.days - 1)


def compile(cm: CompiledModel) -> None:
    """``pgy1_moonlighting`` and ``duty_overlap`` (both hard, whatever the rules say)."""
    ix = cm.index
    # Longest reach of a shift past its start day, to find shifts that may overlap an entry.
    reach = max(
        (
            (s.start_minute + s.minutes - 1) // MINUTES_PER_DAY
            for s in ix.shifts
            if s.start_minute is not None
        ),
        default=0,
    )
    for p, person in enumerate(ix.people):
        mine = entries(cm, p)
        for a, b, e in mine:
            first = tag_day(cm, a // MINUTES_PER_DAY)
            last = tag_day(cm, (b - 1) // MINUTES_PER_DAY)
            if e.kind == "moonlighting" and person.role == Role.resident and person.pgy == 1:
                # Nothing the solver decides can undo it: an empty clause.
                cm.forbid([], cm.tag("pgy1_moonlighting", FAMILY, p, first, last), HARD)
            if not e.counts_hours:
                continue
            lo = max(0, a // MINUTES_PER_DAY - reach)
            hi = min(ix.days - 1, (b - 1) // MINUTES_PER_DAY)
            for d in range(lo, hi + 1):
                for s, v in cm.by_day[p][d]:
                    st = ix.shifts[s]
                    if not st.counts_hours or st.start is None:
                        continue
                    if ix.overlap(ix.interval(d, s), (a, b)):
                        cm.forbid([v], cm.tag("duty_overlap", FAMILY, p, d, d), HARD)
