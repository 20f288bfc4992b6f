"""Fast explanations that need no search: counting arguments over one day or one person.

Each finding is a :class:`Conflict` whose requirements, taken together, cannot hold. They
are checked before any solve so the obvious problems are named in the program's words.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..conflict import Conflict, Requirement
from ..problem import Cover, Leave, Lock, Problem, ProblemIndex, ShiftCount, WorkMinutes, selects

__all__ = [
    "cover_requirement",
    "leave_requirement",
    "lock_requirement",
    "precheck",
]


def _span(a: date, b: date) -> str:
    return a.isoformat() if a == b else f"{a.isoformat()} to {b.isoformat()}"


def leave_requirement(pb: Problem, lv: Leave) -> Requirement:
    """The requirement a leave entry stands for."""
    who = pb.person(lv.person).label
    return Requirement(
        rule=lv.id,
        family="leave",
        person=lv.person,
        first=lv.first,
        last=lv.last,
        text=f"{who} is on {lv.kind} ({_span(lv.first, lv.last)})",
    )


def lock_requirement(pb: Problem, lk: Lock) -> Requirement:
    """The requirement a lock stands for."""
    who = pb.person(lk.person).label
    what = f"works {lk.shift}" if lk.shift is not None else "is off"
    return Requirement(
        rule=lk.id,
        family="lock",
        person=lk.person,
        first=lk.day,
        last=lk.day,
        text=f"{who} is fixed: {what} on {lk.day.isoformat()}",
    )


def cover_requirement(c: Cover, day: date, need: int) -> Requirement:
    """The requirement of one cover slot (cover × day)."""
    return Requirement(
        rule=c.id,
        family="cover",
        first=day,
        last=day,
        text=f"cover {c.id} on {day.isoformat()} needs {need} on {'/'.join(c.shifts)}",
    )


def precheck(pb: Problem) -> list[Conflict]:
    """Return the conflicts that counting alone proves; empty when none is found."""
    ix = ProblemIndex(pb)
    out: list[Conflict] = []
    leaves_of: dict[tuple[int, int], list[Leave]] = defaultdict(list)
    for lv in pb.leave:
        p = ix.person_pos[lv.person]
        for d in range(ix.days):
            if lv.first <= ix.dates[d] <= lv.last:
                leaves_of[(p, d)].append(lv)
    locks_of: dict[tuple[int, int], list[Lock]] = defaultdict(list)
    for lk in pb.locks:
        locks_of[(ix.person_pos[lk.person], pb.horizon.index(lk.day))].append(lk)

    # A lock to work on a day of leave, or on a shift the person may not work.
    for (p, d), locks in sorted(locks_of.items()):
        working = [lk for lk in locks if lk.shift is not None]
        for lk in working:
            for lv in leaves_of.get((p, d), []):
                out.append(
                    Conflict(
                        requirements=(lock_requirement(pb, lk), leave_requirement(pb, lv)),
                        message=f"{pb.people[p].label} is fixed to work {lk.shift} on "
                        f"{lk.day.isoformat()} but is on {lv.kind} that day",
                        minimal=True,
                        source="precheck",
                    )
                )
            assert lk.shift is not None
            if not ix.may_work(p, ix.shift_pos[lk.shift]):
                out.append(
                    Conflict(
                        # Eligibility is structural (who a shift type is for), not a
                        # requirement to question: the lock alone cannot hold.
                        requirements=(lock_requirement(pb, lk),),
                        message=f"{pb.people[p].label} is fixed to {lk.shift} on "
                        f"{lk.day.isoformat()} but may not work that shift type",
                        minimal=True,
                        source="precheck",
                    )
                )
        distinct = {lk.shift for lk in locks}
        if len(distinct) > 1 and (None in distinct or len(distinct) > pb.max_shifts_per_day):
            out.append(
                Conflict(
                    requirements=tuple(lock_requirement(pb, lk) for lk in locks),
                    message=f"{pb.people[p].label} has contradicting locks on "
                    f"{ix.dates[d].isoformat()}",
                    minimal=True,
                    source="precheck",
                )
            )

    # A cover minimum above the people who could possibly fill it that day.
    for c in pb.cover:
        if not c.hard or c.min == 0:
            continue
        shifts = [ix.shift_pos[s] for s in c.shifts]
        per_person = min(len(shifts), pb.max_shifts_per_day)
        for d in ix.days_in(c.days):
            able: list[int] = []
            blocked: list[Requirement] = []
            blockers_per_person: list[int] = []
            for p, person in enumerate(pb.people):
                if not selects(c.eligible, person):
                    continue
                if not any(ix.may_work(p, s) for s in shifts):
                    continue
                locks = locks_of.get((p, d), [])
                foreign = [lk for lk in locks if lk.shift not in c.shifts]
                mine = [leave_requirement(pb, lv) for lv in leaves_of.get((p, d), [])]
                if locks and len(foreign) == len(locks):
                    mine.extend(lock_requirement(pb, lk) for lk in locks)
                if mine:
                    blocked.extend(mine)
                    blockers_per_person.append(len(mine))
                    continue
                able.append(p)
            if len(able) * per_person < c.min:
                # Minimal when lifting any single blocker frees a person and that suffices
                # (with one shift per person: several could overlap on the clock).
                minimal = (
                    per_person == 1
                    and len(able) + 1 >= c.min
                    and all(n == 1 for n in blockers_per_person)
                )
                names = ", ".join(pb.people[p].label for p in able) or "no one"
                out.append(
                    Conflict(
                        requirements=(cover_requirement(c, ix.dates[d], c.min), *blocked),
                        message=f"{c.id} on {ix.dates[d].isoformat()} needs {c.min} on "
                        f"{'/'.join(c.shifts)}; only {len(able)} eligible available ({names})",
                        minimal=minimal,
                        source="precheck",
                    )
                )

    # A person whose minimum work exceeds what their leave leaves room for.
    for r in pb.rules:
        if not r.hard or not isinstance(r, (WorkMinutes, ShiftCount)) or r.window is not None:
            continue
        if r.min == 0:
            continue
        for p in ix.people_in(r.scope):
            free = [d for d in range(ix.days) if (p, d) not in leaves_of]
            if isinstance(r, WorkMinutes):
                usable = [s for s in ix.shifts_matching(r.filter) if ix.shifts[s].counts_hours]
                most_one = max((ix.shifts[s].minutes for s in usable), default=0)
                per_free_day = most_one * pb.max_shifts_per_day
                unit = "minutes"
            else:
                per_free_day = pb.max_shifts_per_day
                unit = "shifts"
            cap = len(free) * per_free_day
            if cap >= r.min:
                continue
            who = pb.people[p]
            leaves = sorted(
                {lv.id: lv for (q, _), lvs in leaves_of.items() if q == p for lv in lvs}.values(),
                key=lambda x: x.first,
            )

            def freed(lv: Leave, p: int = p) -> int:
                return sum(1 for d in range(ix.days) if leaves_of.get((p, d)) == [lv])

            # Minimal when cancelling any one of these leave entries makes room.
            minimal = all(cap + freed(lv) * per_free_day >= r.min for lv in leaves)
            out.append(
                Conflict(
                    requirements=(
                        Requirement(
                            rule=r.id,
                            family=r.kind,
                            person=who.id,
                            first=ix.dates[0],
                            last=ix.dates[-1],
                            text=f"{who.label} must work at least {r.min} {unit} ({r.title})",
                        ),
                        *(leave_requirement(pb, lv) for lv in leaves),
                    ),
                    message=f"{who.label} must work at least {r.min} {unit} but at most {cap} "
                    f"fit in the {len(free)} days not on leave",
                    minimal=minimal,
                    source="precheck",
                )
            )
    return out
