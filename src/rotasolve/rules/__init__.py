"""Rule presets built from the rule vocabulary."""
