"""Shared fixtures; small builders live in tests/helpers.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Make ``import helpers`` work whatever the import mode.
sys.path.insert(0, str(Path(__file__).parent))

from helpers import tiny_problem
from rotasolve import Problem


@pytest.fixture
def tiny() -> Problem:
    """Two residents, one week, shift types D, N and C24."""
    return tiny_problem()
