"""The CP-SAT compiler and solve entry point (placeholder until the solver lands)."""

from __future__ import annotations

from typing import Any

from ..problem import Problem

__all__ = ["solve"]


def solve(problem: Problem, **kwargs: Any) -> Any:
    """Solve ``problem``."""
    raise NotImplementedError
