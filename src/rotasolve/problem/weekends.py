"""Rule family ``weekends``: how many weekends a person works."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import NonNegativeInt

from .rule_base import RuleBase

__all__ = ["Weekends"]


class Weekends(RuleBase):
    """At most ``max`` working weekends per person over the horizon.

    The weekends are the horizon's Saturdays and Sundays grouped by calendar week (a lone
    Saturday or Sunday at an edge of the horizon is a weekend of its own). A weekend is
    worked when a shift starts on its Saturday or its Sunday. Violation: weekends over.
    """

    unit: ClassVar[str] = "weekends"
    kind: Literal["weekends"] = "weekends"
    max: NonNegativeInt
