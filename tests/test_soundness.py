"""The solver held to the independent checker on random small problems.

Two properties, over random problems with every rule family (hard and soft), cover,
leave, requests and locks:

Problems also carry fixed duty entries (moonlighting, at-home call hours in hospital) that
chain with shifts back to back, so the families reading them (work_minutes, rest,
continuous_duty, days_off, and the duty-entry requirements) are held to the checker too;
some carry history (``history_start`` up to 3 days before the horizon, entries lying before
it), so windows straddling the horizon start are held to the checker as well.

1. *Exact model*: for any schedule, the compiled model with the assignment variables fixed
   to it is feasible exactly when the checker finds no hard violation, and its objective
   then equals the checker's objective (penalty variables are exact, not only at the
   optimum).
2. *Sound solve*: a returned schedule has no hard violation and the checker's objective;
   an ``optimal`` one is no worse than any schedule found by brute force, and ``infeasible``
   means brute force finds no schedule without hard violations.
"""

from __future__ import annotations

import itertools
import warnings
from datetime import date, datetime, time, timedelta
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from rotasolve import (
    RULE_TYPES,
    ConsecutiveDays,
    ConsecutiveDaysOff,
    ContinuousDuty,
    Cover,
    DaySet,
    DaysOff,
    DutyEntry,
    Fairness,
    Horizon,
    Leave,
    Lock,
    Person,
    Problem,
    ProblemIndex,
    Request,
    Rest,
    Role,
    Schedule,
    Selector,
    ShiftCount,
    ShiftFilter,
    ShiftType,
    Succession,
    Supervision,
    Weekends,
    WorkMinutes,
    check,
)
from rotasolve.schedule import Assignment
from rotasolve.solver import evaluate, model, solve

POOL = (
    ShiftType(id="D", start=time(7), minutes=600, tags=("day",)),
    ShiftType(id="N", start=time(19), minutes=720, tags=("night",)),
    ShiftType(id="C", start=time(7), minutes=1440, tags=("call", "call24")),
    ShiftType(id="E", start=time(15), minutes=480, tags=("eve",)),
    ShiftType(id="S", start=time(23), minutes=480, tags=("night",)),
    ShiftType(id="L", start=time(7), minutes=1680, tags=("call24",)),
    ShiftType(id="H", start=time(17), minutes=840, counts_hours=False, tags=("home",)),
    # no clock time: clock rules are then refused, and same-day starts count as overlap
    ShiftType(id="X", minutes=480, tags=("day",)),
)
TAGS = ("day", "night", "call", "call24", "eve", "home")
BASE = date(2024, 1, 1)  # a Monday


@st.composite
def filters(draw: st.DrawFn, shift_ids: list[str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["all", "shift", "tag"]))
    if kind == "shift":
        return {"shifts": (draw(st.sampled_from(shift_ids)),)}
    if kind == "tag":
        return {"tags": (draw(st.sampled_from(TAGS)),)}
    return {}


@st.composite
def strength(draw: st.DrawFn, soft_bias: float) -> dict[str, Any]:
    soft = draw(st.floats(0, 1)) < soft_bias
    return {"hard": not soft, "weight": draw(st.integers(1, 5)) if soft else 0}


def _min_max(draw: st.DrawFn, lo: list[int], hi: list[int | None]) -> tuple[int, int | None]:
    a = draw(st.sampled_from(lo))
    b = draw(st.sampled_from(hi))
    if b is not None and a > b:
        a, b = b, a
    return a, b


KINDS = sorted(RULE_TYPES)


