"""What every family checker reads: the problem, its index, and the schedule by position.

The schedule is normalised once: assignments whose person or shift id is unknown, or whose
day lies outside the horizon, are set aside (``rejected``, reported by the structure checker)
and every other family sees only the valid ``(p, d, s)`` positions, in sorted order, so that
the report does not depend on the order of the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import accumulate

from ..problem import FixedDuty, Problem, ProblemIndex, ShiftFilter, duty_by_person
from ..problem.index import MINUTES_PER_DAY
from ..problem.rule_base import FilterMixin, RuleBase
from ..report import Violation
from ..schedule import Assignment, Schedule

__all__ = ["CheckContext", "Day", "DutyPeriod", "fmt_clock", "fmt_days"]

#: A day given as a position in the horizon (may lie outside it) or as a date.
Day = int | date


@dataclass(frozen=True)
class DutyPeriod:
    """A maximal chain of a person's hour-counting shifts and duty entries, each starting
    when the last ends.

    ``start`` and ``end`` are minutes from the horizon start (``end`` exclusive);
    ``shifts`` are the ``(d, s)`` positions in the chain, in clock order; ``entries`` the
    ids of the duty entries in it (:class:`~rotasolve.problem.DutyEntry`), in clock order.
    """

    start: int
    end: int
    shifts: tuple[tuple[int, int], ...]
    entries: tuple[str, ...] = ()

    @property
    def minutes(self) -> int:
        """Length of the period."""
        return self.end - self.start


def fmt_days(a: date | None, b: date | None) -> str:
    """``2024-01-01`` or ``2024-01-01..2024-01-06``."""
    if a is None:
        return ""
    if b is None or a == b:
        return a.isoformat()
    return f"{a.isoformat()}..{b.isoformat()}"


def fmt_clock(ctx: CheckContext, minute: int) -> str:
    """A minute from the horizon start as ``2024-01-02 07:00``."""
    d, m = divmod(minute, MINUTES_PER_DAY)
    return f"{ctx.date(d).isoformat()} {m // 60:02d}:{m % 60:02d}"


class CheckContext:
    """The problem, its :class:`ProblemIndex` and the normalised schedule, plus the
    violations found so far.

    Parameters
    ----------
    problem
        A validated problem.
    schedule
        Any schedule (unknown ids and days outside the horizon are allowed).

    Attributes
    ----------
    assignments
        The valid assignments as ``(p, d, s)`` positions, sorted.
    rejected
        Assignments with an unknown id or a day outside the horizon, in sorted order.
    by_person
        Per person position, the ``(d, s)`` of their valid assignments, sorted.
    starts
        Per person position, day position -> shift positions started that day (sorted;
        an exact duplicate assignment appears twice).
    duty
        Per person position, their fixed duty entries with clock intervals, sorted.
    """

    def __init__(self, problem: Problem, schedule: Schedule) -> None:
        self.problem = problem
        self.index = ProblemIndex(problem)
        self.schedule = schedule
        self.hard_violations: list[Violation] = []
        self.penalties: list[Violation] = []
        self.notes: list[str] = []
        ix = self.index
        valid: list[tuple[int, int, int]] = []
        rejected: list[Assignment] = []
        for a in schedule.assignments:
            p = ix.person_pos.get(a.person)
            s = ix.shift_pos.get(a.shift)
            d = problem.horizon.index(a.day)
            if p is None or s is None or not 0 <= d < ix.days:
                rejected.append(a)
            else:
                valid.append((p, d, s))
        valid.sort()
        rejected.sort(key=lambda a: (a.day, a.person, a.shift))
        self.assignments = valid
        self.rejected = rejected
        self.by_person: list[list[tuple[int, int]]] = [[] for _ in ix.people]
        self.starts: list[dict[int, list[int]]] = [{} for _ in ix.people]
        for p, d, s in valid:
            self.by_person[p].append((d, s))
            self.starts[p].setdefault(d, []).append(s)
        fixed = duty_by_person(problem)
        self.duty: list[list[FixedDuty]] = [fixed.get(p.id, []) for p in ix.people]
        self._periods: dict[int, list[DutyPeriod]] = {}

    # --- naming ------------------------------------------------------------------------
    def label(self, p: int | None) -> str:
        """Display name of person position ``p``."""
        return "everyone" if p is None else self.index.people[p].label

    def pid(self, p: int | None) -> str | None:
        """Id of person position ``p``."""
        return None if p is None else self.index.people[p].id

    def date(self, d: Day) -> date:
        """The date of day position ``d`` (dates pass through)."""
        if isinstance(d, date):
            return d
        if 0 <= d < self.index.days:
            return self.index.dates[d]
        return self.problem.horizon.date(d)

    def days_text(self, first: Day, last: Day | None = None) -> str:
        """``2024-01-01`` or ``2024-01-01..2024-01-06``."""
        return fmt_days(self.date(first), None if last is None else self.date(last))

    # --- recording ---------------------------------------------------------------------
    def _violation(
        self,
        rule: str,
        family: str,
        hard: bool,
        person: int | str | None,
        first: Day | None,
        last: Day | None,
        value: float | None,
        limit: float | None,
        amount: int,
        unit: str,
        cost: int,
        message: str,
    ) -> Violation:
        pid = person if isinstance(person, str) or person is None else self.pid(person)
        f = None if first is None else self.date(first)
        la = f if last is None else self.date(last)
        # Every field is built here with its declared type, so validation is skipped (a
        # bad schedule can produce tens of thousands of violations).
        return Violation.model_construct(
            rule=rule,
            family=family,
            hard=hard,
            person=pid,
            first=f,
            last=la,
            value=None if value is None else float(value),
            limit=None if limit is None else float(limit),
            amount=int(amount),
            unit=unit,
            cost=int(cost),
            message=message,
        )

    def hard(
        self,
        rule: str,
        family: str,
        person: int | str | None,
        first: Day | None,
        last: Day | None,
        *,
        amount: int,
        unit: str,
        message: str,
        value: float | None = None,
        limit: float | None = None,
    ) -> None:
        """Record a broken hard requirement (cost 0).

        ``person`` is a person position, a raw id (for unknown people) or None.
        """
        self.hard_violations.append(
            self._violation(
                rule, family, True, person, first, last, value, limit, amount, unit, 0, message
            )
        )

    def soft(
        self,
        rule: str,
        family: str,
        person: int | str | None,
        first: Day | None,
        last: Day | None,
        *,
        amount: int,
        weight: int,
        unit: str,
        message: str,
        value: float | None = None,
        limit: float | None = None,
    ) -> None:
        """Record a soft penalty of ``weight × amount``."""
        self.penalties.append(
            self._violation(
                rule,
                family,
                False,
                person,
                first,
                last,
                value,
                limit,
                amount,
                unit,
                weight * amount,
                message,
            )
        )

    def rule_violation(
        self,
        rule: RuleBase,
        person: int | None,
        first: Day | None,
        last: Day | None,
        *,
        amount: int,
        message: str,
        value: float | None = None,
        limit: float | None = None,
    ) -> None:
        """Record a violation of a rule object: hard or soft as the rule says, family = its
        ``kind``, unit = its unit."""
        family = str(getattr(rule, "kind", type(rule).__name__))
        if rule.hard:
            self.hard(
                rule.id,
                family,
                person,
                first,
                last,
                amount=amount,
                unit=rule.unit,
                message=message,
                value=value,
                limit=limit,
            )
        else:
            self.soft(
                rule.id,
                family,
                person,
                first,
                last,
                amount=amount,
                weight=rule.weight,
                unit=rule.unit,
                message=message,
                value=value,
                limit=limit,
            )

    # --- derived per-person facts --------------------------------------------------------
    def scope(self, rule: RuleBase) -> list[int]:
        """Person positions the rule applies to."""
        return self.index.people_in(rule.scope)

    def matching(self, flt: ShiftFilter | FilterMixin) -> frozenset[int]:
        """Shift positions matching a filter."""
        return frozenset(self.index.shifts_matching(flt))

    def daily_counts(self, p: int, shifts: Iterable[int] | None = None) -> list[int]:
        """Per day, how many assignments of ``shifts`` (all when None) person ``p`` starts."""
        out = [0] * self.index.days
        chosen = None if shifts is None else set(shifts)
        for d, s in self.by_person[p]:
            if chosen is None or s in chosen:
                out[d] += 1
        return out

    def intervals(self, p: int, shifts: Iterable[int] | None = None) -> list[tuple[int, int]]:
        """Clock intervals of person ``p``'s assignments of ``shifts`` (all when None),
        sorted; shifts without a start time are skipped."""
        chosen = None if shifts is None else set(shifts)
        out = []
        for d, s in self.by_person[p]:
            if (chosen is None or s in chosen) and self.index.shifts[s].start is not None:
                out.append(self.index.interval(d, s))
        out.sort()
        return out

    def clock_daily_minutes(self, p: int, shifts: Iterable[int] | None = None) -> list[int]:
        """Per day of the horizon, the minutes of ``p``'s assignments of ``shifts`` that fall
        between that day's 00:00 and 24:00 (minutes after the horizon's end are dropped)."""
        days = self.index.days
        out = [0] * days
        for a, b in self.intervals(p, shifts):
            d = a // MINUTES_PER_DAY
            while d < days and d * MINUTES_PER_DAY < b:
                lo = max(a, d * MINUTES_PER_DAY)
                hi = min(b, (d + 1) * MINUTES_PER_DAY)
                out[d] += hi - lo
                d += 1
        return out

    def entry_daily_minutes(self, p: int, clock: bool) -> list[int]:
        """Per day of the horizon, the minutes of ``p``'s duty entries that count hours:
        with ``clock`` those between the day's 00:00 and 24:00, else all of an entry's
        minutes on the day it starts (none when that day is outside the horizon)."""
        return self._entry_minutes(p, clock, 0, self.index.days)

    def history_entry_minutes(self, p: int, clock: bool) -> list[int]:
        """As :meth:`entry_daily_minutes`, for the carried-in days before the horizon
        (positions ``-history_days .. -1``, see ``Problem.history_start``)."""
        return self._entry_minutes(p, clock, -self.index.history_days, 0)

    def _entry_minutes(self, p: int, clock: bool, lo: int, hi: int) -> list[int]:
        """Entry minutes per day for the day positions ``lo .. hi - 1``."""
        out = [0] * (hi - lo)
        for a, b, e in self.duty[p]:
            if not e.counts_hours:
                continue
            if not clock:
                d = a // MINUTES_PER_DAY
                if lo <= d < hi:
                    out[d - lo] += b - a
                continue
            for d in range(max(lo, a // MINUTES_PER_DAY), min(hi, (b - 1) // MINUTES_PER_DAY + 1)):
                out[d - lo] += min(b, (d + 1) * MINUTES_PER_DAY) - max(a, d * MINUTES_PER_DAY)
        return out

    @cached_property
    def hour_shifts(self) -> frozenset[int]:
        """Shift positions whose minutes count toward duty hours."""
        return frozenset(i for i, s in enumerate(self.index.shifts) if s.counts_hours)

    def duty_periods(self, p: int) -> list[DutyPeriod]:
        """Person ``p``'s duty periods: maximal chains of hour-counting shifts and duty
        entries in which each starts exactly when the previous ends (back to back, across
        midnight).

        Overlapping pieces (already a hard ``no_overlap`` or ``duty_overlap`` violation) are
        merged into one period, so rest between periods is always positive. Shifts without
        a start time are ignored (rules that use periods require clock times).
        """
        if p not in self._periods:
            # (start, end, 0, d, s, "") for a shift, (start, end, 1, 0, 0, id) for an entry
            items = sorted(
                [
                    (*self.index.interval(d, s), 0, d, s, "")
                    for d, s in self.by_person[p]
                    if s in self.hour_shifts and self.index.shifts[s].start is not None
                ]
                + [(a, b, 1, 0, 0, e.id) for a, b, e in self.duty[p] if e.counts_hours]
            )
            periods: list[DutyPeriod] = []
            cur: list[tuple[int, int]] = []
            ents: list[str] = []
            start = end = 0
            for a, b, is_entry, d, s, eid in items:
                if (cur or ents) and a <= end:
                    end = max(end, b)
                elif cur or ents:
                    periods.append(DutyPeriod(start, end, tuple(cur), tuple(ents)))
                    cur, ents, start, end = [], [], a, b
                else:
                    start, end = a, b
                if is_entry:
                    ents.append(eid)
                else:
                    cur.append((d, s))
            if cur or ents:
                periods.append(DutyPeriod(start, end, tuple(cur), tuple(ents)))
            self._periods[p] = periods
        return self._periods[p]

    # --- windows -----------------------------------------------------------------------
    @staticmethod
    def prefix(values: Sequence[int]) -> list[int]:
        """Prefix sums with a leading 0: ``sum(values[a:b+1]) == pre[b+1] - pre[a]``."""
        return [0, *accumulate(values)]

    def minute_day(self, minute: int) -> int:
        """Day position holding clock minute ``minute``."""
        return minute // MINUTES_PER_DAY
