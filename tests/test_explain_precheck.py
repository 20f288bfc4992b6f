"""Pre-checks: conflicts proved by counting, before any search."""

from __future__ import annotations

from helpers import START, D, N, cover_over_availability, day, tiny_problem
from rotasolve import Cover, DaySet, Leave, Lock, ShiftCount, WorkMinutes
from rotasolve.explain.precheck import precheck


def test_cover_above_availability_names_the_slot_and_the_leave() -> None:
    # Two PGY-2+ needed on the night of day 2; A (PGY-1) is not eligible, B is on leave,
    # only C is left.
    pb = cover_over_availability()
    (conflict,) = precheck(pb)
    assert [r.rule for r in conflict.requirements] == ["night_cover", "lv_b"]
    assert conflict.requirements[0].first == day(2)
    assert "only 1 eligible available (Dr C)" in conflict.message
    assert conflict.minimal


def test_cover_short_by_two_is_not_claimed_minimal() -> None:
    # Three needed, two of three people on leave: cancelling one leave is not enough.
    pb = tiny_problem(
        3,
        cover=[
            Cover(id="day_cover", shifts=("D",), days=DaySet(kind="listed", indices=(0,)), min=3)
        ],
        leave=[
            Leave(id="lv_a", person="A", first=day(0), last=day(0)),
            Leave(id="lv_b", person="B", first=day(0), last=day(0)),
        ],
    )
    (conflict,) = precheck(pb)
    assert {r.rule for r in conflict.requirements} == {"day_cover", "lv_a", "lv_b"}
    assert not conflict.minimal


def test_cover_within_availability_is_no_conflict() -> None:
    pb = tiny_problem(
        3,
        cover=[Cover(id="c", shifts=("N",), min=2)],
        leave=[Leave(id="lv", person="A", first=day(0), last=day(6))],
    )
    assert precheck(pb) == []


def test_lock_on_leave_day() -> None:
    pb = tiny_problem(
        2,
        leave=[Leave(id="vac", person="A", first=day(2), last=day(4))],
        locks=[Lock(id="fix", person="A", day=day(3), shift="D")],
    )
    (conflict,) = precheck(pb)
    assert [r.rule for r in conflict.requirements] == ["fix", "vac"]
    assert conflict.minimal and conflict.source == "precheck"


def test_lock_off_on_leave_day_is_fine() -> None:
    pb = tiny_problem(
        2,
        leave=[Leave(id="vac", person="A", first=day(2), last=day(4))],
        locks=[Lock(id="fix", person="A", day=day(3), shift=None)],
    )
    assert precheck(pb) == []


def test_minimum_work_above_what_leave_allows() -> None:
    # 7 days, 5 on leave: at most 2 shifts of 720 minutes fit, 3 shifts are required.
    pb = tiny_problem(
        1,
        shifts=(D, N),
        rules=[
            ShiftCount(id="min_shifts", min=3),
            WorkMinutes(id="min_minutes", min=1441),
        ],
        leave=[Leave(id="long_leave", person="A", first=day(0), last=day(4))],
    )
    found = {c.requirements[0].rule: c for c in precheck(pb)}
    assert set(found) == {"min_shifts", "min_minutes"}
    assert [r.rule for r in found["min_shifts"].requirements] == ["min_shifts", "long_leave"]
    assert "at most 2 fit" in found["min_shifts"].message
    assert day(0) == START
