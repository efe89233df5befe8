"""Value checks for the config, beyond types: ranges and choices, with the fix in the message."""

from __future__ import annotations

RANGES = {  # (section, key): (lowest, highest), in the key's unit
    ("button", "pin"): (0, 27),
    ("button", "bounce_seconds"): (0.0, 0.5),
    ("button", "hold_seconds"): (0.3, 5.0),
    ("button", "long_hold_seconds"): (1.0, 10.0),
    ("routine", "switch_seconds"): (2, 60),
    ("routine", "transition_seconds"): (2, 120),
    ("routine", "page_seconds"): (2, 60),
    ("routine", "done_seconds"): (5, 300),
    ("routine", "clock_peek_seconds"): (1, 60),
}
CHOICES = {
    ("routine", "sleep_position"): ("back", "side", "stomach"),
}


def check_values(values: dict) -> list[tuple[tuple[str, str], str]]:
    """Every out-of-range or unknown value as ((section, key), message)."""
    problems = []
    for (section, key), (low, high) in RANGES.items():
        value = values.get(section, {}).get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not low <= value <= high:
            problems.append(((section, key), f"{value} is outside {low}-{high}"))
    for (section, key), allowed in CHOICES.items():
        value = values.get(section, {}).get(key)
        if value not in allowed:
            problems.append(((section, key), f"must be one of {', '.join(allowed)}, not {value!r}"))
    button = values.get("button", {})
    if button.get("long_hold_seconds", 3) <= button.get("hold_seconds", 1):
        problems.append((("button", "long_hold_seconds"), "must be longer than button/hold_seconds"))
    return problems
