"""Derived facts about a problem, computed once: day sets, windows, weekends, clock intervals.

This is the single definition of what the problem's words mean on the calendar and the
clock. Both the checker and the solver read it; neither reads the other.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from .base import DaySet, Selector, ShiftFilter
from .days_off import DaysOff
from .problem import Problem, selects, shift_matches
from .rule_base import FilterMixin, RuleBase
from .shifts import ShiftType
from .work_minutes import WorkMinutes

__all__ = ["ProblemIndex"]

MINUTES_PER_DAY = 1440


class ProblemIndex:
    """Lookups and calendar/clock facts of one problem.

    People, shift types and days are addressed by position (``p``, ``s``, ``d``) in the
    order the problem lists them; ids map to positions through ``person_pos`` and
    ``shift_pos``.
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.days = problem.horizon.days
        self.people = problem.people
        self.shifts = problem.shifts
        self.person_pos = {p.id: i for i, p in enumerate(problem.people)}
        self.shift_pos = {s.id: i for i, s in enumerate(problem.shifts)}
        self.dates = [problem.horizon.date(d) for d in range(self.days)]
        self.weekdays = [x.weekday() for x in self.dates]
        hs = problem.history_start
        #: Days before the horizon whose duty is recorded (``Problem.history_start``): day
        #: positions ``-history_days .. -1``; 0 without carried-in history.
        self.history_days = 0 if hs is None else max(0, -problem.horizon.index(hs))

    # --- people and shifts -------------------------------------------------------------
    def people_in(self, sel: Selector) -> list[int]:
        """Positions of the people selected by ``sel``."""
        return [i for i, p in enumerate(self.people) if selects(sel, p)]

    def shifts_matching(self, flt: ShiftFilter | FilterMixin) -> list[int]:
        """Positions of the shift types matching ``flt``."""
        return [i for i, s in enumerate(self.shifts) if shift_matches(flt, s)]

    def may_work(self, p: int, s: int) -> bool:
        """Whether person ``p`` is eligible for shift type ``s`` at all."""
        elig = self.shifts[s].eligible
        return elig is None or selects(elig, self.people[p])

    # --- days ------------------------------------------------------------------------
    def days_in(self, ds: DaySet) -> list[int]:
        """Day positions selected by ``ds``, sorted."""
        if ds.kind == "all":
            return list(range(self.days))
        if ds.kind == "weekdays":
            return [d for d in range(self.days) if self.weekdays[d] < 5]
        if ds.kind == "weekend":
            return [d for d in range(self.days) if self.weekdays[d] >= 5]
        chosen = {self.problem.horizon.index(x) for x in ds.dates} | set(ds.indices)
        return sorted(d for d in chosen if 0 <= d < self.days)

    def windows(
        self, window: int | None, blocks: bool = False, history: bool = False
    ) -> list[tuple[int, int]]:
        """Day windows ``(first, last)`` (inclusive) a windowed rule applies to.

        ``None``: the whole horizon. Rolling: every run of ``window`` days inside the
        horizon; with ``history`` (and ``Problem.history_start`` set) also those starting
        on or after ``history_start`` and ending inside the horizon, whose ``first`` is
        then negative (days before the horizon). Blocks: ``[0, N), [N, 2N), ...`` that fit
        entirely (history adds none).
        """
        if window is None:
            return [(0, self.days - 1)]
        if window > self.days:
            return []
        if blocks:
            return [(w, w + window - 1) for w in range(0, self.days - window + 1, window)]
        first = max(-self.history_days, 1 - window) if history else 0
        return [(w, w + window - 1) for w in range(first, self.days - window + 1)]

    def uses_history(self, rule: RuleBase) -> bool:
        """Whether ``rule``'s windows reach before the horizon (see ``Problem.history_start``):
        rolling windows of a rule that counts duty entries — ``days_off``, or
        ``work_minutes`` counting every shift type — when history is given."""
        if not self.history_days:
            return False
        if isinstance(rule, DaysOff):
            return not rule.blocks
        if isinstance(rule, WorkMinutes):
            return rule.window is not None and not rule.blocks and rule.filter.is_all()
        return False

    def rule_windows(self, rule: RuleBase) -> list[tuple[int, int]]:
        """The windows of a windowed rule (``window`` and ``blocks`` fields), with those
        reaching before the horizon when :meth:`uses_history`."""
        window: int | None = getattr(rule, "window", None)
        blocks: bool = getattr(rule, "blocks", False)
        return self.windows(window, blocks, self.uses_history(rule))

    def history_text(self) -> str:
        """One sentence on what is assumed before the horizon, for every report."""
        hz = self.problem.horizon
        if not self.history_days:
            return (
                f"nothing is assumed about days before the horizon (before {hz.start}): "
                f"rolling windows start on its first day, {hz.start}"
            )
        hs = self.problem.history_start
        return (
            f"history from {hs} is taken into account: duty from {hs} to the day before "
            f"{hz.start} is the recorded duty entries only, and rolling windows of days_off "
            f"and of work_minutes rules counting every shift type start from {hs}; shift "
            f"counts, filtered hours and fixed blocks start on the horizon's first day, "
            f"{hz.start}"
        )

    @cached_property
    def weekends(self) -> list[list[int]]:
        """The horizon's Saturdays and Sundays grouped by calendar week."""
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        for d in range(self.days):
            if self.weekdays[d] >= 5:
                iso = self.dates[d].isocalendar()
                groups[(iso.year, iso.week)].append(d)
        return [groups[k] for k in sorted(groups)]

    # --- clock -----------------------------------------------------------------------
    def interval(self, d: int, s: int) -> tuple[int, int]:
        """Clock interval ``[start, end)`` in minutes from the horizon start of shift ``s``
        started on day ``d``. Raises ``ValueError`` for a shift without a start time."""
        st = self.shifts[s]
        sm = st.start_minute
        if sm is None:
            raise ValueError(f"shift type {st.id!r} has no start time")
        start = d * MINUTES_PER_DAY + sm
        return start, start + st.minutes

    @staticmethod
    def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
        """Minutes shared by two half-open intervals."""
        return max(0, min(a[1], b[1]) - max(a[0], b[0]))

    def has_clock(self) -> bool:
        """Whether every shift type has a start time."""
        return all(s.start is not None for s in self.shifts)

    def shift(self, s: int) -> ShiftType:
        """The shift type at position ``s``."""
        return self.shifts[s]

    # --- availability ----------------------------------------------------------------
    @cached_property
    def leave_days(self) -> dict[int, set[int]]:
        """Per person position, the day positions of their leave."""
        out: dict[int, set[int]] = defaultdict(set)
        for lv in self.problem.leave:
            p = self.person_pos[lv.person]
            a = max(0, self.problem.horizon.index(lv.first))
            b = min(self.days - 1, self.problem.horizon.index(lv.last))
            out[p].update(range(a, b + 1))
        return out
