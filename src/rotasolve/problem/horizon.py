"""The planning horizon: consecutive calendar days starting at a date."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from typing import Any

from pydantic import PositiveInt, model_validator

from .base import Frozen

__all__ = ["Horizon"]


class Horizon(Frozen):
    """Consecutive calendar days ``start, start + 1, ..., start + days - 1``.

    Either ``days`` or ``end`` (inclusive last day) may be given; ``end`` is converted.
    Day index 0 is ``start``. Time inside the horizon is measured in minutes from
    00:00 on ``start``.
    """

    start: dt.date
    days: PositiveInt

    @model_validator(mode="before")
    @classmethod
    def _end_to_days(cls, data: Any) -> Any:
        if isinstance(data, dict) and "end" in data:
            data = dict(data)
            end = data.pop("end")
            if "days" in data:
                raise ValueError("give either 'days' or 'end', not both")
            end_d = date.fromisoformat(end) if isinstance(end, str) else end
            start = data.get("start")
            start_d = date.fromisoformat(start) if isinstance(start, str) else start
            if not isinstance(end_d, date) or not isinstance(start_d, date):
                raise ValueError("'start' and 'end' must be dates")
            if end_d < start_d:
                raise ValueError(f"end {end_d} is before start {start_d}")
            data["days"] = (end_d - start_d).days + 1
        return data

    @property
    def end(self) -> dt.date:
        """The last day of the horizon (inclusive)."""
        return self.start + timedelta(days=self.days - 1)

    def date(self, index: int) -> dt.date:
        """Return the calendar date of day ``index``."""
        return self.start + timedelta(days=index)

    def index(self, day: dt.date) -> int:
        """Return the day index of ``day`` (may be outside ``range(days)``)."""
        return (day - self.start).days

    def contains(self, day: dt.date) -> bool:
        """Return True when ``day`` lies in the horizon."""
        return 0 <= self.index(day) < self.days

    def weekday(self, index: int) -> int:
        """Return the weekday of day ``index`` (Monday 0 ... Sunday 6)."""
        return self.date(index).weekday()
