"""The ACGME presets: ids and numbers, hard/soft switches, and checked schedules."""

from __future__ import annotations

import warnings
from datetime import date, time, timedelta

import pytest

import rotasolve as rs
from rotasolve.rules import RESIDENTS, acgme, acgme_pgy1_2011, new_york_405

START = date(2027, 7, 5)  # Monday

D = rs.ShiftType(id="D", start=time(7), minutes=720, tags=("day",))
LATE = rs.ShiftType(id="L", start=time(15), minutes=600)  # 15:00-01:00
N = rs.ShiftType(id="N", start=time(19), minutes=720, tags=("night",))
CALL = rs.ShiftType(
    id="C", start=time(7), minutes=1440, tags=("call", "call24"), call=rs.CallKind.in_house
)
RES = rs.Person(id="res", pgy=2)
INTERN = rs.Person(id="intern", pgy=1)
FAC = rs.Person(id="fac", role=rs.Role.faculty)


def problem(rules: tuple[rs.Rule, ...], days: int = 28) -> rs.Problem:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.ProblemWarning)
        return rs.Problem(
            horizon=rs.Horizon(start=START, days=days),
            people=(RES, INTERN, FAC),
            shifts=(D, LATE, N, CALL),
            rules=rules,
        )


def sched(*items: tuple[str, int, str]) -> rs.Schedule:
    return rs.Schedule(
        assignments=tuple(
            rs.Assignment(person=p, day=START + timedelta(days=d), shift=s) for p, d, s in items
        )
    )


def only(report: rs.Report, rule: str) -> rs.Violation:
    hits = [*report.hard_violations, *report.penalties]
    assert [v.rule for v in hits] == [rule], hits
    return hits[0]


# --- the rules and their numbers ---------------------------------------------------------


def test_acgme_ids_numbers_and_scope() -> None:
    rules = {r.id: r for r in acgme()}
    assert list(rules) == [
        "acgme_weekly_hours",
        "acgme_day_off",
        "acgme_continuous_duty",
        "acgme_rest_8h",
        "acgme_rest_14h_after_call",
        "acgme_call_q3",
    ]
    assert all(r.hard and r.scope == RESIDENTS for r in rules.values())
    hours = rules["acgme_weekly_hours"]
    assert isinstance(hours, rs.WorkMinutes)
    assert (hours.max, hours.window, hours.blocks, hours.split) == (80 * 60 * 4, 28, False, "clock")
    off = rules["acgme_day_off"]
    assert isinstance(off, rs.DaysOff)
    assert (off.min, off.window, off.day_off) == (4, 28, "free24")
    duty = rules["acgme_continuous_duty"]
    assert isinstance(duty, rs.ContinuousDuty) and duty.max_minutes == 1680
    rest = rules["acgme_rest_8h"]
    assert isinstance(rest, rs.Rest) and rest.minutes == 480 and rest.after.is_all()
    rest14 = rules["acgme_rest_14h_after_call"]
    assert isinstance(rest14, rs.Rest)
    assert (rest14.minutes, rest14.after) == (840, rs.ShiftFilter(tags=("call24",)))
    calls = rules["acgme_call_q3"]
    assert isinstance(calls, rs.ShiftCount)
    assert (calls.tags, calls.max, calls.window) == (("call",), 9, 28)
    assert all(r.label.startswith("ACGME VI.F.") for r in rules.values())


def test_acgme_options() -> None:
    rules = {r.id: r for r in acgme(night_float=True, blocks=True, exception_88=True)}
    nf = rules["acgme_night_float"]
    assert isinstance(nf, rs.ConsecutiveDays)
    assert (nf.tags, nf.max) == (("night",), 6)
    hours = rules["acgme_weekly_hours"]
    assert isinstance(hours, rs.WorkMinutes)
    assert (hours.max, hours.blocks) == (88 * 60 * 4, True)
    assert rules["acgme_day_off"].blocks and rules["acgme_call_q3"].blocks  # type: ignore[union-attr]

    custom = {
        r.id: r
        for r in acgme(
            scope=rs.Selector(people=("res",)),
            averaging_days=14,
            rest_minutes=600,
            max_consecutive_nights=4,
            night_float=True,
            call24_tag="c24",
            in_house_call_tag="ih",
            prefix="im_",
        )
    }
    assert set(custom) == {
        "im_weekly_hours",
        "im_day_off",
        "im_continuous_duty",
        "im_rest_8h",
        "im_rest_14h_after_call",
        "im_call_q3",
        "im_night_float",
    }
    assert custom["im_weekly_hours"].max == 80 * 60 * 2  # type: ignore[union-attr]
    assert custom["im_day_off"].min == 2  # type: ignore[union-attr]
    assert custom["im_call_q3"].max == 4  # type: ignore[union-attr]
    assert custom["im_call_q3"].tags == ("ih",)  # type: ignore[union-attr]
    assert custom["im_rest_8h"].minutes == 600  # type: ignore[union-attr]
    assert custom["im_night_float"].max == 4  # type: ignore[union-attr]
    assert all(r.scope.people == ("res",) for r in custom.values())


