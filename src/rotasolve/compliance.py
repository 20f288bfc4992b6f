"""Duty-hour compliance report: per resident and rule, the worst value, its dates and the limit.

:func:`compliance` reads a problem and a finished schedule through the checker's own
definitions (:class:`~rotasolve.check.CheckContext`, its windows, duty periods and day-off
flags), so it always agrees with :func:`rotasolve.check`: a hard rule fails for a person
exactly when the checker reports a hard violation of it for that person, and a soft rule's
cost is the sum of the checker's penalties for it.

Duty-hour rules are the rule families ``work_minutes``, ``days_off``, ``continuous_duty``,
``rest``, ``consecutive_days`` and ``shift_count`` with a window (call frequency). Every
line states how the rule was windowed: rolling N-day windows, fixed N-day blocks, the whole
horizon, or per duty period / rest / run (not averaged).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO, Literal

from pydantic import BaseModel, ConfigDict

from .check.consecutive_days import working_days
from .check.context import CheckContext, fmt_clock, fmt_days
from .check.days_off import day_off_flags, history_day_off_flags
from .check.rest import rest_gaps
from .check.shift_count import daily_shifts
from .check.windows import exempt_from_min, runs, window_values
from .check.work_minutes import daily_minutes, history_minutes
from .problem import (
    ConsecutiveDays,
    ContinuousDuty,
    DaysOff,
    Problem,
    Rest,
    ShiftCount,
    WorkMinutes,
)
from .problem.rule_base import RuleBase
from .schedule import Schedule

__all__ = [
    "ASSUMPTIONS",
    "ComplianceLine",
    "ComplianceReport",
    "RuleSummary",
    "assumptions",
    "compliance",
    "is_duty_rule",
]

Bound = Literal["max", "min"]

_NO_HISTORY = (
    "Nothing is assumed about days before the horizon: hours, calls and days off before its "
    "first day are unknown and not counted, and duty periods are not extended backwards (rest "
    "before the first duty period and duty begun before the horizon are not measured), "
    "except for fixed duty entries that overlap the horizon, which count in full in duty "
    "periods.",
    "Averaging windows lie entirely inside the horizon: rolling windows are every run of N "
    "consecutive days from its first day to its last; fixed blocks start on its first day "
    "and a trailing partial block is not checked.",
)

#: What the report assumes about the edges of the horizon without carried-in history
#: (``Problem.history_start`` unset); :func:`assumptions` gives a problem's own list.
ASSUMPTIONS: tuple[str, ...] = (
    *_NO_HISTORY,
    "Hours split on the clock (split='clock') count only the minutes inside each window's "
    "00:00-24:00 days; minutes after the horizon's end are not counted. With "
    "split='start_day' a shift's minutes belong to the day it starts.",
    "A duty period (back-to-back shifts that count hours, chained across midnight) that runs "
    "past the horizon's end counts in full; rest after the last duty period is not measured.",
    "A 'free24' day off is a calendar day, 00:00 to 24:00, overlapping no assignment of any "
    "kind: a night ending at 07:00 uses that day.",
    "Average weekly hours = minutes in the window / 60 / (window days / 7).",
    "Fixed duty entries (moonlighting, at-home call hours spent in hospital, other recorded "
    "work) count like shifts: their hours in rules that count every shift type, in duty "
    "periods (chained back to back with shifts) and against days off.",
)


def assumptions(problem: Problem) -> tuple[str, ...]:
    """What the compliance report of ``problem`` assumes: :data:`ASSUMPTIONS`, or with
    carried-in history (``Problem.history_start``) the same with its first two items
    saying from which date history was taken into account."""
    hs = problem.history_start
    if hs is None:
        return ASSUMPTIONS
    first = problem.horizon.start
    return (
        f"History from {hs} is taken into account: duty from {hs} to the day before the "
        f"horizon's first day {first} is exactly the recorded duty entries (no shifts); "
        f"nothing is assumed before {hs}. Duty periods chain with the recorded entries "
        "(rest after a night worked before the horizon, duty begun before it, are measured).",
        f"Rolling windows of days_off rules and of work_minutes rules counting every shift "
        f"type start on or after {hs} and end inside the horizon, the days before the horizon "
        "counting only their entries; rolling windows of shift counts and of filtered "
        f"work_minutes rules lie inside the horizon (from {first}); fixed blocks start on "
        "its first day and a trailing partial block is not checked.",
        *ASSUMPTIONS[len(_NO_HISTORY) :],
    )


class ComplianceLine(BaseModel):
    """One resident's worst value on one side (max or min) of one duty-hour rule.

    Parameters
    ----------
    person, name
        Person id and display name.
    rule, family, title
        Rule id, its family (``kind``) and its label.
    hard
        Whether the rule is hard (pass/fail) or soft (costs ``weight`` per unit).
    bound
        ``max``: the worst value is the highest; ``min``: the lowest.
    limit
        The limit the value is held to (None when the rule sets none on this side).
    unit
        Unit of ``worst``, ``limit`` and ``amount``.
    windowing
        How the rule was measured: rolling windows, fixed blocks, whole horizon, or per
        duty period / rest / run (not averaged).
    measure
        What was measured, in words.
    worst
        The worst measured value; None when there was nothing to measure (no duty period,
        no rest between periods, no run subject to the minimum).
    first, last
        Dates of the worst window, period, rest or run.
    detail
        Clock times of the worst period or rest, when relevant.
    window_days
        Length in days of the worst window (windowed rules only).
    avg_weekly_hours
        For worked minutes: the worst value as hours per week averaged over its window.
    breaches
        How many windows, periods, rests or runs break the limit.
    amount
        Total violation over all of them, in ``unit``.
    cost
        ``weight × amount`` for a soft rule; 0 for a hard one.
    passed
        True when nothing breaks the limit.
    status
        ``pass`` / ``FAIL`` for hard rules, ``ok`` / ``cost N`` for soft ones.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    person: str
    name: str
    rule: str
    family: str
    title: str
    hard: bool
    bound: Bound
    limit: int | None
    unit: str
    windowing: str
    measure: str
    worst: int | None
    first: date | None = None
    last: date | None = None
    detail: str = ""
    window_days: int | None = None
    avg_weekly_hours: float | None = None
    breaches: int = 0
    amount: int = 0
    cost: int = 0
    passed: bool = True
    status: str = "pass"

    @property
    def margin(self) -> float | None:
        """How far the worst value is inside the limit (negative when broken)."""
        if self.worst is None:
            return None
        if self.limit is None:
            return float(-self.worst) if self.bound == "max" else float(self.worst)
        return float(self.limit - self.worst if self.bound == "max" else self.worst - self.limit)


