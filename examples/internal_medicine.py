"""A realistic internal medicine residency block: 30 residents, 8 faculty, four weeks.

``build()`` returns the :class:`rotasolve.Problem`; ``examples/internal_medicine.json`` is
its output, regenerated with::

    python examples/internal_medicine.py --write

The program (block 1 of the 2027–28 academic year, Monday 5 July to Sunday 1 August):

- residents: 10 each of PGY-1, PGY-2 and PGY-3; every PGY-3 and four PGY-2 residents are
  ICU-trained (skill ``icu``), one PGY-3 is chief resident;
- shifts (clock times): ward day 07:00–19:00, ICU day 07:00–19:00, night float
  19:00–07:00, 24-hour in-house call 07:00–07:00, continuity clinic 08:00–17:00 on
  weekdays; faculty attend 07:00–17:00 and a nocturnist covers 19:00–07:00;
- cover by PGY and skill: every ward day has two PGY-2+ residents, every night one PGY-2+,
  every call pairs one PGY-2+ with one PGY-1, every ICU day has an ICU-trained resident;
  soft targets on ward, ICU and clinic staffing;
- the ACGME duty-hour preset with the six-night night-float cap, plus program rules:
  no day work after a night, nights in blocks of at least three (soft), fair calls,
  nights and weekends (soft), a workload band (soft);
- vacation weeks, a conference, faculty leave, requests on and off, two locks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import rotasolve as rs

__all__ = ["JSON_PATH", "build"]

#: Where the builder's output is stored.
JSON_PATH = Path(__file__).with_name("internal_medicine.json")

START = dt.date(2027, 7, 5)  # a Monday
DAYS = 28

PGY1 = ["adams", "baker", "chen", "diaz", "evans", "fischer", "garcia", "hughes", "ito", "jones"]
PGY2 = ["khan", "lopez", "meyer", "nguyen", "okafor", "patel", "quinn", "rossi", "singh", "tanaka"]
PGY3 = ["ueda", "vargas", "walsh", "xu", "yilmaz", "zhang", "abbott", "brooks", "cohen", "dubois"]
ICU_PGY2 = {"meyer", "okafor", "singh", "tanaka"}
CHIEF = "walsh"
FACULTY = ["ferrari", "grant", "haddad", "ivanova", "jensen", "kowalski", "larsen", "moreau"]

RESIDENTS = rs.Selector(roles=(rs.Role.resident,))
SENIORS = rs.Selector(roles=(rs.Role.resident,), pgy_min=2)
INTERNS = rs.Selector(roles=(rs.Role.resident,), pgy_min=1, pgy_max=1)
FACULTY_ONLY = rs.Selector(roles=(rs.Role.faculty,))

WEEKDAYS = rs.DaySet(kind="weekdays")
WEEKEND = rs.DaySet(kind="weekend")


def day(n: int) -> dt.date:
    """The date of day ``n`` of the block (0 = Monday 5 July 2027)."""
    return START + dt.timedelta(days=n)


def _people() -> list[rs.Person]:
    people: list[rs.Person] = []
    for pgy, names in ((1, PGY1), (2, PGY2), (3, PGY3)):
        for name in names:
            skills: tuple[str, ...] = ()
            if pgy == 3 or name in ICU_PGY2:
                skills = ("icu",)
            if name == CHIEF:
                skills = (*skills, "chief")
            people.append(rs.Person(id=name, name=f"Dr {name.title()}", pgy=pgy, skills=skills))
    people += [
        rs.Person(id=name, name=f"Dr {name.title()}", role=rs.Role.faculty) for name in FACULTY
    ]
    return people


def _shifts() -> list[rs.ShiftType]:
    return [
        rs.ShiftType(
            id="ward",
            name="Ward day",
            start=dt.time(7),
            minutes=720,
            tags=("day", "ward"),
            eligible=RESIDENTS,
        ),
        rs.ShiftType(
            id="icu",
            name="ICU day",
            start=dt.time(7),
            minutes=720,
            tags=("day", "icu"),
            eligible=RESIDENTS,
        ),
        rs.ShiftType(
            id="night",
            name="Night float",
            start=dt.time(19),
            minutes=720,
            tags=("night",),
            eligible=RESIDENTS,
        ),
        rs.ShiftType(
            id="call",
            name="24-hour in-house call",
            start=dt.time(7),
            minutes=1440,
            tags=("call", "call24"),
            call=rs.CallKind.in_house,
            eligible=RESIDENTS,
        ),
        rs.ShiftType(
            id="clinic",
            name="Continuity clinic",
            start=dt.time(8),
            minutes=540,
            tags=("clinic",),
            eligible=RESIDENTS,
        ),
        rs.ShiftType(
            id="attending",
            name="Ward attending",
            start=dt.time(7),
            minutes=600,
            tags=("faculty",),
            eligible=FACULTY_ONLY,
        ),
        rs.ShiftType(
            id="nocturnist",
            name="Nocturnist",
            start=dt.time(19),
            minutes=720,
            tags=("faculty", "faculty_night"),
            eligible=FACULTY_ONLY,
        ),
    ]


def _cover() -> list[rs.Cover]:
    return [
        rs.Cover(
            id="ward_weekday",
            shifts=("ward",),
            days=WEEKDAYS,
            min=7,
            max=10,
            target=9,
            target_under_weight=10,
            target_over_weight=2,
        ),
        rs.Cover(id="ward_weekend", shifts=("ward",), days=WEEKEND, min=5, max=6),
        rs.Cover(id="ward_senior", shifts=("ward",), eligible=SENIORS, min=2),
        rs.Cover(id="icu", shifts=("icu",), min=2, max=3, target=3, target_under_weight=10),
        rs.Cover(id="icu_trained", shifts=("icu",), eligible=rs.Selector(skills=("icu",)), min=1),
        rs.Cover(id="night", shifts=("night",), min=3, max=3),
        rs.Cover(id="night_senior", shifts=("night",), eligible=SENIORS, min=1),
        rs.Cover(id="call_senior", shifts=("call",), eligible=SENIORS, min=1, max=1),
        rs.Cover(id="call_intern", shifts=("call",), eligible=INTERNS, min=1, max=1),
        rs.Cover(
            id="clinic",
            shifts=("clinic",),
            days=WEEKDAYS,
            min=4,
            max=6,
            target=6,
            target_under_weight=5,
        ),
        rs.Cover(id="no_weekend_clinic", shifts=("clinic",), days=WEEKEND, max=0),
        rs.Cover(id="attending_weekday", shifts=("attending",), days=WEEKDAYS, min=3, max=3),
        rs.Cover(id="attending_weekend", shifts=("attending",), days=WEEKEND, min=2, max=2),
        rs.Cover(id="nocturnist", shifts=("nocturnist",), min=1, max=1),
    ]


def _leave() -> list[rs.Leave]:
    return [
        rs.Leave(id="vacation_chen", person="chen", first=day(7), last=day(13), kind="vacation"),
        rs.Leave(id="vacation_lopez", person="lopez", first=day(14), last=day(20), kind="vacation"),
        rs.Leave(id="vacation_xu", person="xu", first=day(21), last=day(27), kind="vacation"),
        rs.Leave(
            id="conference_patel", person="patel", first=day(10), last=day(11), kind="conference"
        ),
        rs.Leave(id="leave_grant", person="grant", first=day(16), last=day(18), kind="vacation"),
    ]


def _requests() -> list[rs.Request]:
    return [
        rs.Request(id="off_adams_wedding", person="adams", day=day(12), weight=20),
        rs.Request(id="off_adams_wedding2", person="adams", day=day(13), weight=20),
        rs.Request(id="off_nguyen_birthday", person="nguyen", day=day(9), weight=10),
        rs.Request(id="off_zhang_exam", person="zhang", day=day(15), weight=20),
        rs.Request(id="off_hughes", person="hughes", day=day(19), weight=10),
        rs.Request(id="no_call_quinn", person="quinn", day=day(4), shift="call", weight=10),
        rs.Request(
            id="call_brooks", person="brooks", day=day(18), shift="call", want="on", weight=10
        ),
        rs.Request(
            id="clinic_cohen", person="cohen", day=day(2), shift="clinic", want="on", weight=5
        ),
        rs.Request(id="icu_vargas", person="vargas", day=day(8), shift="icu", want="on", weight=5),
        rs.Request(id="off_ferrari", person="ferrari", day=day(5), weight=10),
        rs.Request(id="off_moreau", person="moreau", day=day(26), weight=10),
    ]


def _locks() -> list[rs.Lock]:
    return [
        # The chief resident runs Wednesday clinic in the first week.
        rs.Lock(id="chief_clinic", person=CHIEF, day=day(2), shift="clinic"),
        # Orientation day for a late-starting intern: no clinical work.
        rs.Lock(id="orientation_ito", person="ito", day=day(0), shift=None),
    ]


def _program_rules() -> list[rs.Rule]:
    return [
        rs.Succession(
            id="no_day_after_night",
            scope=RESIDENTS,
            first=rs.ShiftFilter(tags=("night",)),
            second=rs.ShiftFilter(shifts=("ward", "icu", "clinic", "call")),
            label="no day work the day after a night",
        ),
        rs.ConsecutiveDays(
            id="nights_in_blocks",
            scope=RESIDENTS,
            tags=("night",),
            min=3,
            hard=False,
            weight=20,
            label="nights come in blocks of at least three",
        ),
        rs.ConsecutiveDays(
            id="max_6_days",
            scope=RESIDENTS,
            max=6,
            hard=False,
            weight=30,
            label="at most six working days in a row",
        ),
        rs.Weekends(
            id="weekends_max_3",
            scope=RESIDENTS,
            max=3,
            hard=False,
            weight=30,
            label="at most three working weekends in the block",
        ),
        rs.Fairness(
            id="fair_calls_interns",
            scope=INTERNS,
            tags=("call",),
            tolerance=1,
            hard=False,
            weight=30,
            carried={"baker": 1, "garcia": 1},
            label="interns share calls (counting last block's extra calls)",
        ),
        rs.Fairness(
            id="fair_calls_seniors",
            scope=SENIORS,
            tags=("call",),
            tolerance=1,
            hard=False,
            weight=30,
            label="PGY-2+ share calls",
        ),
        rs.Fairness(
            id="fair_weekend_shifts",
            scope=RESIDENTS,
            days=WEEKEND,
            tolerance=2,
            hard=False,
            weight=10,
            label="weekend shifts shared",
        ),
        rs.ShiftCount(
            id="workload_band",
            scope=rs.Selector(
                roles=(rs.Role.resident,),
                people=tuple(p for p in (*PGY1, *PGY2, *PGY3) if p not in {"chen", "lopez", "xu"}),
            ),
            min=15,
            max=18,
            hard=False,
            weight=10,
            label="15 to 18 shifts in the block (residents without a vacation week)",
        ),
        rs.ShiftCount(
            id="faculty_max_shifts",
            scope=FACULTY_ONLY,
            max=16,
            label="faculty work at most 16 shifts in the block",
        ),
        rs.ConsecutiveDays(
            id="faculty_max_7_days", scope=FACULTY_ONLY, max=7, label="faculty: 7 days in a row"
        ),
        rs.Succession(
            id="faculty_no_day_after_night",
            scope=FACULTY_ONLY,
            first=rs.ShiftFilter(shifts=("nocturnist",)),
            second=rs.ShiftFilter(shifts=("attending",)),
            label="no attending day after a nocturnist night",
        ),
        rs.Weekends(
            id="faculty_weekends",
            scope=FACULTY_ONLY,
            max=2,
            hard=False,
            weight=20,
            label="faculty work at most two weekends",
        ),
    ]


def build() -> rs.Problem:
    """The internal medicine block as a :class:`rotasolve.Problem`."""
    return rs.Problem(
        name="Internal medicine, block 1 (2027-07-05 to 2027-08-01)",
        horizon=rs.Horizon(start=START, days=DAYS),
        people=tuple(_people()),
        shifts=tuple(_shifts()),
        cover=tuple(_cover()),
        leave=tuple(_leave()),
        requests=tuple(_requests()),
        locks=tuple(_locks()),
        rules=(*rs.rules.acgme(night_float=True), *_program_rules()),
    )


def main(argv: list[str] | None = None) -> int:
    """``--write`` regenerates the JSON file; otherwise print a short description."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {JSON_PATH.name}")
    args = parser.parse_args(argv)
    problem = build()
    if args.write:
        rs.io.save_problem(problem, JSON_PATH)
        print(f"wrote {JSON_PATH}")
    else:
        print(
            f"{problem.name}: {len(problem.people)} people, {len(problem.shifts)} shift types, "
            f"{len(problem.cover)} covers, {len(problem.rules)} rules"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
