"""Explanations of infeasibility: sets of requirements that cannot hold together."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["Conflict", "Requirement"]


class Requirement(BaseModel):
    """One hard requirement of the problem, as a group the compiler enforces together.

    Parameters
    ----------
    rule
        Id of the rule, cover, leave or lock (structural rules: ``one_shift_per_day``,
        ``no_overlap``, ``eligibility``).
    family
        Rule family, or ``cover`` / ``leave`` / ``lock`` / ``structure``.
    person
        Person id the group is about, or None (cover slots, group rules).
    first, last
        Days the group covers: the day of a cover or supervision slot or lock, the days of
        a leave entry, the horizon for a whole rule × person group (from its first window's
        first day when its windows reach into carried-in history, ``Problem.history_start``),
        one window of a windowed rule for a window-level group (see
        :func:`rotasolve.explain`), and for a duty group its entry's days or its shifts'
        start days, clamped into the horizon.
    text
        One human sentence describing the requirement.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    family: str
    person: str | None = None
    first: date | None = None
    last: date | None = None
    text: str = ""

    @property
    def key(self) -> tuple[str, str | None, date | None, date | None]:
        """Identity of the group: rule, person and days."""
        return (self.rule, self.person, self.first, self.last)


class Conflict(BaseModel):
    """Requirements that cannot all hold at once.

    ``minimal`` is True when removing any one requirement was verified to make the rest
    satisfiable; False when the search budget ran out first.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    requirements: tuple[Requirement, ...]
    message: str
    minimal: bool
    source: Literal["precheck", "core"]

    def __str__(self) -> str:
        head = self.message + ("" if self.minimal else " (may not be minimal)")
        return "\n".join([head, *(f"  - {r.text}" for r in self.requirements)])