class RuleSummary(BaseModel):
    """One duty-hour rule across the program: who passes, who fails, who is worst.

    ``failing`` counts the people with a breach (a hard failure, or a cost for a soft
    rule); ``worst_*`` describe the line with the smallest margin to its limit.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    family: str
    title: str
    hard: bool
    limits: str
    windowing: str
    people: int
    passing: int
    failing: int
    breaches: int
    cost: int
    worst_person: str | None = None
    worst_bound: Bound | None = None
    worst: int | None = None
    worst_first: date | None = None
    worst_last: date | None = None
    worst_avg_weekly_hours: float | None = None


class ComplianceReport(BaseModel):
    """Duty-hour compliance of a schedule, per person and rule, with a program summary.

    ``lines`` are ordered by person (problem order), then rule (problem order), then
    ``max`` before ``min``. Print with :meth:`to_text`; export with :meth:`to_json` and
    :meth:`to_csv`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    problem: str
    first_day: date
    last_day: date
    days: int
    lines: tuple[ComplianceLine, ...] = ()
    summary: tuple[RuleSummary, ...] = ()
    assumptions: tuple[str, ...] = ASSUMPTIONS

    @property
    def passed(self) -> bool:
        """True when no hard duty-hour rule fails for anyone."""
        return not any(ln.hard and not ln.passed for ln in self.lines)

    @property
    def cost(self) -> int:
        """Total cost of the soft duty-hour rules."""
        return sum(ln.cost for ln in self.lines)

    def failures(self) -> list[ComplianceLine]:
        """Lines of hard rules that fail."""
        return [ln for ln in self.lines if ln.hard and not ln.passed]

    def for_person(self, person: str) -> list[ComplianceLine]:
        """Every line of one person."""
        return [ln for ln in self.lines if ln.person == person]

    def line(self, person: str, rule: str, bound: Bound | None = None) -> ComplianceLine:
        """The line of ``person`` and ``rule`` (``bound`` needed only when the rule has
        both a minimum and a maximum). Raises ``KeyError`` when there is none."""
        found = [
            ln
            for ln in self.lines
            if ln.person == person and ln.rule == rule and (bound is None or ln.bound == bound)
        ]
        if len(found) != 1:
            raise KeyError((person, rule, bound))
        return found[0]

    def rule_summary(self, rule: str) -> RuleSummary:
        """The program summary of one rule."""
        for s in self.summary:
            if s.rule == rule:
                return s
        raise KeyError(rule)

    # --- output ------------------------------------------------------------------------
    def to_text(self) -> str:
        """The report as aligned text tables a coordinator can read."""
        head = (
            f"Duty-hour compliance{f' of {self.problem}' if self.problem else ''}: "
            f"{fmt_days(self.first_day, self.last_day)} ({self.days} days)"
        )
        out = [head, "=" * len(head), ""]
        failed = self.failures()
        verdict = (
            "PASS, every hard duty-hour rule holds for everyone"
            if not failed
            else f"FAIL, {len(failed)} hard rule limit(s) broken by "
            f"{len({ln.person for ln in failed})} person(s)"
        )
        out.append(f"Verdict: {verdict}; soft cost {self.cost}.")
        out.append("")
        out.append("Program summary")
        srows = [
            ["rule", "type", "limit", "windowing", "pass", "fail", "worst", "worst value", "dates"]
        ]
        for s in self.summary:
            srows.append(
                [
                    s.rule,
                    "hard" if s.hard else "soft",
                    s.limits,
                    s.windowing,
                    str(s.passing),
                    str(s.failing) + ("" if s.hard else f" (cost {s.cost})"),
                    s.worst_person or "-",
                    _value_text(s.family, s.worst, s.worst_avg_weekly_hours),
                    fmt_days(s.worst_first, s.worst_last) or "-",
                ]
            )
        out.extend(_table(srows))
        out.append("")
        out.append(
            "Per person: the worst value of each rule over the horizon, with the dates of the "
            "worst window, duty period, rest or run"
        )
        rows = [["person", "rule", "worst", "limit", "dates", "windowing", "breaches", "status"]]
        for ln in self.lines:
            when = fmt_days(ln.first, ln.last) or "-"
            if ln.detail:
                when += f" ({ln.detail})"
            rows.append(
                [
                    ln.name,
                    ln.rule,
                    _value_text(ln.family, ln.worst, ln.avg_weekly_hours),
                    _limit_text(ln.family, ln.bound, ln.limit, ln.unit, ln.window_days),
                    when,
                    ln.windowing,
                    str(ln.breaches),
                    ln.status,
                ]
            )
        out.extend(_table(rows))
        out.append("")
        out.append("Rules")
        out.extend(f"  {s.rule}: {s.title}" for s in self.summary)
        out.append("")
        out.append("Assumptions")
        out.extend(f"  - {a}" for a in self.assumptions)
        return "\n".join(out)

    def __str__(self) -> str:
        return self.to_text()

    def to_json(self, indent: int | None = 2) -> str:
        """The whole report as JSON (lines, summary and assumptions)."""
        return self.model_dump_json(indent=indent)

    def to_csv(self, target: str | os.PathLike[str] | IO[str] | None = None) -> str:
        """The per-person lines as CSV, one row per line, with a header row.

        Writes to ``target`` (a path or an open text file) when given; always returns the
        CSV text.
        """
        buf = io.StringIO()
        fields = list(ComplianceLine.model_fields)
        writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for ln in self.lines:
            row = ln.model_dump(mode="json")
            writer.writerow({k: "" if row[k] is None else row[k] for k in fields})
        text = buf.getvalue()
        if target is None:
            return text
        if isinstance(target, str | os.PathLike):
            with open(target, "w", newline="", encoding="utf-8") as fh:
                fh.write(text)
        else:
            target.write(text)
        return text


