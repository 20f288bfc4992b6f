"""The one ordered list of family checkers that :func:`rotasolve.check` runs."""

from __future__ import annotations

from collections.abc import Callable

from . import (
    consecutive_days,
    consecutive_days_off,
    continuous_duty,
    cover,
    days_off,
    duty,
    fairness,
    requests,
    rest,
    shift_count,
    structure,
    succession,
    supervision,
    weekends,
    work_minutes,
)
from .context import CheckContext

__all__ = ["CHECKERS", "Checker"]

Checker = Callable[[CheckContext], None]

#: (family name, checker) in report order. Rule families use the rule's ``kind``.
CHECKERS: tuple[tuple[str, Checker], ...] = (
    ("structure", structure.check),
    ("duty", duty.check),
    ("cover", cover.check),
    ("request", requests.check),
    ("shift_count", shift_count.check),
    ("work_minutes", work_minutes.check),
    ("consecutive_days", consecutive_days.check),
    ("consecutive_days_off", consecutive_days_off.check),
    ("weekends", weekends.check),
    ("succession", succession.check),
    ("rest", rest.check),
    ("continuous_duty", continuous_duty.check),
    ("days_off", days_off.check),
    ("fairness", fairness.check),
    ("supervision", supervision.check),
)
