"""Rule family ``days_off``: minimum days off in every window."""

from __future__ import annotations

from ..problem import DaysOff
from ..problem.index import MINUTES_PER_DAY
from .context import CheckContext
from .windows import window_values

__all__ = ["calendar_days_off", "check", "day_off_flags", "free24_days", "history_day_off_flags"]


def calendar_days_off(ctx: CheckContext, p: int) -> list[bool]:
    """Per day: True when person ``p`` starts no shift and no duty entry that day."""
    starts = ctx.starts[p]
    entry_days = {a // MINUTES_PER_DAY for a, _, _ in ctx.duty[p]}
    return [d not in starts and d not in entry_days for d in range(ctx.index.days)]


def free24_days(ctx: CheckContext, p: int) -> list[bool]:
    """Per day: True when no assignment and no duty entry of ``p`` (of any kind, counting
    hours or not) overlaps its 00:00..24:00."""
    days = ctx.index.days
    free = [True] * days
    for a, b in [*ctx.intervals(p), *((a, b) for a, b, _ in ctx.duty[p])]:
        for d in range(max(0, a // MINUTES_PER_DAY), min(days, (b - 1) // MINUTES_PER_DAY + 1)):
            free[d] = False
    return free


def day_off_flags(ctx: CheckContext, rule: DaysOff, p: int) -> list[bool]:
    """Per day: True when the day is a day off of person ``p`` in the sense of ``rule``."""
    return free24_days(ctx, p) if rule.day_off == "free24" else calendar_days_off(ctx, p)


def history_day_off_flags(ctx: CheckContext, rule: DaysOff, p: int) -> list[bool] | None:
    """Per carried-in day before the horizon (positions ``-history_days .. -1``, see
    ``Problem.history_start``): True when it is a day off of ``p`` in the sense of ``rule``,
    from the recorded duty entries alone (no shift is scheduled before the horizon). None
    when the rule's windows stay inside the horizon."""
    if not ctx.index.uses_history(rule):
        return None
    lo = -ctx.index.history_days
    free = [True] * -lo
    for a, b, _ in ctx.duty[p]:
        first = a // MINUTES_PER_DAY
        last = first if rule.day_off == "calendar" else (b - 1) // MINUTES_PER_DAY
        for d in range(max(lo, first), min(0, last + 1)):
            free[d - lo] = False
    return free


def check(ctx: CheckContext) -> None:
    """Record every window with fewer than ``min`` days off (calendar or free 24 h)."""
    for rule in ctx.problem.rules:
        if not isinstance(rule, DaysOff):
            continue
        for p in ctx.scope(rule):
            flags = [int(f) for f in day_off_flags(ctx, rule, p)]
            hist = history_day_off_flags(ctx, rule, p)
            before = None if hist is None else [int(f) for f in hist]
            for a, b, off in window_values(ctx, flags, rule.window, rule.blocks, before):
                if off >= rule.min:
                    continue
                ctx.rule_violation(
                    rule,
                    p,
                    a,
                    b,
                    value=off,
                    limit=rule.min,
                    amount=rule.min - off,
                    message=f"{ctx.label(p)} has {off} {rule.day_off} days off in "
                    f"{ctx.days_text(a, b)} (min {rule.min}) [{rule.title}]",
                )
