"""Rule presets built from the rule vocabulary (ACGME and state variants)."""

from .acgme import RESIDENTS, acgme, acgme_pgy1_2011, new_york_405

__all__ = ["RESIDENTS", "acgme", "acgme_pgy1_2011", "new_york_405"]
