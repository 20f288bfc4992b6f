"""Problem definitions: Pydantic models only, no solver import."""

from .base import DaySet, Frozen, Id, Role, Selector, ShiftFilter
from .consecutive_days import ConsecutiveDays
from .consecutive_days_off import ConsecutiveDaysOff
from .continuous_duty import ContinuousDuty
from .cover import Cover
from .days_off import DaysOff
from .duty import DutyEntry, DutyKind, FixedDuty, duty_by_person
from .fairness import Fairness
from .horizon import Horizon
from .index import ProblemIndex
from .people import Person
from .problem import Problem, ProblemWarning, selects, shift_matches
from .requests import Leave, Lock, Request
from .rest import Rest
from .rule_base import FilterMixin, RuleBase, WindowMixin
from .rules import RULE_TYPES, Rule
from .shift_count import ShiftCount
from .shifts import CallKind, ShiftType
from .succession import Succession
from .supervision import Supervision
from .weekends import Weekends
from .work_minutes import WorkMinutes

__all__ = [
    "RULE_TYPES",
    "CallKind",
    "ConsecutiveDays",
    "ConsecutiveDaysOff",
    "ContinuousDuty",
    "Cover",
    "DaySet",
    "DaysOff",
    "DutyEntry",
    "DutyKind",
    "Fairness",
    "FilterMixin",
    "FixedDuty",
    "Frozen",
    "Horizon",
    "Id",
    "Leave",
    "Lock",
    "Person",
    "Problem",
    "ProblemIndex",
    "ProblemWarning",
    "Request",
    "Rest",
    "Role",
    "Rule",
    "RuleBase",
    "Selector",
    "ShiftCount",
    "ShiftFilter",
    "ShiftType",
    "Succession",
    "Supervision",
    "Weekends",
    "WindowMixin",
    "WorkMinutes",
    "duty_by_person",
    "selects",
    "shift_matches",
]
