"""Shift types: what can be worked on a day, with clock times."""

from __future__ import annotations

from datetime import time
from enum import StrEnum

from pydantic import PositiveInt

from .base import Frozen, Id, Selector

__all__ = ["CallKind", "ShiftType"]


class CallKind(StrEnum):
    """Whether a shift is call, and where it is taken."""

    none = "none"
    in_house = "in_house"
    at_home = "at_home"


class ShiftType(Frozen):
    """A kind of shift that starts on a day.

    An assignment of shift type ``s`` on day ``d`` occupies the clock interval
    ``[d * 1440 + start, d * 1440 + start + minutes)`` in minutes from the horizon start;
    it may run past midnight (a 19:00 night of 720 minutes, a 24-hour call, 24+4).

    Parameters
    ----------
    id
        Unique id.
    start
        Clock time the shift starts. ``None`` when unknown (the benchmark format gives only
        lengths); clock-based rules (rest, continuous duty, 24-hour days off, clock-split
        hours) refuse problems whose shifts have no start time.
    minutes
        Length of the shift in minutes.
    tags
        Free-form tags such as ``night``, ``call``, ``clinic``, ``weekend``.
    call
        ``in_house`` or ``at_home`` call, or ``none``.
    counts_hours
        Whether the shift's minutes count toward duty hours and duty periods. At-home call
        usually does not (hours actually spent in hospital are recorded separately).
    eligible
        Who may work this shift at all; ``None`` means everyone.
    """

    id: Id
    name: str = ""
    start: time | None = None
    minutes: PositiveInt
    tags: tuple[str, ...] = ()
    call: CallKind = CallKind.none
    counts_hours: bool = True
    eligible: Selector | None = None

    @property
    def start_minute(self) -> int | None:
        """Minutes after midnight at which the shift starts, or None when unknown."""
        if self.start is None:
            return None
        return self.start.hour * 60 + self.start.minute
