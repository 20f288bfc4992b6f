"""Fields every rule shares: id, hardness and weight, scope, and averaging windows."""

from __future__ import annotations

from typing import ClassVar

from pydantic import NonNegativeInt, PositiveInt

from .base import Frozen, Id, Selector, ShiftFilter

__all__ = ["RuleBase", "WindowMixin"]


class RuleBase(Frozen):
    """Common fields of every rule.

    Parameters
    ----------
    id
        Unique rule id; every violation in a report names it.
    hard
        Hard rules must hold; a soft rule costs ``weight`` per unit of violation (the unit is
        given by each rule: shifts, minutes, days, weekends, occurrences).
    weight
        Cost per unit of violation when ``hard`` is False. This and ``hard`` are the only
        place a rule's importance is declared.
    scope
        The people the rule applies to, each on their own (fairness applies to the group).
    label
        Human description used in reports (defaults to the id).
    """

    #: Whether the rule reads shift clock times (refused when a shift in scope has none).
    needs_clock: ClassVar[bool] = False
    #: Unit of one violation, for reports.
    unit: ClassVar[str] = "unit"

    id: Id
    hard: bool = True
    weight: NonNegativeInt = 0
    scope: Selector = Selector()
    label: str = ""

    def uses_clock(self) -> bool:
        """Whether this rule reads shift clock times (then every shift it sees needs one)."""
        return self.needs_clock

    @property
    def title(self) -> str:
        """Description for reports."""
        return self.label or self.id


class WindowMixin(Frozen):
    """Averaging windows.

    With ``window=None`` the rule applies once, to the whole horizon. With ``window=N`` it
    applies to every run of ``N`` consecutive days fully inside the horizon (rolling, the
    default and what auditors check), or with ``blocks=True`` to the fixed blocks
    ``[0, N), [N, 2N), ...`` that fit entirely in the horizon.
    """

    window: PositiveInt | None = None
    blocks: bool = False


class FilterMixin(Frozen):
    """The shift types a rule counts, by id or tag; empty means all."""

    shifts: tuple[Id, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def filter(self) -> ShiftFilter:
        """The shift filter of this rule."""
        return ShiftFilter(shifts=self.shifts, tags=self.tags)


__all__ += ["FilterMixin"]
