"""An independent judge of explanations, written only with the problem language, solve and
check.

``holds(problem, keys)`` decides whether some schedule satisfies exactly the hard
requirement groups named by ``keys`` (``Requirement.key``: rule, person, first, last) while
every other hard requirement is dropped. It never reads the explanation code or the
compiled model.

Whole groups are kept or dropped by rewriting the problem (:func:`restrict`): cover slots
become listed days, a rule × person group keeps the person in the rule's scope, a
supervision slot keeps its day, a fairness rule is kept whole, leave entries and locks are
kept or dropped. Structure and shift eligibility always hold (they are never a requirement
group). Soft rules, soft covers and requests are dropped (they never decide feasibility).
Duty-entry groups: a ``pgy1_moonlighting`` group keeps its moonlighting entries' kind (the
others become kind ``duty``: same hours, not moonlighting); a person's ``duty_overlap`` is
dropped by making their entries not count hours, and its days that are kept become hard
covers with ``max=0`` on the person's shifts that would overlap an entry.

Some groups cannot be written that way, and are judged with the checker instead:

- a window-level group — one window of a windowed rule (``shift_count``, ``work_minutes``,
  ``days_off``) for one person, whose days span exactly the rule's window — since a rule
  applies to all its windows; it is broken by a checker violation with exactly its key
  (the checker reports each window on its own, with its dates);
- a group of a rule reading entry hours (``rest``, ``continuous_duty``, ``work_minutes``
  counting every shift type) for a person whose entries stop counting hours in the
  rewrite above; it is broken by any violation of its rule for its person.

The problem without those groups is solved, and its schedule passes when the checker (on
the original problem) reports no violation breaking them. When one is broken, the search
branches on the person's assignment (off, or one shift type they may work) on one day that
can change the violation (a day it covers, or else any day), fixed by locks; a branch ends
when it is infeasible, or when what is fixed already breaks a group for good (over a
maximum of shifts or minutes, or short of days off, which more work only makes worse). The
search is exhaustive over the days that matter, so the answer is exact.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import date

from helpers import sched
from rotasolve import (
    Conflict,
    ContinuousDuty,
    Cover,
    DaySet,
    DaysOff,
    Lock,
    Problem,
    Rest,
    Schedule,
    Selector,
    ShiftCount,
    Supervision,
    Violation,
    WorkMinutes,
    check,
    selects,
    solve,
)

Key = tuple[str, str | None, date | None, date | None]


def keys(c: Conflict) -> set[Key]:
    """The requirement keys of a conflict (rule, person, first, last)."""
    return {r.key for r in c.requirements}


def _build(pb: Problem, **update: object) -> Problem:
    data = {name: getattr(pb, name) for name in type(pb).model_fields}
    data.update(update)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Problem(**data)


def _day(pb: Problem, minute: int) -> int:
    """The horizon day (clamped into it) of a minute from the horizon start."""
    return min(max(minute // 1440, 0), pb.horizon.days - 1)


def _covered(keys: set[Key], rule: str, person: str, first: int, last: int, pb: Problem) -> bool:
    """Whether a key of ``rule`` × ``person`` covers horizon days ``first..last``."""
    a, b = pb.horizon.date(first), pb.horizon.date(last)
    return any(
        k[0] == rule
        and k[1] == person
        and k[2] is not None
        and k[3] is not None
        and k[2] <= a
        and b <= k[3]
        for k in keys
    )


def _reads_entry_hours(rule: object) -> bool:
    """Whether a rule reads the hours of duty entries that count hours."""
    if isinstance(rule, (Rest, ContinuousDuty)):
        return True
    return isinstance(rule, WorkMinutes) and rule.filter.is_all()


def _overlaps(pb: Problem, who: str) -> dict[int, list[str]]:
    """Per day, the shift types ``who`` may work whose assignment that day would overlap
    one of their entries that count hours (what ``duty_overlap`` forbids)."""
    start = pb.horizon.start
    person = pb.person(who)
    spans = [e.interval(start) for e in pb.duty if e.person == who and e.counts_hours]
    hits: dict[int, list[str]] = {}
    for d in range(pb.horizon.days):
        for s in pb.shifts:
            if not s.counts_hours or s.start_minute is None:
                continue
            if s.eligible is not None and not selects(s.eligible, person):
                continue
            x = d * 1440 + s.start_minute
            if any(x < b and a < x + s.minutes for a, b in spans):
                hits.setdefault(d, []).append(s.id)
    return hits


def _overlap_dropped(pb: Problem, keys: set[Key]) -> set[str]:
    """The people part of whose ``duty_overlap`` is dropped: their entries will not count
    hours in the rewritten problem (the days kept become covers with ``max=0``)."""
    out = set()
    for who in {e.person for e in pb.duty if e.counts_hours}:
        hits = _overlaps(pb, who)
        if any(not _covered(keys, "duty_overlap", who, d, d, pb) for d in hits):
            out.add(who)
    return out


def _duty(pb: Problem, keys: set[Key], rules: list[object]) -> tuple[tuple, tuple[Cover, ...]]:
    """The duty entries (and extra covers) that keep exactly the duty groups in ``keys``."""
    start = pb.horizon.start
    dropped = _overlap_dropped(pb, keys)
    entries = []
    for e in pb.duty:
        person = pb.person(e.person)
        a, b = e.interval(start)
        pgy1 = person.role.value == "resident" and person.pgy == 1
        first, last = _day(pb, a), _day(pb, b - 1)
        kept = _covered(keys, "pgy1_moonlighting", e.person, first, last, pb)
        if e.kind == "moonlighting" and pgy1 and not kept:
            e = e.model_copy(update={"kind": "duty"})
        if e.person in dropped:
            e = e.model_copy(update={"counts_hours": False})
        entries.append(e)
    covers: list[Cover] = []
    for who in sorted(dropped):
        person = pb.person(who)
        if any(_reads_entry_hours(r) and selects(r.scope, person) for r in rules):  # type: ignore[attr-defined]
            raise NotImplementedError(f"duty_overlap of {who} with rules reading entry hours")
        for d, shifts in sorted(_overlaps(pb, who).items()):
            if _covered(keys, "duty_overlap", who, d, d, pb):
                covers.append(
                    Cover(
                        id=f"_overlap_{who}_{d}",
                        shifts=tuple(shifts),
                        days=DaySet(kind="listed", indices=(d,)),
                        eligible=Selector(people=(who,)),
                        max=0,
                    )
                )
    return tuple(entries), tuple(covers)


def restrict(pb: Problem, keys: Iterable[Key]) -> Problem:
    """``pb`` with only the requirement groups ``keys``, each kept whole (see the module
    docstring; a window-level key keeps its rule for its person whole, which
    :func:`holds` refines)."""
    keys = set(keys)
    rules_people: dict[str, set[str]] = {}
    slot_days: dict[str, list[date]] = {}
    for rule, person, first, _ in keys:
        if person is not None:
            rules_people.setdefault(rule, set()).add(person)
        elif first is not None:
            slot_days.setdefault(rule, []).append(first)
    leave = tuple(lv for lv in pb.leave if (lv.id, lv.person, lv.first, lv.last) in keys)
    locks = tuple(lk for lk in pb.locks if (lk.id, lk.person, lk.day, lk.day) in keys)
    cover: list[Cover] = []
    for c in pb.cover:
        if c.hard and c.id in slot_days:
            days = DaySet(kind="listed", dates=tuple(sorted(slot_days[c.id])))
            cover.append(c.model_copy(update={"days": days, "target": None}))
    rules = []
    for r in pb.rules:
        if not r.hard:
            continue
        if r.id in rules_people:
            scope = r.scope.model_copy(update={"people": tuple(sorted(rules_people[r.id]))})
            rules.append(r.model_copy(update={"scope": scope}))
        elif r.id in slot_days and isinstance(r, Supervision):  # one group per day
            days = DaySet(kind="listed", dates=tuple(sorted(slot_days[r.id])))
            rules.append(r.model_copy(update={"days": days}))
        elif any(k[0] == r.id for k in keys):
            rules.append(r)
    duty, extra = _duty(pb, keys, rules)
    return _build(
        pb,
        leave=leave,
        locks=locks,
        cover=(*cover, *extra),
        rules=tuple(rules),
        requests=(),
        duty=duty,
    )


def feasible(pb: Problem) -> bool:
    """Whether some schedule satisfies every hard requirement of ``pb`` (decided, not
    timed out: an undecided solve fails the test)."""
    return _solve(pb) is not None


def _solve(pb: Problem):  # type: ignore[no-untyped-def]
    res = solve(pb, workers=1, time_limit=20, explain=False)
    assert res.status.value in ("optimal", "feasible", "infeasible"), res.status
    return res.schedule if res.ok else None


def window_key(pb: Problem, key: Key) -> bool:
    """Whether ``key`` names one window of a windowed rule for one person: its days span
    the rule's window (the whole rule spans the horizon, and with carried-in history more;
    when the horizon is one window the two mean the same constraints)."""
    rule = next((r for r in pb.rules if r.id == key[0]), None)
    window = getattr(rule, "window", None)
    if window is None or key[1] is None or key[2] is None or key[3] is None:
        return False
    return (key[3] - key[2]).days + 1 == window


def _judged(pb: Problem, keys: set[Key]) -> set[Key]:
    """The keys :func:`holds` judges with the checker rather than by rewriting: window-level
    keys, and the groups of rules reading the entry hours of a person part of whose
    ``duty_overlap`` is dropped (their entries stop counting hours in the rewrite)."""
    out = {k for k in keys if window_key(pb, k)}
    dropped = _overlap_dropped(pb, keys)
    readers = {r.id for r in pb.rules if _reads_entry_hours(r)}
    out |= {k for k in keys if k[1] in dropped and k[0] in readers}
    return out


def _breaks(pb: Problem, key: Key, v: Violation) -> bool:
    """Whether the checker's violation ``v`` breaks the group ``key``: exactly its window,
    or any violation of its rule for its person."""
    if window_key(pb, key):
        return (v.rule, v.person, v.first, v.last) == key
    return (v.rule, v.person) == key[:2]


def _monotone(pb: Problem, v: Violation) -> bool:
    """Whether a violation can only get worse as its person works more: over a maximum of
    shifts or minutes (they only grow), or short of days off (they only shrink)."""
    rule = next((r for r in pb.rules if r.id == v.rule), None)
    if isinstance(rule, DaysOff):
        return True
    over = v.value is not None and v.limit is not None and v.value > v.limit
    return over and isinstance(rule, (ShiftCount, WorkMinutes))


def holds(pb: Problem, keys: Iterable[Key]) -> bool:
    """Whether some schedule satisfies exactly the groups ``keys`` (module docstring)."""
    keys = set(keys)
    judged = _judged(pb, keys)
    weak = restrict(pb, keys - judged)
    if not judged:
        return feasible(weak)
    assert pb.max_shifts_per_day == 1, "locks fix one shift a day"
    days = pb.horizon.days
    # how many days before a window a shift started may still count in it (clock split)
    reach = max(
        ((s.start_minute + s.minutes - 1) // 1440 for s in pb.shifts if s.start_minute is not None),
        default=0,
    )

    def broken(schedule: Schedule) -> list[tuple[Key, Violation]]:
        found = check(pb, schedule).hard_violations
        return sorted(
            ((k, v) for v in found for k in judged if _breaks(pb, k, v)), key=lambda kv: str(kv[0])
        )

    stack: list[dict[tuple[str, int], str | None]] = [{}]
    while stack:
        fixed = stack.pop()
        # What is fixed so far already breaks a group for good: no need to solve.
        done = sched(
            *((who, d, s) for (who, d), s in fixed.items() if s is not None),
            start=pb.horizon.start,
        )
        if any(_monotone(pb, v) for _, v in broken(done)):
            continue
        locks = tuple(
            Lock(id=f"_bb_{who}_{d}", person=who, day=pb.horizon.date(d), shift=s)
            for (who, d), s in sorted(fixed.items(), key=str)
        )
        schedule = _solve(_build(weak, locks=(*weak.locks, *locks)))
        if schedule is None:
            continue
        bad = broken(schedule)
        if not bad:
            return True
        key, v = bad[0]
        who = key[1]
        assert who is not None and v.first is not None and v.last is not None
        a = max(0, pb.horizon.index(v.first) - reach)
        b = min(days - 1, pb.horizon.index(v.last))
        free = [d for d in range(a, b + 1) if (who, d) not in fixed]
        if not free and not window_key(pb, key):
            free = [d for d in range(days) if (who, d) not in fixed]
        if not free:
            continue  # every day that counts is fixed: this window cannot pass here
        # Branch first on a day whose assignment the solution would have to change: a
        # worked day when working less helps, an idle one when working more may.
        worked = {x.day for x in schedule.assignments if x.person == who}
        less = _monotone(pb, v)
        d = next((d for d in free if (pb.horizon.date(d) in worked) == less), free[0])
        person = pb.person(who)
        options = [
            None,
            *(s.id for s in pb.shifts if s.eligible is None or selects(s.eligible, person)),
        ]
        for s in options:
            stack.append({**fixed, (who, d): s})
    return False


def assert_minimal_conflict(pb: Problem, keys: list[Key]) -> None:
    """``keys`` cannot hold together, and dropping any one of them makes the rest hold."""
    assert len(set(keys)) == len(keys), keys
    assert not holds(pb, keys), f"not a conflict: {keys}"
    for k in keys:
        rest = [j for j in keys if j != k]
        assert holds(pb, rest), f"not minimal: still infeasible without {k}"