def test_acgme_soft_and_omit() -> None:
    rules = {r.id: r for r in acgme(soft={"rest_8h": 1000, "acgme_day_off": 50}, omit=["call_q3"])}
    assert "acgme_call_q3" not in rules
    assert (rules["acgme_rest_8h"].hard, rules["acgme_rest_8h"].weight) == (False, 1000)
    assert (rules["acgme_day_off"].hard, rules["acgme_day_off"].weight) == (False, 50)
    assert rules["acgme_weekly_hours"].hard
    with pytest.raises(ValueError, match="unknown rule 'rest8'"):
        acgme(soft={"rest8": 1})
    with pytest.raises(ValueError, match="unknown rule"):
        acgme(omit=["night_float"])  # not present unless night_float=True
    with pytest.raises(ValueError, match="not both"):
        acgme(weekly_hours=72, exception_88=True)


def test_pgy1_2011_preset() -> None:
    rules = {r.id: r for r in acgme_pgy1_2011()}
    assert list(rules) == ["acgme_pgy1_max_16h", "acgme_pgy1_rest_10h", "acgme_pgy1_rest_8h"]
    pgy1 = rs.Selector(roles=(rs.Role.resident,), pgy_min=1, pgy_max=1)
    assert all(r.scope == pgy1 for r in rules.values())
    assert rules["acgme_pgy1_max_16h"].max_minutes == 960  # type: ignore[union-attr]
    r10, r8 = rules["acgme_pgy1_rest_10h"], rules["acgme_pgy1_rest_8h"]
    assert isinstance(r10, rs.Rest) and isinstance(r8, rs.Rest)
    assert (r10.minutes, r10.hard, r10.weight) == (600, False, 1)
    assert (r8.minutes, r8.hard) == (480, True)


def test_new_york_405_preset() -> None:
    rules = {r.id: r for r in new_york_405(ed_tag="ed")}
    assert list(rules) == [
        "ny405_weekly_hours",
        "ny405_continuous_duty",
        "ny405_day_off_weekly",
        "ny405_rest_8h",
        "ny405_rest_after_ed",
    ]
    assert rules["ny405_weekly_hours"].max == 19200  # type: ignore[union-attr]
    assert rules["ny405_continuous_duty"].max_minutes == 1620  # type: ignore[union-attr]
    off = rules["ny405_day_off_weekly"]
    assert isinstance(off, rs.DaysOff) and (off.min, off.window, off.day_off) == (1, 7, "free24")
    assert "ny405_rest_after_ed" not in {r.id for r in new_york_405()}


def test_presets_combine_in_a_problem_and_round_trip_json() -> None:
    rules = (*acgme(night_float=True), *acgme_pgy1_2011(), *new_york_405())
    pb = problem(rules)
    assert rs.Problem.model_validate_json(pb.model_dump_json()) == pb


# --- checked schedules: one violating and one satisfying case per rule -------------------


def test_rest_8h_violated_and_satisfied() -> None:
    pb = problem(acgme())
    # Late shift ends 01:00 on day 1; a day shift at 07:00 leaves 6 h of rest.
    v = only(rs.check(pb, sched(("res", 0, "L"), ("res", 1, "D"))), "acgme_rest_8h")
    assert (v.hard, v.person, v.value, v.limit, v.amount) == (True, "res", 360, 480, 120)
    assert rs.check(pb, sched(("res", 0, "D"), ("res", 1, "D"))).feasible
    # Softened, the same schedule costs 120 minutes x 1000.
    soft = problem(acgme(soft={"rest_8h": 1000}))
    report = rs.check(soft, sched(("res", 0, "L"), ("res", 1, "D")))
    assert report.feasible
    v = only(report, "acgme_rest_8h")
    assert (v.hard, v.amount, v.cost, report.objective) == (False, 120, 120_000, 120_000)


