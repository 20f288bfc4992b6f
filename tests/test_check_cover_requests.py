"""Cover (min/max hard and soft, target) and requests (on/off, with and without shift)."""

from __future__ import annotations

from helpers import day, one, rows, tiny_problem
from rotasolve import Cover, DaySet, Request, Selector, check


def test_cover_hard_min_max() -> None:
    pb = tiny_problem(3, days=3, cover=[Cover(id="cD", shifts=("D",), min=1, max=1)])
    r = check(pb, rows({"A": "- D D", "B": "- - D", "C": "- - -"}))
    short, over = r.by_rule("cD")
    assert (short.first, short.last, short.value, short.limit, short.amount) == (
        day(0),
        day(0),
        0,
        1,
        1,
    )
    assert (over.first, over.value, over.limit, over.amount) == (day(2), 2, 1, 1)
    assert all(
        v.hard and v.cost == 0 and v.family == "cover" and v.person is None for v in r.by_rule("cD")
    )
    assert "cover cD on 2024-01-01 has 0 (min 1)" in short.message
    assert check(pb, rows({"A": "D D", "B": "- - D"})).feasible


def test_cover_soft_min_max() -> None:
    c = Cover(id="cs", shifts=("N",), min=2, max=2, hard=False, under_weight=5, over_weight=3)
    pb = tiny_problem(3, days=3, cover=[c])
    r = check(pb, rows({"A": "- N N", "B": "- N N", "C": "- - N"}))
    assert r.feasible
    under, over = r.by_rule("cs")
    assert (under.first, under.amount, under.cost, under.hard) == (day(0), 2, 10, False)
    assert (over.first, over.amount, over.cost) == (day(2), 1, 3)
    assert r.objective == 13


def test_cover_target_is_soft_and_zero_weight_side_is_not_reported() -> None:
    c = Cover(id="ct", shifts=("D",), target=2, target_under_weight=4)
    pb = tiny_problem(3, days=3, cover=[c])
    r = check(pb, rows({"A": "D D D", "B": "- D D", "C": "- - D"}))
    v = one(r, "ct")  # day 2 has 3 > target, but over-target weight is 0
    assert (v.first, v.amount, v.cost, v.limit, v.value) == (day(0), 1, 4, 2, 1)
    c2 = c.model_copy(update={"target_over_weight": 1})
    r2 = check(
        tiny_problem(3, days=3, cover=[c2]), rows({"A": "D D D", "B": "- D D", "C": "- - D"})
    )
    assert [(v.first, v.cost) for v in r2.penalties] == [(day(0), 4), (day(2), 1)]


def test_cover_counts_only_eligible_people_shifts_and_days() -> None:
    c = Cover(
        id="wk",
        shifts=("D", "N"),
        min=1,
        eligible=Selector(pgy_min=2),
        days=DaySet(kind="weekend"),
    )
    pb = tiny_problem(2, days=7, cover=[c])
    # A is PGY-1 and does not count; Saturday (day 5) is covered by B, Sunday is not.
    r = check(pb, rows({"A": "D D D D D D D", "B": "- - - - - N C24"}))
    v = one(r, "wk")
    assert v.first == day(6)
    assert check(pb, rows({"B": "- - - - - D N"})).feasible


def test_request_off_any_shift() -> None:
    pb = tiny_problem(requests=[Request(id="r1", person="A", day=day(1), want="off", weight=7)])
    v = one(check(pb, rows({"A": "- N"})), "r1")
    assert (v.family, v.person, v.first, v.amount, v.cost, v.hard) == (
        "request",
        "A",
        day(1),
        1,
        7,
        False,
    )
    assert v.message == "Dr A asked not to work any shift on 2024-01-02 but works N"
    # A night the day before does not break it (it starts on day 0).
    assert not check(pb, rows({"A": "N -"})).penalties


def test_request_off_one_shift() -> None:
    pb = tiny_problem(requests=[Request(id="r2", person="A", day=day(1), shift="N", weight=2)])
    assert one(check(pb, rows({"A": "- N"})), "r2").cost == 2
    assert not check(pb, rows({"A": "- D"})).penalties


def test_request_on_any_shift() -> None:
    pb = tiny_problem(requests=[Request(id="r3", person="B", day=day(0), want="on", weight=3)])
    v = one(check(pb, rows({"B": "- D"})), "r3")
    assert (v.person, v.first, v.cost) == ("B", day(0), 3)
    assert "works nothing" in v.message
    assert not check(pb, rows({"B": "C24"})).penalties


def test_request_on_one_shift() -> None:
    pb = tiny_problem(requests=[Request(id="r4", person="B", day=day(2), shift="D", want="on")])
    assert one(check(pb, rows({"B": "- - N"})), "r4").cost == 1
    assert not check(pb, rows({"B": "- - D"})).penalties
