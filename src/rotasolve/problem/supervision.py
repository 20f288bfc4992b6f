"""Rule family ``supervision``: enough supervisors on each shift for the residents on it.

This is a **program rule**, not an ACGME default: supervision ratios come from program and
Review Committee policy, not from the Common Program Requirements' duty-hour limits, so
:func:`rotasolve.rules.acgme` does not add it.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, NonNegativeInt, PositiveInt

from .base import DaySet, Role, Selector
from .rule_base import FilterMixin, RuleBase

__all__ = ["Supervision"]


class Supervision(RuleBase, FilterMixin):
    """Each shift must have enough supervisors for the load of the residents working it.

    For each day in ``days`` and each shift type matching the rule's filter (``shifts`` /
    ``tags``; empty means every shift type) separately:

    - ``supervisors_on`` = the number of assignments of that shift type on that day by people
      matching ``supervisors`` (faculty by default);
    - ``load`` = the sum, over the assignments of that shift type on that day by people in
      ``scope`` (residents by default) who do not match ``supervisors``, of
      ``loads[pgy]`` (or ``default_load`` when the person's PGY is not listed or unknown);
    - each supervisor carries ``per_supervisor`` units of load.

    Violation per (day, shift type): the number of missing supervisors,
    ``ceil(max(0, load - per_supervisor * supervisors_on) / per_supervisor)``, reported
    without a person on that day. As for :class:`Cover`, an exact duplicate assignment
    counts twice (it is already a ``one_shift_per_day`` violation).

    One faculty per two PGY-1 or four PGY-2+ residents is
    ``Supervision(per_supervisor=4, loads={1: 2}, default_load=1)``: a PGY-1 costs 2 units,
    anyone else 1, and each faculty member covers 4.

    This is a program rule, not an ACGME default (see the module docstring).
    """

    unit: ClassVar[str] = "supervisors"
    kind: Literal["supervision"] = "supervision"
    scope: Selector = Selector(roles=(Role.resident,))
    supervisors: Selector = Selector(roles=(Role.faculty,))
    per_supervisor: PositiveInt
    loads: dict[NonNegativeInt, NonNegativeInt] = Field(default_factory=dict)
    default_load: NonNegativeInt = 1
    days: DaySet = DaySet()

    def load_of(self, pgy: int | None) -> int:
        """Units of load a supervised person of PGY level ``pgy`` costs."""
        if pgy is None:
            return self.default_load
        return self.loads.get(pgy, self.default_load)

    def missing(self, load: int, supervisors_on: int) -> int:
        """Missing supervisors for ``load`` units with ``supervisors_on`` supervisors."""
        short = max(0, load - self.per_supervisor * supervisors_on)
        return -(-short // self.per_supervisor)
