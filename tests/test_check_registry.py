"""The checker's registry covers every rule family, and the checker stays independent."""

from __future__ import annotations

import ast
import importlib
import random
from pathlib import Path

from helpers import day, tiny_problem
from rotasolve import (
    Assignment,
    ConsecutiveDays,
    ContinuousDuty,
    Cover,
    DaysOff,
    Rest,
    Schedule,
    ShiftCount,
    ShiftFilter,
    WorkMinutes,
    check,
)
from rotasolve.check.registry import CHECKERS
from rotasolve.problem import RULE_TYPES


def test_every_rule_family_has_a_checker_module() -> None:
    families = [name for name, _ in CHECKERS]
    assert len(families) == len(set(families))
    for kind in RULE_TYPES:
        module = importlib.import_module(f"rotasolve.check.{kind}")
        assert callable(module.check)
        assert (kind, module.check) in CHECKERS
    for fixed in ("structure", "cover", "request"):
        assert fixed in families


def test_checker_never_imports_solver_or_ortools() -> None:
    # rotasolve.check is also the name of the function, so fetch the package by module name.
    package = importlib.import_module("rotasolve.check.registry").__file__
    assert package is not None
    files = sorted(Path(package).parent.glob("*.py"))
    assert len(files) >= 16
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(a.name for a in node.names)]
            else:
                continue
            assert not any("ortools" in n or "solver" in n for n in names), (path, names)


def test_year_of_150_people_is_checked() -> None:
    """150 residents over a year, about 38 000 assignments, a dozen rules."""
    rng = random.Random(7)
    rules = [
        ShiftCount(id="calls", tags=("call",), max=9, window=28),
        WorkMinutes(id="80h", max=80 * 60 * 4, window=28, split="clock"),
        ConsecutiveDays(id="cd", max=6),
        Rest(id="r8", minutes=480),
        Rest(id="r14", minutes=840, after=ShiftFilter(tags=("call",))),
        ContinuousDuty(id="c28", max_minutes=1680),
        DaysOff(id="do", min=4, window=28, day_off="free24"),
    ]
    cover = [Cover(id=f"c{s}", shifts=(s,), min=20) for s in ("D", "N", "C24")]
    pb = tiny_problem(150, days=364, rules=rules, cover=cover)
    ids = [p.id for p in pb.people]
    schedule = Schedule(
        assignments=tuple(
            Assignment(person=pid, day=day(d), shift=rng.choice(("D", "N", "C24")))
            for pid in ids
            for d in range(364)
            if rng.random() < 0.7
        )
    )
    # Speed is measured in benchmarks/; here only that a year of 150 people is checked.
    report = check(pb, schedule)
    assert report.hard_violations
