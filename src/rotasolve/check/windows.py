"""Shared helpers for windowed limits (shift_count, work_minutes) and run lengths
(consecutive_days, consecutive_days_off)."""

from __future__ import annotations

from collections.abc import Sequence

from ..problem import ShiftFilter
from ..problem.rule_base import FilterMixin, RuleBase, WindowMixin
from .context import CheckContext

__all__ = [
    "describe_filter",
    "exempt_from_min",
    "literal",
    "run_limits",
    "runs",
    "window_limits",
    "window_values",
]


def describe_filter(flt: ShiftFilter | FilterMixin) -> str:
    """A few words naming the shift types a filter counts (empty for all)."""
    parts = [*flt.shifts, *flt.tags]
    return "/".join(parts)


def literal(text: str) -> str:
    """``text`` escaped for use inside a ``str.format`` template."""
    return text.replace("{", "{{").replace("}", "}}")


def window_values(
    ctx: CheckContext,
    daily: Sequence[int],
    window: int | None,
    blocks: bool,
    before: Sequence[int] | None = None,
) -> list[tuple[int, int, int]]:
    """``(first, last, value)`` for each window: the sum of ``daily`` over it.

    The windows are ``ctx.index.windows(window, blocks)`` (whole horizon, rolling or fixed
    blocks), in order. With ``before`` — the values of the carried-in days before the
    horizon, positions ``-len(before) .. -1`` (``Problem.history_start``) — rolling windows
    starting on those days are included too (their ``first`` is negative).
    """
    h = 0 if before is None else len(before)
    pre = ctx.prefix([*(before or ()), *daily])
    return [
        (a, b, pre[b + 1 + h] - pre[a + h])
        for a, b in ctx.index.windows(window, blocks, before is not None)
    ]


def window_limits(
    ctx: CheckContext,
    rule: RuleBase,
    p: int,
    daily: Sequence[int],
    lo: int,
    hi: int | None,
    says: str,
    before: Sequence[int] | None = None,
) -> None:
    """Hold the sum of ``daily`` over each of the rule's windows to ``[lo, hi]``.

    One violation per window: amount over ``hi`` plus amount under ``lo``. ``says`` describes
    the measured value, a format string of ``v`` (the value) and ``h`` (value / 60), e.g.
    ``"works {v} call shifts"``. ``before``: values of the carried-in days before the
    horizon (see :func:`window_values`), given when the rule's windows reach back there.
    """
    assert isinstance(rule, WindowMixin)
    for a, b, v in window_values(ctx, daily, rule.window, rule.blocks, before):
        over = v - hi if hi is not None and v > hi else 0
        under = lo - v if v < lo else 0
        if not over and not under:
            continue
        bound = f"max {hi}" if over else f"min {lo}"
        ctx.rule_violation(
            rule,
            p,
            a,
            b,
            value=v,
            limit=hi if over else lo,
            amount=over + under,
            message=f"{ctx.label(p)} {says.format(v=v, h=v / 60)} in {ctx.days_text(a, b)} "
            f"({bound}) [{rule.title}]",
        )


def runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal runs ``(first, last)`` (inclusive) of True in ``flags``."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, f in enumerate(flags):
        if f and start is None:
            start = i
        elif not f and start is not None:
            out.append((start, i - 1))
            start = None
    if start is not None:
        out.append((start, len(flags) - 1))
    return out


def exempt_from_min(first: int, last: int, days: int, exempt_edges: bool) -> bool:
    """Whether the run ``first..last`` is exempt from a run minimum: with ``exempt_edges``,
    a run touching the first or last day of a ``days``-day horizon (its true length is
    unknown)."""
    return exempt_edges and (first == 0 or last == days - 1)


def run_limits(
    ctx: CheckContext,
    rule: RuleBase,
    p: int,
    flags: Sequence[bool],
    lo: int,
    hi: int | None,
    exempt_edges: bool,
    noun: str,
) -> None:
    """Hold each maximal run of True in ``flags`` to ``[lo, hi]`` days.

    With ``exempt_edges`` a run touching the first or last day of the horizon is exempt
    from ``lo`` (its true length is unknown).
    """
    for a, b in runs(flags):
        n = b - a + 1
        if hi is not None and n > hi:
            amount, limit, bound = n - hi, hi, f"max {hi}"
        elif n < lo and not exempt_from_min(a, b, len(flags), exempt_edges):
            amount, limit, bound = lo - n, lo, f"min {lo}"
        else:
            continue
        ctx.rule_violation(
            rule,
            p,
            a,
            b,
            value=n,
            limit=limit,
            amount=amount,
            message=f"{ctx.label(p)} has {n} consecutive {noun} {ctx.days_text(a, b)} "
            f"({bound}) [{rule.title}]",
        )
