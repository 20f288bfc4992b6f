"""A program with no valid schedule, and what rotasolve says about it.

Night cover on 2027-07-04 needs two PGY-2+ residents. Dr Park is on leave that week and
Dr Kim's recorded duty (carried in from June, plus a moonlighting day on 07-07) leaves no
room for a 12-hour night under the ACGME 80-hour rule. ``solve`` returns status
``infeasible`` with the smallest set of requirements that cannot hold together, the
binding 28-day window named by its dates; ``solve(relax=True)`` returns the
least-violating schedule and reports what it breaks.

    python examples/infeasible.py
"""

from __future__ import annotations

import datetime as dt
import warnings

import rotasolve as rs


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour)


def problem() -> rs.Problem:
    """The program: three residents, day and night shifts, one night needing two."""
    june = [dt.date(2027, 6, d) for d in range(10, 31)]
    duty = [
        rs.DutyEntry(id=f"jun{d.day}", person="kim", start=_at(d, 7), end=_at(d, 21))
        for d in june[1:]
    ]
    duty.append(rs.DutyEntry(id="jun10", person="kim", start=_at(june[0], 6), end=_at(june[0], 22)))
    moon = dt.date(2027, 7, 7)
    duty.append(
        rs.DutyEntry(
            id="moon", person="kim", start=_at(moon, 6), end=_at(moon, 22), kind="moonlighting"
        )
    )
    hours = next(r for r in rs.rules.acgme() if r.id == "acgme_weekly_hours")
    july = dt.date(2027, 7, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a few entries start before history_start: fine here
        return rs.Problem(
            horizon=rs.Horizon(start=july, days=28),
            people=(
                rs.Person(id="kim", name="Dr Kim", pgy=2),
                rs.Person(id="park", name="Dr Park", pgy=3),
                rs.Person(id="lee", name="Dr Lee", pgy=2),
            ),
            shifts=(
                rs.ShiftType(id="D", name="Day", start=dt.time(7), minutes=600),
                rs.ShiftType(id="N", name="Night", start=dt.time(19), minutes=720),
            ),
            cover=(
                rs.Cover(
                    id="night_cover",
                    shifts=("N",),
                    days=rs.DaySet(kind="listed", dates=(dt.date(2027, 7, 4),)),
                    eligible=rs.Selector(pgy_min=2),
                    min=2,
                ),
            ),
            leave=(rs.Leave(id="park_vac", person="park", first=july, last=dt.date(2027, 7, 7)),),
            rules=(hours,),
            duty=tuple(duty),
            history_start=dt.date(2027, 6, 3),
        )


def main() -> None:
    """Solve, print the explanation, then the relaxed schedule's broken rules."""
    pb = problem()
    result = rs.solve(pb, time_limit=20, workers=1, seed=0)
    print(result.summary())
    print()
    relaxed = rs.solve(pb, time_limit=20, workers=1, seed=0, relax=True)
    print(relaxed.message)
    for v in relaxed.report.hard_violations if relaxed.report else ():
        print(f"  {v.rule} {v.person or ''} {v.first} to {v.last}: {v.message}")


if __name__ == "__main__":
    main()
