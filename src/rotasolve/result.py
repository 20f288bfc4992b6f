"""What :func:`rotasolve.solve` returns: status, objective and bound, schedule and report."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from .conflict import Conflict
from .report import Report
from .schedule import Schedule

__all__ = ["Result", "SolveStats", "Status"]


class Status(StrEnum):
    """Outcome of a solve.

    ``optimal``: proven best schedule. ``feasible``: a schedule without hard violations,
    not proven best (time limit). ``infeasible``: proven that no schedule satisfies the
    hard rules. ``unknown``: no schedule found and no proof (time limit).
    ``model_invalid``: CP-SAT refused the model (e.g. weights so large the objective could
    overflow 64-bit integers).
    """

    optimal = "optimal"
    feasible = "feasible"
    infeasible = "infeasible"
    unknown = "unknown"
    model_invalid = "model_invalid"

    @property
    def has_schedule(self) -> bool:
        """Whether a schedule comes with this status."""
        return self in (Status.optimal, Status.feasible)


class SolveStats(BaseModel):
    """Size of the model and effort of the search."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    variables: int = 0
    constraints: int = 0
    conflicts: int = 0
    branches: int = 0
    #: construction heuristic (``solve(construct=...)``): seconds spent (checking
    #: included, also when it failed), sub-problems solved, how the problem was cut
    #: ("people" or "time"; empty when it did not run or failed) and whether its schedule
    #: had no hard violation
    construct_seconds: float = 0.0
    construct_parts: int = 0
    construct_method: str = ""
    construct_feasible: bool = False
    #: the construction's sweep (``rotasolve.solver.construct.sweep``): seconds, people's
    #: sub-problems solved and rosters changed
    sweep_seconds: float = 0.0
    sweep_visits: int = 0
    sweep_changed: int = 0
    #: large-neighbourhood search after CP-SAT (``solve(lns=...)``): seconds spent,
    #: sub-problems solved, how many of them improved the schedule, and the sideways
    #: steps of stuck chains (``rotasolve.solver.lns.KICK_AFTER``)
    lns_seconds: float = 0.0
    lns_calls: int = 0
    lns_improvements: int = 0
    lns_kicks: int = 0
    #: column generation beside the search (``solve(colgen=...)``): seconds, rounds and
    #: its lower bound of the objective, rounded up (None: none)
    colgen_seconds: float = 0.0
    colgen_rounds: int = 0
    colgen_bound: float | None = None
    #: relaxation-induced neighbourhoods from the column generation's LP, once it has
    #: converged beside CP-SAT or after a dive (``rotasolve.solver.solve.RINS_SHARE``,
    #: ``RINS_AFTER_DIVE_SHARE``): seconds, sub-problems solved and the objective of the
    #: schedule after them (None: none solved)
    rins_seconds: float = 0.0
    rins_calls: int = 0
    rins_objective: float | None = None
    #: column generation and dive before the search (``solve(dive=...)``): seconds of
    #: both (the column generation's own are in ``colgen_seconds``) and the objective of
    #: the dive's schedule (None: no schedule; the search starts from it when better)
    dive_seconds: float = 0.0
    dive_objective: float | None = None
    #: the people the dive's deadline left free and rushed to their heaviest roster in
    #: its LP, and whether CP-SAT then re-solved their rosters
    #: (``rotasolve.solver.solve.DIVE_FINISH_SHARE``)
    dive_rushed: int = 0
    dive_finished: bool = False


class Result(BaseModel):
    """The result of :func:`rotasolve.solve`; JSON in and out.

    Parameters
    ----------
    status
        See :class:`Status`.
    objective
        Total weighted cost of the soft rules of ``schedule`` (equal to
        ``report.objective``), or None without a schedule. With ``solve(relax=True)`` it is
        the relaxed model's objective: every unit of a broken hard rule or cover costs
        :data:`rotasolve.solver.solve.RELAX_WEIGHT`, plus the soft cost (then
        ``report.objective`` is the soft cost alone and ``report.hard_violations`` lists
        the broken rules).
    bound
        Proven lower bound on the objective, or None when unknown (no solve, or a tiered
        solve that did not prove every tier optimal).
    gap
        ``(objective - bound) / max(1, |objective|)``, or None.
    runtime
        Seconds spent in CP-SAT (all tiers, plus the hint completion).
    build_seconds
        Seconds spent compiling the problem.
    schedule
        The schedule found (empty when none).
    report
        :func:`rotasolve.check` of ``schedule`` by the independent checker, or None when
        there is no schedule.
    stats
        Model size and search effort.
    conflicts
        When the status is ``infeasible``: sets of requirements that cannot hold together
        (see :func:`rotasolve.explain`); empty otherwise or when not computed.
    message
        Extra information, e.g. why the model is invalid.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: Status
    objective: int | None = None
    bound: float | None = None
    gap: float | None = None
    runtime: float = 0.0
    build_seconds: float = 0.0
    schedule: Schedule = Schedule()
    report: Report | None = None
    stats: SolveStats = SolveStats()
    conflicts: tuple[Conflict, ...] = ()
    message: str = ""

    @property
    def ok(self) -> bool:
        """Whether a schedule was found."""
        return self.status.has_schedule

    def summary(self) -> str:
        """A short printable account of the solve and of the checker's report."""
        parts = [f"status: {self.status.value}"]
        if self.objective is not None:
            parts.append(f"objective: {self.objective}")
        if self.bound is not None:
            parts.append(f"bound: {self.bound:g}")
        if self.gap is not None:
            parts.append(f"gap: {self.gap:.2%}")
        parts.append(f"solve {self.runtime:.2f}s, build {self.build_seconds:.2f}s")
        lines = ["; ".join(parts)]
        lines.append(
            f"model: {self.stats.variables} variables, {self.stats.constraints} constraints; "
            f"search: {self.stats.conflicts} conflicts, {self.stats.branches} branches"
        )
        if self.status.has_schedule:
            lines.append(f"schedule: {len(self.schedule)} assignments")
        if self.message:
            lines.append(self.message)
        if self.conflicts:
            n = len(self.conflicts)
            lines.append(f"why infeasible ({n} conflict{'s' if n > 1 else ''}):")
            for i, c in enumerate(self.conflicts, 1):
                body = str(c).splitlines()
                lines.append(f"{i}. {body[0]}")
                lines.extend(f"  {line}" for line in body[1:])
        if self.report is not None:
            lines.append(self.report.summary())
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