def test_rest_after_call_violated_and_satisfied() -> None:
    pb = problem(acgme())
    # Call ends 07:00 on day 1; a night at 19:00 leaves 12 h: fine for 8 h, short of 14 h.
    v = only(rs.check(pb, sched(("res", 0, "C"), ("res", 1, "N"))), "acgme_rest_14h_after_call")
    assert (v.person, v.value, v.limit, v.amount) == ("res", 720, 840, 120)
    assert rs.check(pb, sched(("res", 0, "C"), ("res", 2, "D"))).feasible
    # Rest rules follow the scope: faculty are not residents.
    assert rs.check(pb, sched(("fac", 0, "C"), ("fac", 1, "N"))).feasible


def test_continuous_duty_violated_and_satisfied() -> None:
    pb = problem(acgme())
    # 24-hour call then a day shift back to back: one 36-hour duty period.
    v = only(rs.check(pb, sched(("res", 0, "C"), ("res", 1, "D"))), "acgme_continuous_duty")
    assert (v.value, v.limit, v.amount) == (2160, 1680, 480)
    assert rs.check(pb, sched(("res", 0, "N"), ("res", 1, "D"))).feasible  # 24 h is allowed


def test_call_q3_violated_and_satisfied() -> None:
    pb = problem(acgme())
    ten = sched(*(("res", d, "C") for d in range(0, 20, 2)))
    v = only(rs.check(pb, ten), "acgme_call_q3")
    assert (v.value, v.limit, v.amount, v.first, v.last) == (
        10,
        9,
        1,
        START,
        START + timedelta(days=27),
    )
    assert rs.check(pb, sched(*(("res", d, "C") for d in range(0, 18, 2)))).feasible


def test_day_off_counts_free_24_hours() -> None:
    pb = problem(acgme())
    # 24 nights, days 0..23: the last ends 07:00 on day 24, leaving days 25-27 free.
    v = only(rs.check(pb, sched(*(("res", d, "N") for d in range(24)))), "acgme_day_off")
    assert (v.value, v.limit, v.amount) == (3, 4, 1)
    assert rs.check(pb, sched(*(("res", d, "N") for d in range(23)))).feasible


def test_weekly_hours_violated_and_satisfied() -> None:
    pb = problem(acgme(omit=["day_off", "call_q3"]))
    # 14 calls of 24 h (days 0, 2, ..., 26) = 336 h in the 28 days, over 320 h.
    calls = sched(*(("res", d, "C") for d in range(0, 28, 2)))
    v = only(rs.check(pb, calls), "acgme_weekly_hours")
    assert (v.value, v.limit, v.amount) == (336 * 60, 19200, 336 * 60 - 19200)
    assert rs.check(pb, sched(*(("res", d, "C") for d in range(0, 26, 2)))).feasible


def test_night_float_option() -> None:
    seven = sched(*(("res", d, "N") for d in range(7)))
    assert rs.check(problem(acgme()), seven).feasible
    v = only(rs.check(problem(acgme(night_float=True)), seven), "acgme_night_float")
    assert (v.amount, v.first, v.last) == (1, START, START + timedelta(days=6))
    assert rs.check(
        problem(acgme(night_float=True)), sched(*(("res", d, "N") for d in range(6)))
    ).feasible


def test_pgy1_16h_applies_to_interns_only() -> None:
    pb = problem((*acgme(), *acgme_pgy1_2011()))
    v = only(rs.check(pb, sched(("intern", 0, "C"))), "acgme_pgy1_max_16h")
    assert (v.person, v.value, v.limit, v.amount) == ("intern", 1440, 960, 480)
    assert rs.check(pb, sched(("res", 0, "C"))).feasible
    # A night ending 07:00 then a late shift at 15:00: 8 h is enough, 10 h is a "should".
    report = rs.check(pb, sched(("intern", 0, "N"), ("intern", 1, "L")))
    assert report.feasible
    v = only(report, "acgme_pgy1_rest_10h")
    assert (v.hard, v.value, v.amount, v.cost) == (False, 480, 120, 120)
    assert rs.check(pb, sched(("res", 0, "N"), ("res", 1, "L"))).objective == 0
    # Under 8 h breaks the hard PGY-1 rule and the general one, and costs the soft one.
    report = rs.check(pb, sched(("intern", 0, "L"), ("intern", 1, "D")))
    assert sorted(v.rule for v in report.hard_violations) == [
        "acgme_pgy1_rest_8h",
        "acgme_rest_8h",
    ]
    assert report.objective == 600 - 360
