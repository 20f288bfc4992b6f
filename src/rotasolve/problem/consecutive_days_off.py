"""Rule family ``consecutive_days_off``: runs of consecutive days off."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import NonNegativeInt

from .rule_base import RuleBase

__all__ = ["ConsecutiveDaysOff"]


class ConsecutiveDaysOff(RuleBase):
    """Min/max length of runs of consecutive days off.

    A day off here is a calendar day on which the person starts no shift. For each maximal
    run of ``L`` days off: ``L - max`` days of violation when ``L > max``; ``min - L`` when
    ``L < min``, except that with ``exempt_edges`` a run touching the first or last day of
    the horizon is exempt from ``min``.
    """

    unit: ClassVar[str] = "days"
    kind: Literal["consecutive_days_off"] = "consecutive_days_off"
    min: NonNegativeInt = 0
    max: NonNegativeInt | None = None
    exempt_edges: bool = True
