"""Rule family ``work_minutes``: limits on worked minutes, over the horizon or per window."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import NonNegativeInt

from .rule_base import FilterMixin, RuleBase, WindowMixin

__all__ = ["WorkMinutes"]


class WorkMinutes(RuleBase, FilterMixin, WindowMixin):
    """Min/max minutes of work per person, over the horizon or per window.

    Only matching shift types with ``counts_hours`` count. With ``split="start_day"`` a
    shift's minutes belong to the day it starts. With ``split="clock"`` (needs clock
    times) only the minutes of the shift that fall inside the window's clock interval
    ``[first_day 00:00, last_day 24:00)`` count — exact hours for averaged duty limits; for
    the whole horizon the part after the horizon's end is not counted.
    Violation per window: minutes over ``max`` plus minutes under ``min``.
    """

    unit: ClassVar[str] = "minutes"
    kind: Literal["work_minutes"] = "work_minutes"
    min: NonNegativeInt = 0
    max: NonNegativeInt | None = None
    split: Literal["start_day", "clock"] = "start_day"

    def uses_clock(self) -> bool:
        """Whether this rule reads shift clock times."""
        return self.split == "clock"
