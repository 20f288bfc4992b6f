"""Structural requirements: ids, horizon, one shift per day, overlap, eligibility, leave, locks."""

from __future__ import annotations

from datetime import time

from helpers import C24, D, N, X, day, one, rows, rules_hit, sched, tiny_problem
from rotasolve import Cover, DaySet, Leave, Lock, Selector, ShiftType, check


def test_clean_schedule_has_no_violation() -> None:
    r = check(tiny_problem(), rows({"A": "D N - C24 - - D", "B": "- D D - N - -"}))
    assert r.feasible and not r.penalties and r.objective == 0


def test_unknown_person_and_shift() -> None:
    first_day = DaySet(kind="listed", indices=(0,))
    pb = tiny_problem(cover=[Cover(id="c", shifts=("D",), min=1, days=first_day)])
    r = check(pb, sched(("Z", 0, "D"), ("A", 1, "Q")))
    bad = r.by_rule("unknown_id")
    assert [(v.person, v.first) for v in bad] == [("Z", day(0)), ("A", day(1))]
    assert all(v.hard and v.family == "structure" and v.cost == 0 for v in bad)
    assert "'Z'" in bad[0].message and "'Q'" in bad[1].message
    # The unknown person's D is ignored by cover, so day 0 is short.
    assert one(r, "c").amount == 1


def test_outside_horizon_is_reported_and_then_ignored() -> None:
    pb = tiny_problem(days=3)
    r = check(pb, sched(("A", -1, "D"), ("A", 3, "N"), ("A", 3, "N"), ("B", 0, "D")))
    out = r.by_rule("outside_horizon")
    assert [v.first for v in out] == [day(-1), day(3), day(3)]
    # The duplicate outside the horizon is not also a one_shift_per_day violation.
    assert rules_hit(r) == ["outside_horizon"] * 3


def test_unknown_and_outside_both_reported() -> None:
    r = check(tiny_problem(days=3), sched(("Z", 5, "D")))
    assert rules_hit(r) == ["unknown_id", "outside_horizon"]


def test_one_shift_per_day() -> None:
    r = check(tiny_problem(), rows({"A": "D+N - D+N+D"}))
    v1, v2 = r.by_rule("one_shift_per_day")
    assert (v1.person, v1.first, v1.amount, v1.value, v1.limit) == ("A", day(0), 1, 2, 1)
    # An exact duplicate counts twice.
    assert (v2.first, v2.amount) == (day(2), 2)
    assert "Dr A starts 2 shifts" in v1.message


def test_max_shifts_per_day_allows_two() -> None:
    r = check(tiny_problem(max_shifts_per_day=2), rows({"A": "D+N"}))
    assert r.feasible


def test_no_overlap_clock() -> None:
    pb = tiny_problem(max_shifts_per_day=2)
    # C24 on day 0 runs to day 1 07:00; a night from 19:00 on day 0 overlaps it by 720 min.
    v = one(check(pb, rows({"A": "C24+N"})), "no_overlap")
    assert (v.person, v.first, v.last, v.value, v.hard) == ("A", day(0), day(0), 720, True)
    # Across midnight: C24 on day 0 and a C24 started 1 min earlier on day 1 would overlap;
    # here a 06:00 shift on day 1 overlaps the last hour of the call.
    early = ShiftType(id="E", start=time(6), minutes=120)
    pb2 = tiny_problem(shifts=(D, N, C24, early))
    v = one(check(pb2, rows({"A": "C24 E"})), "no_overlap")
    assert (v.first, v.last, v.value) == (day(0), day(1), 60)


def test_no_overlap_half_open_intervals() -> None:
    # 19:00 + 720 min ends at 07:00, exactly when the next day's shift starts.
    r = check(tiny_problem(), rows({"A": "N D C24 D"}))
    assert r.feasible


def test_no_overlap_without_clock_means_same_day() -> None:
    pb = tiny_problem(shifts=(D, X), max_shifts_per_day=2)
    v = one(check(pb, rows({"A": "D+X X X"})), "no_overlap")
    assert (v.first, v.last, v.value) == (day(0), day(0), None)


def test_eligibility() -> None:
    senior = ShiftType(id="S", start=time(8), minutes=480, eligible=Selector(pgy_min=2))
    pb = tiny_problem(shifts=(D, senior))
    r = check(pb, rows({"A": "S -", "B": "S S"}))  # A is PGY-1, B PGY-2
    v = one(r, "eligibility")
    assert (v.person, v.first, v.family, v.hard) == ("A", day(0), "structure", True)
    assert "Dr A is not eligible for S" in v.message


def test_leave() -> None:
    pb = tiny_problem(leave=[Leave(id="lv1", person="A", first=day(1), last=day(2))])
    v = one(check(pb, rows({"A": "- D -"})), "lv1")
    assert (v.family, v.person, v.first, v.hard, v.cost) == ("leave", "A", day(1), True, 0)
    # A night started the day before running into the leave is allowed, as is work by B.
    assert check(pb, rows({"A": "N - - D", "B": "- D D"})).feasible


def test_lock_shift() -> None:
    pb = tiny_problem(locks=[Lock(id="k1", person="A", day=day(2), shift="N")])
    v = one(check(pb, rows({"A": "- - D"})), "k1")
    assert (v.family, v.person, v.first, v.hard) == ("lock", "A", day(2), True)
    assert "works D" in v.message
    assert "works nothing" in one(check(pb, rows({"A": "- - -"})), "k1").message
    assert check(pb, rows({"A": "- - N"})).feasible


def test_lock_off() -> None:
    pb = tiny_problem(locks=[Lock(id="k2", person="B", day=day(0), shift=None)])
    assert one(check(pb, rows({"B": "D"})), "k2").first == day(0)
    assert check(pb, rows({"B": "- D", "A": "D"})).feasible


def test_violations_are_in_a_deterministic_order() -> None:
    pb = tiny_problem(days=5)
    s = rows({"A": "D+N C24+D - Z", "B": "N+N - D - D"})
    s = sched(*[(a.person, a.day, a.shift) for a in s.assignments], ("Q", 9, "D"))
    s2 = sched(*[(a.person, a.day, a.shift) for a in reversed(s.assignments)])
    assert check(pb, s) == check(pb, s2)
