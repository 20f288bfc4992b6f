"""Shared building blocks of the problem language: the frozen base model and selectors."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, NonNegativeInt

__all__ = [
    "DaySet",
    "Frozen",
    "Id",
    "Role",
    "Selector",
    "ShiftFilter",
]

#: Identifier of any object in a problem (person, shift type, cover, rule, ...).
Id = str


class Frozen(BaseModel):
    """Base of every problem object: immutable, strict about unknown fields, JSON in and out."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Role(StrEnum):
    """What a person is in the program."""

    resident = "resident"
    faculty = "faculty"
    other = "other"


class Selector(Frozen):
    """A set of people, described by who they are rather than by a list.

    A person matches when every given criterion holds; an empty selector matches everyone.

    Parameters
    ----------
    roles
        Allowed roles; empty means any role.
    pgy_min, pgy_max
        Inclusive PGY range. When either is given, only residents with a PGY level match.
    skills
        Skills the person must all have.
    people
        Explicit person ids; when given, only these people match (the other criteria still apply).
    """

    roles: tuple[Role, ...] = ()
    pgy_min: NonNegativeInt | None = None
    pgy_max: NonNegativeInt | None = None
    skills: tuple[str, ...] = ()
    people: tuple[Id, ...] = ()

    def is_everyone(self) -> bool:
        """Return True when the selector places no restriction."""
        return (
            not (self.roles or self.pgy_min is not None or self.pgy_max is not None or self.skills)
            and not self.people
        )


class ShiftFilter(Frozen):
    """Which shift types something counts.

    A shift type matches when its id is listed in ``shifts`` or it carries one of ``tags``;
    when both are empty every shift type matches.
    """

    shifts: tuple[Id, ...] = ()
    tags: tuple[str, ...] = ()

    def is_all(self) -> bool:
        """Return True when every shift type matches."""
        return not self.shifts and not self.tags


class DaySet(Frozen):
    """A set of days of the horizon.

    Parameters
    ----------
    kind
        ``all`` every day; ``weekdays`` Monday to Friday; ``weekend`` Saturday and Sunday;
        ``listed`` exactly the days in ``dates`` and ``indices`` (0 is the horizon's first day).
    dates, indices
        The listed days, used only with ``kind="listed"``.
    """

    kind: Literal["all", "weekdays", "weekend", "listed"] = "all"
    dates: tuple[date, ...] = ()
    indices: tuple[NonNegativeInt, ...] = ()
