"""The whole scheduling problem, with cross-reference validation that reports every error."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from pydantic import PositiveInt, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from .base import DaySet, Frozen, Role, Selector, ShiftFilter
from .cover import Cover
from .duty import DutyEntry
from .fairness import Fairness
from .horizon import Horizon
from .people import Person
from .requests import Leave, Lock, Request
from .rest import Rest
from .rule_base import FilterMixin, RuleBase, WindowMixin
from .rules import Rule
from .shifts import ShiftType
from .succession import Succession
from .supervision import Supervision

__all__ = ["Problem", "ProblemWarning"]

Loc = tuple[str | int, ...]


class ProblemWarning(UserWarning):
    """Legal but suspicious input, e.g. a rule whose scope selects no one."""


class Problem(Frozen):
    """A residency scheduling problem.

    Parameters
    ----------
    name
        Free-form name.
    horizon
        The days to schedule.
    people, shifts
        Who can be scheduled and the shift types they can work.
    cover
        Head counts needed per day and shift.
    leave
        Hard unavailability.
    requests
        Soft wishes to work or not work.
    locks
        Fixed assignments.
    rules
        Rules from the rule vocabulary (:data:`rotasolve.problem.Rule`).
    duty
        Fixed duty entries (moonlighting, at-home call hours spent in hospital, other
        recorded work), counted by the duty-hour rules; see :class:`DutyEntry`.
    max_shifts_per_day
        How many shifts one person may start on one day (default 1). Shifts of one person
        never overlap in time, whatever this says.
    history_start
        Carried-in history: duty before the horizon is fully recorded in :attr:`duty`
        entries from this date on (at most the horizon's first day). Then the rolling
        windows of the rules that count duty entries — ``work_minutes`` counting every
        shift type, and ``days_off`` — that start on or after this date and end inside the
        horizon are checked too, the days before the horizon contributing only the
        recorded entries (their minutes; busy days); the solver treats them as constants.
        ``shift_count`` and filtered ``work_minutes`` rules count shifts, which entries are
        not, so their windows stay inside the horizon; fixed blocks always start on the
        horizon's first day. Entries may then lie entirely before the horizon; they chain
        into duty periods (``rest``, ``continuous_duty``) like any entry, so a rest that
        already broke a rule before the horizon is reported. ``None`` (the default): nothing
        is assumed about the days before the horizon and every window starts inside it
        (entries must overlap the horizon).

    Notes
    -----
    Validation collects every cross-reference problem at once and raises one
    :class:`pydantic.ValidationError` whose entries name the object by collection, index
    and id. Suspicious but legal input is reported as :class:`ProblemWarning`.
    """

    name: str = ""
    horizon: Horizon
    people: tuple[Person, ...]
    shifts: tuple[ShiftType, ...]
    cover: tuple[Cover, ...] = ()
    leave: tuple[Leave, ...] = ()
    requests: tuple[Request, ...] = ()
    locks: tuple[Lock, ...] = ()
    rules: tuple[Rule, ...] = ()
    duty: tuple[DutyEntry, ...] = ()
    max_shifts_per_day: PositiveInt = 1
    history_start: date | None = None

    @model_validator(mode="after")
    def _cross_references(self) -> Problem:
        errors, notes = _validate(self)
        if errors:
            raise ValidationError.from_exception_data("Problem", errors)
        for note in notes:
            warnings.warn(note, ProblemWarning, stacklevel=2)
        return self

    def warnings(self) -> list[str]:
        """Return the suspicious-but-legal findings about this problem (also emitted as
        :class:`ProblemWarning` when the problem is built)."""
        return _validate(self)[1]

    def with_duty(self, entries: Iterable[DutyEntry]) -> Problem:
        """A validated copy of this problem with ``entries`` added to :attr:`duty`.

        Raises
        ------
        pydantic.ValidationError
            When an entry is invalid (unknown person, bad times, outside the horizon,
            overlapping another entry of the same person, duplicate id).
        """
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data["duty"] = (*self.duty, *entries)
        with warnings.catch_warnings():
            # Warnings about the rest of the problem were given when it was built.
            warnings.simplefilter("ignore", ProblemWarning)
            return type(self)(**data)

    def person(self, person_id: str) -> Person:
        """Return the person with id ``person_id``."""
        for p in self.people:
            if p.id == person_id:
                return p
        raise KeyError(person_id)

    def shift(self, shift_id: str) -> ShiftType:
        """Return the shift type with id ``shift_id``."""
        for s in self.shifts:
            if s.id == shift_id:
                return s
        raise KeyError(shift_id)


def _err(loc: Loc, code: str, message: str, value: Any) -> InitErrorDetails:
    return InitErrorDetails(
        type=PydanticCustomError(code, message),
        loc=loc,
        input=value,
    )


def _validate(pb: Problem) -> tuple[list[InitErrorDetails], list[str]]:
    """Every cross-reference error and every warning of ``pb``."""
    errors: list[InitErrorDetails] = []
    notes: list[str] = []
    people = {p.id: p for p in pb.people}
    shifts = {s.id: s for s in pb.shifts}
    tags = {t for s in pb.shifts for t in s.tags}
    days = pb.horizon.days

    def dupes(field: str, items: Sequence[Any]) -> None:
        counts = Counter(item.id for item in items)
        seen: set[str] = set()
        for i, item in enumerate(items):
            if counts[item.id] > 1 and item.id in seen:
                errors.append(
                    _err(
                        (field, i, "id"),
                        "duplicate_id",
                        f"duplicate id {item.id!r} in {field} (already used by an earlier entry)",
                        item.id,
                    )
                )
            seen.add(item.id)

    for field in ("people", "shifts", "cover", "leave", "requests", "locks", "rules", "duty"):
        dupes(field, getattr(pb, field))

    def person_ref(loc: Loc, pid: str, owner: str) -> None:
        if pid not in people:
            errors.append(
                _err(loc, "unknown_person", f"{owner} refers to unknown person {pid!r}", pid)
            )

    def shift_ref(loc: Loc, sid: str, owner: str) -> None:
        if sid not in shifts:
            errors.append(
                _err(loc, "unknown_shift", f"{owner} refers to unknown shift type {sid!r}", sid)
            )

    def day_ref(loc: Loc, d: Any, owner: str) -> None:
        if not pb.horizon.contains(d):
            errors.append(
                _err(
                    loc,
                    "day_outside_horizon",
                    f"{owner}: day {d} is outside the horizon "
                    f"{pb.horizon.start} .. {pb.horizon.end}",
                    str(d),
                )
            )

    def selector(loc: Loc, sel: Selector, owner: str) -> None:
        for j, pid in enumerate(sel.people):
            person_ref((*loc, "people", j), pid, owner)
        if sel.pgy_min is not None and sel.pgy_max is not None and sel.pgy_min > sel.pgy_max:
            errors.append(
                _err(
                    (*loc, "pgy_min"),
                    "min_above_max",
                    f"{owner}: pgy_min {sel.pgy_min} > pgy_max {sel.pgy_max}",
                    sel.pgy_min,
                )
            )

    def shift_filter(loc: Loc, flt: ShiftFilter | FilterMixin, owner: str) -> None:
        for j, sid in enumerate(flt.shifts):
            shift_ref((*loc, "shifts", j), sid, owner)
        for t in flt.tags:
            if t not in tags:
                notes.append(f"{owner}: no shift type carries tag {t!r}, so it counts nothing")

    def dayset(loc: Loc, ds: DaySet, owner: str) -> None:
        for j, d in enumerate(ds.dates):
            day_ref((*loc, "dates", j), d, owner)
        for j, i in enumerate(ds.indices):
            if i >= days:
                errors.append(
                    _err(
                        (*loc, "indices", j),
                        "day_outside_horizon",
                        f"{owner}: day index {i} is outside the horizon of {days} days",
                        i,
                    )
                )
        if ds.kind != "listed" and (ds.dates or ds.indices):
            errors.append(
                _err(
                    loc,
                    "unused_days",
                    f"{owner}: dates/indices given but kind is {ds.kind!r}",
                    ds.kind,
                )
            )

    def min_max(loc: Loc, lo: int, hi: int | None, owner: str) -> None:
        if hi is not None and lo > hi:
            errors.append(_err((*loc, "min"), "min_above_max", f"{owner}: min {lo} > max {hi}", lo))

    for i, p in enumerate(pb.people):
        if p.pgy is not None and p.role != Role.resident:
            errors.append(
                _err(
                    ("people", i, "pgy"),
                    "pgy_on_non_resident",
                    f"person {p.id!r} has a PGY level but is {p.role.value}, not a resident",
                    p.pgy,
                )
            )

    for i, s in enumerate(pb.shifts):
        if s.eligible is not None:
            selector(("shifts", i, "eligible"), s.eligible, f"shift type {s.id!r}")

    for i, c in enumerate(pb.cover):
        owner = f"cover {c.id!r}"
        if not c.shifts:
            errors.append(
                _err(("cover", i, "shifts"), "no_shifts", f"{owner} names no shift type", c.id)
            )
        for j, sid in enumerate(c.shifts):
            shift_ref(("cover", i, "shifts", j), sid, owner)
        selector(("cover", i, "eligible"), c.eligible, owner)
        dayset(("cover", i, "days"), c.days, owner)
        min_max(("cover", i), c.min, c.max, owner)
        if c.target is not None and c.max is not None and c.target > c.max:
            errors.append(
                _err(
                    ("cover", i, "target"),
                    "target_above_max",
                    f"{owner}: target {c.target} > max {c.max}",
                    c.target,
                )
            )
        if c.min > 0 and not any(_selects(c.eligible, p) for p in pb.people):
            notes.append(f"{owner} needs {c.min} but no person is eligible")

    for i, lv in enumerate(pb.leave):
        owner = f"leave {lv.id!r}"
        person_ref(("leave", i, "person"), lv.person, owner)
        day_ref(("leave", i, "first"), lv.first, owner)
        day_ref(("leave", i, "last"), lv.last, owner)
        if lv.first > lv.last:
            errors.append(
                _err(
                    ("leave", i, "first"),
                    "min_above_max",
                    f"{owner}: first {lv.first} is after last {lv.last}",
                    str(lv.first),
                )
            )

    for i, rq in enumerate(pb.requests):
        owner = f"request {rq.id!r}"
        person_ref(("requests", i, "person"), rq.person, owner)
        day_ref(("requests", i, "day"), rq.day, owner)
        if rq.shift is not None:
            shift_ref(("requests", i, "shift"), rq.shift, owner)

    for i, lk in enumerate(pb.locks):
        owner = f"lock {lk.id!r}"
        person_ref(("locks", i, "person"), lk.person, owner)
        day_ref(("locks", i, "day"), lk.day, owner)
        if lk.shift is not None:
            shift_ref(("locks", i, "shift"), lk.shift, owner)

    _validate_duty(pb, errors, notes, person_ref)

    no_clock = [s.id for s in pb.shifts if s.start is None]
    for i, r in enumerate(pb.rules):
        _validate_rule(
            pb, i, r, errors, notes, no_clock, selector, shift_filter, dayset, min_max, person_ref
        )
    return errors, notes


def _validate_duty(
    pb: Problem, errors: list[InitErrorDetails], notes: list[str], person_ref: Any
) -> None:
    """Duty entries: known person, end after start, overlapping the horizon's clock span
    (or, with ``history_start``, lying before the horizon), no two entries of one person
    overlapping; ``history_start`` not after the horizon's start."""
    span_end = pb.horizon.days * 1440
    history = pb.history_start
    if history is not None and history > pb.horizon.start:
        errors.append(
            _err(
                ("history_start",),
                "history_after_horizon_start",
                f"history_start {history} is after the horizon's first day {pb.horizon.start}",
                history.isoformat(),
            )
        )
        history = None
    history_minute = None if history is None else pb.horizon.index(history) * 1440
    for i, e in enumerate(pb.duty):
        owner = f"duty entry {e.id!r}"
        person_ref(("duty", i, "person"), e.person, owner)
        if e.end <= e.start:
            errors.append(
                _err(
                    ("duty", i, "end"),
                    "end_not_after_start",
                    f"{owner}: end {e.end} is not after start {e.start}",
                    e.end.isoformat(),
                )
            )
            continue
        a, b = e.interval(pb.horizon.start)
        if history_minute is not None and a < history_minute:
            notes.append(
                f"{owner} starts {e.start}, before history_start {history}: its time before "
                "that date is in no window (it still counts in duty periods)"
            )
        if a >= span_end or (b <= 0 and history_minute is None):
            errors.append(
                _err(
                    ("duty", i, "start"),
                    "duty_outside_horizon",
                    f"{owner}: {e.start} .. {e.end} lies entirely outside the horizon "
                    f"{pb.horizon.start} 00:00 .. {pb.horizon.end} 24:00"
                    + ("" if a >= span_end else " (set history_start to give earlier duty)"),
                    e.start.isoformat(),
                )
            )
    by_person: dict[str, list[tuple[int, int, int]]] = {}
    for i, e in enumerate(pb.duty):
        if e.end > e.start:
            by_person.setdefault(e.person, []).append((*e.interval(pb.horizon.start), i))
    for items in by_person.values():
        items.sort()
        end, last = 0, -1
        for a, b, i in items:
            if last >= 0 and a < end:
                e, f = pb.duty[i], pb.duty[last]
                errors.append(
                    _err(
                        ("duty", i, "start"),
                        "duty_overlap",
                        f"duty entry {e.id!r} of {e.person!r} ({e.start} .. {e.end}) overlaps "
                        f"duty entry {f.id!r} ({f.start} .. {f.end})",
                        e.start.isoformat(),
                    )
                )
            if last < 0 or b > end:
                end, last = b, i


def _validate_rule(
    pb: Problem,
    i: int,
    r: RuleBase,
    errors: list[InitErrorDetails],
    notes: list[str],
    no_clock: list[str],
    selector: Any,
    shift_filter: Any,
    dayset: Any,
    min_max: Any,
    person_ref: Any,
) -> None:
    owner = f"rule {r.id!r} ({getattr(r, 'kind', '?')})"
    loc: Loc = ("rules", i)
    selector((*loc, "scope"), r.scope, owner)
    in_scope = [p for p in pb.people if _selects(r.scope, p)]
    if not in_scope:
        notes.append(f"{owner}: no person is in its scope, so it constrains nothing")
    if not r.hard and r.weight == 0:
        notes.append(f"{owner} is soft with weight 0, so breaking it costs nothing")
    if isinstance(r, FilterMixin):
        shift_filter(loc, r, owner)
    if isinstance(r, WindowMixin) or hasattr(r, "window"):
        window = getattr(r, "window", None)
        if window is not None and window > pb.horizon.days:
            errors.append(
                _err(
                    (*loc, "window"),
                    "window_too_long",
                    f"{owner}: window of {window} days is longer than the horizon of "
                    f"{pb.horizon.days} days",
                    window,
                )
            )
        elif window is not None and getattr(r, "blocks", False) and pb.horizon.days % window:
            notes.append(
                f"{owner}: the horizon of {pb.horizon.days} days is not a whole number of "
                f"{window}-day blocks; the last {pb.horizon.days % window} days are in no block"
            )
    lo = getattr(r, "min", 0)
    hi = getattr(r, "max", None)
    if isinstance(lo, int) and (hi is None or isinstance(hi, int)):
        min_max(loc, lo, hi, owner)
    if isinstance(r, Succession):
        shift_filter((*loc, "first"), r.first, owner)
        shift_filter((*loc, "second"), r.second, owner)
    if isinstance(r, Rest):
        shift_filter((*loc, "after"), r.after, owner)
    if isinstance(r, Fairness):
        dayset((*loc, "days"), r.days, owner)
        for pid in r.carried:
            person_ref((*loc, "carried", pid), pid, owner)
    if isinstance(r, Supervision):
        selector((*loc, "supervisors"), r.supervisors, owner)
        dayset((*loc, "days"), r.days, owner)
        if not any(_selects(r.supervisors, p) for p in pb.people):
            notes.append(f"{owner}: no person matches its supervisors, so no shift is supervised")
    if r.uses_clock() and no_clock:
        errors.append(
            _err(
                loc,
                "needs_clock_time",
                f"{owner} is measured on the clock, but shift type(s) "
                f"{', '.join(repr(s) for s in no_clock)} have no start time",
                r.id,
            )
        )


def _selects(sel: Selector, p: Person) -> bool:
    """Whether person ``p`` matches selector ``sel`` (the one definition used everywhere)."""
    if sel.people and p.id not in sel.people:
        return False
    if sel.roles and p.role not in sel.roles:
        return False
    if sel.pgy_min is not None or sel.pgy_max is not None:
        if p.pgy is None:
            return False
        if sel.pgy_min is not None and p.pgy < sel.pgy_min:
            return False
        if sel.pgy_max is not None and p.pgy > sel.pgy_max:
            return False
    return all(sk in p.skills for sk in sel.skills)


def selects(sel: Selector, person: Person) -> bool:
    """Return True when ``person`` matches ``sel``."""
    return _selects(sel, person)


def shift_matches(flt: ShiftFilter | FilterMixin, shift: ShiftType) -> bool:
    """Return True when ``shift`` matches the filter (empty filter matches every shift)."""
    if not flt.shifts and not flt.tags:
        return True
    return shift.id in flt.shifts or any(t in shift.tags for t in flt.tags)


__all__ += ["selects", "shift_matches"]
