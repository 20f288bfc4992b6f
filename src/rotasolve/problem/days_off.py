"""Rule family ``days_off``: minimum days off in every window."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import NonNegativeInt, PositiveInt

from .rule_base import RuleBase

__all__ = ["DaysOff"]


class DaysOff(RuleBase):
    """At least ``min`` days off in every window of ``window`` days.

    ``day_off="calendar"``: a calendar day on which the person starts no shift.
    ``day_off="free24"`` (ACGME, needs clock times): a calendar day whose 24 hours, 00:00 to
    24:00, overlap no assignment at all — a night ending at 07:00 uses that day, and at-home
    call may not fall on it. Windows are rolling unless ``blocks`` (see ``WindowMixin``).
    Violation per window: days short.
    """

    unit: ClassVar[str] = "days"
    kind: Literal["days_off"] = "days_off"
    min: NonNegativeInt
    window: PositiveInt
    blocks: bool = False
    day_off: Literal["calendar", "free24"] = "calendar"

    def uses_clock(self) -> bool:
        """Whether this rule reads shift clock times."""
        return self.day_off == "free24"
