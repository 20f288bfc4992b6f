"""Structural rules: shifts per day, no overlap on the clock, locks.

Leave and eligibility need no constraint: their assignment variables are never created.
"""

from __future__ import annotations

from ..problem.index import MINUTES_PER_DAY
from .model import HARD, CompiledModel, Lin

__all__ = ["compile"]


def _overlap_offsets(cm: CompiledModel) -> list[tuple[int, int, int]]:
    """``(s, k, t)``: shift ``s`` on day ``d`` overlaps shift ``t`` on day ``d + k``, k ≥ 1."""
    ix = cm.index
    out: list[tuple[int, int, int]] = []
    for s, st in enumerate(ix.shifts):
        if st.start_minute is None:
            continue
        a = ix.interval(0, s)
        reach = (a[1] - 1) // MINUTES_PER_DAY
        for k in range(1, reach + 1):
            for t, tt in enumerate(ix.shifts):
                if tt.start_minute is not None and ix.overlap(a, ix.interval(k, t)) > 0:
                    out.append((s, k, t))
    return out


def _same_day_clash(cm: CompiledModel, s: int, t: int) -> bool:
    ix = cm.index
    if ix.shifts[s].start_minute is None or ix.shifts[t].start_minute is None:
        return True
    return ix.overlap(ix.interval(0, s), ix.interval(0, t)) > 0


def compile(cm: CompiledModel) -> None:
    """One-shift-per-day, no-overlap and lock constraints (always hard)."""
    ix = cm.index
    pb = cm.problem
    cap = pb.max_shifts_per_day
    n_shifts = len(ix.shifts)
    same_day = [
        (s, t) for s in range(n_shifts) for t in range(s + 1, n_shifts) if _same_day_clash(cm, s, t)
    ]
    offsets = _overlap_offsets(cm)
    for p, row in enumerate(cm.by_day):
        for d, cell in enumerate(row):
            if len(cell) > cap:
                cm.limit(
                    Lin.bools([v for _, v in cell]),
                    None,
                    cap,
                    cm.tag("one_shift_per_day", "structure", p, d, d),
                    HARD,
                )
            # With one shift per day, same-day overlaps are already excluded above.
            if cap > 1 and len(cell) > 1:
                for s, t in same_day:
                    vs, vt = cm.x.get((p, d, s)), cm.x.get((p, d, t))
                    if vs is not None and vt is not None:
                        cm.forbid([vs, vt], cm.tag("no_overlap", "structure", p, d, d), HARD)
            for s, k, t in offsets:
                if d + k >= ix.days:
                    continue
                vs, vt = cm.x.get((p, d, s)), cm.x.get((p, d + k, t))
                if vs is not None and vt is not None:
                    cm.forbid([vs, vt], cm.tag("no_overlap", "structure", p, d, d + k), HARD)
    for (p, d), locks in cm.locks_by_day.items():
        for i in locks:
            lk = pb.locks[i]
            tag = cm.tag(lk.id, "lock", p, d, d)
            want = None if lk.shift is None else ix.shift_pos[lk.shift]
            if want is not None and (p, d, want) not in cm.x:
                cm.forbid([], tag, HARD)  # ruled out by leave or eligibility
            for s, v in cm.by_day[p][d]:
                cm.require(v if s == want else -v - 1, tag)