def is_duty_rule(rule: RuleBase) -> bool:
    """Whether ``rule`` is a duty-hour rule the compliance report covers."""
    if isinstance(rule, ShiftCount):
        return rule.window is not None
    return isinstance(rule, WorkMinutes | DaysOff | ContinuousDuty | Rest | ConsecutiveDays)


def compliance(problem: Problem, schedule: Schedule) -> ComplianceReport:
    """The duty-hour compliance report of ``schedule``.

    Parameters
    ----------
    problem
        A validated problem; its duty-hour rules (see :func:`is_duty_rule`) are reported.
    schedule
        Any schedule; assignments with unknown ids or days outside the horizon are ignored
        here, as by every rule of :func:`rotasolve.check` (which reports them).

    Returns
    -------
    ComplianceReport
        For every person in each duty-hour rule's scope: the worst measured value over the
        horizon with its dates, the limit, pass/fail or cost, and the windowing used; plus a
        program summary per rule.
    """
    ctx = CheckContext(problem, schedule)
    per_rule: list[tuple[RuleBase, list[ComplianceLine], int]] = []
    for rule in problem.rules:
        if not is_duty_rule(rule):
            continue
        lines: list[ComplianceLine] = []
        scope = ctx.scope(rule)
        for p in scope:
            lines.extend(_measure(ctx, rule, p))
        per_rule.append((rule, lines, len(scope)))
    # Rule ids are unique (validated), so they give the problem order of the rules.
    rule_pos = {rule.id: i for i, (rule, _, _) in enumerate(per_rule)}
    person_pos = ctx.index.person_pos
    all_lines = sorted(
        (ln for _, lines, _ in per_rule for ln in lines),
        key=lambda ln: (person_pos[ln.person], rule_pos[ln.rule], ln.bound),
    )
    hz = problem.horizon
    return ComplianceReport(
        problem=problem.name,
        first_day=hz.start,
        last_day=hz.end,
        days=hz.days,
        lines=tuple(all_lines),
        assumptions=assumptions(problem),
        summary=tuple(
            _summarise(rule, lines, n, _rule_windowing(ctx, rule, full=True))
            for rule, lines, n in per_rule
        ),
    )


