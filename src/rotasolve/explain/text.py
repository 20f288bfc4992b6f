"""Requirements in the program's own words: one sentence per requirement group.

A group is named by its key ``(rule, family, person, first, last)`` (the compiler's
:meth:`~rotasolve.solver.CompiledModel.group_key`); this module turns a key back into a
:class:`~rotasolve.conflict.Requirement` whose text names the people, the dates, the rule
title and its limit.
"""

from __future__ import annotations

from datetime import date

from ..conflict import Conflict, Requirement
from ..problem import (
    ConsecutiveDays,
    ConsecutiveDaysOff,
    ContinuousDuty,
    Cover,
    DaysOff,
    Fairness,
    Problem,
    Rest,
    RuleBase,
    Selector,
    ShiftCount,
    ShiftFilter,
    Succession,
    Supervision,
    Weekends,
    WorkMinutes,
    selects,
)
from .precheck import leave_requirement, lock_requirement

__all__ = ["conflict", "describe", "message", "order", "short", "who"]


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


#: Built-in requirements that are not rule objects (fixed duty entries).
_FIXED = {
    "pgy1_moonlighting": "PGY-1 residents may not moonlight",
    "duty_overlap": "no shift may overlap a recorded duty entry",
}


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
    return f"{r.rule} for {label}" if label else r.rule


#: Presentation order: what is needed first, then what stands in the way.
_RANK = {"cover": 0, "supervision": 1, "fairness": 3, "leave": 4, "lock": 5, "structure": 6}


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
