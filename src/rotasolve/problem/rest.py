"""Rule family ``rest``: minimum rest between duty periods, measured on the clock."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import PositiveInt

from .base import ShiftFilter
from .rule_base import RuleBase

__all__ = ["Rest"]


class Rest(RuleBase):
    """At least ``minutes`` of rest after a duty period.

    Duty periods are maximal chains of a person's assignments of shift types with
    ``counts_hours`` in which each shift starts exactly when the previous one ends
    (back-to-back shifts chain, across midnight). Rest after a period is the time from its
    end to the start of the person's next duty period. The rule applies after periods that
    contain a shift matching ``after`` (default: every period): 8 h between periods is
    ``Rest(minutes=480)``; 14 h after 24-hour in-house call is
    ``Rest(minutes=840, after=ShiftFilter(tags=("call24",)))``. The last period of the
    horizon is not checked. Violation: minutes short. Needs clock times.
    """

    needs_clock: ClassVar[bool] = True
    unit: ClassVar[str] = "minutes"
    kind: Literal["rest"] = "rest"
    minutes: PositiveInt
    after: ShiftFilter = ShiftFilter()
