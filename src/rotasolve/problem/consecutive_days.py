"""Rule family ``consecutive_days``: runs of consecutive working days."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import NonNegativeInt

from .rule_base import FilterMixin, RuleBase

__all__ = ["ConsecutiveDays"]


class ConsecutiveDays(RuleBase, FilterMixin):
    """Min/max length of runs of consecutive days on which a matching shift starts.

    A working day is a calendar day on which the person starts a matching shift (with the
    default empty filter: any shift; with ``tags=("night",)``: consecutive nights, the night
    float limit). For each maximal run of ``L`` working days: ``L - max`` days of violation
    when ``L > max``; ``min - L`` when ``L < min``, except that with ``exempt_edges`` a run
    touching the first or last day of the horizon is exempt from ``min`` (its true length
    is unknown).
    """

    unit: ClassVar[str] = "days"
    kind: Literal["consecutive_days"] = "consecutive_days"
    min: NonNegativeInt = 0
    max: NonNegativeInt | None = None
    exempt_edges: bool = True
