"""A schedule: who works which shift on which day, independent of how it was made."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from .problem.base import Id

__all__ = ["Assignment", "Schedule"]


class Assignment(BaseModel):
    """Person ``person`` starts shift type ``shift`` on ``day``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    person: Id
    day: date
    shift: Id


class Schedule(BaseModel):
    """A list of assignments, JSON in and out.

    Any schedule can be checked, including one typed by hand or imported: unknown ids and
    days outside the horizon are reported by :func:`rotasolve.check`, not rejected here.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    assignments: tuple[Assignment, ...] = ()

    def __len__(self) -> int:
        return len(self.assignments)

    def sorted(self) -> Schedule:
        """The same assignments in (day, person, shift) order."""
        return Schedule(
            assignments=tuple(sorted(self.assignments, key=lambda a: (a.day, a.person, a.shift)))
        )

    def of(self, person: Id) -> list[Assignment]:
        """The assignments of one person, by day."""
        return sorted((a for a in self.assignments if a.person == person), key=lambda a: a.day)

    def table(
        self, people: list[Id] | None = None, days: list[date] | None = None, off: str = "-"
    ) -> list[list[str]]:
        """Rows of person × day: a header row of dates, then one row per person.

        Cells hold the shift id (several joined by ``+``) or ``off``. ``people`` and
        ``days`` fix the rows and columns; by default those that appear in the schedule.
        """
        cells: dict[tuple[Id, date], list[str]] = {}
        for a in self.assignments:
            cells.setdefault((a.person, a.day), []).append(a.shift)
        if people is None:
            people = sorted({a.person for a in self.assignments})
        if days is None:
            days = sorted({a.day for a in self.assignments})
        rows = [["person", *[d.isoformat() for d in days]]]
        for p in people:
            rows.append([p, *["+".join(sorted(cells.get((p, d), []))) or off for d in days]])
        return rows

    def to_text(self, **kwargs: object) -> str:
        """The :meth:`table` as aligned text."""
        rows = self.table(**kwargs)  # type: ignore[arg-type]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))] if rows else []
        return "\n".join(" ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
