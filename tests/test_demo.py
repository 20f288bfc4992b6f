"""The bundled example: builder and JSON never drift, the program looks as documented, and
the demo solves it without hard violations."""

from __future__ import annotations

import importlib.util
import json
import sys
import warnings
from pathlib import Path
from types import ModuleType

import pytest

import rotasolve as rs

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def im() -> ModuleType:
    return _module("internal_medicine")


@pytest.fixture(scope="module")
def problem(im: ModuleType) -> rs.Problem:
    with warnings.catch_warnings():
        warnings.simplefilter("error", rs.ProblemWarning)  # the example is warning-free
        pb: rs.Problem = im.build()
    return pb


def test_json_equals_builder(im: ModuleType, problem: rs.Problem) -> None:
    path = EXAMPLES / "internal_medicine.json"
    assert path == im.JSON_PATH
    stored = json.loads(path.read_text())
    assert stored == problem.model_dump(mode="json"), (
        "examples/internal_medicine.json is stale: run `python examples/internal_medicine.py "
        "--write`"
    )
    assert rs.io.load_problem(path) == problem


def test_program_shape(problem: rs.Problem) -> None:
    residents = [p for p in problem.people if p.role == rs.Role.resident]
    faculty = [p for p in problem.people if p.role == rs.Role.faculty]
    assert len(residents) == 30 and len(faculty) == 8
    assert sorted(p.pgy for p in residents if p.pgy) == [1] * 10 + [2] * 10 + [3] * 10
    assert any("icu" in p.skills for p in residents if p.pgy == 2)
    h = problem.horizon
    assert (h.days, h.start.weekday(), h.start.year, h.start.month) == (28, 0, 2027, 7)
    assert all(s.start is not None for s in problem.shifts)
    call = problem.shift("call")
    assert (call.minutes, call.call, set(call.tags)) == (
        1440,
        rs.CallKind.in_house,
        {"call", "call24"},
    )
    ids = {r.id for r in problem.rules}
    assert {r.id for r in rs.rules.acgme(night_float=True)} <= ids
    assert problem.leave and problem.requests and problem.locks


def test_demo_solves_without_hard_violations(tmp_path: Path) -> None:
    demo = _module("demo")
    try:
        result = demo.run(time_limit=20, workers=2, seed=0, out=tmp_path)
    except NotImplementedError:
        pytest.skip("solver not available yet")
    assert result.schedule is not None
    assert result.report.feasible, result.report.summary()
    assert (tmp_path / "schedule.csv").exists() and (tmp_path / "schedule.json").exists()
    pb = rs.io.load_problem(EXAMPLES / "internal_medicine.json")
    again = rs.check(pb, rs.io.read_schedule_csv(tmp_path / "schedule.csv", pb))
    assert again.feasible and again.objective == result.report.objective


def test_infeasible_example_explains_itself(capsys: pytest.CaptureFixture[str]) -> None:
    """examples/infeasible.py: the explanation names the cover slot, the leave and the
    binding 80-hour window by its dates; the relaxed schedule breaks only the cover."""
    _module("infeasible").main()
    out = capsys.readouterr().out
    assert "status: infeasible" in out
    assert "acgme_weekly_hours for Dr Kim in the window 2027-06-10 to 07-07" in out
    assert "Dr Park is on leave (2027-07-01 to 2027-07-07)" in out
    assert "relaxed: 1 hard violation(s) of night_cover" in out
