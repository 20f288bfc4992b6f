"""Reader of the Curtois & Qu shift scheduling benchmark format.

The benchmark ("Shift Scheduling Benchmark Data Sets", Curtois & Qu 2014) is mapped onto the
general problem language, with no special model:

- the horizon starts on Monday 2024-01-01 (day 0 of every instance is a Monday);
- each shift type becomes a :class:`ShiftType` without a clock time;
- each non-empty forbidden-successor list becomes one :class:`Succession` rule;
- each staff row becomes a :class:`Person` (role ``other``) and the hard rules
  :class:`ShiftCount`, :class:`WorkMinutes`, :class:`ConsecutiveDays`,
  :class:`ConsecutiveDaysOff` and :class:`Weekends`; people sharing a value share one rule
  whose scope lists them, and limits that cannot bind on this horizon are left out;
- days off become :class:`Leave` (consecutive days merged);
- shift on/off requests become :class:`Request` (``want="on"`` / ``"off"``);
- each cover row becomes a :class:`Cover` with ``min=0`` and a soft ``target``.

Runs touching the edges of the horizon are exempt from the two minimum-length rules
(``exempt_edges=True``); with that reading the proven optima of Instances 1-3 are reproduced.
The checker's objective of a schedule is then exactly the benchmark's objective.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..problem import (
    ConsecutiveDays,
    ConsecutiveDaysOff,
    Cover,
    DaySet,
    Horizon,
    Leave,
    Person,
    Problem,
    Request,
    Role,
    Rule,
    Selector,
    ShiftCount,
    ShiftFilter,
    ShiftType,
    Succession,
    Weekends,
    WorkMinutes,
)

__all__ = ["CURTOIS_START", "read_curtois", "read_curtois_text"]

#: Calendar date given to day 0 of every benchmark instance (a Monday).
CURTOIS_START = date(2024, 1, 1)

_SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)


@dataclass
class _Row:
    line: int
    fields: list[str]


@dataclass
class _Staff:
    id: str
    max_shifts: dict[str, int]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int


@dataclass
class _Reader:
    name: str
    sections: dict[str, list[_Row]] = field(default_factory=dict)

    def fail(self, line: int, message: str) -> ValueError:
        return ValueError(f"{self.name}:{line}: {message}")

    def integer(self, row: _Row, i: int, what: str, minimum: int = 0) -> int:
        text = row.fields[i].strip()
        try:
            value = int(text)
        except ValueError:
            raise self.fail(row.line, f"{what} must be an integer, got {text!r}") from None
        if value < minimum:
            raise self.fail(row.line, f"{what} must be at least {minimum}, got {value}")
        return value

    def fields(self, row: _Row, count: int, section: str) -> list[str]:
        if len(row.fields) != count:
            raise self.fail(
                row.line,
                f"{section} rows have {count} comma-separated fields, this one has "
                f"{len(row.fields)}: {','.join(row.fields)!r}",
            )
        return [f.strip() for f in row.fields]


def read_curtois(path: str | Path) -> Problem:
    """Read a benchmark instance file into a :class:`Problem`.

    Parameters
    ----------
    path
        An instance file such as ``Instance1.txt``.

    Returns
    -------
    Problem
        The instance in the general problem language; its name is the file's stem.

    Raises
    ------
    ValueError
        On malformed input; the message names the file and the line.
    """
    p = Path(path)
    # newline="" keeps "\r" so splitlines() handles CRLF, LF and CR alike.
    with p.open(encoding="utf-8", newline="") as fh:
        text = fh.read()
    return read_curtois_text(text, name=p.stem, source=str(p))


def read_curtois_text(text: str, name: str = "curtois", source: str | None = None) -> Problem:
    """Read benchmark text (the content of an instance file) into a :class:`Problem`.

    Parameters
    ----------
    text
        The instance in the benchmark's text format (CRLF or LF line ends).
    name
        Name of the problem.
    source
        Name used in error messages (default: ``name``).

    Returns
    -------
    Problem
        The instance in the general problem language.

    Raises
    ------
    ValueError
        On malformed input (unknown section, wrong field count, non-integer, unknown staff
        or shift id, day outside the horizon); the message names the source and the line.
    """
    rd = _Reader(source or name)
    _split_sections(rd, text)

    days = _horizon(rd)
    shift_rows = _shifts(rd)
    shift_ids = [sid for sid, _, _, _ in shift_rows]
    known_shifts = set(shift_ids)
    for sid, _, forbidden, line in shift_rows:
        for other in forbidden:
            if other not in known_shifts:
                raise rd.fail(line, f"shift {sid!r} forbids unknown shift {other!r}")
    staff = _staff(rd, known_shifts)
    staff_ids = {s.id for s in staff}

    def check_person(row: _Row, pid: str) -> None:
        if pid not in staff_ids:
            raise rd.fail(row.line, f"unknown staff id {pid!r}")

    def check_shift(row: _Row, sid: str) -> None:
        if sid not in known_shifts:
            raise rd.fail(row.line, f"unknown shift id {sid!r}")

    def check_day(row: _Row, i: int) -> int:
        d = rd.integer(row, i, "day")
        if d >= days:
            raise rd.fail(row.line, f"day {d} is outside the horizon of {days} days")
        return d

    def day(d: int) -> date:
        return CURTOIS_START + timedelta(days=d)

    # Days off -> Leave, one per run of consecutive days.
    off_days: dict[str, set[int]] = defaultdict(set)
    for row in rd.sections.get("SECTION_DAYS_OFF", []):
        if len(row.fields) < 1 or not row.fields[0].strip():
            raise rd.fail(row.line, "days-off rows start with a staff id")
        pid = row.fields[0].strip()
        check_person(row, pid)
        for i in range(1, len(row.fields)):
            if row.fields[i].strip():  # tolerate a trailing comma
                off_days[pid].add(check_day(row, i))
    leave: list[Leave] = []
    for s in staff:
        for first, last in _runs(sorted(off_days.get(s.id, ()))):
            leave.append(
                Leave(id=f"off:{s.id}:{first}", person=s.id, first=day(first), last=day(last))
            )

    # Requests.
    requests: list[Request] = []
    used: set[str] = set()
    for section, want in (
        ("SECTION_SHIFT_ON_REQUESTS", "on"),
        ("SECTION_SHIFT_OFF_REQUESTS", "off"),
    ):
        for row in rd.sections.get(section, []):
            pid, _, sid, _ = rd.fields(row, 4, section)
            check_person(row, pid)
            d = check_day(row, 1)
            check_shift(row, sid)
            weight = rd.integer(row, 3, "weight")
            rid = _unique(f"{want}:{pid}:{d}:{sid}", used)
            requests.append(
                Request(id=rid, person=pid, day=day(d), shift=sid, want=want, weight=weight)
            )

    # Cover: the requirement is a soft target (min 0).
    cover: list[Cover] = []
    cover_ids: set[str] = set()
    for row in rd.sections.get("SECTION_COVER", []):
        _, sid, _, _, _ = rd.fields(row, 5, "SECTION_COVER")
        d = check_day(row, 0)
        check_shift(row, sid)
        cover.append(
            Cover(
                id=_unique(f"{sid}@{d}", cover_ids),
                shifts=(sid,),
                days=DaySet(kind="listed", indices=(d,)),
                min=0,
                target=rd.integer(row, 2, "requirement"),
                target_under_weight=rd.integer(row, 3, "under weight"),
                target_over_weight=rd.integer(row, 4, "over weight"),
            )
        )

    shifts = tuple(ShiftType(id=sid, minutes=mins) for sid, mins, _, _ in shift_rows)
    rules = _rules(days, shift_rows, staff)
    return Problem(
        name=name,
        horizon=Horizon(start=CURTOIS_START, days=days),
        people=tuple(Person(id=s.id, role=Role.other) for s in staff),
        shifts=shifts,
        cover=tuple(cover),
        leave=tuple(leave),
        requests=tuple(requests),
        rules=tuple(rules),
    )


def _split_sections(rd: _Reader, text: str) -> None:
    """Group the non-comment, non-blank lines under their SECTION_ header."""
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in _SECTIONS:
                raise rd.fail(number, f"unknown section {line!r}")
            if line in rd.sections:
                raise rd.fail(number, f"section {line} appears twice")
            current = line
            rd.sections[current] = []
            continue
        if current is None:
            raise rd.fail(number, f"data before the first section: {line!r}")
        rd.sections[current].append(_Row(number, line.split(",")))


def _horizon(rd: _Reader) -> int:
    rows = rd.sections.get("SECTION_HORIZON")
    if not rows:
        raise rd.fail(0, "missing SECTION_HORIZON (number of days)")
    if len(rows) != 1:
        raise rd.fail(rows[1].line, "SECTION_HORIZON holds exactly one number")
    rd.fields(rows[0], 1, "SECTION_HORIZON")
    return rd.integer(rows[0], 0, "horizon length", minimum=1)


def _shifts(rd: _Reader) -> list[tuple[str, int, tuple[str, ...], int]]:
    rows = rd.sections.get("SECTION_SHIFTS")
    if not rows:
        raise rd.fail(0, "missing SECTION_SHIFTS")
    out: list[tuple[str, int, tuple[str, ...], int]] = []
    seen: set[str] = set()
    for row in rows:
        sid, _, forbidden = rd.fields(row, 3, "SECTION_SHIFTS")
        if not sid:
            raise rd.fail(row.line, "empty shift id")
        if sid in seen:
            raise rd.fail(row.line, f"duplicate shift id {sid!r}")
        seen.add(sid)
        minutes = rd.integer(row, 1, "shift length", minimum=1)
        successors = tuple(x.strip() for x in forbidden.split("|") if x.strip())
        out.append((sid, minutes, successors, row.line))
    return out


def _staff(rd: _Reader, shifts: set[str]) -> list[_Staff]:
    rows = rd.sections.get("SECTION_STAFF")
    if not rows:
        raise rd.fail(0, "missing SECTION_STAFF")
    out: list[_Staff] = []
    seen: set[str] = set()
    for row in rows:
        pid, caps, *_ = rd.fields(row, 8, "SECTION_STAFF")
        if not pid:
            raise rd.fail(row.line, "empty staff id")
        if pid in seen:
            raise rd.fail(row.line, f"duplicate staff id {pid!r}")
        seen.add(pid)
        max_shifts: dict[str, int] = {}
        for item in caps.split("|"):
            item = item.strip()
            if not item:
                continue
            sid, eq, value = item.partition("=")
            sid = sid.strip()
            if not eq:
                raise rd.fail(row.line, f"MaxShifts entries are Shift=N, got {item!r}")
            if sid not in shifts:
                raise rd.fail(row.line, f"unknown shift id {sid!r} in MaxShifts")
            try:
                n = int(value)
            except ValueError:
                raise rd.fail(
                    row.line, f"MaxShifts of {sid!r} is not an integer: {value!r}"
                ) from None
            if n < 0:
                raise rd.fail(row.line, f"MaxShifts of {sid!r} is negative: {n}")
            max_shifts[sid] = n
        out.append(
            _Staff(
                id=pid,
                max_shifts=max_shifts,
                max_minutes=rd.integer(row, 2, "MaxTotalMinutes"),
                min_minutes=rd.integer(row, 3, "MinTotalMinutes"),
                max_consecutive=rd.integer(row, 4, "MaxConsecutiveShifts"),
                min_consecutive=rd.integer(row, 5, "MinConsecutiveShifts"),
                min_days_off=rd.integer(row, 6, "MinConsecutiveDaysOff"),
                max_weekends=rd.integer(row, 7, "MaxWeekends"),
            )
        )
    return out


def _rules(
    days: int,
    shift_rows: list[tuple[str, int, tuple[str, ...], int]],
    staff: list[_Staff],
) -> list[Rule]:
    """The hard rules; people with the same value of a limit share one rule."""
    rules: list[Rule] = []
    for sid, _, forbidden, _ in shift_rows:
        if forbidden:
            rules.append(
                Succession(
                    id=f"forbidden_after:{sid}",
                    first=ShiftFilter(shifts=(sid,)),
                    second=ShiftFilter(shifts=forbidden),
                )
            )

    longest = max(m for _, m, _, _ in shift_rows)
    weekends = _weekend_count(days)

    def group(key_of: list[tuple[str, Hashable | None]]) -> dict[Hashable, tuple[str, ...]]:
        """People by key, in file order; a None key (limit cannot bind) is dropped."""
        groups: dict[Hashable, list[str]] = {}
        for pid, key in key_of:
            if key is not None:
                groups.setdefault(key, []).append(pid)
        return {k: tuple(v) for k, v in groups.items()}

    def scope(people: tuple[str, ...]) -> Selector:
        return Selector(people=people)

    # Max shifts per type; a cap of at least one shift per day cannot bind.
    for sid, _, _, _ in shift_rows:
        caps = group(
            [
                (s.id, s.max_shifts[sid] if s.max_shifts.get(sid, days) < days else None)
                for s in staff
            ]
        )
        for n, people in caps.items():
            assert isinstance(n, int)
            rules.append(
                ShiftCount(id=f"max_shifts:{sid}:{n}", shifts=(sid,), max=n, scope=scope(people))
            )

    # Total minutes: a max no one can reach is dropped.
    def minutes_key(s: _Staff) -> tuple[int, int | None] | None:
        hi = s.max_minutes if s.max_minutes < days * longest else None
        return None if s.min_minutes == 0 and hi is None else (s.min_minutes, hi)

    for key, people in group([(s.id, minutes_key(s)) for s in staff]).items():
        assert isinstance(key, tuple)
        lo, hi = key
        rules.append(
            WorkMinutes(
                id=f"minutes:{lo}-{'' if hi is None else hi}",
                min=lo,
                max=hi,
                split="start_day",
                scope=scope(people),
            )
        )

    # Consecutive working days: a run is at least one day and at most the horizon.
    def run_key(s: _Staff) -> tuple[int, int | None] | None:
        lo = s.min_consecutive if s.min_consecutive > 1 else 0
        hi = s.max_consecutive if s.max_consecutive < days else None
        return None if lo == 0 and hi is None else (lo, hi)

    for key, people in group([(s.id, run_key(s)) for s in staff]).items():
        assert isinstance(key, tuple)
        lo, hi = key
        rules.append(
            ConsecutiveDays(
                id=f"consecutive_days:{lo}-{'' if hi is None else hi}",
                min=lo,
                max=hi,
                exempt_edges=True,
                scope=scope(people),
            )
        )

    off = group([(s.id, s.min_days_off if s.min_days_off > 1 else None) for s in staff])
    for n, people in off.items():
        assert isinstance(n, int)
        rules.append(
            ConsecutiveDaysOff(
                id=f"consecutive_days_off:{n}", min=n, exempt_edges=True, scope=scope(people)
            )
        )

    wk = group([(s.id, s.max_weekends if s.max_weekends < weekends else None) for s in staff])
    for n, people in wk.items():
        assert isinstance(n, int)
        rules.append(Weekends(id=f"weekends:{n}", max=n, scope=scope(people)))
    return rules


def _weekend_count(days: int) -> int:
    """Number of weekends (Saturday/Sunday pairs, or a lone one at an edge) in the horizon."""
    weeks: set[int] = set()
    for d in range(days):
        if d % 7 >= 5:
            weeks.add(d // 7)
    return len(weeks)


def _runs(sorted_days: list[int]) -> list[tuple[int, int]]:
    """Maximal runs ``(first, last)`` of consecutive integers."""
    runs: list[tuple[int, int]] = []
    for d in sorted_days:
        if runs and runs[-1][1] == d - 1:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def _unique(base: str, used: set[str]) -> str:
    """``base``, or ``base#2``, ``base#3``... when already used (duplicate rows)."""
    rid, k = base, 1
    while rid in used:
        k += 1
        rid = f"{base}#{k}"
    used.add(rid)
    return rid
