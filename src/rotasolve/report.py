"""What the checker says about a schedule: violations, penalties, objective, duty figures."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

__all__ = ["DutyFigures", "Report", "Violation"]


class Violation(BaseModel):
    """One broken hard rule or one soft penalty.

    Parameters
    ----------
    rule
        Id of the rule, cover, request, leave or lock that is broken; structural rules use
        fixed ids (``one_shift_per_day``, ``no_overlap``, ``unknown_id``, ``outside_horizon``,
        ``eligibility``).
    family
        Rule family (``shift_count``, ``rest``, ``cover``, ``request``, ...).
    hard
        Whether it breaks a hard requirement (the schedule is then not acceptable).
    person
        Person id, or None for group and cover violations.
    first, last
        Dates the violation concerns (a window, a run, a day).
    value, limit
        What was measured and the limit it was held to.
    amount
        Size of the violation in the rule's unit.
    unit
        Unit of ``amount`` and ``value``.
    cost
        ``amount × weight`` for soft violations; 0 for hard ones.
    message
        One human sentence.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    family: str
    hard: bool
    person: str | None = None
    first: date | None = None
    last: date | None = None
    value: float | None = None
    limit: float | None = None
    amount: int = 1
    unit: str = ""
    cost: int = 0
    message: str = ""

    @property
    def amount_text(self) -> str:
        """``amount`` with its unit, singular for 1 (``1 person``, ``2 people``)."""
        unit = self.unit
        if self.amount == 1:
            unit = _SINGULAR.get(unit, unit[:-1] if unit.endswith("s") else unit)
        return f"{self.amount} {unit}".rstrip()


#: Singulars that dropping a final "s" does not give.
_SINGULAR = {"people": "person"}


class DutyFigures(BaseModel):
    """Duty-hour figures of one person over the schedule (clock-based where clock times
    are known; fields are None where the problem has none)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    person: str
    total_minutes: int
    shifts: int
    worst_28d_minutes: int | None = None
    worst_28d_first: date | None = None
    worst_28d_avg_weekly_hours: float | None = None
    days_off_calendar: int = 0
    days_off_free24: int | None = None
    longest_duty_minutes: int | None = None
    shortest_rest_minutes: int | None = None
    calls: int = 0
    worst_28d_calls: int | None = None


class Report(BaseModel):
    """The independent checker's verdict on a schedule.

    ``hard_violations`` must be empty for the schedule to be acceptable; ``objective`` is
    the sum of the ``cost`` of every soft violation (``penalties``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    hard_violations: tuple[Violation, ...] = ()
    penalties: tuple[Violation, ...] = ()
    duty: tuple[DutyFigures, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def objective(self) -> int:
        """Total cost of the soft violations."""
        return sum(v.cost for v in self.penalties)

    @property
    def feasible(self) -> bool:
        """True when no hard rule is broken."""
        return not self.hard_violations

    def by_rule(self, rule: str) -> list[Violation]:
        """Every violation (hard or soft) of the rule, cover or request with id ``rule``."""
        return [v for v in (*self.hard_violations, *self.penalties) if v.rule == rule]

    def summary(self, limit: int = 20) -> str:
        """A short printable account."""
        lines = [
            f"hard violations: {len(self.hard_violations)}; soft penalties: "
            f"{len(self.penalties)}; objective: {self.objective}"
        ]
        for v in self.hard_violations[:limit]:
            lines.append(f"  HARD {v.rule}: {v.message}")
        if len(self.hard_violations) > limit:
            lines.append(f"  ... {len(self.hard_violations) - limit} more hard violations")
        for v in self.penalties[:limit]:
            lines.append(
                f"  soft {v.rule}: {v.message} (violated by {v.amount_text}, penalty {v.cost})"
            )
        if len(self.penalties) > limit:
            lines.append(f"  ... {len(self.penalties) - limit} more penalties")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
