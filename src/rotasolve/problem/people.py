"""People of the program: residents, faculty and others."""

from __future__ import annotations

from pydantic import NonNegativeInt

from .base import Frozen, Id, Role

__all__ = ["Person"]


class Person(Frozen):
    """A person who can be scheduled.

    Parameters
    ----------
    id
        Unique id, used everywhere else to refer to this person.
    name
        Display name (defaults to the id in reports).
    role
        Resident, faculty or other.
    pgy
        Post-graduate year; only residents have one.
    skills
        Free-form skills or tags (``"icu"``, ``"peds"``, ``"chief"``), used by selectors.
    """

    id: Id
    name: str = ""
    role: Role = Role.resident
    pgy: NonNegativeInt | None = None
    skills: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Name for reports: the name when given, else the id."""
        return self.name or self.id
