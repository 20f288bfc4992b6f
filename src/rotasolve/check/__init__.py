"""The independent checker: recomputes every rule from a finished schedule.

It reads only the problem (through :class:`~rotasolve.problem.ProblemIndex`) and the
schedule, never the solver, so tests can hold the solver to it.
"""

from __future__ import annotations

from ..problem import Problem
from ..report import Report
from ..schedule import Schedule
from .context import CheckContext
from .duty import duty_figures, note
from .registry import CHECKERS

__all__ = ["CheckContext", "check"]


def check(problem: Problem, schedule: Schedule) -> Report:
    """Check ``schedule`` against every requirement and rule of ``problem``.

    Parameters
    ----------
    problem
        A validated problem.
    schedule
        Any schedule; unknown ids and days outside the horizon are reported as hard
        violations (``unknown_id``, ``outside_horizon``) and such assignments are then
        ignored by every other check.

    Returns
    -------
    Report
        Hard violations, soft penalties (``objective`` is the sum of their costs) and
        duty figures per resident, in a deterministic order.
    """
    ctx = CheckContext(problem, schedule)
    for _family, checker in CHECKERS:
        checker(ctx)
    return Report(
        hard_violations=tuple(ctx.hard_violations),
        penalties=tuple(ctx.penalties),
        duty=tuple(duty_figures(ctx)),
        notes=(*ctx.notes, note(ctx)),
    )
