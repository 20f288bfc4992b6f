"""Problem validation: every cross-reference error is found, located and names the object;
suspicious but legal input is a ProblemWarning, not an error."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from rotasolve import Problem, ProblemWarning

BASE: dict[str, Any] = {
    "horizon": {"start": "2024-01-01", "days": 14},
    "people": [
        {"id": "A", "pgy": 1},
        {"id": "B", "pgy": 2},
        {"id": "F", "role": "faculty"},
    ],
    "shifts": [
        {"id": "D", "start": "07:00", "minutes": 600},
        {"id": "N", "start": "19:00", "minutes": 720, "tags": ["night"]},
    ],
    "cover": [{"id": "cD", "shifts": ["D"], "min": 1}],
    "leave": [{"id": "lv", "person": "A", "first": "2024-01-03", "last": "2024-01-04"}],
    "requests": [{"id": "rq", "person": "B", "day": "2024-01-02"}],
    "locks": [{"id": "lk", "person": "A", "day": "2024-01-01", "shift": "D"}],
    "rules": [
        {"kind": "shift_count", "id": "sc", "max": 5, "window": 7},
        {"kind": "rest", "id": "rest", "minutes": 600},
        {"kind": "fairness", "id": "fair", "tags": ["night"], "hard": False, "weight": 1},
        {
            "kind": "succession",
            "id": "nd",
            "first": {"tags": ["night"]},
            "second": {"shifts": ["D"]},
        },
    ],
}

Mutation = Callable[[dict[str, Any]], None]


def setter(path: tuple[str | int, ...], value: Any) -> Mutation:
    def apply(d: dict[str, Any]) -> None:
        target: Any = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return apply


def appender(field: str, value: Any) -> Mutation:
    def apply(d: dict[str, Any]) -> None:
        d[field].append(value)

    return apply


def build(*mutations: Mutation) -> dict[str, Any]:
    d = copy.deepcopy(BASE)
    for m in mutations:
        m(d)
    return d


def test_base_problem_is_valid() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Problem.model_validate(build())


# (mutation, expected loc, expected error type, id the message must name or None)
CASES = [
    pytest.param(
        # A second person with id A: the later entry is the one flagged.
        appender("people", {"id": "A"}),
        ("people", 3, "id"),
        "duplicate_id",
        "A",
        id="duplicate-person",
    ),
    pytest.param(
        # Two shift types named D.
        appender("shifts", {"id": "D", "start": "08:00", "minutes": 60}),
        ("shifts", 2, "id"),
        "duplicate_id",
        "D",
        id="duplicate-shift",
    ),
    pytest.param(
        # Rule ids name violations in reports, so they must be unique too.
        appender("rules", {"kind": "weekends", "id": "sc", "max": 1}),
        ("rules", 4, "id"),
        "duplicate_id",
        "sc",
        id="duplicate-rule",
    ),
    pytest.param(
        # Cover counts a shift type that does not exist.
        setter(("cover", 0, "shifts"), ["Z"]),
        ("cover", 0, "shifts", 0),
        "unknown_shift",
        "Z",
        id="cover-unknown-shift",
    ),
    pytest.param(
        # A cover must count at least one shift type.
        setter(("cover", 0, "shifts"), []),
        ("cover", 0, "shifts"),
        "no_shifts",
        "cD",
        id="cover-no-shifts",
    ),
    pytest.param(
        # Leave for someone who is not in the program.
        setter(("leave", 0, "person"), "Q"),
        ("leave", 0, "person"),
        "unknown_person",
        "Q",
        id="leave-unknown-person",
    ),
    pytest.param(
        # Leave ending after the 14-day horizon.
        setter(("leave", 0, "last"), "2024-02-01"),
        ("leave", 0, "last"),
        "day_outside_horizon",
        "lv",
        id="leave-outside-horizon",
    ),
    pytest.param(
        # Leave whose first day is after its last day.
        setter(("leave", 0, "first"), "2024-01-05"),
        ("leave", 0, "first"),
        "min_above_max",
        "lv",
        id="leave-reversed",
    ),
    pytest.param(
        # A request for a shift type that does not exist.
        setter(("requests", 0, "shift"), "Z"),
        ("requests", 0, "shift"),
        "unknown_shift",
        "Z",
        id="request-unknown-shift",
    ),
    pytest.param(
        # A request before the horizon starts.
        setter(("requests", 0, "day"), "2023-12-31"),
        ("requests", 0, "day"),
        "day_outside_horizon",
        "rq",
        id="request-outside-horizon",
    ),
    pytest.param(
        # A lock on an unknown person.
        setter(("locks", 0, "person"), "Q"),
        ("locks", 0, "person"),
        "unknown_person",
        "Q",
        id="lock-unknown-person",
    ),
    pytest.param(
        # A shift of zero minutes is meaningless (field-level error, no id in message).
        setter(("shifts", 0, "minutes"), 0),
        ("shifts", 0, "minutes"),
        "greater_than",
        None,
        id="zero-length-shift",
    ),
    pytest.param(
        # Negative lengths are refused the same way.
        setter(("shifts", 1, "minutes"), -60),
        ("shifts", 1, "minutes"),
        "greater_than",
        None,
        id="negative-length-shift",
    ),
    pytest.param(
        # A horizon of zero days.
        setter(("horizon", "days"), 0),
        ("horizon", "days"),
        "greater_than",
        None,
        id="empty-horizon",
    ),
    pytest.param(
        # Cover min above max can never be met.
        lambda d: d["cover"][0].update({"min": 3, "max": 2}),
        ("cover", 0, "min"),
        "min_above_max",
        "cD",
        id="cover-min-above-max",
    ),
    pytest.param(
        # A target above the hard max can never be met either.
        lambda d: d["cover"][0].update({"max": 2, "target": 3}),
        ("cover", 0, "target"),
        "target_above_max",
        "cD",
        id="cover-target-above-max",
    ),
    pytest.param(
        # Rule min above max.
        setter(("rules", 0, "min"), 6),
        ("rules", 0, "min"),
        "min_above_max",
        "sc",
        id="rule-min-above-max",
    ),
    pytest.param(
        # A 15-day window never fits in a 14-day horizon.
        setter(("rules", 0, "window"), 15),
        ("rules", 0, "window"),
        "window_too_long",
        "sc",
        id="window-longer-than-horizon",
    ),
    pytest.param(
        # Only residents have a PGY level.
        setter(("people", 2, "pgy"), 3),
        ("people", 2, "pgy"),
        "pgy_on_non_resident",
        "F",
        id="pgy-on-faculty",
    ),
    pytest.param(
        # Rest is measured on the clock, so every shift type needs a start time.
        setter(("shifts", 1, "start"), None),
        ("rules", 1),
        "needs_clock_time",
        "rest",
        id="clock-rule-clockless-shift",
    ),
    pytest.param(
        # Free 24-hour days off need clock times too (rest also errors; we look for ours).
        lambda d: (
            d["shifts"][0].update({"start": None}),
            d["rules"].append(
                {"kind": "days_off", "id": "f24", "min": 1, "window": 7, "day_off": "free24"}
            ),
        ),
        ("rules", 4),
        "needs_clock_time",
        "f24",
        id="free24-clockless-shift",
    ),
    pytest.param(
        # An empty PGY range in a cover's eligibility.
        setter(("cover", 0, "eligible"), {"pgy_min": 3, "pgy_max": 2}),
        ("cover", 0, "eligible", "pgy_min"),
        "min_above_max",
        "cD",
        id="selector-pgy-range-empty",
    ),
    pytest.param(
        # A rule scoped to an unknown person.
        setter(("rules", 0, "scope"), {"people": ["Z"]}),
        ("rules", 0, "scope", "people", 0),
        "unknown_person",
        "Z",
        id="scope-unknown-person",
    ),
    pytest.param(
        # A shift type eligible to an unknown person.
        setter(("shifts", 0, "eligible"), {"people": ["Z"]}),
        ("shifts", 0, "eligible", "people", 0),
        "unknown_person",
        "Z",
        id="eligible-unknown-person",
    ),
    pytest.param(
        # Day index 20 is outside a 14-day horizon.
        setter(("cover", 0, "days"), {"kind": "listed", "indices": [20]}),
        ("cover", 0, "days", "indices", 0),
        "day_outside_horizon",
        "cD",
        id="dayset-index-outside",
    ),
    pytest.param(
        # Dates given but kind "all" would silently ignore them.
        setter(("cover", 0, "days"), {"kind": "all", "dates": ["2024-01-02"]}),
        ("cover", 0, "days"),
        "unused_days",
        "cD",
        id="dayset-unused-dates",
    ),
    pytest.param(
        # Carried counts for an unknown person.
        setter(("rules", 2, "carried"), {"Z": 3}),
        ("rules", 2, "carried", "Z"),
        "unknown_person",
        "Z",
        id="fairness-carried-unknown",
    ),
    pytest.param(
        # Succession naming an unknown shift type.
        setter(("rules", 3, "second"), {"shifts": ["Z"]}),
        ("rules", 3, "second", "shifts", 0),
        "unknown_shift",
        "Z",
        id="succession-unknown-shift",
    ),
    pytest.param(
        # Rest after an unknown shift type.
        setter(("rules", 1, "after"), {"shifts": ["Z"]}),
        ("rules", 1, "after", "shifts", 0),
        "unknown_shift",
        "Z",
        id="rest-after-unknown-shift",
    ),
    pytest.param(
        # An unknown field is refused, not ignored (typos would silently change meaning).
        setter(("people", 0, "colour"), "red"),
        ("people", 0, "colour"),
        "extra_forbidden",
        None,
        id="unknown-field",
    ),
]


@pytest.mark.parametrize(("mutate", "loc", "kind", "names"), CASES)
def test_validation_error(
    mutate: Mutation, loc: tuple[Any, ...], kind: str, names: str | None
) -> None:
    with pytest.raises(ValidationError) as info:
        Problem.model_validate(build(mutate))
    errors = info.value.errors()
    hits = [e for e in errors if e["loc"] == loc and e["type"] == kind]
    assert hits, errors
    if names is not None:
        assert repr(names) in hits[0]["msg"] or names in hits[0]["msg"], hits[0]["msg"]


def test_unknown_rule_kind() -> None:
    bad = appender("rules", {"kind": "vacation", "id": "v"})
    with pytest.raises(ValidationError) as info:
        Problem.model_validate(build(bad))
    assert info.value.errors()[0]["loc"][:2] == ("rules", 4)


def test_horizon_end_before_start() -> None:
    with pytest.raises(ValidationError) as info:
        Problem.model_validate(
            build(setter(("horizon",), {"start": "2024-01-05", "end": "2024-01-01"}))
        )
    assert info.value.errors()[0]["loc"] == ("horizon",)
    assert "before start" in info.value.errors()[0]["msg"]


def test_several_errors_are_collected_at_once() -> None:
    d = build(
        appender("people", {"id": "B"}),
        setter(("leave", 0, "person"), "Q"),
        setter(("rules", 0, "window"), 30),
        setter(("locks", 0, "shift"), "Z"),
    )
    with pytest.raises(ValidationError) as info:
        Problem.model_validate(d)
    locs = {e["loc"] for e in info.value.errors()}
    assert locs == {
        ("people", 3, "id"),
        ("leave", 0, "person"),
        ("rules", 0, "window"),
        ("locks", 0, "shift"),
    }


@pytest.mark.parametrize(
    ("mutate", "says"),
    [
        # A rule whose scope selects nobody constrains nothing.
        pytest.param(setter(("rules", 0, "scope"), {"pgy_min": 7}), "no person", id="empty-scope"),
        # A soft rule of weight 0 costs nothing when broken.
        pytest.param(setter(("rules", 2, "weight"), 0), "weight 0", id="soft-weight-0"),
        # A tag no shift carries counts nothing.
        pytest.param(setter(("rules", 0, "tags"), ["icu"]), "'icu'", id="unknown-tag"),
        # 14 days are not whole 4-day blocks.
        pytest.param(
            lambda d: d["rules"][0].update({"window": 4, "blocks": True}),
            "blocks",
            id="partial-block",
        ),
        # A cover needs people but nobody is eligible.
        pytest.param(
            setter(("cover", 0, "eligible"), {"skills": ["icu"]}),
            "no person is eligible",
            id="cover-nobody-eligible",
        ),
    ],
)
def test_warnings_are_not_errors(mutate: Mutation, says: str) -> None:
    with pytest.warns(ProblemWarning, match=".") as record:
        pb = Problem.model_validate(build(mutate))
    assert any(says in str(w.message) for w in record)
    assert any(says in note for note in pb.warnings())
