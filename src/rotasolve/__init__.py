"""rotasolve: residency schedules with OR-Tools CP-SAT.

Describe the program as a :class:`Problem`, call :func:`solve`, read the
:class:`Result` and its :class:`Report`; :func:`check` verifies any schedule and
:func:`compliance` reports its duty hours per resident and rule.
"""

from . import io, rules
from .check import check
from .compliance import ComplianceReport, compliance
from .conflict import Conflict, Requirement
from .explain import explain
from .problem import *  # noqa: F403
from .problem import __all__ as _problem_all
from .report import DutyFigures, Report, Violation
from .result import Result, Status
from .schedule import Assignment, Schedule
from .solver import solve

__all__ = [
    *_problem_all,
    "Assignment",
    "ComplianceReport",
    "Conflict",
    "DutyFigures",
    "Report",
    "Requirement",
    "Result",
    "Schedule",
    "Status",
    "Violation",
    "check",
    "compliance",
    "explain",
    "io",
    "rules",
    "solve",
]
__version__ = "0.1.0"
