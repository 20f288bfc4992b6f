"""Reader of the Curtois & Qu shift scheduling benchmark format (placeholder)."""

from __future__ import annotations

from pathlib import Path

from ..problem import Problem

__all__ = ["read_curtois"]


def read_curtois(path: str | Path) -> Problem:
    """Read a benchmark instance file into a :class:`Problem`."""
    raise NotImplementedError
