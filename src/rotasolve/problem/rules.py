"""The rule vocabulary: one discriminated union over every rule family.

Adding a family: write its model in a module of this package, add it to ``RULE_TYPES``
and to the ``Rule`` union below, then add ``check/<family>.py`` and
``solver/<family>.py`` with the same name.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .consecutive_days import ConsecutiveDays
from .consecutive_days_off import ConsecutiveDaysOff
from .continuous_duty import ContinuousDuty
from .days_off import DaysOff
from .fairness import Fairness
from .rest import Rest
from .shift_count import ShiftCount
from .succession import Succession
from .supervision import Supervision
from .weekends import Weekends
from .work_minutes import WorkMinutes

__all__ = ["RULE_TYPES", "Rule"]

Rule = Annotated[
    ShiftCount
    | WorkMinutes
    | ConsecutiveDays
    | ConsecutiveDaysOff
    | Weekends
    | Succession
    | Rest
    | ContinuousDuty
    | DaysOff
    | Fairness
    | Supervision,
    Field(discriminator="kind"),
]

#: Every rule model, by its ``kind`` (the family name shared with check/ and solver/).
RULE_TYPES: dict[str, type] = {
    cls.model_fields["kind"].default: cls
    for cls in (
        ShiftCount,
        WorkMinutes,
        ConsecutiveDays,
        ConsecutiveDaysOff,
        Weekends,
        Succession,
        Rest,
        ContinuousDuty,
        DaysOff,
        Fairness,
        Supervision,
    )
}
