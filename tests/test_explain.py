"""Explanations of infeasibility: known conflicts found exactly, each verified minimal by
an independent judge (tests/explain_oracle.py: problem restriction + solve, and the checker
for window-level groups)."""

from __future__ import annotations

import sys
import warnings
from datetime import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import rotasolve
from explain_oracle import Key, assert_minimal_conflict, feasible, holds, keys
from helpers import START, D, N, cover_over_availability, day, tiny_problem
from rotasolve import (
    Conflict,
    ConsecutiveDays,
    ConsecutiveDaysOff,
    ContinuousDuty,
    Cover,
    DaySet,
    DaysOff,
    Fairness,
    Leave,
    Lock,
    Person,
    Problem,
    Rest,
    Result,
    Selector,
    ShiftCount,
    ShiftType,
    Status,
    Succession,
    WorkMinutes,
    explain,
    solve,
)

H0, H6 = day(0), day(6)


def slot(cover: str, i: int) -> Key:
    return (cover, None, day(i), day(i))


def leave_against_lock() -> Problem:
    return tiny_problem(
        2,
        leave=[Leave(id="vac", person="A", first=day(2), last=day(4))],
        locks=[Lock(id="fix", person="A", day=day(3), shift="D")],
    )


def hours_against_cover() -> Problem:
    # One resident, a 12-hour night on each of days 2..8: 84 h > 80 h in the 7 days 2..8,
    # the only one of the four 7-day windows of the 10 days holding all seven nights.
    return tiny_problem(
        1,
        10,
        shifts=(D, N),
        cover=[
            Cover(
                id="nights",
                shifts=("N",),
                days=DaySet(kind="listed", indices=tuple(range(2, 9))),
                min=1,
            )
        ],
        rules=[WorkMinutes(id="hours80", max=80 * 60, window=7)],
    )


def q3_against_nightly_call(days: int = 3) -> Problem:
    # Call every night, at most one call in any 3 days, two residents.
    return tiny_problem(
        2,
        days,
        shifts=(N,),
        cover=[Cover(id="call", shifts=("N",), min=1)],
        rules=[ShiftCount(id="q3", max=1, window=3, shifts=("N",))],
    )


EXPECTED: dict[str, tuple[Problem, set[Key]]] = {
    "cover_over_availability": (
        cover_over_availability(),
        {slot("night_cover", 2), ("lv_b", "B", day(1), day(3))},
    ),
    "leave_against_lock": (
        leave_against_lock(),
        {("fix", "A", day(3), day(3)), ("vac", "A", day(2), day(4))},
    ),
    "hours_against_cover": (
        hours_against_cover(),
        {("hours80", "A", day(2), day(8)), *(slot("nights", i) for i in range(2, 9))},
    ),
    "q3_against_nightly_call": (
        q3_against_nightly_call(),
        {("q3", "A", H0, day(2)), ("q3", "B", H0, day(2)), *(slot("call", i) for i in range(3))},
    ),
}


@pytest.mark.parametrize("use_precheck", [True, False])
@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_known_conflicts_are_found_exactly(case: str, use_precheck: bool) -> None:
    pb, expected = EXPECTED[case]
    (c,) = explain(pb, time_limit=20, use_precheck=use_precheck)
    assert keys(c) == expected
    assert c.minimal
    assert_minimal_conflict(pb, sorted(keys(c), key=str))


def test_precheck_and_core_sources() -> None:
    pb, _ = EXPECTED["leave_against_lock"]
    assert explain(pb)[0].source == "precheck"
    assert explain(pb, use_precheck=False)[0].source == "core"


def test_texts_name_people_dates_rule_and_limit() -> None:
    (c,) = explain(hours_against_cover())
    texts = {r.rule: r.text for r in c.requirements}
    assert texts["hours80"] == (
        "Dr A: at most 4800 minutes (80 h) in any 7 days (hours80), "
        "in the window 2024-01-03 to 01-09"
    )
    assert any("nights on 2024-01-03 needs at least 1" in r.text for r in c.requirements)
    assert c.message == (
        "7 cover slots (nights, 2024-01-03 to 2024-01-09) cannot all be filled given "
        "hours80 for Dr A in the window 2024-01-03 to 01-09"
    )
    (c,) = explain(cover_over_availability(), use_precheck=False)
    assert c.requirements[0].family == "cover"  # what is needed first, then what blocks it
    assert "PGY-2+ residents" in c.requirements[0].text
    assert "Dr B is on leave (2024-01-02 to 2024-01-04)" in [r.text for r in c.requirements]
    assert "\n" not in c.message


def test_whole_rule_when_the_window_is_the_horizon() -> None:
    # One 3-day window over 3 days: the group is the rule for the person, no window named.
    (c,) = explain(q3_against_nightly_call())
    texts = {r.text for r in c.requirements if r.rule == "q3"}
    assert texts == {
        "Dr A: at most 1 N shifts in any 3 days (q3)",
        "Dr B: at most 1 N shifts in any 3 days (q3)",
    }


