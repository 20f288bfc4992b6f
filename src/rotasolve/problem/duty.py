"""Fixed duty entries: clinical work that is already decided, such as moonlighting or hours
spent in hospital while on at-home call."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal, NamedTuple

from pydantic import field_validator

from .base import Frozen, Id

if TYPE_CHECKING:
    from .problem import Problem

__all__ = ["DutyEntry", "DutyKind", "FixedDuty", "duty_by_person"]

#: What a duty entry records.
DutyKind = Literal["moonlighting", "home_call_in_hospital", "duty"]


class DutyEntry(Frozen):
    """A fixed period of clinical work of one person, given by wall-clock times.

    Entries are not decisions: the solver schedules around them and the checker counts
    them. They are not shifts: they count toward no shift count, cover, succession,
    consecutive-days or weekend rule, and not toward ``one_shift_per_day``. They count in:

    - ``work_minutes`` rules that count every shift type (no ``shifts`` and no ``tags``),
      when ``counts_hours``: with ``split="clock"`` the minutes inside each window's clock
      interval, with ``split="start_day"`` all of them on the day the entry starts (not at
      all when that day is outside the horizon and the windows taken into account, see
      ``Problem.history_start``). ACGME VI.F.1 counts moonlighting and
      at-home call hours spent in hospital toward the 80 hours.
    - duty periods (``rest``, ``continuous_duty``), when ``counts_hours``: an entry is a
      piece of duty that chains with back-to-back assignments and entries (gap 0) exactly
      as shifts do. A period made only of entries is measured by ``rest`` rules without an
      ``after`` filter; an ``after`` filter matches shift types only.
    - ``days_off``, whether or not it counts hours: a ``free24`` day is not free when an
      entry overlaps any of its 24 hours; a ``calendar`` day is not off when an entry
      starts on it (``consecutive_days_off`` still looks at shifts only).
    - the duty figures of the report (total minutes, worst 28 days, longest duty, shortest
      rest, days off).

    Two structural checks concern entries (family ``duty``): an entry of a PGY-1 resident
    of kind ``moonlighting`` breaks ``pgy1_moonlighting`` (ACGME VI.F.5: PGY-1 residents
    may not moonlight), and an entry that counts hours overlapping an assignment of a shift
    type that counts hours breaks ``duty_overlap`` (the same hours would count twice). Both
    are hard violations in the report rather than validation errors, so an imported
    schedule is reported on in full.

    Parameters
    ----------
    id
        Unique id among the problem's duty entries.
    person
        The person who worked.
    start, end
        Local wall-clock times (naive, whole minutes), ``end`` after ``start``. Clock
        semantics are those of the shift types: minutes from 00:00 on the horizon's first
        day, every day 1440 minutes long. An entry may begin before the horizon or end after
        it, but must overlap it — unless the problem sets ``history_start`` (carried-in
        history), when it may also lie entirely before the horizon.
    kind
        ``moonlighting`` (internal or external), ``home_call_in_hospital`` (hours spent in
        the hospital while on at-home call) or ``duty`` (any other clinical work, e.g. a
        shift worked in another program).
    counts_hours
        Whether the entry counts toward hours and duty periods (as ``ShiftType.counts_hours``).
    """

    id: Id
    person: Id
    start: datetime
    end: datetime
    kind: DutyKind = "duty"
    counts_hours: bool = True

    @field_validator("start", "end")
    @classmethod
    def _wall_clock_minutes(cls, v: datetime) -> datetime:
        if v.tzinfo is not None:
            raise ValueError("give local wall-clock time without a time zone")
        if v.second or v.microsecond:
            raise ValueError("give whole minutes (no seconds)")
        return v

    def interval(self, first_day: date) -> tuple[int, int]:
        """Clock interval ``[start, end)`` in minutes from 00:00 on ``first_day`` (the
        horizon's first day)."""
        return _minute(self.start, first_day), _minute(self.end, first_day)


def _minute(t: datetime, first_day: date) -> int:
    return (t.date() - first_day).days * 1440 + t.hour * 60 + t.minute


class FixedDuty(NamedTuple):
    """A duty entry with its clock interval in minutes from the horizon start."""

    start: int
    end: int
    entry: DutyEntry

    @property
    def counts_hours(self) -> bool:
        """Whether the entry counts toward hours and duty periods."""
        return self.entry.counts_hours


def duty_by_person(problem: Problem) -> dict[Id, list[FixedDuty]]:
    """The problem's duty entries by person id, each person's sorted by clock interval.

    This is the one place entries become clock intervals; the checker and the solver both
    read it.
    """
    out: dict[Id, list[FixedDuty]] = defaultdict(list)
    first = problem.horizon.start
    for e in problem.duty:
        out[e.person].append(FixedDuty(*e.interval(first), e))
    for items in out.values():
        items.sort(key=lambda f: (f.start, f.end, f.entry.id))
    return dict(out)
