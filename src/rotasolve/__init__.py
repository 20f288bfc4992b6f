"""rotasolve: residency schedules with OR-Tools CP-SAT.

Describe the program as a :class:`Problem`, call :func:`solve`, read the
:class:`Result` and its :class:`Report`; :func:`check` verifies any schedule.
"""

from .problem import *  # noqa: F403
from .problem import __all__ as _problem_all
from .report import DutyFigures, Report, Violation
from .schedule import Assignment, Schedule

__all__ = [*_problem_all, "Assignment", "DutyFigures", "Report", "Schedule", "Violation"]
__version__ = "0.1.0"