# --- measuring one person ------------------------------------------------------------------
def _rule_windowing(ctx: CheckContext, rule: RuleBase, full: bool = False) -> str:
    """How ``rule`` is measured, in words: the ``windowing`` of its lines, or with ``full``
    the summary's longer form (how many windows; days in no block)."""
    if isinstance(rule, ContinuousDuty):
        return "per duty period, not averaged"
    if isinstance(rule, Rest):
        return "per rest between duty periods, not averaged"
    if isinstance(rule, ConsecutiveDays):
        return "per run of consecutive days, not averaged"
    window: int | None = getattr(rule, "window", None)
    blocks: bool = getattr(rule, "blocks", False)
    days = ctx.index.days
    if window is None:
        return f"whole horizon ({days} days)"
    n = len(ctx.index.rule_windows(rule))
    if blocks:
        rest = days - n * window
        tail = f"; last {rest} days in no block" if rest else ""
        return f"fixed {window}-day blocks" + (f" ({n} blocks{tail})" if full else "")
    since = ""
    if ctx.index.uses_history(rule):
        since = f" from {ctx.problem.history_start}"
    return f"rolling {window}-day windows{since}" + (f" ({n} windows)" if full else "")


def _after(rule: Rest) -> str:
    flt = "/".join([*rule.after.shifts, *rule.after.tags])
    return f" after {flt}" if flt else ""