@st.composite
def rules(
    draw: st.DrawFn,
    i: int,
    days: int,
    shift_ids: list[str],
    soft_bias: float,
    kinds: list[str] = KINDS,
) -> Any:
    kind = draw(st.sampled_from(kinds))
    common = {"id": f"r{i}", **draw(strength(soft_bias))}
    window = draw(st.one_of(st.none(), st.integers(1, days)))
    blocks = draw(st.booleans())
    if kind == "shift_count":
        lo, hi = _min_max(draw, [0, 1, 2], [None, 0, 1, 2, 3])
        flt = draw(filters(shift_ids))
        return ShiftCount(**common, **flt, min=lo, max=hi, window=window, blocks=blocks)
    if kind == "work_minutes":
        lo, hi = _min_max(draw, [0, 480, 600, 1200], [None, 300, 600, 1000, 1440, 2000])
        flt = draw(filters(shift_ids))
        split = draw(st.sampled_from(["start_day", "clock"]))
        return WorkMinutes(
            **common, **flt, min=lo, max=hi, window=window, blocks=blocks, split=split
        )
    if kind == "consecutive_days":
        lo, hi = _min_max(draw, [0, 1, 2, 3], [None, 0, 1, 2, 3])
        flt = draw(filters(shift_ids))
        return ConsecutiveDays(**common, **flt, min=lo, max=hi, exempt_edges=draw(st.booleans()))
    if kind == "consecutive_days_off":
        lo, hi = _min_max(draw, [0, 1, 2, 3], [None, 0, 1, 2, 3])
        return ConsecutiveDaysOff(**common, min=lo, max=hi, exempt_edges=draw(st.booleans()))
    if kind == "weekends":
        return Weekends(**common, max=draw(st.integers(0, 1)))
    if kind == "succession":
        first = ShiftFilter(**draw(filters(shift_ids)))
        second = ShiftFilter(**draw(filters(shift_ids)))
        return Succession(**common, first=first, second=second)
    if kind == "rest":
        after = ShiftFilter(**draw(filters(shift_ids)))
        minutes = draw(st.sampled_from([120, 480, 600, 840, 1000, 1500]))
        return Rest(**common, minutes=minutes, after=after)
    if kind == "continuous_duty":
        return ContinuousDuty(**common, max_minutes=draw(st.sampled_from([480, 700, 1000, 1680])))
    if kind == "days_off":
        return DaysOff(
            **common,
            min=draw(st.integers(0, 2)),
            window=window or days,
            blocks=blocks,
            day_off=draw(st.sampled_from(["calendar", "free24"])),
        )
    if kind == "fairness":
        flt = draw(filters(shift_ids))
        ds = DaySet(kind=draw(st.sampled_from(["all", "weekend", "weekdays"])))
        carried = draw(st.dictionaries(st.sampled_from("ABC"), st.integers(0, 2), max_size=2))
        return Fairness(
            **common, **flt, days=ds, tolerance=draw(st.integers(0, 1)), carried=carried
        )
    assert kind == "supervision", f"no strategy for rule kind {kind!r}"
    flt = draw(filters(shift_ids))
    return Supervision(
        **common,
        **flt,
        per_supervisor=draw(st.integers(1, 3)),
        loads={1: 2},
        default_load=draw(st.integers(0, 1)),
    )


#: Entry start times: the ends of the pool's shifts (so entries chain back to back) and more.
ENTRY_STARTS = (time(3), time(7), time(11), time(15), time(17), time(19), time(23))


@st.composite
def duty_entries(
    draw: st.DrawFn, horizon: Horizon, pids: list[str], most: int = 2, history: int = 0
) -> list[DutyEntry]:
    """Up to ``most`` non-overlapping fixed duty entries, from the day before the horizon
    (``history`` days before it, when carried-in history is given: then entries may lie
    entirely before the horizon) to its last day, mostly counting hours."""
    out: list[DutyEntry] = []
    taken: dict[str, list[tuple[datetime, datetime]]] = {}
    for i in range(draw(st.integers(0, most))):
        who = draw(st.sampled_from(pids))
        d = draw(st.integers(-max(1, history), horizon.days - 1))
        start = datetime.combine(horizon.date(d), draw(st.sampled_from(ENTRY_STARTS)))
        end = start + timedelta(minutes=draw(st.sampled_from([60, 120, 240, 480, 720])))
        if not history and end <= datetime.combine(horizon.start, time(0)):
            continue
        if any(a < end and start < b for a, b in taken.get(who, [])):
            continue
        taken.setdefault(who, []).append((start, end))
        out.append(
            DutyEntry(
                id=f"e{i}",
                person=who,
                start=start,
                end=end,
                kind=draw(st.sampled_from(["duty", "home_call_in_hospital", "moonlighting"])),
                counts_hours=draw(st.integers(0, 5)) > 0,
            )
        )
    return out


