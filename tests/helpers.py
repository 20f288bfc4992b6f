"""Small problem and schedule builders shared by the tests.

``tiny_problem`` makes a problem with clock-timed shift types (D 07:00 600 min, N 19:00
720 min tagged night, C24 07:00 1440 min tagged call, in-house) starting on Monday
2024-01-01; ``rows`` and ``sched`` build schedules by hand.

Import with ``from helpers import tiny_problem, rows, sched`` (tests/ is on sys.path).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time, timedelta
from typing import Any

from rotasolve import (
    Assignment,
    CallKind,
    Cover,
    DaySet,
    Horizon,
    Leave,
    Lock,
    Person,
    Problem,
    Request,
    Schedule,
    Selector,
    ShiftType,
)

#: Monday.
START = date(2024, 1, 1)

D = ShiftType(id="D", name="Day", start=time(7), minutes=600, tags=("day",))
N = ShiftType(id="N", name="Night", start=time(19), minutes=720, tags=("night",))
C24 = ShiftType(
    id="C24", name="24h call", start=time(7), minutes=1440, tags=("call",), call=CallKind.in_house
)
#: A clockless shift type (benchmark-style: only a length).
X = ShiftType(id="X", minutes=480)
#: At-home call: no hours counted.
HOME = ShiftType(
    id="H", name="Home call", start=time(17), minutes=840, call=CallKind.at_home, counts_hours=False
)

CLOCK_SHIFTS = (D, N, C24)


def day(i: int, start: date = START) -> date:
    """The date of day index ``i`` from ``start``."""
    return start + timedelta(days=i)


def people(n: int) -> tuple[Person, ...]:
    """``n`` residents with ids A, B, C, ... named "Dr A", "Dr B", ..."""
    return tuple(Person(id=chr(65 + i), name=f"Dr {chr(65 + i)}", pgy=1 + i % 3) for i in range(n))


def tiny_problem(
    n_people: int | Sequence[Person] = 2,
    days: int = 7,
    *,
    start: date = START,
    shifts: Sequence[ShiftType] = CLOCK_SHIFTS,
    rules: Iterable[Any] = (),
    cover: Iterable[Cover] = (),
    leave: Iterable[Leave] = (),
    requests: Iterable[Request] = (),
    locks: Iterable[Lock] = (),
    quiet: bool = True,
    **extra: Any,
) -> Problem:
    """A small valid problem; ProblemWarnings are silenced unless ``quiet=False``."""
    ppl = people(n_people) if isinstance(n_people, int) else tuple(n_people)
    kwargs: dict[str, Any] = {
        "horizon": Horizon(start=start, days=days),
        "people": ppl,
        "shifts": tuple(shifts),
        "rules": tuple(rules),
        "cover": tuple(cover),
        "leave": tuple(leave),
        "requests": tuple(requests),
        "locks": tuple(locks),
        **extra,
    }
    if not quiet:
        return Problem(**kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Problem(**kwargs)


def cover_over_availability(**extra: Any) -> Problem:
    """Two PGY-2+ needed on the night of day 2: A is PGY-1 (not counted), B is on leave
    (days 1-3), only C is left — infeasible with hard cover. ``extra``: more fields."""
    return tiny_problem(
        3,
        cover=[
            Cover(
                id="night_cover",
                shifts=("N",),
                days=DaySet(kind="listed", indices=(2,)),
                eligible=Selector(pgy_min=2),
                min=2,
            )
        ],
        leave=[Leave(id="lv_b", person="B", first=day(1), last=day(3))],
        **extra,
    )


def sched(*items: tuple[str, int | date, str], start: date = START) -> Schedule:
    """A schedule from ``(person, day index or date, shift)`` triples."""
    return Schedule(
        assignments=tuple(
            Assignment(person=p, day=d if isinstance(d, date) else day(d, start), shift=s)
            for p, d, s in items
        )
    )


def rows(table: Mapping[str, str], start: date = START) -> Schedule:
    """A schedule from one whitespace-separated row of cells per person.

    Each cell is a shift id, ``-`` (off) or several ids joined by ``+``::

        rows({"A": "D D N - -", "B": "- C24 - D+N -"})
    """
    items: list[tuple[str, int | date, str]] = []
    for person, row in table.items():
        for i, cell in enumerate(row.split()):
            if cell != "-":
                items.extend((person, i, s) for s in cell.split("+"))
    return sched(*items, start=start)


def one(report: Any, rule: str) -> Any:
    """The single violation of ``rule`` in ``report`` (fails when there are 0 or several)."""
    found = report.by_rule(rule)
    assert len(found) == 1, f"expected one violation of {rule!r}, got {found}"
    return found[0]


def rules_hit(report: Any) -> list[str]:
    """Rule ids of every violation, in report order."""
    return [v.rule for v in (*report.hard_violations, *report.penalties)]
