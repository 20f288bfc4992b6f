"""The ``rotasolve`` command line: exit codes and outputs."""

from __future__ import annotations

import json
import warnings
from datetime import date, time
from pathlib import Path

import pytest

import rotasolve as rs
from rotasolve.cli import format_duty_table, format_penalties, main
from rotasolve.io import save_problem, save_schedule, write_schedule_csv

START = date(2027, 7, 5)


def cli_problem() -> rs.Problem:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rs.ProblemWarning)
        return rs.Problem(
            name="cli",
            horizon=rs.Horizon(start=START, days=7),
            people=(rs.Person(id="a", pgy=1), rs.Person(id="b", pgy=2)),
            shifts=(
                rs.ShiftType(id="D", start=time(7), minutes=720),
                rs.ShiftType(id="L", start=time(15), minutes=600),
            ),
            cover=(
                rs.Cover(
                    id="day",
                    shifts=("D",),
                    min=1,
                    max=1,
                    target=1,
                    target_under_weight=1,
                ),
            ),
            requests=(rs.Request(id="b_off", person="b", day=START, weight=5),),
            rules=(rs.Rest(id="rest_8h", minutes=480),),
        )


def good() -> rs.Schedule:
    return rs.Schedule(
        assignments=tuple(
            rs.Assignment(
                person="ba"[d % 2], day=rs.Horizon(start=START, days=7).date(d), shift="D"
            )
            for d in range(7)
        )
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    pb = cli_problem()
    bad = rs.Schedule(
        assignments=(
            *good().assignments,
            # b: a late shift on a's day 3, ending 01:00, then day 4 both D and L.
            rs.Assignment(person="b", day=date(2027, 7, 8), shift="L"),
            rs.Assignment(person="b", day=date(2027, 7, 9), shift="L"),
        )
    )
    return {
        "problem": save_problem(pb, tmp_path / "problem.json"),
        "good_csv": write_schedule_csv(good(), tmp_path / "good.csv"),
        "good_json": save_schedule(good(), tmp_path / "good.json"),
        "bad_csv": write_schedule_csv(bad, tmp_path / "bad.csv"),
    }


def test_check_good_schedule_exits_0(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(files["problem"]), str(files["good_csv"])]) == 0
    out = capsys.readouterr().out
    assert out.startswith("hard violations: 0;")
    assert main(["check", str(files["problem"]), str(files["good_json"]), "--duty"]) == 0
    out = capsys.readouterr().out
    assert "longest duty h" in out and "shortest rest h" in out


