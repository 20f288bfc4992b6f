"""Rule family ``shift_count``: limits on how many shifts of some types a person works."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import NonNegativeInt

from .rule_base import FilterMixin, RuleBase, WindowMixin

__all__ = ["ShiftCount"]


class ShiftCount(RuleBase, FilterMixin, WindowMixin):
    """Min/max number of matching shifts per person, over the horizon or per window.

    The count is the number of assignments of matching shift types that start in the
    window. Violation per window: ``max(0, count - max) + max(0, min - count)`` shifts.
    Call frequency (q3 = at most 9 in-house calls in any 28 days) is ``tags=("call",),
    max=9, window=28``.
    """

    unit: ClassVar[str] = "shifts"
    kind: Literal["shift_count"] = "shift_count"
    min: NonNegativeInt = 0
    max: NonNegativeInt | None = None
