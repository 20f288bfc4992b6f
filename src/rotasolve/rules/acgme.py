"""ACGME clinical and educational work-hour rules, built from the existing rule vocabulary.

Every number is a parameter whose default is the ACGME Common Program Requirements
(Residency) value: Section VI.F in the 2023 edition, renumbered 6.20–6.28 in the 2025
reformatted edition. Review Committees and some states are stricter; pass their numbers.

What these presets do *not* add as rules, and where it lives instead:

- **Moonlighting** (VI.F.5 / 6.25) and **at-home call hours spent in hospital**
  (VI.F.8 / 6.28) are fixed duty entries (:class:`~rotasolve.problem.DutyEntry`, kinds
  ``moonlighting`` and ``home_call_in_hospital``), not decisions. They count toward the
  80 hours (``weekly_hours``, which counts every shift type), in duty periods
  (``continuous_duty``, rest) and against the day off; a PGY-1 resident's moonlighting is
  always a hard violation (``pgy1_moonlighting``), whatever the rules. At-home call shift
  types themselves should have ``counts_hours=False`` and no in-house call tag;
  ``day_off="free24"`` already keeps them off the day in seven.
- **Supervision** ratios (one faculty per N residents) are program and Review Committee
  policy, not a Common Program Requirement: add the program rule
  :class:`~rotasolve.problem.Supervision` next to the preset, e.g.
  ``Supervision(id="supervision", per_supervisor=4, loads={1: 2})`` for one faculty per
  two PGY-1 or four PGY-2+ residents. The presets leave it out, so that every rule they
  return is an ACGME (or state) duty-hour limit.
- Duty before the horizon: give it as duty entries and set ``Problem.history_start`` so
  that the averaging windows of ``weekly_hours`` and ``day_off`` straddling the horizon
  start are checked; without it nothing is assumed about the days before the horizon.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..problem import (
    ConsecutiveDays,
    ContinuousDuty,
    DaysOff,
    Rest,
    Role,
    Rule,
    Selector,
    ShiftCount,
    ShiftFilter,
    WorkMinutes,
)

__all__ = ["RESIDENTS", "acgme", "acgme_pgy1_2011", "new_york_405"]

#: Default scope of every preset: all residents.
RESIDENTS = Selector(roles=(Role.resident,))

#: Keys of :func:`acgme` rules; the rule id is ``prefix + key``.
ACGME_KEYS = (
    "weekly_hours",
    "day_off",
    "continuous_duty",
    "rest_8h",
    "rest_14h_after_call",
    "call_q3",
    "night_float",
)


def _finish(
    rules: dict[str, Rule],
    prefix: str,
    soft: Mapping[str, int] | None,
    omit: Iterable[str],
) -> tuple[Rule, ...]:
    """Apply ``omit`` and ``soft`` (keys with or without ``prefix``) and set ids."""
    known = set(rules)

    def key_of(name: str, what: str) -> str:
        key = name.removeprefix(prefix) if name.startswith(prefix) else name
        if key not in known:
            raise ValueError(f"{what}: unknown rule {name!r}; known: {', '.join(sorted(known))}")
        return key

    omitted = {key_of(k, "omit") for k in omit}
    softened = {key_of(k, "soft"): w for k, w in (soft or {}).items()}
    for key, weight in softened.items():
        if weight < 0:
            raise ValueError(f"soft: weight of {key!r} must be >= 0, got {weight}")
    out: list[Rule] = []
    for key, rule in rules.items():
        if key in omitted:
            continue
        update: dict[str, object] = {"id": prefix + key}
        if key in softened:
            update |= {"hard": False, "weight": softened[key]}
        out.append(rule.model_copy(update=update))
    return tuple(out)


def acgme(
    *,
    scope: Selector = RESIDENTS,
    weekly_hours: int = 80,
    exception_88: bool = False,
    averaging_days: int = 28,
    blocks: bool = False,
    days_off: int | None = None,
    continuous_minutes: int = 24 * 60,
    transition_minutes: int = 4 * 60,
    rest_minutes: int = 8 * 60,
    rest_after_call24_minutes: int = 14 * 60,
    call24_tag: str = "call24",
    in_house_call_tag: str = "call",
    max_calls: int | None = None,
    night_float: bool = False,
    max_consecutive_nights: int = 6,
    night_tag: str = "night",
    soft: Mapping[str, int] | None = None,
    omit: Iterable[str] = (),
    prefix: str = "acgme_",
) -> tuple[Rule, ...]:
    """The ACGME Common Program Requirements duty-hour limits as rules.

    Every rule is hard unless named in ``soft``; every rule applies to ``scope`` (all
    residents by default) and has a stable id ``prefix + key``:

    ``weekly_hours`` — VI.F.1 / 6.20 (must)
        At most 80 hours per week averaged over four weeks:
        ``WorkMinutes(max=weekly_hours * 60 * averaging_days / 7, window=averaging_days,
        split="clock")`` (19 200 minutes per 28 days). Minutes are cut at window edges on
        the clock, so a night crossing into the window counts only its part inside.
        Windows are rolling (every 28-day run, what auditors check) unless ``blocks=True``
        (the program's fixed four-week blocks). ``exception_88=True`` applies the Review
        Committee exception of VI.F.4.c / 6.24 (88 hours per week).
    ``day_off`` — VI.F.2.c / 6.21.b (must)
        One day in seven free of clinical work and education, averaged over four weeks:
        ``DaysOff(min=averaging_days // 7, window=averaging_days, day_off="free24")``. A
        day off is a whole calendar day overlapping no assignment (a night ending at 07:00
        uses that day; at-home call may not fall on it).
    ``continuous_duty`` — VI.F.3.a / 6.22 (must)
        At most 24 hours of continuous scheduled clinical assignments plus up to 4 hours
        of transition: ``ContinuousDuty(max_minutes=continuous_minutes +
        transition_minutes)`` (1680 minutes). Back-to-back shifts form one duty period.
    ``rest_8h`` — VI.F.2.a / 6.21 ("should")
        Eight hours off between duty periods: ``Rest(minutes=rest_minutes)``. The text
        says *should*; it is hard by default, soften it with ``soft={"rest_8h": w}``
        (``w`` per minute short).
    ``rest_14h_after_call`` — VI.F.2.b / 6.21.a (must)
        At least 14 hours free after 24 hours of in-house call:
        ``Rest(minutes=rest_after_call24_minutes, after=ShiftFilter(tags=(call24_tag,)))``.
        Tag 24-hour in-house call shift types with ``call24_tag``.
    ``call_q3`` — VI.F.7 / 6.27 (must)
        In-house call no more often than every third night, averaged over four weeks:
        ``ShiftCount(tags=(in_house_call_tag,), max=averaging_days // 3,
        window=averaging_days)`` (9 in any 28 days). Tag in-house call shift types with
        ``in_house_call_tag``; at-home call (VI.F.8 / 6.28) is exempt, so do not give it
        that tag.
    ``night_float`` — VI.F.6 / 6.26 (program option, only with ``night_float=True``)
        At most ``max_consecutive_nights`` (6, the 2011 VI.G.6 cap many programs still use)
        consecutive nights: ``ConsecutiveDays(tags=(night_tag,), max=6)``.

    Moonlighting (VI.F.5 / 6.25; PGY-1 may not moonlight) and at-home call hours spent in
    hospital (VI.F.8 / 6.28) are fixed duty entries counted by these rules; supervision
    ratios are the program rule :class:`~rotasolve.problem.Supervision`, not part of the
    preset; see the module docstring.

    Parameters
    ----------
    scope
        Who the rules apply to; all residents by default.
    weekly_hours
        Weekly limit averaged over the window (80).
    exception_88
        Apply the 88-hour Review Committee exception instead of ``weekly_hours``.
    averaging_days
        Length of the averaging window in days (28 = four weeks). The problem's horizon
        must be at least this long.
    blocks
        Average over fixed blocks ``[0, N), [N, 2N), ...`` instead of every rolling window.
    days_off
        Free days per window; default one per week (``averaging_days // 7``).
    continuous_minutes, transition_minutes
        Longest continuous duty (24 h) and the transition allowance (4 h).
    rest_minutes
        Rest between duty periods (8 h).
    rest_after_call24_minutes
        Rest after 24-hour in-house call (14 h).
    call24_tag
        Tag of 24-hour in-house call shift types.
    in_house_call_tag
        Tag of in-house call shift types counted for call frequency.
    max_calls
        In-house calls per window; default every third night (``averaging_days // 3``).
    night_float, max_consecutive_nights, night_tag
        Add the consecutive-nights cap on shifts tagged ``night_tag``.
    soft
        Rules to make soft, by key (or full id) → weight per unit of violation.
    omit
        Rules to leave out, by key (or full id), e.g. ``("call_q3",)`` for a program
        without in-house call.
    prefix
        Prefix of every rule id; change it to use the preset twice with different scopes.

    Returns
    -------
    tuple of rules
        In the order listed above.

    Examples
    --------
    >>> rules = acgme(soft={"rest_8h": 1000}, night_float=True)
    >>> [r.id for r in rules][:3]
    ['acgme_weekly_hours', 'acgme_day_off', 'acgme_continuous_duty']
    """
    if exception_88 and weekly_hours != 80:
        raise ValueError("give either weekly_hours or exception_88, not both")
    hours = 88 if exception_88 else weekly_hours
    if averaging_days < 7:
        raise ValueError(f"averaging_days must be at least 7, got {averaging_days}")
    window_minutes = hours * 60 * averaging_days // 7
    free = averaging_days // 7 if days_off is None else days_off
    calls = averaging_days // 3 if max_calls is None else max_calls
    weeks = f"{averaging_days} days" + (" (fixed blocks)" if blocks else " (rolling)")
    rules: dict[str, Rule] = {
        "weekly_hours": WorkMinutes(
            id="weekly_hours",
            scope=scope,
            max=window_minutes,
            window=averaging_days,
            blocks=blocks,
            split="clock",
            label=f"ACGME VI.F.1: at most {hours} h/week averaged over {weeks}",
        ),
        "day_off": DaysOff(
            id="day_off",
            scope=scope,
            min=free,
            window=averaging_days,
            blocks=blocks,
            day_off="free24",
            label=f"ACGME VI.F.2.c: {free} free 24-hour days in {weeks}",
        ),
        "continuous_duty": ContinuousDuty(
            id="continuous_duty",
            scope=scope,
            max_minutes=continuous_minutes + transition_minutes,
            label=(
                f"ACGME VI.F.3.a: continuous duty at most {continuous_minutes / 60:g} h"
                f" + {transition_minutes / 60:g} h transition"
            ),
        ),
        "rest_8h": Rest(
            id="rest_8h",
            scope=scope,
            minutes=rest_minutes,
            label=f"ACGME VI.F.2.a: {rest_minutes / 60:g} h off between duty periods",
        ),
        "rest_14h_after_call": Rest(
            id="rest_14h_after_call",
            scope=scope,
            minutes=rest_after_call24_minutes,
            after=ShiftFilter(tags=(call24_tag,)),
            label=(
                f"ACGME VI.F.2.b: {rest_after_call24_minutes / 60:g} h free after 24-hour "
                "in-house call"
            ),
        ),
        "call_q3": ShiftCount(
            id="call_q3",
            scope=scope,
            tags=(in_house_call_tag,),
            max=calls,
            window=averaging_days,
            blocks=blocks,
            label=f"ACGME VI.F.7: at most {calls} in-house calls in {weeks}",
        ),
    }
    if night_float:
        rules["night_float"] = ConsecutiveDays(
            id="night_float",
            scope=scope,
            tags=(night_tag,),
            max=max_consecutive_nights,
            label=(
                f"ACGME VI.F.6 (program option): at most {max_consecutive_nights} nights in a row"
            ),
        )
    return _finish(rules, prefix, soft, omit)


def acgme_pgy1_2011(
    *,
    scope: Selector | None = None,
    max_shift_minutes: int = 16 * 60,
    should_rest_minutes: int = 10 * 60,
    should_rest_weight: int = 1,
    must_rest_minutes: int = 8 * 60,
    soft: Mapping[str, int] | None = None,
    omit: Iterable[str] = (),
    prefix: str = "acgme_pgy1_",
) -> tuple[Rule, ...]:
    """The 2011 ACGME limits for PGY-1 residents (superseded in 2017, still used by some
    programs and states); add them to :func:`acgme`: ``[*acgme(), *acgme_pgy1_2011()]``.

    ``max_16h`` — 2011 VI.G.4.a
        PGY-1 duty periods at most 16 hours: ``ContinuousDuty(max_minutes=960)``.
    ``rest_10h`` — 2011 VI.G.5.a ("should")
        PGY-1 residents should have 10 hours off between duty periods:
        ``Rest(minutes=600)``, soft with ``should_rest_weight`` per minute short.
    ``rest_8h`` — 2011 VI.G.5.a ("must")
        ... and must have 8: ``Rest(minutes=480)``, hard.

    Parameters
    ----------
    scope
        Who the rules apply to; default PGY-1 residents.
    max_shift_minutes, should_rest_minutes, must_rest_minutes
        The limits (16 h, 10 h, 8 h).
    should_rest_weight
        Cost per minute short of ``should_rest_minutes``.
    soft, omit, prefix
        As in :func:`acgme`; ``soft={"rest_10h": w}`` changes the weight of the (already
        soft) 10-hour rule.

    Returns
    -------
    tuple of rules
        ``acgme_pgy1_max_16h``, ``acgme_pgy1_rest_10h``, ``acgme_pgy1_rest_8h``.
    """
    if scope is None:
        scope = Selector(roles=(Role.resident,), pgy_min=1, pgy_max=1)
    rules: dict[str, Rule] = {
        "max_16h": ContinuousDuty(
            id="max_16h",
            scope=scope,
            max_minutes=max_shift_minutes,
            label=f"ACGME 2011 VI.G.4.a: PGY-1 duty at most {max_shift_minutes / 60:g} h",
        ),
        "rest_10h": Rest(
            id="rest_10h",
            scope=scope,
            minutes=should_rest_minutes,
            hard=False,
            weight=should_rest_weight,
            label=(
                f"ACGME 2011 VI.G.5.a: PGY-1 should have {should_rest_minutes / 60:g} h off "
                "between duty periods"
            ),
        ),
        "rest_8h": Rest(
            id="rest_8h",
            scope=scope,
            minutes=must_rest_minutes,
            label=(
                f"ACGME 2011 VI.G.5.a: PGY-1 must have {must_rest_minutes / 60:g} h off "
                "between duty periods"
            ),
        ),
    }
    return _finish(rules, prefix, soft, omit)


def new_york_405(
    *,
    scope: Selector = RESIDENTS,
    weekly_hours: int = 80,
    averaging_days: int = 28,
    blocks: bool = False,
    continuous_minutes: int = 24 * 60,
    transition_minutes: int = 3 * 60,
    rest_minutes: int = 8 * 60,
    week_blocks: bool = False,
    ed_tag: str | None = None,
    ed_rest_minutes: int = 10 * 60,
    soft: Mapping[str, int] | None = None,
    omit: Iterable[str] = (),
    prefix: str = "ny405_",
) -> tuple[Rule, ...]:
    """New York State resident working-hour limits (10 NYCRR 405.4(b)(6), the "405
    regulations"), as far as the rule vocabulary can express them.

    Use together with :func:`acgme` (programs must meet both; the stricter rule binds).
    The numbers below are the commonly published reading of the regulation; check the
    current text before relying on them.

    Encoded:

    ``weekly_hours``
        At most 80 hours per week averaged over four weeks: ``WorkMinutes(max=19200,
        window=28, split="clock")``, rolling unless ``blocks``.
    ``continuous_duty``
        Scheduled on-duty assignments at most 24 consecutive hours, plus up to 3 hours for
        transition and education: ``ContinuousDuty(max_minutes=1620)``.
    ``day_off_weekly``
        One 24-hour period of scheduled off-duty time *each week* (not averaged):
        ``DaysOff(min=1, window=7, day_off="free24")``, every rolling 7-day window unless
        ``week_blocks=True`` (fixed weeks from the horizon start). A free calendar day is a
        sufficient, slightly strict, reading of "a 24-hour period".
    ``rest_8h``
        Scheduled assignments separated by at least 8 non-working hours: ``Rest(480)``.
    ``rest_after_ed`` (only when ``ed_tag`` is given)
        Rest after an emergency-department shift (``ed_rest_minutes``, 10 h as many NY
        programs apply it): ``Rest(minutes=600, after=ShiftFilter(tags=(ed_tag,)))``.

    Not encodable with the existing families:

    - the **12-hour cap on emergency-department shifts** (high-volume EDs) applies to ED
      duty only, and ``ContinuousDuty`` has no shift filter; keep ED shift types at most
      12 hours long and forbid chaining them with :class:`~rotasolve.problem.Succession`;
    - **rest before** an ED shift (``Rest`` measures only after a period).

    Covered elsewhere: **moonlighting / dual employment** hours are fixed duty entries
    (:class:`~rotasolve.problem.DutyEntry`), which ``weekly_hours`` counts toward the 80
    hours; **supervision** by attending physicians is the program rule
    :class:`~rotasolve.problem.Supervision`, added next to the preset.

    Parameters
    ----------
    scope
        Who the rules apply to; all residents by default.
    weekly_hours, averaging_days, blocks
        Weekly limit and its averaging window (80 h over 28 days, rolling).
    continuous_minutes, transition_minutes
        24 h of scheduled duty plus 3 h of transition.
    rest_minutes
        Rest between assignments (8 h).
    week_blocks
        Check the weekly day off over fixed weeks instead of every 7-day window.
    ed_tag, ed_rest_minutes
        Tag of emergency-department shift types and the rest required after them.
    soft, omit, prefix
        As in :func:`acgme`.

    Returns
    -------
    tuple of rules
        With ids ``ny405_weekly_hours``, ``ny405_continuous_duty``,
        ``ny405_day_off_weekly``, ``ny405_rest_8h`` and optionally ``ny405_rest_after_ed``.
    """
    weeks = f"{averaging_days} days" + (" (fixed blocks)" if blocks else " (rolling)")
    rules: dict[str, Rule] = {
        "weekly_hours": WorkMinutes(
            id="weekly_hours",
            scope=scope,
            max=weekly_hours * 60 * averaging_days // 7,
            window=averaging_days,
            blocks=blocks,
            split="clock",
            label=f"NY 405: at most {weekly_hours} h/week averaged over {weeks}",
        ),
        "continuous_duty": ContinuousDuty(
            id="continuous_duty",
            scope=scope,
            max_minutes=continuous_minutes + transition_minutes,
            label=(
                f"NY 405: at most {continuous_minutes / 60:g} consecutive hours"
                f" + {transition_minutes / 60:g} h transition"
            ),
        ),
        "day_off_weekly": DaysOff(
            id="day_off_weekly",
            scope=scope,
            min=1,
            window=7,
            blocks=week_blocks,
            day_off="free24",
            label="NY 405: one 24-hour period off each week",
        ),
        "rest_8h": Rest(
            id="rest_8h",
            scope=scope,
            minutes=rest_minutes,
            label=f"NY 405: {rest_minutes / 60:g} h off between assignments",
        ),
    }
    if ed_tag is not None:
        rules["rest_after_ed"] = Rest(
            id="rest_after_ed",
            scope=scope,
            minutes=ed_rest_minutes,
            after=ShiftFilter(tags=(ed_tag,)),
            label=f"NY 405: {ed_rest_minutes / 60:g} h off after an emergency-department shift",
        )
    return _finish(rules, prefix, soft, omit)