def test_q3_over_a_week_names_the_binding_windows() -> None:
    # Two residents, call every night, q3: any three consecutive nights conflict. Each
    # conflict names the one 3-day window of each resident over its three nights, and once
    # those windows are set free the other windows still conflict with other nights.
    pb = q3_against_nightly_call(days=7)
    found = explain(pb, max_conflicts=3)
    assert len(found) == 2  # 7 nights hold two disjoint runs of three, not three
    for c in found:
        got = keys(c)
        nights = sorted(k[2] for k in got if k[0] == "call" and k[2] is not None)
        assert len(nights) == 3 and (nights[2] - nights[0]).days == 2
        assert {k for k in got if k[0] == "q3"} == {
            ("q3", "A", nights[0], nights[2]),
            ("q3", "B", nights[0], nights[2]),
        }
        assert c.minimal
        assert_minimal_conflict(pb, sorted(got, key=str))
    assert keys(found[0]).isdisjoint(keys(found[1]))


def test_lock_on_an_ineligible_shift_cannot_hold_on_its_own() -> None:
    # Eligibility is structural (who a shift type is for), never a requirement group.
    senior_night = N.model_copy(update={"eligible": Selector(pgy_min=2)})
    pb = tiny_problem(
        2,
        shifts=(D, senior_night),
        locks=[Lock(id="fix", person="A", day=day(1), shift="N")],
    )
    for use_precheck in (True, False):
        (c,) = explain(pb, use_precheck=use_precheck)
        assert keys(c) == {("fix", "A", day(1), day(1))}
        assert c.message == "Dr A is fixed to N on 2024-01-02 but may not work that shift type"
    assert_minimal_conflict(pb, sorted(keys(c), key=str))


def test_disjoint_conflicts_are_all_reported() -> None:
    pb = tiny_problem(
        3,
        cover=[
            Cover(id="days", shifts=("D",), days=DaySet(kind="listed", indices=(5,)), min=3),
        ],
        leave=[
            Leave(id="vac", person="A", first=day(2), last=day(4)),
            Leave(id="course", person="C", first=day(5), last=day(5)),
        ],
        locks=[Lock(id="fix", person="A", day=day(3), shift="D")],
        rules=[ShiftCount(id="max2", max=2, window=3)],
    )
    found = explain(pb, max_conflicts=5, use_precheck=False)
    assert {frozenset(keys(c)) for c in found} == {
        frozenset({("fix", "A", day(3), day(3)), ("vac", "A", day(2), day(4))}),
        frozenset({slot("days", 5), ("course", "C", day(5), day(5))}),
    }
    assert len(explain(pb, max_conflicts=1)) == 1
    for c in found:
        assert_minimal_conflict(pb, sorted(keys(c), key=str))


def test_precheck_conflict_that_is_not_minimal_is_shrunk() -> None:
    # Three needed, two of three on leave: dropping one leave leaves two people, still short.
    pb = tiny_problem(
        3,
        cover=[Cover(id="dc", shifts=("D",), days=DaySet(kind="listed", indices=(0,)), min=3)],
        leave=[
            Leave(id="lv_a", person="A", first=day(0), last=day(0)),
            Leave(id="lv_b", person="B", first=day(0), last=day(0)),
        ],
    )
    (c,) = explain(pb)
    assert c.source == "precheck" and c.minimal
    assert len(c.requirements) == 2 and slot("dc", 0) in keys(c)
    assert_minimal_conflict(pb, sorted(keys(c), key=str))


def test_feasible_problem_has_no_conflict() -> None:
    assert explain(tiny_problem(2, cover=[Cover(id="c", shifts=("D",), min=1)])) == []


def test_no_budget_never_raises() -> None:
    pb = q3_against_nightly_call(days=7)
    out = explain(pb, time_limit=0.0)
    assert all(isinstance(c, Conflict) for c in out)


def test_solve_says_when_no_conflict_was_found_in_time() -> None:
    # Infeasible with a conflict beyond the pre-checks (q3 against nightly call), and no
    # time for the search: the result says why it has no conflicts.
    res = solve(q3_against_nightly_call(days=7), workers=1, time_limit=10, explain_time_limit=0.0)
    assert res.status == Status.infeasible
    assert res.conflicts == ()
    assert "no conflicting set of requirements found within explain_time_limit=0 s" in (res.message)


def test_conflicts_round_trip_through_json() -> None:
    pb = q3_against_nightly_call()
    res = solve(pb, workers=1, time_limit=10)
    assert res.status == Status.infeasible and res.conflicts
    again = Result.model_validate_json(res.model_dump_json())
    assert again.conflicts == res.conflicts
    assert isinstance(again.conflicts[0], Conflict)
    data = res.model_dump(mode="json")["conflicts"][0]
    assert data["minimal"] is True and data["source"] == "core"
    assert {r["rule"] for r in data["requirements"]} == {"call", "q3"}


