"""The dominant-first warm start of ``solve``: CP-SAT first minimises the heaviest weight
class alone when it outweighs every lighter term, then the whole objective."""

from __future__ import annotations

import importlib
import math
import time
from pathlib import Path
from typing import Any

from rotasolve import solve
from rotasolve.io import read_curtois
from rotasolve.solver.registry import compile_problem

DATA = Path(__file__).parent / "data" / "curtois"
solve_module = importlib.import_module("rotasolve.solver.solve")  # the function shadows it


def _weights(*ws: int) -> list[Any]:
    return [(None, w, None) for w in ws]


def test_the_dominant_class_is_the_heaviest_weights_far_above_all_others() -> None:
    cm = compile_problem(read_curtois(DATA / "Instance2.txt"))
    heavy = solve_module._dominant_terms(cm.penalties)
    assert heavy is not None
    assert {w for _, w, _ in heavy} == {100}
    assert {tag.family for tag, _, _ in heavy} == {"cover"}  # cover short, not over
    assert len(heavy) < len(cm.penalties)

    dominant = solve_module._dominant_terms
    assert [w for _, w, _ in dominant(_weights(1000, 500, 3, 1, 500))] == [1000, 500, 500]
    assert [w for _, w, _ in dominant(_weights(30, 3, 2))] == [30]
    assert dominant(_weights(30, 20, 10, 5)) is None  # no gap of 10x
    assert dominant(_weights(100, 100)) is None  # nothing lighter
    assert dominant(_weights(100, 0)) is None  # a zero weight costs nothing


def test_the_warm_start_reports_whole_objectives_and_ends_at_the_optimum() -> None:
    """Instance 2 (optimum 828, of which cover short is a multiple of 100): the phase's
    schedules are reported with their whole objective and no bound, and the solve that
    follows proves the optimum of the whole objective."""
    pb = read_curtois(DATA / "Instance2.txt")
    calls: list[tuple[float, float]] = []
    res = solve(pb, time_limit=40, workers=2, seed=0, progress=lambda t, o, b: calls.append((o, b)))
    assert res.status.value == "optimal" and res.objective == 828
    warm = [o for o, b in calls if b == -math.inf]
    assert warm, "the dominant phase ran and reported its schedules"
    assert all(o >= 828 for o in warm)  # whole objectives, never the cover part alone
    assert calls[-1][1] > -math.inf  # the solve of the whole objective reported last

    off: list[float] = []
    res = solve(
        pb,
        time_limit=40,
        workers=2,
        seed=0,
        dominant_first=False,
        progress=lambda t, o, b: off.append(b),
    )
    assert res.objective == 828 and -math.inf not in off


class _FakeSolver:
    def __init__(self) -> None:
        self.stopped: float | None = None

    def stop_search(self) -> None:
        self.stopped = time.perf_counter()


class _FakeCallback:
    last: float | None = None


def test_the_phase_ends_once_it_has_been_quiet_for_twice_its_latest_find() -> None:
    """The stall rule: stop after ``growth`` times as long as the latest schedule took,
    and never before (the assertions hold however slow the machine)."""
    solver, cb = _FakeSolver(), _FakeCallback()
    watch = solve_module._EarlyStop(solver, cb, share=60.0, stall=0.1, growth=2.0)  # type: ignore[arg-type]
    start = time.perf_counter()  # after the watch's own start: ``found`` is never longer
    try:
        time.sleep(0.3)
        assert solver.stopped is None  # no schedule yet: nothing to stop for
        cb.last = time.perf_counter()
        found = cb.last - start
        time.sleep(0.2)
        deadline = time.perf_counter() + 30
        while solver.stopped is None and time.perf_counter() < deadline:
            time.sleep(0.05)
    finally:
        watch.close()
    assert solver.stopped is not None
    assert solver.stopped - cb.last >= 2.0 * found  # quiet for twice the time to the find


def test_one_worker_ends_the_phase_by_proof_or_time_only(monkeypatch: Any) -> None:
    """A stall is a matter of timing: with ``workers=1`` (deterministic) the phase is not
    cut short on one, and the same seed gives the same schedule; with two it is watched."""
    watched: list[float] = []
    real = solve_module._EarlyStop

    def spy(solver: Any, cb: Any, share: float, stall: float, **kw: Any) -> Any:
        if kw.get("growth"):
            watched.append(share)
        return real(solver, cb, share, stall, **kw)

    monkeypatch.setattr(solve_module, "_EarlyStop", spy)
    pb = read_curtois(DATA / "Instance2.txt")
    runs = [solve(pb, time_limit=40, workers=1, seed=0) for _ in range(2)]
    assert not watched
    assert all(r.status.value == "optimal" and r.objective == 828 for r in runs)
    assert runs[0].schedule == runs[1].schedule
    assert solve(pb, time_limit=40, workers=2, seed=0).objective == 828
    assert watched == [10.0]  # the phase's quarter of the time limit
