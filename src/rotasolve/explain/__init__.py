"""Explanations of infeasibility: counting pre-checks, then minimal conflicting sets of
requirements from CP-SAT assumption cores (see :func:`explain`)."""

from .core import explain
from .precheck import precheck

__all__ = ["explain", "precheck"]
