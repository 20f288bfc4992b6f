"""Rule family ``supervision``: supervisors per shift for the load of the residents on it.

A program rule, not an ACGME default (see :class:`rotasolve.problem.Supervision`).
"""

from __future__ import annotations

from collections import defaultdict

from ..problem import Supervision
from .context import CheckContext

__all__ = ["check"]


def check(ctx: CheckContext) -> None:
    """Record every (day, shift type) with fewer supervisors than its load needs.

    Counts assignments (an exact duplicate counts twice); a person matching the rule's
    ``supervisors`` is a supervisor only, never supervised.
    """
    ix = ctx.index
    rules = [r for r in ctx.problem.rules if isinstance(r, Supervision)]
    if not rules:
        return
    on_shift: dict[tuple[int, int], list[int]] = defaultdict(list)
    for p, d, s in ctx.assignments:
        on_shift[(d, s)].append(p)
    for rule in rules:
        sup = set(ix.people_in(rule.supervisors))
        load_of = {p: rule.load_of(ix.people[p].pgy) for p in ctx.scope(rule) if p not in sup}
        shifts = sorted(ctx.matching(rule))
        for d in ix.days_in(rule.days):
            for s in shifts:
                working = on_shift.get((d, s), [])
                n_sup = sum(1 for p in working if p in sup)
                supervised = [load_of[p] for p in working if p in load_of]
                load = sum(supervised)
                missing = rule.missing(load, n_sup)
                if not missing:
                    continue
                need = n_sup + missing
                ctx.rule_violation(
                    rule,
                    None,
                    d,
                    d,
                    value=n_sup,
                    limit=need,
                    amount=missing,
                    message=f"{ix.shifts[s].id} on {ctx.days_text(d)}: {len(supervised)} "
                    f"supervised (load {load}, {rule.per_supervisor} per supervisor) need "
                    f"{need} supervisors, {n_sup} working ({missing} missing) [{rule.title}]",
                )
