"""Requirements in the program's own words: one sentence per requirement group.

A group is named by its key ``(rule, family, person, first, last)`` (the compiler's
:meth:`~rotasolve.solver.CompiledModel.group_key`); this module turns a key back into a
:class:`~rotasolve.conflict.Requirement` whose text names the people, the dates, the rule
title and its limit. A window-level group (one window of a windowed rule for one person)
names its window, and what carried-in history (``Problem.history_start``) puts in it when
it starts before the horizon; duty-entry groups name the entries.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..conflict import Conflict, Requirement
from ..problem import (
    ConsecutiveDays,
    ConsecutiveDaysOff,
    ContinuousDuty,
    Cover,
    DaysOff,
    Fairness,
    FixedDuty,
    Problem,
    ProblemIndex,
    Rest,
    RuleBase,
    Selector,
    ShiftCount,
    ShiftFilter,
    Succession,
    Supervision,
    Weekends,
    WorkMinutes,
    duty_by_person,
    selects,
)
from .precheck import leave_requirement, lock_requirement

__all__ = ["conflict", "describe", "message", "order", "short", "who", "window_of"]


def _span(a: date, b: date) -> str:
    return a.isoformat() if a == b else f"{a.isoformat()} to {b.isoformat()}"


def who(pb: Problem, sel: Selector) -> str:
    """A selector in words: ``"PGY-2+ residents"``, ``"faculty"``, ``"Dr A or Dr B"``."""
    if sel.people:
        names = [pb.person(p).label for p in sel.people if any(q.id == p for q in pb.people)]
        head = " or ".join(names) if names else "no one"
    else:
        head = ""
    words: list[str] = []
    if sel.pgy_min is not None and sel.pgy_max is not None:
        words.append(
            f"PGY-{sel.pgy_min}"
            if sel.pgy_min == sel.pgy_max
            else f"PGY-{sel.pgy_min}-{sel.pgy_max}"
        )
    elif sel.pgy_min is not None:
        words.append(f"PGY-{sel.pgy_min}+")
    elif sel.pgy_max is not None:
        words.append(f"PGY-{sel.pgy_max} or below")
    if sel.roles:
        words.append("/".join(r.value + ("s" if r.value == "resident" else "") for r in sel.roles))
    elif words:
        words.append("residents")
    if sel.skills:
        words.append("with " + " and ".join(sel.skills))
    desc = " ".join(words)
    if head and desc:
        return f"{head} ({desc})"
    return head or desc or "anyone"


def _shifts(flt: ShiftFilter | RuleBase) -> str:
    ids = tuple(getattr(flt, "shifts", ()))
    tags = tuple(getattr(flt, "tags", ()))
    parts = [*ids, *(f"#{t}" for t in tags)]
    return "/".join(parts)


def _matching(flt: ShiftFilter | RuleBase, noun: str) -> str:
    """``"N/#night shifts"`` or just ``"shifts"`` when the filter is empty."""
    s = _shifts(flt)
    return f"{s} {noun}" if s else noun


def _per(window: int | None, blocks: bool) -> str:
    if window is None:
        return "over the horizon"
    return f"in each {window}-day block" if blocks else f"in any {window} days"


def _range(lo: int, hi: int | None, unit: str) -> str:
    if hi is None:
        return f"at least {lo} {unit}"
    if lo == 0:
        return f"at most {hi} {unit}"
    if lo == hi:
        return f"exactly {lo} {unit}"
    return f"between {lo} and {hi} {unit}"


def _hours(minutes: int) -> str:
    return f"{round(minutes / 60, 1):g} h"


def _rule_sentence(pb: Problem, r: RuleBase) -> str:
    """What a rule asks of one person (or of a group), without the person."""
    if isinstance(r, ShiftCount):
        return f"{_range(r.min, r.max, _matching(r, 'shifts'))} {_per(r.window, r.blocks)}"
    if isinstance(r, WorkMinutes):
        unit = _matching(r, "minutes")
        if r.max is not None and r.min == 0:
            core = f"at most {r.max} {unit} ({_hours(r.max)})"
        elif r.max is None:
            core = f"at least {r.min} {unit} ({_hours(r.min)})"
        else:
            core = _range(r.min, r.max, unit)
        return f"{core} {_per(r.window, r.blocks)}"
    if isinstance(r, ConsecutiveDays):
        return (
            "runs of consecutive "
            + _matching(r, "working days")
            + " of "
            + _range(r.min, r.max, "days")
        )
    if isinstance(r, ConsecutiveDaysOff):
        return f"runs of consecutive days off of {_range(r.min, r.max, 'days')}"
    if isinstance(r, Weekends):
        return f"at most {r.max} weekends worked"
    if isinstance(r, Succession):
        return f"no {_shifts(r.second) or 'shift'} the day after {_shifts(r.first) or 'a shift'}"
    if isinstance(r, Rest):
        after = _shifts(r.after)
        return f"at least {r.minutes} minutes ({_hours(r.minutes)}) of rest between duty " + (
            f"periods with {after}" if after else "periods"
        )
    if isinstance(r, ContinuousDuty):
        return f"duty periods of at most {r.max_minutes} minutes ({_hours(r.max_minutes)})"
    if isinstance(r, DaysOff):
        kind = " (24 h free)" if r.day_off == "free24" else ""
        return f"at least {r.min} days off{kind} {_per(r.window, r.blocks)}"
    if isinstance(r, Fairness):
        return f"{_matching(r, 'shifts')} shared within {r.tolerance} among {who(pb, r.scope)}"
    if isinstance(r, Supervision):
        return f"one of {who(pb, r.supervisors)} per {r.per_supervisor} units of resident load"
    return r.kind if hasattr(r, "kind") else "a rule"


def _cover_sentence(pb: Problem, c: Cover, day: date) -> str:
    need = _range(c.min, c.max, "").rstrip()
    return (
        f"{c.id} on {day.isoformat()} needs {need} of {who(pb, c.eligible)} on {'/'.join(c.shifts)}"
    )


def _window(a: date, b: date) -> str:
    """``2027-06-10 to 07-07`` (the year once when both days share it)."""
    return f"{a.isoformat()} to {b.isoformat()[5:] if a.year == b.year else b.isoformat()}"


def _clock(pb: Problem, minute: int) -> str:
    d, m = divmod(minute, 1440)
    return f"{pb.horizon.date(d).isoformat()} {m // 60:02d}:{m % 60:02d}"


def _entry(pb: Problem, f: FixedDuty) -> str:
    """``m1, 2024-01-02 18:00 to 23:00`` (the date again when it ends on another day)."""
    a, b = _clock(pb, f.start), _clock(pb, f.end)
    end = b[11:] if a[:10] == b[:10] else b
    return f"{f.entry.id}, {a} to {end}"


def _entries(pb: Problem, found: list[FixedDuty]) -> str:
    if len(found) == 1:
        return f"entry {_entry(pb, found[0])}"
    return "entries " + "; ".join(_entry(pb, f) for f in found)


def _clamped(pb: Problem, f: FixedDuty) -> tuple[date, date]:
    """An entry's first and last days clamped into the horizon (the dates of its group)."""
    days = pb.horizon.days

    def inside(d: int) -> date:
        return pb.horizon.date(min(max(d, 0), days - 1))

    return inside(f.start // 1440), inside((f.end - 1) // 1440)


def _moonlighting(pb: Problem, person: str, first: date, last: date) -> list[FixedDuty]:
    """The person's moonlighting entries of the group ``first..last``."""
    out = []
    for f in duty_by_person(pb).get(person, []):
        a, b = _clamped(pb, f)
        if f.entry.kind == "moonlighting" and first <= a and b <= last:
            out.append(f)
    return out


def _overlapping(pb: Problem, person: str, first: date, last: date) -> list[FixedDuty]:
    """The person's hour-counting entries that overlap a shift (of a type counting hours)
    starting on a day ``first..last``."""
    mine = [f for f in duty_by_person(pb).get(person, []) if f.counts_hours]
    a, b = pb.horizon.index(first), pb.horizon.index(last)
    spans = [
        (d * 1440 + s.start_minute, d * 1440 + s.start_minute + s.minutes)
        for d in range(a, b + 1)
        for s in pb.shifts
        if s.counts_hours and s.start_minute is not None
    ]
    return [f for f in mine if any(x < f.end and f.start < y for x, y in spans)]


def _duty_sentence(pb: Problem, rule: str, person: str, first: date, last: date) -> str:
    """The sentence of a duty-entry group (``pgy1_moonlighting``, ``duty_overlap``)."""
    label = pb.person(person).label
    whole = (first, last) == (pb.horizon.start, pb.horizon.end)
    if rule == "pgy1_moonlighting":
        found = _moonlighting(pb, person, first, last)
        what = f": {_entries(pb, found)}" if found else ""
        return f"{label} is PGY-1 and may not moonlight (ACGME VI.F.5){what}"
    found = _overlapping(pb, person, first, last)
    when = "" if whole else f" starting {_span(first, last)}"
    duty = f" ({_entries(pb, found)})" if found else ""
    return f"{label}: no shift{when} may overlap recorded duty{duty} (duty_overlap)"


def _recorded(pb: Problem, r: RuleBase, person: str, first: date, last: date) -> str:
    """What the person's recorded duty entries put in a window ``first..last`` of ``r``:
    their hours (``work_minutes`` counting every shift type), and the part carried in from
    before the horizon (``Problem.history_start``), or the days off they leave on the
    carried-in days (``days_off``). Empty when there is nothing to say."""
    mine = duty_by_person(pb).get(person, [])
    a = pb.horizon.index(first) * 1440
    b = (pb.horizon.index(last) + 1) * 1440
    start = pb.horizon.start
    before = f"from {_window(first, start - timedelta(days=1))}"
    if isinstance(r, WorkMinutes) and r.filter.is_all():

        def counted(lo: int, hi: int) -> int:
            if r.split == "clock":
                return sum(
                    max(0, min(f.end, hi) - max(f.start, lo)) for f in mine if f.counts_hours
                )
            return sum(f.end - f.start for f in mine if f.counts_hours and lo <= f.start < hi)

        total = counted(a, b)
        if not total:
            return ""
        carried = counted(a, min(b, 0)) if a < 0 else 0
        past = f" ({_hours(carried)} of it carried in {before})" if carried else ""
        return f", where recorded duty already counts {_hours(total)}{past}"
    if isinstance(r, DaysOff) and a < 0:
        busy: set[int] = set()
        for f in mine:
            end = f.start if r.day_off == "calendar" else f.end - 1
            busy.update(range(f.start // 1440, end // 1440 + 1))
        days = range(a // 1440, min(b, 0) // 1440)
        off = sum(1 for d in days if d not in busy)
        return f", of whose {len(days)} carried-in days {before} recorded duty leaves {off} off"
    return ""


#: Built-in requirements that are not rule objects (fixed duty entries).
_FIXED = {
    "pgy1_moonlighting": "PGY-1 residents may not moonlight",
    "duty_overlap": "no shift may overlap a recorded duty entry",
}


def window_of(pb: Problem, r: RuleBase, first: date | None, last: date | None) -> bool:
    """Whether ``first..last`` names one window (or block) of the windowed rule ``r``
    rather than the whole rule: it spans the rule's window and the rule has several."""
    window: int | None = getattr(r, "window", None)
    if window is None or first is None or last is None:
        return False
    return (last - first).days + 1 == window and len(ProblemIndex(pb).rule_windows(r)) > 1


def describe(
    pb: Problem, rule: str, family: str, person: str | None, first: date, last: date
) -> Requirement:
    """The :class:`Requirement` of one group, with its sentence."""
    if family == "leave":
        for lv in pb.leave:
            if lv.id == rule:
                return leave_requirement(pb, lv)
    if family == "lock":
        for lk in pb.locks:
            if lk.id == rule:
                return lock_requirement(pb, lk)
    label = pb.person(person).label if person is not None else ""
    text = f"{label}: {rule} ({family})" if label else f"{rule} ({family})"
    if rule in _FIXED:
        text = f"{label}: {_FIXED[rule]} ({rule})"
        if person is not None:
            text = _duty_sentence(pb, rule, person, first, last)
    if family == "cover":
        for c in pb.cover:
            if c.id == rule:
                text = _cover_sentence(pb, c, first)
    else:
        for r in pb.rules:
            if r.id == rule:
                what = _rule_sentence(pb, r)
                if family == "supervision":
                    text = f"{r.title} on {first.isoformat()}: {what}"
                elif person is not None:
                    text = f"{label}: {what} ({r.title})"
                    if window_of(pb, r, first, last):
                        noun = "block" if getattr(r, "blocks", False) else "window"
                        text += f", in the {noun} {_window(first, last)}"
                        text += _recorded(pb, r, person, first, last)
                else:
                    text = f"{r.title}: {what}"
    return Requirement(rule=rule, family=family, person=person, first=first, last=last, text=text)


def short(pb: Problem, r: Requirement) -> str:
    """A few words naming a requirement, for one-line messages."""
    label = pb.person(r.person).label if r.person is not None else ""
    if r.family == "cover" and r.first is not None:
        return f"{r.rule} on {r.first.isoformat()}"
    if r.family == "leave" and r.first is not None and r.last is not None:
        return f"{label}'s leave ({_span(r.first, r.last)})"
    if r.family == "lock" and r.first is not None:
        return f"{label}'s lock on {r.first.isoformat()}"
    if r.family == "supervision" and r.first is not None:
        return f"{r.rule} on {r.first.isoformat()}"
    if r.rule == "pgy1_moonlighting" and r.person is not None and r.first and r.last:
        found = _moonlighting(pb, r.person, r.first, r.last)
        ids = ", ".join(f.entry.id for f in found)
        return f"{label}'s moonlighting ({ids})" if ids else f"{label}'s moonlighting"
    if r.rule == "duty_overlap" and r.person is not None and r.first and r.last:
        found = _overlapping(pb, r.person, r.first, r.last)
        ids = ", ".join(f.entry.id for f in found)
        what = f"{label}'s recorded duty" + (f" ({ids})" if ids else "")
        whole = (r.first, r.last) == (pb.horizon.start, pb.horizon.end)
        return what if whole else f"{what} on {_span(r.first, r.last)}"
    rule = next((x for x in pb.rules if x.id == r.rule), None)
    if rule is not None and label and r.first and r.last and window_of(pb, rule, r.first, r.last):
        noun = "block" if getattr(rule, "blocks", False) else "window"
        return f"{r.rule} for {label} in the {noun} {_window(r.first, r.last)}"
    return f"{r.rule} for {label}" if label else r.rule


#: Presentation order: what is needed first, then what stands in the way.
_RANK = {
    "cover": 0,
    "supervision": 1,
    "fairness": 3,
    "leave": 4,
    "duty": 4,
    "lock": 5,
    "structure": 6,
}


def order(reqs: list[Requirement]) -> list[Requirement]:
    """Requirements sorted for reading: cover slots, rules, leave, locks."""
    return sorted(
        reqs,
        key=lambda r: (_RANK.get(r.family, 2), r.first or date.min, r.rule, r.person or ""),
    )


def message(pb: Problem, reqs: list[Requirement]) -> str:
    """One line summarising a conflict."""
    covers = [r for r in reqs if r.family == "cover"]
    others = [short(pb, r) for r in reqs if r.family != "cover"]
    if len(covers) == 1 and others:
        c = next((c for c in pb.cover if c.id == covers[0].rule), None)
        day = covers[0].first
        if c is not None and day is not None:
            return (
                f"{c.id} on {day.isoformat()} needs {_range(c.min, c.max, '').rstrip()} of "
                f"{who(pb, c.eligible)} "
                f"on {'/'.join(c.shifts)}, which cannot be met given " + "; ".join(others)
            )
    if covers and others:
        days = sorted({r.first for r in covers if r.first is not None})
        span = _span(days[0], days[-1]) if days else ""
        return (
            f"{len(covers)} cover slots ({', '.join(sorted({r.rule for r in covers}))}, "
            f"{span}) cannot all be filled given " + "; ".join(others)
        )
    locks = [r for r in reqs if r.family == "lock"]
    if len(locks) == 1 and not covers and len(reqs) > 1:
        lk = next((k for k in pb.locks if k.id == locks[0].rule), None)
        rest = [short(pb, r) for r in reqs if r is not locks[0]]
        if lk is not None:
            what = f"work {lk.shift}" if lk.shift is not None else "be off"
            return (
                f"{pb.person(lk.person).label} is fixed to {what} on {lk.day.isoformat()}, "
                "which cannot hold given " + "; ".join(rest)
            )
    if len(locks) == 1 and len(reqs) == 1:
        lk = next((k for k in pb.locks if k.id == locks[0].rule), None)
        if lk is not None and lk.shift is not None:
            shift = pb.shift(lk.shift)
            if shift.eligible is not None and not selects(shift.eligible, pb.person(lk.person)):
                return (
                    f"{pb.person(lk.person).label} is fixed to {lk.shift} on "
                    f"{lk.day.isoformat()} but may not work that shift type"
                )
    one = reqs[0] if len(reqs) == 1 else None
    if one is not None and one.rule == "pgy1_moonlighting" and one.person is not None:
        first, last = one.first or pb.horizon.start, one.last or pb.horizon.end
        found = _moonlighting(pb, one.person, first, last)
        what = f" ({_entries(pb, found)})" if found else ""
        return (
            f"{pb.person(one.person).label} is PGY-1 but has moonlighting recorded{what}; "
            "PGY-1 residents may not moonlight"
        )
    names = [short(pb, r) for r in reqs]
    if len(names) == 1:
        return f"{names[0]} cannot hold on its own"
    return f"These {len(names)} requirements cannot all hold: " + "; ".join(names)


def conflict(
    pb: Problem, reqs: list[Requirement], *, minimal: bool, source: str = "core"
) -> Conflict:
    """A :class:`Conflict` from its requirements, ordered and with a message."""
    ordered = order(reqs)
    return Conflict(
        requirements=tuple(ordered),
        message=message(pb, ordered),
        minimal=minimal,
        source="precheck" if source == "precheck" else "core",
    )