def _line(
    ctx: CheckContext,
    rule: RuleBase,
    p: int,
    *,
    bound: Bound,
    limit: int | None,
    windowing: str,
    measure: str,
    worst: int | None,
    first: int | None = None,
    last: int | None = None,
    detail: str = "",
    window_days: int | None = None,
    avg_weekly_hours: float | None = None,
    amounts: Iterable[int] = (),
) -> ComplianceLine:
    broken = [a for a in amounts if a > 0]
    amount = sum(broken)
    cost = 0 if rule.hard else rule.weight * amount
    passed = not broken
    status = ("pass" if passed else "FAIL") if rule.hard else ("ok" if passed else f"cost {cost}")
    person = ctx.index.people[p]
    return ComplianceLine(
        person=person.id,
        name=person.label,
        rule=rule.id,
        family=str(getattr(rule, "kind", "")),
        title=rule.title,
        hard=rule.hard,
        bound=bound,
        limit=limit,
        unit=rule.unit,
        windowing=windowing,
        measure=measure,
        worst=worst,
        first=None if first is None else ctx.date(first),
        last=None if last is None else ctx.date(last),
        detail=detail,
        window_days=window_days,
        avg_weekly_hours=avg_weekly_hours,
        breaches=len(broken),
        amount=amount,
        cost=cost,
        passed=passed,
        status=status,
    )


def _weekly(minutes: int, first: int, last: int) -> float:
    return round(minutes / 60 / ((last - first + 1) / 7), 2)


def _windowed(
    ctx: CheckContext,
    rule: RuleBase,
    p: int,
    daily: Sequence[int],
    lo: int,
    hi: int | None,
    measure: str,
    always_min: bool = False,
    before: Sequence[int] | None = None,
) -> list[ComplianceLine]:
    """Lines of a windowed rule: the highest window against ``hi``, the lowest against
    ``lo`` (earliest window on ties). ``before``: the carried-in days' values, when the
    rule's windows reach before the horizon."""
    window: int | None = getattr(rule, "window", None)
    windowing = _rule_windowing(ctx, rule)
    values = window_values(ctx, daily, window, getattr(rule, "blocks", False), before)
    minutes = isinstance(rule, WorkMinutes)
    out = []
    sides: list[tuple[Bound, int | None]] = []
    if hi is not None or (lo == 0 and not always_min):
        sides.append(("max", hi))
    if lo > 0 or always_min:
        sides.append(("min", lo))
    for bound, limit in sides:
        if not values:  # the window is longer than the horizon (refused by validation)
            out.append(
                _line(
                    ctx,
                    rule,
                    p,
                    bound=bound,
                    limit=limit,
                    windowing=windowing,
                    measure=measure,
                    worst=None,
                )
            )
            continue
        if bound == "max":
            a, b, v = max(values, key=lambda w: (w[2], -w[0]))
            amounts = [x - limit for _, _, x in values] if limit is not None else []
        else:
            a, b, v = min(values, key=lambda w: (w[2], w[0]))
            amounts = [lo - x for _, _, x in values]
        out.append(
            _line(
                ctx,
                rule,
                p,
                bound=bound,
                limit=limit,
                windowing=windowing,
                measure=measure,
                worst=v,
                first=a,
                last=b,
                window_days=b - a + 1,
                avg_weekly_hours=_weekly(v, a, b) if minutes else None,
                amounts=amounts,
            )
        )
    return out


