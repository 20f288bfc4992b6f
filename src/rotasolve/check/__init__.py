"""The independent checker (placeholder until the checker lands)."""

from __future__ import annotations

from ..problem import Problem
from ..report import Report
from ..schedule import Schedule

__all__ = ["check"]


def check(problem: Problem, schedule: Schedule) -> Report:
    """Check ``schedule`` against every rule of ``problem``."""
    raise NotImplementedError
