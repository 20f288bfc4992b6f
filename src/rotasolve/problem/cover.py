"""Coverage needs: how many eligible people must work a shift on a day."""

from __future__ import annotations

from pydantic import NonNegativeInt

from .base import DaySet, Frozen, Id, Selector

__all__ = ["Cover"]


class Cover(Frozen):
    """Head count needed on shifts over a set of days.

    For each selected day, the count ``n`` is the number of people matching ``eligible``
    assigned to any of ``shifts`` on that day. Three limits apply to ``n``:

    - ``min`` and ``max``: hard when ``hard`` is True; otherwise each person short of ``min``
      costs ``under_weight`` and each person over ``max`` costs ``over_weight``.
    - ``target``: always soft; each person below costs ``target_under_weight``, each person
      above costs ``target_over_weight`` (the benchmark's requirement).

    Parameters
    ----------
    id
        Unique id; cover slots in reports are named ``id@date``.
    shifts
        Shift type ids that count (at least one).
    days
        Days the need applies to.
    eligible
        Who counts toward the head count.
    """

    id: Id
    shifts: tuple[Id, ...]
    days: DaySet = DaySet()
    eligible: Selector = Selector()
    min: NonNegativeInt = 0
    max: NonNegativeInt | None = None
    hard: bool = True
    under_weight: NonNegativeInt = 0
    over_weight: NonNegativeInt = 0
    target: NonNegativeInt | None = None
    target_under_weight: NonNegativeInt = 0
    target_over_weight: NonNegativeInt = 0