def _measure(ctx: CheckContext, rule: RuleBase, p: int) -> list[ComplianceLine]:
    """Every line of person ``p`` for duty-hour rule ``rule``."""
    if isinstance(rule, WorkMinutes):
        how = "on the clock" if rule.split == "clock" else "by start day"
        return _windowed(
            ctx,
            rule,
            p,
            daily_minutes(ctx, rule, p),
            rule.min,
            rule.max,
            f"minutes worked per window ({how})",
            before=history_minutes(ctx, rule, p),
        )
    if isinstance(rule, ShiftCount):
        return _windowed(
            ctx,
            rule,
            p,
            daily_shifts(ctx, rule, p),
            rule.min,
            rule.max,
            "matching shifts started per window",
        )
    if isinstance(rule, DaysOff):
        flags = [int(f) for f in day_off_flags(ctx, rule, p)]
        hist = history_day_off_flags(ctx, rule, p)
        what = "free 24-hour days" if rule.day_off == "free24" else "calendar days off"
        return _windowed(
            ctx,
            rule,
            p,
            flags,
            rule.min,
            None,
            f"{what} per window",
            always_min=True,
            before=None if hist is None else [int(f) for f in hist],
        )
    if isinstance(rule, ContinuousDuty):
        return [_continuous(ctx, rule, p)]
    if isinstance(rule, Rest):
        return [_rest(ctx, rule, p)]
    if isinstance(rule, ConsecutiveDays):
        return _runs(ctx, rule, p)
    raise TypeError(f"not a duty-hour rule: {rule!r}")  # pragma: no cover


def _continuous(ctx: CheckContext, rule: ContinuousDuty, p: int) -> ComplianceLine:
    periods = ctx.duty_periods(p)
    worst = max(periods, key=lambda q: (q.minutes, -q.start)) if periods else None
    return _line(
        ctx,
        rule,
        p,
        bound="max",
        limit=rule.max_minutes,
        windowing=_rule_windowing(ctx, rule),
        measure="longest duty period (back-to-back shifts chained), minutes",
        worst=None if worst is None else worst.minutes,
        first=None if worst is None else ctx.minute_day(worst.start),
        last=None if worst is None else ctx.minute_day(worst.end - 1),
        detail="no duty period"
        if worst is None
        else f"{fmt_clock(ctx, worst.start)} to {fmt_clock(ctx, worst.end)}",
        amounts=[q.minutes - rule.max_minutes for q in periods],
    )


def _rest(ctx: CheckContext, rule: Rest, p: int) -> ComplianceLine:
    gaps = rest_gaps(ctx, rule, p)
    after = _after(rule)
    worst = min(gaps, key=lambda g: (g[1].start - g[0].end, g[0].end)) if gaps else None
    return _line(
        ctx,
        rule,
        p,
        bound="min",
        limit=rule.minutes,
        windowing=_rule_windowing(ctx, rule),
        measure=f"shortest rest{after}, minutes",
        worst=None if worst is None else worst[1].start - worst[0].end,
        first=None if worst is None else ctx.minute_day(worst[0].end),
        last=None if worst is None else ctx.minute_day(worst[1].start),
        detail="no rest to measure"
        if worst is None
        else f"{fmt_clock(ctx, worst[0].end)} to {fmt_clock(ctx, worst[1].start)}",
        amounts=[rule.minutes - (b.start - a.end) for a, b in gaps],
    )


