"""The CP-SAT compiler and the solve entry point.

:func:`solve` compiles a :class:`~rotasolve.Problem` into a :class:`CompiledModel`
(``model.py``), one module per rule family with the same name as the problem and check
modules, run in the order of ``registry.COMPILERS``.
"""

from __future__ import annotations

from .model import CompiledModel, Strength, Tag
from .registry import COMPILERS, compile_problem
from .solve import ProgressCallback, evaluate, solve

__all__ = [
    "COMPILERS",
    "CompiledModel",
    "ProgressCallback",
    "Strength",
    "Tag",
    "compile_problem",
    "evaluate",
    "solve",
]
