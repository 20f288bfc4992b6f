"""Rule family ``fairness``: balance of a count across a group."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, NonNegativeInt

from .base import DaySet, Id
from .rule_base import FilterMixin, RuleBase

__all__ = ["Fairness"]


class Fairness(RuleBase, FilterMixin):
    """Balance the number of matching shifts across the people in scope.

    Each person's total is ``carried[person]`` (counts from earlier periods, default 0)
    plus the number of matching assignments starting on ``days``. The spread is the largest
    total minus the smallest. Violation: ``max(0, spread - tolerance)``, one for the group
    (reported without a person). Weekend fairness is ``days=DaySet(kind="weekend")``.
    """

    unit: ClassVar[str] = "spread"
    kind: Literal["fairness"] = "fairness"
    days: DaySet = DaySet()
    tolerance: NonNegativeInt = 0
    carried: dict[Id, int] = Field(default_factory=dict)