def _runs(ctx: CheckContext, rule: ConsecutiveDays, p: int) -> list[ComplianceLine]:
    found = runs(working_days(ctx, rule, p))
    what = "/".join([*rule.shifts, *rule.tags]) or "working"
    windowing = _rule_windowing(ctx, rule)
    out = []
    if rule.max is not None or rule.min == 0:
        hi = rule.max
        if found:
            a, b = max(found, key=lambda r: (r[1] - r[0], -r[0]))
            amounts = [] if hi is None else [y - x + 1 - hi for x, y in found]
            out.append(
                _line(
                    ctx,
                    rule,
                    p,
                    bound="max",
                    limit=hi,
                    windowing=windowing,
                    measure=f"longest run of {what} days",
                    worst=b - a + 1,
                    first=a,
                    last=b,
                    amounts=amounts,
                )
            )
        else:
            out.append(
                _line(
                    ctx,
                    rule,
                    p,
                    bound="max",
                    limit=hi,
                    windowing=windowing,
                    measure=f"longest run of {what} days",
                    worst=0,
                )
            )
    if rule.min > 0:
        days = ctx.index.days
        held = [(x, y) for x, y in found if not exempt_from_min(x, y, days, rule.exempt_edges)]
        measure = f"shortest run of {what} days" + (
            " (runs touching the horizon's edges exempt)" if rule.exempt_edges else ""
        )
        if held:
            a, b = min(held, key=lambda r: (r[1] - r[0], r[0]))
            out.append(
                _line(
                    ctx,
                    rule,
                    p,
                    bound="min",
                    limit=rule.min,
                    windowing=windowing,
                    measure=measure,
                    worst=b - a + 1,
                    first=a,
                    last=b,
                    amounts=[rule.min - (y - x + 1) for x, y in held],
                )
            )
        else:
            out.append(
                _line(
                    ctx,
                    rule,
                    p,
                    bound="min",
                    limit=rule.min,
                    windowing=windowing,
                    measure=measure,
                    worst=None,
                    detail="no run subject to the minimum",
                )
            )
    return out


# --- program summary -----------------------------------------------------------------------
def _limits_text(rule: RuleBase) -> str:
    lo = getattr(rule, "min", 0)
    hi = getattr(rule, "max", None)
    if isinstance(rule, ContinuousDuty):
        hi = rule.max_minutes
    if isinstance(rule, Rest):
        lo = rule.minutes
    unit = rule.unit
    window = getattr(rule, "window", None)
    parts = []
    if hi is not None:
        text = f"max {hi} {unit}"
        if isinstance(rule, WorkMinutes) and window:
            text += f" ({hi / 60 / (window / 7):g} h/week)"
        parts.append(text)
    if lo or isinstance(rule, DaysOff | Rest):
        parts.append(f"min {lo} {unit}")
    return ", ".join(parts) or "none"


def _summarise(
    rule: RuleBase, lines: list[ComplianceLine], people: int, windowing: str
) -> RuleSummary:
    failing = {ln.person for ln in lines if not ln.passed}
    measured = [ln for ln in lines if ln.margin is not None]
    worst = min(measured, key=lambda ln: ln.margin or 0.0) if measured else None
    return RuleSummary(
        rule=rule.id,
        family=str(getattr(rule, "kind", "")),
        title=rule.title,
        hard=rule.hard,
        limits=_limits_text(rule),
        windowing=windowing,
        people=people,
        passing=people - len(failing),
        failing=len(failing),
        breaches=sum(ln.breaches for ln in lines),
        cost=sum(ln.cost for ln in lines),
        worst_person=None if worst is None else worst.person,
        worst_bound=None if worst is None else worst.bound,
        worst=None if worst is None else worst.worst,
        worst_first=None if worst is None else worst.first,
        worst_last=None if worst is None else worst.last,
        worst_avg_weekly_hours=None if worst is None else worst.avg_weekly_hours,
    )


# --- text helpers --------------------------------------------------------------------------
def _hm(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h} h {m:02d} min"


def _value_text(family: str, value: int | None, weekly: float | None) -> str:
    if value is None:
        return "-"
    if family == "work_minutes":
        text = f"{value} min = {value / 60:g} h"
        return text + (f" ({weekly:.2f} h/week avg)" if weekly is not None else "")
    if family in ("continuous_duty", "rest"):
        return f"{value} min ({_hm(value)})"
    if family == "days_off":
        return f"{value} days off"
    if family == "shift_count":
        return f"{value} shifts"
    return f"{value} days"


def _limit_text(
    family: str, bound: Bound, limit: int | None, unit: str, window_days: int | None
) -> str:
    if limit is None:
        return "none"
    text = f"{bound} {limit} {unit}"
    if family == "work_minutes" and window_days:
        text += f" ({limit / 60 / (window_days / 7):.2f} h/week)"
    elif family in ("continuous_duty", "rest"):
        text += f" ({_hm(limit)})"
    return text


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines
