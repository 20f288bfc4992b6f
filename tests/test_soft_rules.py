"""Every rule type, cover and requests made soft: locks force a known violation, and the
solver's objective must be exactly weight × amount, as the checker says. The same rule
made hard must make the problem infeasible."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from helpers import C24, HOME, D, N, tiny_problem
from rotasolve import (
    RULE_TYPES,
    ConsecutiveDays,
    ConsecutiveDaysOff,
    ContinuousDuty,
    Cover,
    DaysOff,
    Fairness,
    Lock,
    Person,
    Problem,
    Request,
    Rest,
    Role,
    ShiftCount,
    ShiftFilter,
    Succession,
    Supervision,
    Weekends,
    WorkMinutes,
)
from rotasolve.solver import solve

W = 3
START = date(2024, 1, 1)  # Monday
SATURDAY = date(2024, 1, 6)


def locks(plan: dict[str, str]) -> list[Lock]:
    """Locks from ``{"A": "D-N", ...}``: one character per day, ``-`` = off."""
    out = []
    for pid, row in plan.items():
        for d, code in enumerate(row.split()):
            shift = None if code == "-" else code
            out.append(Lock(id=f"{pid}{d}", person=pid, day=date(2024, 1, 1 + d), shift=shift))
    return out


def at(start: date, pid: str, shift: str | None, d: int = 0) -> Lock:
    return Lock(
        id=f"{pid}@{d}", person=pid, day=date.fromordinal(start.toordinal() + d), shift=shift
    )


def rule_problem(rule: Any, plan: dict[str, str], **kw: Any) -> Problem:
    """People A, B, ... with every day locked as in ``plan`` and the one rule (if any)."""
    days = len(next(iter(plan.values())).split())
    rules = [] if rule is None else [rule]
    return tiny_problem(len(plan), days, rules=rules, locks=locks(plan), **kw)


# (case id, family, build(hard, weight) -> problem, rule id, amount)
Case = tuple[str, str, Callable[[bool, int], Problem], str, int]

CASES: list[Case] = [
    (
        "shift_count_max",
        "shift_count",
        lambda h, w: rule_problem(ShiftCount(id="r", max=1, hard=h, weight=w), {"A": "D D -"}),
        "r",
        1,
    ),
    (
        "shift_count_min_window",
        "shift_count",
        lambda h, w: rule_problem(
            ShiftCount(id="r", min=2, window=2, hard=h, weight=w), {"A": "D - -"}
        ),
        "r",
        3,  # windows (0,1): 1 short, (1,2): 2 short
    ),
    (
        "work_minutes_max",
        "work_minutes",
        lambda h, w: rule_problem(WorkMinutes(id="r", max=900, hard=h, weight=w), {"A": "D D"}),
        "r",
        300,
    ),
    (
        "work_minutes_clock",
        "work_minutes",
        # the night of day 0 has 300 minutes in day 0; window of day 0 only: max 200
        lambda h, w: rule_problem(
            WorkMinutes(id="r", max=200, window=1, split="clock", hard=h, weight=w),
            {"A": "N - -"},
        ),
        "r",
        100 + 220,  # day 0: 300 - 200; day 1: 420 - 200
    ),
    (
        "consecutive_days_max",
        "consecutive_days",
        lambda h, w: rule_problem(ConsecutiveDays(id="r", max=1, hard=h, weight=w), {"A": "D D D"}),
        "r",
        2,
    ),
    (
        "consecutive_days_min",
        "consecutive_days",
        lambda h, w: rule_problem(
            ConsecutiveDays(id="r", min=3, exempt_edges=True, hard=h, weight=w),
            {"A": "- D - D D -"},
        ),
        "r",
        2 + 1,
    ),
    (
        "consecutive_days_off_max",
        "consecutive_days_off",
        lambda h, w: rule_problem(
            ConsecutiveDaysOff(id="r", max=1, hard=h, weight=w), {"A": "- - - D"}
        ),
        "r",
        2,
    ),
    (
        "consecutive_days_off_min_edges",
        "consecutive_days_off",
        lambda h, w: rule_problem(
            ConsecutiveDaysOff(id="r", min=2, exempt_edges=False, hard=h, weight=w),
            {"A": "- D - D"},
        ),
        "r",
        2,
    ),
    (
        "weekends",
        "weekends",
        lambda h, w: tiny_problem(
            1,
            2,
            start=SATURDAY,
            rules=[Weekends(id="r", max=0, hard=h, weight=w)],
            locks=[at(SATURDAY, "A", "D"), at(SATURDAY, "A", None, 1)],
        ),
        "r",
        1,
    ),
    (
        "succession",
        "succession",
        lambda h, w: rule_problem(
            Succession(
                id="r",
                first=ShiftFilter(tags=("night",)),
                second=ShiftFilter(shifts=("D",)),
                hard=h,
                weight=w,
            ),
            {"A": "N D"},
        ),
        "r",
        1,
    ),
    (
        "rest",
        "rest",
        lambda h, w: rule_problem(Rest(id="r", minutes=1000, hard=h, weight=w), {"A": "D D"}),
        "r",
        160,  # 17:00 to 07:00 is 840 minutes
    ),
    (
        "rest_after_chain",
        "rest",
        # C24 then D back to back is one period containing call; then D the next day
        lambda h, w: rule_problem(
            Rest(id="r", minutes=1000, after=ShiftFilter(tags=("call",)), hard=h, weight=w),
            {"A": "C24 D D"},
        ),
        "r",
        160,
    ),
    (
        "continuous_duty",
        "continuous_duty",
        lambda h, w: rule_problem(
            ContinuousDuty(id="r", max_minutes=1200, hard=h, weight=w), {"A": "C24 -"}
        ),
        "r",
        240,
    ),
    (
        "continuous_duty_chain",
        "continuous_duty",
        lambda h, w: rule_problem(
            ContinuousDuty(id="r", max_minutes=1680, hard=h, weight=w), {"A": "C24 C24 D"}
        ),
        "r",
        2880 + 600 - 1680,
    ),
    (
        "days_off",
        "days_off",
        lambda h, w: rule_problem(
            DaysOff(id="r", min=1, window=3, hard=h, weight=w), {"A": "D D D"}
        ),
        "r",
        1,
    ),
    (
        "days_off_free24",
        "days_off",
        # the night of day 0 uses day 1; at-home call uses days 2-3
        lambda h, w: rule_problem(
            DaysOff(id="r", min=2, window=4, day_off="free24", hard=h, weight=w),
            {"A": "N - H -"},
            shifts=(D, N, C24, HOME),
        ),
        "r",
        2,
    ),
    (
        "fairness",
        "fairness",
        lambda h, w: rule_problem(
            Fairness(id="r", tolerance=0, carried={"B": 1}, hard=h, weight=w),
            {"A": "D D D", "B": "- - -"},
        ),
        "r",
        2,
    ),
    (
        "supervision",
        "supervision",
        lambda h, w: tiny_problem(
            (Person(id="A", pgy=1), Person(id="B", pgy=2), Person(id="F", role=Role.faculty)),
            1,
            rules=[Supervision(id="r", per_supervisor=2, loads={1: 2}, hard=h, weight=w)],
            locks=[at(START, "A", "D"), at(START, "B", "D"), at(START, "F", "D")],
        ),
        "r",
        1,  # load 3, one supervisor covers 2: one more needed
    ),
]

# Cover and requests: always soft targets / soft by flag.
EXTRA: list[Case] = [
    (
        "cover_min",
        "cover",
        lambda h, w: rule_problem(
            None,
            {"A": "-"},
            cover=[Cover(id="c", shifts=("D",), min=2, hard=h, under_weight=w)],
        ),
        "c",
        2,
    ),
    (
        "cover_max",
        "cover",
        lambda h, w: rule_problem(
            None,
            {"A": "D", "B": "D"},
            cover=[Cover(id="c", shifts=("D",), max=1, hard=h, over_weight=w)],
        ),
        "c",
        1,
    ),
]


@pytest.mark.parametrize("case", CASES + EXTRA, ids=[c[0] for c in CASES + EXTRA])
def test_soft_rule_costs_weight_times_amount(case: Case) -> None:
    _, family, build, rule_id, amount = case
    pb = build(False, W)
    res = solve(pb, workers=1, time_limit=10)
    assert res.status == "optimal"
    assert res.objective == W * amount
    assert res.report is not None
    assert not res.report.hard_violations
    assert res.report.objective == W * amount
    got = res.report.by_rule(rule_id)
    assert got and all(v.family == family and not v.hard for v in got)
    assert sum(v.amount for v in got) == amount


@pytest.mark.parametrize("case", CASES + EXTRA, ids=[c[0] for c in CASES + EXTRA])
def test_same_rule_hard_is_infeasible(case: Case) -> None:
    pb = case[2](True, 0)
    assert solve(pb, workers=1, time_limit=10).status == "infeasible"


def test_request_costs_its_weight() -> None:
    pb = tiny_problem(
        1,
        2,
        locks=locks({"A": "- D"}),
        requests=[
            Request(id="on", person="A", day=START, want="on", weight=W),
            Request(id="off", person="A", day=date(2024, 1, 2), shift="D", weight=2),
        ],
    )
    res = solve(pb, workers=1, time_limit=10)
    assert res.objective == W + 2
    assert res.report is not None and res.report.objective == W + 2


def test_cover_target_is_always_soft() -> None:
    pb = tiny_problem(
        1,
        1,
        locks=locks({"A": "-"}),
        cover=[Cover(id="c", shifts=("D",), target=2, target_under_weight=W)],
    )
    res = solve(pb, workers=1, time_limit=10)
    assert res.status == "optimal" and res.objective == 2 * W


def test_every_rule_type_has_a_case() -> None:
    assert {c[1] for c in CASES} == set(RULE_TYPES)