def test_solve_on_infeasible_fills_conflicts_and_summary_prints_them() -> None:
    pb, expected = EXPECTED["cover_over_availability"]
    res = solve(pb, workers=1, time_limit=10)
    assert res.status == Status.infeasible
    (c,) = res.conflicts
    assert keys(c) == expected
    text = res.summary()
    assert "why infeasible (1 conflict):" in text
    assert "Dr B is on leave (2024-01-02 to 2024-01-04)" in text
    assert solve(pb, workers=1, time_limit=10, explain=False).conflicts == ()


def test_solve_never_raises_when_the_explanation_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object, **__: object) -> list[Conflict]:
        raise RuntimeError("kaput")

    # rotasolve.explain is the function; the module is in sys.modules
    monkeypatch.setattr(sys.modules["rotasolve.explain"], "explain", boom)
    res = solve(q3_against_nightly_call(), workers=1, time_limit=10)
    assert res.status == Status.infeasible and res.conflicts == ()
    assert "kaput" in res.message


def test_exported() -> None:
    assert rotasolve.explain is explain
    assert callable(rotasolve.explain)


# --- random tiny infeasible problems -------------------------------------------------

DAY = ShiftType(id="D", start=time(8), minutes=480)
NIGHT = ShiftType(id="N", start=time(20), minutes=720, tags=("night",))


@st.composite
def tiny_infeasible(draw: st.DrawFn) -> Problem:
    n_people = draw(st.integers(2, 3))
    days = draw(st.integers(3, 5))
    people = tuple(
        Person(id=chr(65 + i), name=f"Dr {chr(65 + i)}", pgy=draw(st.integers(1, 3)))
        for i in range(n_people)
    )
    ids = [p.id for p in people]
    dates = [day(i) for i in range(days)]
    night = NIGHT
    if draw(st.booleans()):
        night = NIGHT.model_copy(update={"eligible": Selector(pgy_min=2)})
    covers = []
    for j in range(draw(st.integers(1, 2))):
        listed = draw(st.lists(st.integers(0, days - 1), min_size=1, max_size=days, unique=True))
        covers.append(
            Cover(
                id=f"cov{j}",
                shifts=(draw(st.sampled_from(["D", "N"])),),
                days=DaySet(kind="listed", indices=tuple(sorted(listed))),
                eligible=draw(st.sampled_from([Selector(), Selector(pgy_min=2)])),
                min=draw(st.integers(1, 2)),
            )
        )
    leave = []
    for j in range(draw(st.integers(0, 2))):
        a = draw(st.integers(0, days - 1))
        b = draw(st.integers(a, days - 1))
        leave.append(
            Leave(id=f"lv{j}", person=draw(st.sampled_from(ids)), first=dates[a], last=dates[b])
        )
    locks = []
    used: set[tuple[str, int]] = set()
    for j in range(draw(st.integers(0, 2))):
        who, d = draw(st.sampled_from(ids)), draw(st.integers(0, days - 1))
        if (who, d) in used:
            continue
        used.add((who, d))
        shift = draw(st.sampled_from(["D", "N", None]))
        locks.append(Lock(id=f"lk{j}", person=who, day=dates[d], shift=shift))
    pool = [
        ShiftCount(id="max_in_3", max=draw(st.integers(1, 2)), window=3),
        ShiftCount(id="min_total", min=draw(st.integers(1, 3))),
        WorkMinutes(id="hours", max=draw(st.sampled_from([960, 1200, 1440])), window=3),
        ConsecutiveDays(id="run", max=2),
        Succession(id="no_day_after_night", first={"shifts": ("N",)}, second={"shifts": ("D",)}),
        Rest(id="rest17", minutes=17 * 60),
        ContinuousDuty(id="max16", max_minutes=16 * 60),
        DaysOff(id="off1in3", min=1, window=3),
        ConsecutiveDaysOff(id="off_runs", max=1),
        Fairness(id="fair_nights", shifts=("N",), tolerance=0),
    ]
    rules = draw(st.lists(st.sampled_from(pool), max_size=4, unique_by=lambda r: r.id))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Problem(
            horizon={"start": START, "days": days},
            people=people,
            shifts=(DAY, night),
            cover=tuple(covers),
            leave=tuple(leave),
            locks=tuple(locks),
            rules=tuple(rules),
        )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(tiny_infeasible(), st.booleans())
def test_random_infeasible_problems_get_minimal_conflicts(pb: Problem, use_pre: bool) -> None:
    assume(not feasible(pb))
    found = explain(pb, time_limit=20, max_conflicts=2, use_precheck=use_pre)
    assert found, "an infeasible problem must get at least one conflict"
    seen: set[Key] = set()
    for c in found:
        ks = keys(c)
        assert seen.isdisjoint(ks)
        seen |= ks
        assert c.minimal  # tiny problems: every check is decided well within the budget
        assert_minimal_conflict(pb, sorted(ks, key=str))
    # Dropping every reported group does not have to make the problem feasible (only two
    # conflicts were asked for), but restricting to them must keep it infeasible.
    assert not holds(pb, seen)
