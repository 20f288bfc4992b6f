"""The ordered list of compilers: structure first, then cover, requests and every rule family.

A family's compiler lives in the module with the same name as its problem and check
modules; adding a family means adding one line here.
"""

from __future__ import annotations

from collections.abc import Callable

from ..problem import Problem
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
from .model import CompiledModel

__all__ = ["COMPILERS", "compile_problem"]

#: ``(family, compile)`` in build order.
COMPILERS: list[tuple[str, Callable[[CompiledModel], None]]] = [
    ("structure", structure.compile),
    ("duty", duty.compile),
    ("cover", cover.compile),
    ("request", requests.compile),
    ("shift_count", shift_count.compile),
    ("work_minutes", work_minutes.compile),
    ("consecutive_days", consecutive_days.compile),
    ("consecutive_days_off", consecutive_days_off.compile),
    ("weekends", weekends.compile),
    ("succession", succession.compile),
    ("rest", rest.compile),
    ("continuous_duty", continuous_duty.compile),
    ("days_off", days_off.compile),
    ("fairness", fairness.compile),
    ("supervision", supervision.compile),
]


def compile_problem(problem: Problem, *, explain: bool = False) -> CompiledModel:
    """Compile ``problem`` into a :class:`CompiledModel` with the full objective set.

    With ``explain=True`` the model is built in explain mode (see :class:`CompiledModel`)
    and has no objective: it only serves feasibility questions.
    """
    cm = CompiledModel(problem, explain=explain)
    for _, fn in COMPILERS:
        fn(cm)
    if not explain:
        cm.set_objective(cm.penalties)
    return cm
