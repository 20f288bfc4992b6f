"""Explanations involving fixed duty entries (family ``duty``): ``pgy1_moonlighting`` (a
PGY-1 resident's moonlighting entry, infeasible on its own: nothing the solver decides can
undo it) and ``duty_overlap`` (no shift of the person may overlap their recorded duty).

Each set is verified minimal by the independent judge of tests/explain_oracle.py, which
drops a ``pgy1_moonlighting`` group by recording its entry as plain duty (same hours) and a
``duty_overlap`` group by making the person's entries not count hours (the days kept
become covers with ``max=0`` on the shifts that would overlap).
"""

from __future__ import annotations

from datetime import datetime

from explain_oracle import assert_minimal_conflict, holds, keys
from helpers import D, N, day, people, tiny_problem
from rotasolve import (
    Cover,
    DaySet,
    DutyEntry,
    Leave,
    Lock,
    Person,
    Problem,
    Rest,
    WorkMinutes,
    explain,
)


def at(i: int, hour: int) -> datetime:
    d = day(i)
    return datetime(d.year, d.month, d.day, hour)


def moonlighting_pgy1() -> Problem:
    intern = Person(id="A", name="Dr A", pgy=1)
    return tiny_problem(
        [intern, *people(2)[1:]],
        shifts=(D, N),
        duty=(
            DutyEntry(id="m1", person="A", start=at(1, 18), end=at(1, 23), kind="moonlighting"),
            DutyEntry(id="m2", person="A", start=at(4, 20), end=at(5, 2), kind="moonlighting"),
            DutyEntry(id="ext", person="A", start=at(2, 18), end=at(2, 23)),  # not moonlighting
        ),
    )


def test_pgy1_moonlighting_is_a_conflict_on_its_own_per_entry() -> None:
    pb = moonlighting_pgy1()
    for use_precheck in (True, False):
        found = explain(pb, max_conflicts=3, use_precheck=use_precheck)
        assert [keys(c) for c in found] == [
            {("pgy1_moonlighting", "A", day(1), day(1))},
            {("pgy1_moonlighting", "A", day(4), day(5))},
        ]
    first, second = found
    assert first.requirements[0].text == (
        "Dr A is PGY-1 and may not moonlight (ACGME VI.F.5): entry m1, 2024-01-02 18:00 to 23:00"
    )
    assert first.message == (
        "Dr A is PGY-1 but has moonlighting recorded (entry m1, 2024-01-02 18:00 to 23:00); "
        "PGY-1 residents may not moonlight"
    )
    assert second.requirements[0].text == (
        "Dr A is PGY-1 and may not moonlight (ACGME VI.F.5): "
        "entry m2, 2024-01-05 20:00 to 2024-01-06 02:00"
    )
    for c in found:
        assert c.minimal
        assert_minimal_conflict(pb, sorted(keys(c), key=str))
    assert not holds(pb, {("pgy1_moonlighting", "A", day(0), day(6))})  # the whole group


def overlap_against_lock() -> Problem:
    # Dr A is fixed to the night of 01-03 (19:00-07:00) but worked elsewhere 18:00-23:00.
    return tiny_problem(
        2,
        shifts=(D, N),
        duty=(DutyEntry(id="ext", person="A", start=at(2, 18), end=at(2, 23)),),
        locks=(Lock(id="fix", person="A", day=day(2), shift="N"),),
    )


def test_duty_overlap_against_a_lock() -> None:
    pb = overlap_against_lock()
    for use_precheck in (True, False):
        (c,) = explain(pb, use_precheck=use_precheck)
        assert keys(c) == {("fix", "A", day(2), day(2)), ("duty_overlap", "A", day(2), day(2))}
        assert c.minimal
    assert [r.text for r in c.requirements] == [
        "Dr A: no shift starting 2024-01-03 may overlap recorded duty "
        "(entry ext, 2024-01-03 18:00 to 23:00) (duty_overlap)",
        "Dr A is fixed: works N on 2024-01-03",
    ]
    assert c.message == (
        "Dr A is fixed to work N on 2024-01-03, which cannot hold given Dr A's recorded duty "
        "(ext) on 2024-01-03"
    )
    assert_minimal_conflict(pb, sorted(keys(c), key=str))


def test_duty_overlap_against_cover() -> None:
    # Night cover on 01-03: Dr B is on leave, Dr A worked elsewhere into the night.
    pb = tiny_problem(
        2,
        shifts=(D, N),
        cover=(Cover(id="nights", shifts=("N",), days=DaySet(kind="listed", indices=(2,)), min=1),),
        leave=(Leave(id="lv", person="B", first=day(2), last=day(2)),),
        duty=(DutyEntry(id="ext", person="A", start=at(2, 22), end=at(3, 4)),),
    )
    (c,) = explain(pb)
    assert keys(c) == {
        ("nights", None, day(2), day(2)),
        ("lv", "B", day(2), day(2)),
        ("duty_overlap", "A", day(2), day(2)),
    }
    assert c.minimal
    assert c.message == (
        "nights on 2024-01-03 needs at least 1 of anyone on N, which cannot be met given Dr A's "
        "recorded duty (ext) on 2024-01-03; Dr B's leave (2024-01-03)"
    )
    assert_minimal_conflict(pb, sorted(keys(c), key=str))


def test_duty_overlap_judged_with_rules_reading_entry_hours() -> None:
    # Rules that count the entry's hours: dropping the overlap (the entry stops counting
    # hours in the judge's rewrite) would change them, so the judge checks them with the
    # checker on the original problem instead.
    rules = (WorkMinutes(id="hours", max=20 * 60), Rest(id="rest8", minutes=480))
    pb = overlap_against_lock().model_copy(update={"rules": rules})
    (c,) = explain(pb)
    assert keys(c) == {("fix", "A", day(2), day(2)), ("duty_overlap", "A", day(2), day(2))}
    assert_minimal_conflict(pb, sorted(keys(c), key=str))
    fix, whole = ("fix", "A", day(2), day(2)), (day(0), day(6))
    assert holds(pb, {fix, ("hours", "A", *whole), ("rest8", "A", *whole)})
    # 12 h of night plus the entry's 5 h are over 16 h (a rewrite that stopped the entry
    # counting hours would have found room)
    tight = pb.model_copy(update={"rules": (WorkMinutes(id="hours", max=16 * 60),)})
    assert not holds(tight, {fix, ("hours", "A", *whole)})


def test_moonlighting_carried_in_from_before_the_horizon() -> None:
    # An entry before the horizon (history_start) is named by its own times; its group's
    # dates are clamped into the horizon, as every duty group's.
    intern = Person(id="A", name="Dr A", pgy=1)
    pb = tiny_problem(
        [intern],
        shifts=(D, N),
        history_start=day(-3),
        duty=(
            DutyEntry(id="m0", person="A", start=at(-2, 18), end=at(-2, 23), kind="moonlighting"),
        ),
    )
    (c,) = explain(pb)
    assert keys(c) == {("pgy1_moonlighting", "A", day(0), day(0))}
    assert c.requirements[0].text == (
        "Dr A is PGY-1 and may not moonlight (ACGME VI.F.5): entry m0, 2023-12-30 18:00 to 23:00"
    )
    assert_minimal_conflict(pb, sorted(keys(c), key=str))
