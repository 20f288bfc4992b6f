"""Leave, requests and fixed assignments attached to people and days."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import NonNegativeInt

from .base import Frozen, Id

__all__ = ["Leave", "Lock", "Request"]


class Leave(Frozen):
    """Hard unavailability: ``person`` works no shift starting on ``first`` ... ``last``.

    A shift that starts the day before and runs into the leave is allowed (the person is
    unavailable for new starts); list the day before too when that is not wanted.
    """

    id: Id
    person: Id
    first: date
    last: date
    kind: str = "leave"


class Request(Frozen):
    """A soft wish to work (``on``) or not work (``off``) on a day.

    With ``shift`` given, ``on`` is met when that shift is worked that day and ``off`` is
    broken when it is; without ``shift``, any shift counts. Each unmet request costs
    ``weight``.
    """

    id: Id
    person: Id
    day: date
    shift: Id | None = None
    want: Literal["on", "off"] = "off"
    weight: NonNegativeInt = 1


class Lock(Frozen):
    """A fixed assignment: ``person`` works exactly ``shift`` on ``day`` (or nothing, if None)."""

    id: Id
    person: Id
    day: date
    shift: Id | None