def test_check_bad_schedule_exits_1_and_writes_reports(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rj, rc = tmp_path / "out" / "r.json", tmp_path / "out" / "r.csv"
    args = ["check", str(files["problem"]), str(files["bad_csv"]), "--report-json", str(rj)]
    assert main([*args, "--report-csv", str(rc)]) == 1
    out = capsys.readouterr().out
    assert "HARD" in out and "one_shift_per_day" in out
    data = json.loads(rj.read_text())
    assert data["feasible"] is False and data["hard_violations"]
    assert rc.read_text().startswith("hard,rule,family,person")


@pytest.mark.parametrize("which", ["problem", "schedule"])
def test_missing_files_exit_2(
    files: dict[str, Path], tmp_path: Path, which: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "nope.json")
    args = (
        ["check", missing, str(files["good_csv"])]
        if which == "problem"
        else ["check", str(files["problem"]), missing]
    )
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"{which} file not found" in err and "nope.json" in err


def test_invalid_inputs_exit_2(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_problem = tmp_path / "bad_problem.json"
    bad_problem.write_text('{"horizon": {"start": "2027-07-05", "days": 7}}')
    assert main(["check", str(bad_problem), str(files["good_csv"])]) == 2
    assert "is not a valid problem" in capsys.readouterr().err

    not_json = tmp_path / "garbage.json"
    not_json.write_text("{not json")
    assert main(["check", str(not_json), str(files["good_csv"])]) == 2
    capsys.readouterr()

    bad_csv = tmp_path / "bad_row.csv"
    bad_csv.write_text("person,date,shift\na,2027-07-05,D\nb,tomorrow,D\n")
    assert main(["check", str(files["problem"]), str(bad_csv)]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "tomorrow" in err


def test_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", "only-one-arg.json"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2


def test_formatters() -> None:
    pb = cli_problem()
    report = rs.check(pb, good())
    table = format_duty_table(report, pb).splitlines()
    assert table[0].split()[:3] == ["resident", "PGY", "shifts"]
    assert [line.split()[0] for line in table[2:]] == ["a", "b"]
    assert table[2].split()[1:4] == ["1", "3", "36.0"]
    assert format_penalties(report).startswith("soft violations: 1, total penalty 5")
    assert "b_off b 2027-07-05" in format_penalties(report)
    assert format_penalties(rs.Report()) == "no soft violations"


def test_amounts_are_singular_for_one() -> None:
    """A penalty of one unit reads "1 person", "1 minute", not "1 people"; reports and
    the command line print it so."""
    v = rs.Violation(rule="r", family="cover", hard=False, amount=1, unit="people", cost=5)
    assert v.amount_text == "1 person"
    assert v.model_copy(update={"amount": 2}).amount_text == "2 people"
    assert v.model_copy(update={"unit": "minutes"}).amount_text == "1 minute"
    assert v.model_copy(update={"unit": "spread"}).amount_text == "1 spread"
    assert v.model_copy(update={"unit": ""}).amount_text == "1"
    report = rs.Report(penalties=(v,))
    assert "(violated by 1 person, penalty 5)" in format_penalties(report)
    assert "(violated by 1 person, penalty 5)" in report.summary()


def test_solve_writes_outputs(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "solved"
    args = [
        "solve",
        str(files["problem"]),
        "--time-limit",
        "5",
        "--workers",
        "1",
        "--out",
        str(out),
    ]
    try:
        code = main(args)
    except NotImplementedError:
        pytest.skip("solver not available yet")
    assert code == 0
    for name in ("schedule.json", "schedule.csv", "report.json", "report.csv"):
        assert (out / name).exists(), name
    # The written schedule passes `check`, with the same objective.
    assert main(["check", str(files["problem"]), str(out / "schedule.csv")]) == 0
    data = json.loads((out / "report.json").read_text())
    assert data["feasible"] is True
    assert data["objective"] == 0  # b's request can be met: a works day 0
    capsys.readouterr()


def test_solve_missing_problem_exits_2(tmp_path: Path) -> None:
    assert main(["solve", str(tmp_path / "none.json")]) == 2


def test_check_prints_compliance_report_and_exits_1_on_hard_violations(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(files["problem"]), str(files["good_csv"])]) == 0
    out = capsys.readouterr().out
    assert "Duty-hour compliance of cli: 2027-07-05..2027-07-11 (7 days)" in out
    assert "Verdict: PASS" in out and "Program summary" in out and "Assumptions" in out
    assert "Nothing is assumed about days before the horizon" in out

    csv_path = files["problem"].parent / "comp.csv"
    args = ["check", str(files["problem"]), str(files["bad_csv"])]
    assert main([*args, "--compliance-csv", str(csv_path)]) == 1
    out = capsys.readouterr().out
    assert "Verdict: FAIL" in out
    rows = [ln for ln in out.splitlines() if ln.startswith("b ") and "rest_8h" in ln]
    assert rows and "FAIL" in rows[0] and "min 480 minutes" in rows[0]
    assert "rest_8h,rest" in csv_path.read_text()

    assert main([*args, "--no-compliance"]) == 1
    assert "Duty-hour compliance" not in capsys.readouterr().out


def test_check_counts_csv_duty_rows_from_history_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Free-form duty rows before the horizon (history_start set) break a 7-day hour limit
    in a window straddling the horizon start; the report names the history date."""
    data = json.loads(cli_problem().model_dump_json())
    data["history_start"] = "2027-07-02"
    data["rules"].append(
        {"kind": "work_minutes", "id": "h40", "max": 40 * 60, "window": 7, "split": "clock"}
    )
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(data))
    schedule = tmp_path / "schedule.csv"
    lines = ["person,date,shift,start,end,kind"]
    lines += [f"b,,,2027-07-0{d}T07:00,2027-07-0{d}T19:00,moonlighting" for d in (2, 3, 4)]
    lines += ["b,2027-07-05,D,,,", "a,2027-07-06,D,,,"]
    schedule.write_text("\n".join(lines) + "\n")
    code = main(["check", str(problem), str(schedule)])
    out = capsys.readouterr().out
    assert code == 1  # b: 36 h carried in + 12 h on 2027-07-05 in the window from 07-02
    fail = [ln for ln in out.splitlines() if ln.startswith("b ") and " h40 " in ln]
    assert fail and "2027-07-02..2027-07-08" in fail[0] and "FAIL" in fail[0]
    assert "History from 2027-07-02" in out
    assert "rolling 7-day windows from 2027-07-02" in out
