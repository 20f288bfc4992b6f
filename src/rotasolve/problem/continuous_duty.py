"""Rule family ``continuous_duty``: the longest continuous duty period."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import PositiveInt

from .rule_base import RuleBase

__all__ = ["ContinuousDuty"]


class ContinuousDuty(RuleBase):
    """Each duty period lasts at most ``max_minutes``.

    Duty periods are defined as in :class:`Rest` (back-to-back chains of shifts that count
    hours). ACGME: 24 h plus up to 4 h of transition is ``max_minutes=1680``. A period
    running past the horizon's end counts in full. Violation: minutes over, per period.
    Needs clock times.
    """

    needs_clock: ClassVar[bool] = True
    unit: ClassVar[str] = "minutes"
    kind: Literal["continuous_duty"] = "continuous_duty"
    max_minutes: PositiveInt
