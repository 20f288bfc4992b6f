"""The compiler: registry, assignment variables, hardness helpers, build speed."""

from __future__ import annotations

from datetime import time as clock
from datetime import timedelta

import pytest
from ortools.sat.python import cp_model

from helpers import START, day, tiny_problem
from rotasolve import (
    RULE_TYPES,
    Cover,
    Horizon,
    Leave,
    Lock,
    Person,
    Problem,
    Request,
    Selector,
    ShiftCount,
    ShiftType,
)
from rotasolve.check.registry import CHECKERS
from rotasolve.rules import acgme
from rotasolve.solver import COMPILERS, CompiledModel, Strength, Tag, compile_problem
from rotasolve.solver.model import HARD, Lin


def test_every_rule_type_is_registered() -> None:
    families = [name for name, _ in COMPILERS]
    assert len(families) == len(set(families))
    assert set(RULE_TYPES) <= set(families)
    assert {"structure", "cover", "request"} <= set(families)


def test_family_modules_share_names_with_checker() -> None:
    checker = {name for name, _ in CHECKERS}
    for name, fn in COMPILERS:
        module = fn.__module__.rsplit(".", 1)[-1]
        assert module == {"request": "requests"}.get(name, name)
        assert name in checker or module in checker


def test_variables_only_for_possible_assignments() -> None:
    d, n, c = tiny_problem().shifts
    only_b = d.model_copy(update={"eligible": Selector(people=("B",))})
    pb = tiny_problem(
        2,
        3,
        shifts=(only_b, n, c),
        leave=[Leave(id="lv", person="A", first=day(1), last=day(1))],
        locks=[Lock(id="k", person="B", day=day(2), shift="N")],
    )
    cm = CompiledModel(pb)
    # A: never D; nothing on day 1. B: only N on day 2.
    assert (0, 0, 0) not in cm.x and (0, 0, 1) in cm.x
    assert not any(k[0] == 0 and k[1] == 1 for k in cm.x)
    assert [k for k in cm.x if k[0] == 1 and k[1] == 2] == [(1, 2, 1)]
    assert len(cm.x) == 2 + 2 + 3 + 3 + 1


def test_hard_zero_cap_gets_no_variables_but_keeps_its_meaning() -> None:
    # A may never work nights: no night variables for A, yet a lock on a night for A is
    # still infeasible, and the soft version of the same cap keeps the variables.
    cap = ShiftCount(id="no_nights", shifts=("N",), max=0, scope=Selector(people=("A",)))
    cm = CompiledModel(tiny_problem(2, 3, rules=[cap]))
    assert not any(p == 0 and s == 1 for p, _, s in cm.x)
    assert any(p == 1 and s == 1 for p, _, s in cm.x)
    locked = tiny_problem(2, 3, rules=[cap], locks=[Lock(id="k", person="A", day=START, shift="N")])
    assert cp_model.CpSolver().solve(compile_problem(locked).model) == cp_model.INFEASIBLE
    soft = cap.model_copy(update={"hard": False, "weight": 3})
    assert any(p == 0 and s == 1 for p, _, s in CompiledModel(tiny_problem(2, 3, rules=[soft])).x)
    windowed = cap.model_copy(update={"window": 2})
    assert any(
        p == 0 and s == 1 for p, _, s in CompiledModel(tiny_problem(2, 3, rules=[windowed])).x
    )


def test_lock_against_leave_is_infeasible_and_tagged() -> None:
    pb = tiny_problem(
        1,
        2,
        leave=[Leave(id="lv", person="A", first=START, last=START)],
        locks=[Lock(id="k", person="A", day=START, shift="D")],
    )
    cm = compile_problem(pb)
    assert any(tag.rule == "k" and tag.family == "lock" for tag, _ in cm.hard)
    assert cp_model.CpSolver().solve(cm.model) == cp_model.INFEASIBLE


def _values(cm: CompiledModel, fixed: dict[int, int]) -> list[int]:
    for v, val in fixed.items():
        dom = cm.proto.variables[v].domain
        dom.clear()
        dom.extend((val, val))
    solver = cp_model.CpSolver()
    assert solver.solve(cm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return list(solver.response_proto.solution)


TAG = Tag("r", "test", None, START, START)


@pytest.mark.parametrize("count", range(5))
def test_soft_limit_is_exact_both_ways(count: int) -> None:
    # Excess variables equal max(0, n - hi) and max(0, lo - n) for every n, not just at
    # the optimum: fix the variables, read the penalty.
    cm = CompiledModel(tiny_problem(1, 4, shifts=tiny_problem().shifts[:1]))
    xs = list(cm.x.values())
    cm.limit(Lin.bools(xs), 1, 2, TAG, Strength(False, under=3, over=5))
    sol = _values(cm, {v: int(i < count) for i, v in enumerate(xs)})
    cost = cm.objective_value(sol, cm.penalties)
    assert cost == 3 * max(0, 1 - count) + 5 * max(0, count - 2)


@pytest.mark.parametrize("pattern", range(8))
def test_soft_forbid_is_exact(pattern: int) -> None:
    cm = CompiledModel(tiny_problem(1, 3, shifts=tiny_problem().shifts[:1]))
    xs = list(cm.x.values())
    cm.forbid([xs[0], -xs[1] - 1, xs[2]], TAG, Strength(False, over=2), amount=7)
    bits = [(pattern >> i) & 1 for i in range(3)]
    sol = _values(cm, dict(zip(xs, bits, strict=True)))
    expected = 14 if bits == [1, 0, 1] else 0
    assert cm.objective_value(sol, cm.penalties) == expected


def test_hard_helpers_are_tagged_and_constants_fold() -> None:
    cm = CompiledModel(tiny_problem(1, 2))
    before = len(cm.proto.constraints)
    cm.forbid([False, 0], TAG, HARD)  # impossible pattern: nothing to add
    cm.limit(Lin.bools([0, 1]), 0, 5, TAG, HARD)  # cannot bind: nothing to add
    assert len(cm.proto.constraints) == before
    assert cm.and_([True, True]) is True and cm.or_([False]) is False
    assert cm.and_([0, -1]) is False  # x and not x
    cm.limit(Lin.bools([0, 1]), None, 1, TAG, HARD)
    assert cm.hard[-1] == (TAG, len(cm.proto.constraints) - 1)


def big_problem(n: int, days: int) -> Problem:
    return Problem(
        horizon=Horizon(start=START, days=days),
        people=tuple(Person(id=f"p{i}", pgy=1 + i % 3) for i in range(n)),
        shifts=(
            ShiftType(id="D", start=clock(7), minutes=600),
            ShiftType(id="E", start=clock(14), minutes=600),
            ShiftType(id="N", start=clock(21), minutes=600, tags=("night",)),
            ShiftType(id="C", start=clock(7), minutes=1680, tags=("call", "call24")),
        ),
        cover=tuple(Cover(id=f"c{s}", shifts=(s,), min=5, target=10) for s in "DENC"),
        requests=tuple(
            Request(id=f"q{i}", person=f"p{i % n}", day=START + timedelta(days=i % days))
            for i in range(n * 4)
        ),
        rules=acgme(night_float=True),
    )


def test_eight_weeks_of_150_people_builds() -> None:
    # 150 people x 8 weeks x 4 shift types with every ACGME rule; a year takes ~7x longer.
    pb = big_problem(150, 56)
    # Build time is measured in benchmarks/; here only the model's shape.
    cm = compile_problem(pb)
    assert len(cm.x) == 150 * 56 * 4
