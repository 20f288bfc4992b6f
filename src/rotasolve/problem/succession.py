"""Rule family ``succession``: forbidden shift successions on consecutive days."""

from __future__ import annotations

from typing import ClassVar, Literal

from .base import ShiftFilter
from .rule_base import RuleBase

__all__ = ["Succession"]


class Succession(RuleBase):
    """A shift matching ``first`` on day ``d`` may not be followed by one matching ``second``
    on day ``d + 1``. Violation: one per occurrence.
    """

    unit: ClassVar[str] = "occurrences"
    kind: Literal["succession"] = "succession"
    first: ShiftFilter
    second: ShiftFilter
