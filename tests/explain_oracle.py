"""An independent judge of explanations, written only with the problem language and solve.

``restrict(problem, keys)`` keeps exactly the hard requirement groups named by ``keys``
(``Requirement.key``: rule, person, first, last) and drops every other hard requirement:
cover slots become listed days, a rule × person group keeps the person in the rule's
scope, a supervision slot keeps its day, a fairness rule is kept whole, leave entries and
locks are kept or dropped. Structure and shift eligibility always hold (they are never a
requirement group). Soft rules, soft
covers and requests are dropped (they never decide feasibility). It never reads the
explanation code or the compiled model.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import date

from rotasolve import Cover, DaySet, Problem, Supervision, solve

Key = tuple[str, str | None, date | None, date | None]


def restrict(pb: Problem, keys: Iterable[Key]) -> Problem:
    """``pb`` with only the requirement groups ``keys`` (see the module docstring)."""
    keys = set(keys)
    rules_people: dict[str, set[str]] = {}
    slot_days: dict[str, list[date]] = {}
    for rule, person, first, _ in keys:
        if person is not None:
            rules_people.setdefault(rule, set()).add(person)
        elif first is not None:
            slot_days.setdefault(rule, []).append(first)
    leave = tuple(lv for lv in pb.leave if (lv.id, lv.person, lv.first, lv.last) in keys)
    locks = tuple(lk for lk in pb.locks if (lk.id, lk.person, lk.day, lk.day) in keys)
    cover: list[Cover] = []
    for c in pb.cover:
        if c.hard and c.id in slot_days:
            days = DaySet(kind="listed", dates=tuple(sorted(slot_days[c.id])))
            cover.append(c.model_copy(update={"days": days, "target": None}))
    rules = []
    for r in pb.rules:
        if not r.hard:
            continue
        if r.id in rules_people:
            scope = r.scope.model_copy(update={"people": tuple(sorted(rules_people[r.id]))})
            rules.append(r.model_copy(update={"scope": scope}))
        elif r.id in slot_days and isinstance(r, Supervision):  # one group per day
            days = DaySet(kind="listed", dates=tuple(sorted(slot_days[r.id])))
            rules.append(r.model_copy(update={"days": days}))
        elif any(k[0] == r.id for k in keys):
            rules.append(r)
    data = {name: getattr(pb, name) for name in type(pb).model_fields}
    data.update(
        leave=leave,
        locks=locks,
        cover=tuple(cover),
        rules=tuple(rules),
        requests=(),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Problem(**data)


def feasible(pb: Problem) -> bool:
    """Whether some schedule satisfies every hard requirement of ``pb`` (decided, not
    timed out: an undecided solve fails the test)."""
    res = solve(pb, workers=1, time_limit=20, explain=False)
    assert res.status.value in ("optimal", "feasible", "infeasible"), res.status
    return res.ok


def assert_minimal_conflict(pb: Problem, keys: list[Key]) -> None:
    """``keys`` cannot hold together, and dropping any one of them makes the rest hold."""
    assert len(set(keys)) == len(keys), keys
    assert not feasible(restrict(pb, keys)), f"not a conflict: {keys}"
    for k in keys:
        rest = [j for j in keys if j != k]
        assert feasible(restrict(pb, rest)), f"not minimal: still infeasible without {k}"
