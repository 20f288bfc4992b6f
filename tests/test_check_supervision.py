"""Rule family ``supervision`` (a program rule, not an ACGME default): supervisors per
(day, shift type) for the PGY-weighted load of the residents on it."""

from __future__ import annotations

import warnings

import pytest
from pydantic import ValidationError

from helpers import D, N, day, one, rows, tiny_problem
from rotasolve import (
    DaySet,
    Person,
    Problem,
    ProblemWarning,
    Role,
    Selector,
    Supervision,
    check,
)
from rotasolve.problem import RULE_TYPES
from rotasolve.rules import acgme

FACULTY = (
    Person(id="F1", name="Prof 1", role=Role.faculty),
    Person(id="F2", name="Prof 2", role=Role.faculty),
)
RESIDENTS = (
    Person(id="R1", pgy=1),
    Person(id="R2", pgy=1),
    Person(id="R3", pgy=1),
    Person(id="R4", pgy=2),
    Person(id="R5", pgy=3),
    Person(id="R6", pgy=2),
    Person(id="R7", pgy=3),
    Person(id="R8", pgy=2),
)

#: One faculty per two PGY-1 or four PGY-2+.
RATIO = Supervision(id="sup", per_supervisor=4, loads={1: 2}, default_load=1)


def problem(*rules: Supervision, days: int = 3) -> Problem:
    return tiny_problem((*FACULTY, *RESIDENTS), days=days, shifts=(D, N), rules=rules)


def test_supervision_is_a_registered_program_rule() -> None:
    assert RULE_TYPES["supervision"] is Supervision
    assert "program rule, not an ACGME default" in (Supervision.__doc__ or "")
    assert all(r.kind != "supervision" for r in acgme(night_float=True))


def test_three_pgy1_with_one_faculty_miss_one_supervisor() -> None:
    pb = problem(RATIO)
    r = check(pb, rows({"F1": "D", "R1": "D", "R2": "D", "R3": "D"}))
    v = one(r, "sup")
    assert (v.family, v.person, v.first, v.last, v.hard, v.cost) == (
        "supervision",
        None,
        day(0),
        day(0),
        True,
        0,
    )
    assert (v.value, v.limit, v.amount, v.unit) == (1, 2, 1, "supervisors")
    assert "D on 2024-01-01: 3 supervised (load 6, 4 per supervisor) need 2 supervisors" in (
        v.message
    )
    assert "1 working (1 missing)" in v.message


def test_ratio_exactly_met_passes() -> None:
    pb = problem(RATIO)
    # Day 0: 2 PGY-1 per faculty; day 1: 4 PGY-2+ per faculty; day 2: both with 2 faculty.
    s = rows(
        {
            "F1": "D D D",
            "F2": "- - D",
            "R1": "D - D",
            "R2": "D - D",
            "R4": "- D D",
            "R5": "- D D",
            "R6": "- D -",
            "R7": "- D -",
        }
    )
    assert check(pb, s).feasible


def test_pgy2_plus_over_ratio_and_rounding_up() -> None:
    """Five PGY-2+ (load 5) with one faculty: 1 unit over, still one whole supervisor."""
    pb = problem(RATIO)
    s = rows({"F1": "D", "R4": "D", "R5": "D", "R6": "D", "R7": "D", "R8": "D"})
    v = one(check(pb, s), "sup")
    assert (v.value, v.limit, v.amount) == (1, 2, 1)
    # No faculty at all with one PGY-2: one supervisor missing.
    v = one(check(pb, rows({"R4": "- D"})), "sup")
    assert (v.first, v.value, v.limit, v.amount) == (day(1), 0, 1, 1)


def test_each_shift_type_is_supervised_separately() -> None:
    pb = problem(RATIO)
    r = check(pb, rows({"F1": "N", "R1": "D", "R2": "N"}))
    v = one(r, "sup")
    assert (v.first, v.amount) == (day(0), 1)
    assert v.message.startswith("D on 2024-01-01")


def test_soft_cost_per_missing_supervisor() -> None:
    rule = RATIO.model_copy(update={"hard": False, "weight": 5})
    pb = problem(rule)
    # 3 PGY-1 (load 6) + 2 PGY-2+ (load 2) and no faculty: 2 supervisors missing.
    s = rows({"R1": "D", "R2": "D", "R3": "D", "R4": "D", "R5": "D"})
    v = one(check(pb, s), "sup")
    assert (v.hard, v.amount, v.cost, v.value, v.limit) == (False, 2, 10, 0, 2)
    assert check(pb, s).objective == 10


def test_filter_days_and_scope() -> None:
    weekdays_nights = Supervision(
        id="nights",
        per_supervisor=2,
        tags=("night",),
        days=DaySet(kind="weekdays"),
        scope=Selector(roles=(Role.resident,), pgy_max=1),
    )
    # 2024-01-06 is a Saturday.
    pb = problem(weekdays_nights, days=6)
    # Days shifts are not supervised by this rule; PGY-2+ are outside its scope.
    assert check(pb, rows({"R1": "D", "R4": "N", "R5": "N"})).feasible
    r = check(pb, rows({"R1": "N - - - - N", "R2": "- - - - - N"}))
    v = one(r, "nights")
    assert (v.first, v.amount) == (day(0), 1)


def test_a_supervisor_is_never_supervised() -> None:
    everyone = Supervision(id="all", per_supervisor=1, scope=Selector())
    pb = problem(everyone)
    assert check(pb, rows({"F1": "D", "R4": "D"})).feasible
    assert one(check(pb, rows({"F1": "D", "R4": "D", "R5": "D"})), "all").amount == 1


def test_zero_load_and_default_load() -> None:
    free = Supervision(id="free", per_supervisor=1, loads={1: 0}, default_load=3)
    pb = problem(free)
    assert check(pb, rows({"R1": "D", "R2": "D"})).feasible
    assert one(check(pb, rows({"R4": "D"})), "free").amount == 3


def test_validation_of_references() -> None:
    with pytest.raises(ValidationError) as err:
        problem(
            Supervision(
                id="bad",
                per_supervisor=2,
                supervisors=Selector(people=("nobody",)),
                shifts=("ZZ",),
                days=DaySet(kind="listed", indices=(9,)),
            )
        )
    text = str(err.value)
    assert "unknown person 'nobody'" in text
    assert "unknown shift type 'ZZ'" in text
    assert "day index 9 is outside the horizon" in text
    with pytest.raises(ValidationError):
        Supervision(id="zero", per_supervisor=0)


def test_warning_when_no_supervisor_exists() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tiny_problem(RESIDENTS, shifts=(D, N), rules=[RATIO], quiet=False)
    assert any(
        issubclass(w.category, ProblemWarning) and "no person matches its supervisors" in str(w)
        for w in caught
    )


def test_json_round_trip_keeps_pgy_keys() -> None:
    pb = problem(RATIO)
    again = Problem.model_validate_json(pb.model_dump_json())
    assert again == pb
    rule = again.rules[0]
    assert isinstance(rule, Supervision) and rule.loads == {1: 2}
    assert rule.load_of(1) == 2 and rule.load_of(3) == 1 and rule.load_of(None) == 1
    assert rule.missing(6, 1) == 1 and rule.missing(8, 2) == 0 and rule.missing(9, 0) == 3