@st.composite
def problems(
    draw: st.DrawFn,
    max_people: int = 3,
    max_days: int = 5,
    max_shifts: int = 3,
    soft_bias: float = 0.5,
    kinds: list[str] = KINDS,
    extras: bool = True,
) -> Problem:
    days = draw(st.integers(3, max_days))
    start = BASE + timedelta(days=draw(st.integers(0, 6)))
    n_people = draw(st.integers(2, max_people))
    people = []
    for k in range(n_people):
        if draw(st.integers(0, 4)) == 0:
            people.append(Person(id="ABC"[k], role=Role.faculty, skills=("sup",)))
        else:
            people.append(Person(id="ABC"[k], pgy=draw(st.integers(1, 3))))
    shifts = list(
        draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=max_shifts, unique=True))
    )
    if draw(st.integers(0, 4)) == 0:  # one shift type only some people may work
        who = draw(st.sampled_from([p.id for p in people]))
        shifts[0] = shifts[0].model_copy(update={"eligible": Selector(people=(who,))})
    ids = [s.id for s in shifts]
    horizon = Horizon(start=start, days=days)
    dates = [horizon.date(d) for d in range(days)]
    pids = [p.id for p in people]

    cover = []
    for i in range(draw(st.integers(0, 2 if extras else 0))):
        lo, hi = _min_max(draw, [0, 1, 2], [None, 1, 2])
        target = draw(st.one_of(st.none(), st.integers(0, hi if hi is not None else 2)))
        cover.append(
            Cover(
                id=f"c{i}",
                shifts=tuple(draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))),
                days=DaySet(kind=draw(st.sampled_from(["all", "weekdays", "weekend"]))),
                min=lo,
                max=hi,
                hard=draw(st.booleans()),
                under_weight=draw(st.integers(0, 4)),
                over_weight=draw(st.integers(0, 4)),
                target=target,
                target_under_weight=draw(st.integers(0, 3)),
                target_over_weight=draw(st.integers(0, 3)),
            )
        )
    leave = []
    if extras and draw(st.booleans()):
        a = draw(st.integers(0, days - 1))
        b = draw(st.integers(a, days - 1))
        leave.append(
            Leave(id="lv", person=draw(st.sampled_from(pids)), first=dates[a], last=dates[b])
        )
    requests = [
        Request(
            id=f"q{i}",
            person=draw(st.sampled_from(pids)),
            day=draw(st.sampled_from(dates)),
            shift=draw(st.one_of(st.none(), st.sampled_from(ids))),
            want=draw(st.sampled_from(["on", "off"])),
            weight=draw(st.integers(1, 4)),
        )
        for i in range(draw(st.integers(0, 3 if extras else 0)))
    ]
    locks = [
        Lock(
            id=f"k{i}",
            person=draw(st.sampled_from(pids)),
            day=draw(st.sampled_from(dates)),
            shift=draw(st.one_of(st.none(), st.sampled_from(ids))),
        )
        for i in range(draw(st.integers(0, 1 if extras else 0)))
    ]
    # carried-in history (Problem.history_start) in about one problem of six
    history = draw(st.integers(1, 3)) if draw(st.integers(0, 5)) == 0 else 0
    history_start = start - timedelta(days=history) if history else None
    duty = (
        draw(duty_entries(horizon, pids, 3 if history else 2, history))
        if history or draw(st.integers(0, 2)) == 0
        else []
    )
    n_rules = draw(st.integers(0 if extras else 1, 4 if extras else 2))
    rule_list = [draw(rules(i, days, ids, soft_bias, kinds)) for i in range(n_rules)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Problem(
                horizon=horizon,
                people=tuple(people),
                shifts=tuple(shifts),
                cover=tuple(cover),
                leave=tuple(leave),
                requests=tuple(requests),
                locks=tuple(locks),
                rules=tuple(rule_list),
                duty=tuple(duty),
                max_shifts_per_day=draw(st.sampled_from([1, 1, 1, 2])),
                history_start=history_start,
            )
    except ValidationError:
        assume(False)
        raise


def _cells(pb: Problem) -> list[tuple[int, int, list[tuple[int, ...]]]]:
    """Per (person, day), every set of shifts that can be started (subsets up to the daily
    cap, excluding shifts ruled out by leave and eligibility, which are unambiguous)."""
    ix = ProblemIndex(pb)
    out = []
    for p in range(len(ix.people)):
        for d in range(ix.days):
            ok = (
                []
                if d in ix.leave_days.get(p, set())
                else [s for s in range(len(ix.shifts)) if ix.may_work(p, s)]
            )
            opts = [
                c for k in range(pb.max_shifts_per_day + 1) for c in itertools.combinations(ok, k)
            ]
            out.append((p, d, opts))
    return out


def _space(pb: Problem) -> int:
    n = 1
    for _, _, opts in _cells(pb):
        n *= len(opts)
    return n


def _all_schedules(pb: Problem) -> Any:
    ix = ProblemIndex(pb)
    cells = _cells(pb)
    for choice in itertools.product(*(opts for _, _, opts in cells)):
        yield Schedule(
            assignments=tuple(
                Assignment(person=ix.people[p].id, day=ix.dates[d], shift=ix.shifts[s].id)
                for (p, d, _), ss in zip(cells, choice, strict=True)
                for s in ss
            )
        )


@st.composite
def schedules(draw: st.DrawFn, pb: Problem) -> Schedule:
    """A random schedule: any shift on any day, mostly within the daily cap (and rarely
    over it, so structural violations are exercised too)."""
    ix = ProblemIndex(pb)
    out = []
    for p, person in enumerate(pb.people):
        for d in range(pb.horizon.days):
            k = draw(st.sampled_from([0, 1, 1, 2] if pb.max_shifts_per_day > 1 else [0, 1, 1]))
            pool = list(range(len(pb.shifts)))
            if draw(st.integers(0, 30)) == 0:
                k += 1  # over the cap
            elif draw(st.integers(0, 10)) > 0:  # mostly allowed shifts only
                pool = (
                    []
                    if d in ix.leave_days.get(p, set())
                    else [s for s in pool if ix.may_work(p, s)]
                )
            if not pool:
                continue
            for s in draw(
                st.lists(st.sampled_from(pool), min_size=k, max_size=k, unique=True)
                if k <= len(pool)
                else st.just(pool)
            ):
                out.append(
                    Assignment(person=person.id, day=pb.horizon.date(d), shift=pb.shifts[s].id)
                )
    return Schedule(assignments=tuple(out))


def _assert_model_agrees(pb: Problem, schedule: Schedule) -> None:
    """The model rejects ``schedule`` exactly when the checker finds a hard violation, and
    otherwise its objective is the checker's."""
    report = check(pb, schedule)
    got = evaluate(pb, schedule)
    if report.hard_violations:
        assert got is None, report.summary()
    else:
        assert got == report.objective, report.summary()


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_model_is_exact_on_any_schedule(data: st.DataObject) -> None:
    pb = data.draw(problems(soft_bias=0.8))
    _assert_model_agrees(pb, data.draw(schedules(pb)))


@pytest.mark.parametrize("kind", KINDS)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_model_is_exact_per_family(kind: str, data: st.DataObject) -> None:
    """One family at a time, mostly soft, on dense schedules: every penalty path is hit."""
    pb = data.draw(problems(soft_bias=0.9, kinds=[kind], extras=False))
    _assert_model_agrees(pb, data.draw(schedules(pb)))


@pytest.mark.parametrize("kind", ["work_minutes", "shift_count", "days_off"])
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_window_sums_as_prefix_sums_are_exact(kind: str, data: st.DataObject) -> None:
    """Windowed families with every window sum written over prefix-sum variables (what
    the compiler does on long horizons with rolling windows): same verdict and objective."""
    pb = data.draw(problems(soft_bias=0.6, kinds=[kind]))
    with mock.patch.object(model, "PREFIX_RATIO", 0):
        _assert_model_agrees(pb, data.draw(schedules(pb)))


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(pb=problems(max_people=2, max_days=4, max_shifts=2))
def test_solve_is_sound_and_optimal(pb: Problem) -> None:
    res = solve(pb, workers=1, time_limit=5)
    space = _space(pb)
    brute = space <= 1500
    if res.status.has_schedule:
        assert res.report is not None
        assert not res.report.hard_violations, res.report.summary()
        assert res.objective == res.report.objective
        if res.status == "optimal" and brute:
            for sch in _all_schedules(pb):
                rep = check(pb, sch)
                if not rep.hard_violations:
                    assert rep.objective >= res.objective, (sch, rep.summary())
    elif res.status == "infeasible" and brute:
        for sch in _all_schedules(pb):
            rep = check(pb, sch)
            assert rep.hard_violations, sch
    else:
        assert res.status in ("infeasible", "unknown")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(pb=problems(max_people=3, max_days=7, max_shifts=3))
def test_bigger_problems_agree_with_checker(pb: Problem) -> None:
    """Beyond brute force: a returned schedule still satisfies the checker exactly."""
    res = solve(pb, workers=1, time_limit=5)
    if res.status.has_schedule:
        assert res.report is not None
        assert not res.report.hard_violations, res.report.summary()
        assert res.objective == res.report.objective
