"""Value checks for the config, beyond types: ranges and choices, with the fix in the message.

`check_values(values)` returns every problem at once as ((section, key), message); the loader
turns each into `path:line: section/key: message`.
"""

from __future__ import annotations

import re

from device.bedtime.clock import zone_problem

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PIN_RANGE = (0, 27)  # BCM GPIO numbers on the 40-pin header

RANGES = {  # (section, key): (lowest, highest), in the key's unit
    ("button", "pin"): PIN_RANGE,
    ("button", "bounce_seconds"): (0.0, 0.5),
    ("button", "hold_seconds"): (0.3, 5.0),
    ("button", "long_hold_seconds"): (1.0, 10.0),
    ("routine", "switch_seconds"): (2, 60),
    ("routine", "transition_seconds"): (2, 120),
    ("routine", "page_seconds"): (2, 60),
    ("routine", "done_seconds"): (5, 300),
    ("routine", "clock_peek_seconds"): (1, 60),
    ("bedtime", "prompt_minutes"): (1, 240),
    ("display", "i2c_port"): (0, 22),
    ("display", "spi_port"): (0, 6),
    ("display", "spi_device"): (0, 2),
    ("display", "dc_pin"): PIN_RANGE,
    ("display", "rst_pin"): PIN_RANGE,
    ("display", "width"): (32, 256),
    ("display", "height"): (32, 256),
    ("display", "day_contrast"): (0, 255),
    ("display", "night_contrast"): (0, 255),
    ("display", "dark_after_seconds"): (5, 3600),
    ("haptics", "pin"): PIN_RANGE,
    ("haptics", "strength"): (0.0, 1.0),
}
INTEGERS = {  # keys that must be whole numbers
    ("button", "pin"), ("display", "i2c_port"), ("display", "spi_port"), ("display", "spi_device"),
    ("display", "dc_pin"), ("display", "rst_pin"), ("display", "width"), ("display", "height"),
    ("display", "rotate"), ("display", "day_contrast"), ("display", "night_contrast"), ("haptics", "pin"),
}
CHOICES = {
    ("routine", "sleep_position"): ("back", "side", "stomach"),
    ("display", "driver"): ("ssd1306", "ssd1309", "sh1106", "sh1107"),
    ("display", "interface"): ("i2c", "spi"),
    ("display", "rotate"): (0, 1, 2, 3),
    ("haptics", "kind"): ("buzzer", "vibration"),
}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_clock_time(text: str) -> tuple[int, int] | None:
    """("22:15") -> (22, 15); None when `text` is not a 24-hour "HH:MM" time."""
    match = _TIME.match(text.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def parse_i2c_address(text: str) -> int | None:
    """"0x3C" (or "60") -> 60; None when it is not a 7-bit I2C address (0x03-0x77)."""
    try:
        value = int(text.strip(), 0)
    except ValueError:
        return None
    return value if 0x03 <= value <= 0x77 else None


def check_values(values: dict) -> list[tuple[tuple[str, str], str]]:
    """Every out-of-range or unknown value as ((section, key), message)."""
    problems = []
    for (section, key), (low, high) in RANGES.items():
        value = values.get(section, {}).get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not low <= value <= high:
            problems.append(((section, key), f"{value} is outside {low}-{high}"))
    for section, key in sorted(INTEGERS):
        value = values.get(section, {}).get(key)
        if isinstance(value, float):
            problems.append(((section, key), f"must be a whole number, e.g. {int(value)}; not {value}"))
    for (section, key), allowed in CHOICES.items():
        value = values.get(section, {}).get(key)
        if value not in allowed or isinstance(value, bool):
            shown = ", ".join(str(a) for a in allowed)
            problems.append(((section, key), f"must be one of {shown}, not {value!r}"))
    button = values.get("button", {})
    if button.get("long_hold_seconds", 3) <= button.get("hold_seconds", 1):
        problems.append((("button", "long_hold_seconds"), "must be longer than button/hold_seconds"))
    problems += _bedtime_problems(values.get("bedtime", {}))
    for key in ("starts", "ends"):
        text = values.get("night", {}).get(key, "")
        if not isinstance(text, str) or parse_clock_time(text) is None:
            problems.append((("night", key), f'must be a 24-hour time like "20:00", not {text!r}'))
    problems += _wiring_problems(values)
    return problems


def _bedtime_problems(bedtime: dict) -> list[tuple[tuple[str, str], str]]:
    problems = []
    for day in WEEKDAYS:
        text = bedtime.get(day, "")
        if isinstance(text, str) and text.strip() and parse_clock_time(text) is None:
            problems.append((("bedtime", day), f'must be a 24-hour time like "22:15" (or "" for none), not {text!r}'))
    zone = bedtime.get("time_zone", "")
    if isinstance(zone, str) and zone.strip():

        message = zone_problem(zone.strip())
        if message:
            problems.append((("bedtime", "time_zone"), message))
    return problems


def _wiring_problems(values: dict) -> list[tuple[tuple[str, str], str]]:
    problems = []
    display = values.get("display", {})
    address = display.get("i2c_address")
    if isinstance(address, str) and parse_i2c_address(address) is None:
        problems.append((("display", "i2c_address"),
                         f'must be an I2C address like "0x3C" (see `i2cdetect -y 1`), not {address!r}'))
    button_pin = values.get("button", {}).get("pin")
    taken = {button_pin: "button/pin"}
    if display.get("interface") == "spi":
        for key in ("dc_pin", "rst_pin"):
            pin = display.get(key)
            if pin in taken:
                problems.append((("display", key), f"GPIO{pin} is already {taken[pin]}; pick a free pin"))
            taken.setdefault(pin, f"display/{key}")
    haptics = values.get("haptics", {})
    if haptics.get("enabled") and haptics.get("pin") in taken:
        pin = haptics.get("pin")
        problems.append((("haptics", "pin"), f"GPIO{pin} is already {taken[pin]}; pick a free pin"))
    return problems


def routine_name_problems(config, known: set[str]) -> list[str]:
    """Lines for each routine name in `[routine] default` / `[bedtime] *_routine` not in `known`."""
    import difflib

    problems = []
    keys = [("routine", "default")] + [("bedtime", f"{day}_routine") for day in WEEKDAYS]
    for section, key in keys:
        name = config[section].get(key, "").strip()
        if name and name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known))}"
            problems.append(config.problem(section, key, f"no routine called {name!r} ({hint})"))
    return problems
