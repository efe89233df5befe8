"""Every config key, declared once: its type, default, range or choices, and one line of help.

A section is a frozen dataclass; each field is a `setting(default, kind, help)`. The loader
(`device.config.load`), `psoas config`, `psoas config --check`, the shipped `defaults.toml`
(`render_defaults()`) and `psoas doctor` all read these declarations, so a rule (a range, a
rule between keys) is written once: here, or where the part it is about lives and read from
there (the drivers: `device.panel.drivers`); the button thresholds are here, and the gesture
classifier (`device.gestures`) refuses what they refuse.
Durations are in seconds unless the key says minutes; pins are BCM GPIO numbers.

A kind turns a TOML value into the typed value (`parse`) or raises `ValueError` with the
message the person sees, and writes a typed value back as TOML (`to_toml`).
"""

from __future__ import annotations

import dataclasses
import enum
import ipaddress
import json
import math
import re
from dataclasses import dataclass, field
from typing import ClassVar

from device.clocks.zones import zone_problem
from device.panel import drivers
from routines.coaching import rules as coaching
from routines.loading.files import has_control

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PIN_RANGE = (0, 27)  # BCM GPIO numbers on the 40-pin header
I2C_ADDRESSES = (0x03, 0x77)  # the 7-bit addresses a device may use


class Interface(enum.StrEnum):
    """The bus the OLED is wired to (`[display] interface`)."""

    I2C = "i2c"
    SPI = "spi"


BUS_PINS = {  # interface -> the BCM pins its bus takes on the header
    Interface.I2C: {2: "I2C SDA", 3: "I2C SCL"},
    Interface.SPI: {8: "SPI CE0", 7: "SPI CE1", 9: "SPI MISO", 10: "SPI MOSI", 11: "SPI SCLK"},
}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")  # one dot-separated part of a host name
EVERY_INTERFACE = ("", "*")


def parse_clock_time(text: str) -> tuple[int, int] | None:
    """("22:15") -> (22, 15); None when `text` is not a 24-hour "HH:MM" time."""
    match = _TIME.match(text.strip()) if isinstance(text, str) else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def _shown(value) -> str:
    """A value as the person wrote it, escaped (never raw control characters)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    return ascii(value) if not isinstance(value, (int, float)) else str(value)


def _number(value, whole: bool):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"must be {'a whole number' if whole else 'a number'}, not {_shown(value)}")
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number, not {value}")
    if whole and isinstance(value, float):
        hint = f", e.g. {int(value)}" if abs(value) < 1e15 else ""
        raise ValueError(f"must be a whole number{hint}; not {value}")
    return value


class _Kind:
    """A kind with fields, compared and shown by them. A plain class: a dataclass costs ~3 M
    instructions at import, and `psoas morning` loads every kind."""

    __slots__ = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"


class Number(_Kind):
    """A number (whole or not) from `low` to `high`."""

    __slots__ = ("low", "high")
    whole: ClassVar[bool] = False

    def __init__(self, low: float, high: float):
        self.low = low
        self.high = high

    def parse(self, value) -> float:
        value = _number(value, whole=self.whole)
        if not self.low <= value <= self.high:
            raise ValueError(f"{value} is outside {self.low}-{self.high}")
        return value

    def to_toml(self, value) -> str:
        return str(value) if self.whole else repr(value)


class Integer(Number):
    """A whole number from `low` to `high`."""

    whole: ClassVar[bool] = True


class Boolean:  # no fields: a plain class (a dataclass costs ~3 M instructions at import)
    def parse(self, value) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {_shown(value)}")
        return value

    def to_toml(self, value) -> str:
        return "true" if value else "false"


def _text(value, example: str = "") -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a text in quotes{example}, not {_shown(value)}")
    if has_control(value):
        raise ValueError(f"must not contain control characters: {value!r}")
    return value


class Text(_Kind):
    """Any one-line text; `strip`: spaces around it do not count (names, paths). `if_empty`: an
    empty text is refused, with this fix (a name that must be given); "" lets it be empty."""

    __slots__ = ("strip", "if_empty")

    def __init__(self, strip: bool = True, if_empty: str = ""):
        self.strip = strip
        self.if_empty = if_empty

    def parse(self, value) -> str:
        value = _text(value)
        value = value.strip() if self.strip else value
        if not value and self.if_empty:
            raise ValueError(f"must not be empty; {self.if_empty}")
        return value

    def to_toml(self, value) -> str:
        return json.dumps(value, ensure_ascii=False)


class Choice(_Kind):
    """One of `options` (texts, numbers or the members of a `StrEnum`); the typed value is the
    option itself (so a `StrEnum` member for a text that names one)."""

    __slots__ = ("options",)

    def __init__(self, options: tuple):
        self.options = options

    def parse(self, value):
        if isinstance(value, str):
            value = value.strip()
        if isinstance(value, bool) or value not in self.options or type(value) is float:
            shown = ", ".join(str(option) for option in self.options)
            raise ValueError(f"must be one of {shown}, not {_shown(value)}")
        return self.options[self.options.index(value)]

    def to_toml(self, value) -> str:
        return json.dumps(value)


class ClockTime(_Kind):
    """A 24-hour "HH:MM" time; `optional`: "" means none."""

    __slots__ = ("optional",)

    def __init__(self, optional: bool = False):
        self.optional = optional

    def parse(self, value) -> str:
        example = ' like "22:15"' if self.optional else ' like "20:00"'
        text = _text(value, example).strip()
        if self.optional and not text:
            return ""
        if parse_clock_time(text) is None:
            alternative = ' (or "" for none)' if self.optional else ""
            raise ValueError(f"must be a 24-hour time{example}{alternative}, not {value!r}")
        return text

    def to_toml(self, value) -> str:
        return json.dumps(value)


class I2cAddress:  # no fields: a plain class (a dataclass costs ~3 M instructions at import)
    """A 7-bit I2C address, written as i2cdetect prints it ("0x3C"); the typed value is an int."""

    def parse(self, value) -> int:
        example = ' like "0x3C" (see `i2cdetect -y 1`)'
        low, high = I2C_ADDRESSES
        number = None
        if isinstance(value, str):
            try:
                number = int(value.strip(), 0)
            except ValueError:
                number = None
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        if number is None or not low <= number <= high:
            shown = f"0x{value:02X}" if number is not None and not isinstance(value, str) else _shown(value)
            raise ValueError(f"must be an I2C address{example}, not {shown}")
        return number

    def to_toml(self, value) -> str:
        return f'"0x{value:02X}"'


class TimeZone:  # no fields: a plain class (a dataclass costs ~3 M instructions at import)
    """An IANA time zone name, or "" for the system's."""

    def parse(self, value) -> str:
        text = _text(value, ' like "Europe/Berlin"').strip()
        problem = zone_problem(text) if text else None
        if problem:
            raise ValueError(problem)
        return text

    def to_toml(self, value) -> str:
        return json.dumps(value)


class TextList:  # no fields: a plain class (a dataclass costs ~3 M instructions at import)
    """A list of texts (e.g. folders); the typed value is a tuple."""

    def parse(self, value) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise ValueError(f'must be a list of texts like ["~/routines"], not {_shown(value)}')
        items = []
        for index, item in enumerate(value, 1):
            try:
                items.append(_text(item).strip())
            except ValueError as error:
                raise ValueError(f"item {index} {error}") from None
        return tuple(items)

    def to_toml(self, value) -> str:
        return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in value) + "]"


def host_problem(text: str) -> str | None:
    """Why `text` cannot be an address to listen on, or None: "" or "*" (every interface), an
    IP address, or a host name (letters, digits and hyphens, dot-separated; not all digits at
    the end, which would be a mistyped IP address such as 999.1.1.1)."""
    wanted = ('must be "" (every interface), an IP address of this device like "192.168.1.20", '
              'or its host name like "raspberrypi.local"')
    if text in EVERY_INTERFACE:
        return None
    if text.startswith("[") and text.endswith("]"):
        return f"{wanted}; write an IPv6 address without brackets, e.g. {text[1:-1]!r}"
    try:
        ipaddress.ip_address(text)
        return None
    except ValueError:
        pass
    labels = text[:-1].split(".") if text.endswith(".") else text.split(".")
    if len(text) > 253 or not all(_HOST_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return f"{wanted}; not {text!r}"
    return None


class Host:  # no fields: a plain class (a dataclass costs ~3 M instructions at import)
    """Where a server listens: "" or "*" (every interface), an IP address or a host name."""

    def parse(self, value) -> str:
        text = _text(value, ' like "192.168.1.20"').strip()
        problem = host_problem(text)
        if problem:
            raise ValueError(problem)
        return text

    def to_toml(self, value) -> str:
        return json.dumps(value)


def setting(default, kind, help: str):
    """A config key: its default (as typed), its kind (type, range or choices) and one line of help."""
    return field(default=default, metadata={"kind": kind, "help": help})


def keys(section_class) -> list[dataclasses.Field]:
    """The declared keys of a section class, in order."""
    return [f for f in dataclasses.fields(section_class) if "kind" in f.metadata]


def kind_of(section: str, key: str):
    """The declared kind (type, range or choices) of `[section] key`."""
    for f in keys(SECTIONS[section]):
        if f.name == key:
            return f.metadata["kind"]
    raise KeyError(f"{section}/{key}")


# -- the sections ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ButtonSettings:
    """The push button, between a GPIO pin and GND."""

    pin: int = setting(17, Integer(*PIN_RANGE), "BCM pin number; the button connects this pin to GND")
    pull_up: bool = setting(True, Boolean(), "use the Pi's internal pull-up (true for a button to GND)")
    bounce_seconds: float = setting(0.03, Number(0.0, 0.5), "contact bounce shorter than this is ignored")
    hold_seconds: float = setting(1.0, Number(0.3, 5.0), "held this long: the second action (skip / change)")
    long_hold_seconds: float = setting(3.0, Number(1.0, 10.0), "held this long: stop the routine")


@dataclass(frozen=True)
class RoutineSettings:
    """How a routine runs."""

    default: str = setting("full", Text(if_empty='name a routine, e.g. "full" (see `psoas routines list`)'),
                           "the routine offered at bedtime")
    show_safety: bool = setting(True, Boolean(), "the safety card before the first stretch")
    switch_seconds: float = setting(8, Number(2, 60), '"slowly switch sides" pause')
    transition_seconds: float = setting(10, Number(2, 120), '"move slowly" between stretches')
    page_seconds: float = setting(7, Number(2, 60), "each setup page shows this long")
    done_seconds: float = setting(30, Number(5, 300), "the done screen, then dark")
    clock_peek_seconds: float = setting(5, Number(1, 60), "a press in the dark shows the time this long")
    sleep_position: str = setting("back", Choice(("back", "side", "stomach")),
                                  "back | side | stomach: tips on the done screen")


@dataclass(frozen=True)
class RoutinesSettings:
    """Your own routine files (TOML); a file with a built-in routine's name replaces it."""

    dirs: tuple = setting(("~/.config/psoas-companion/routines", "/etc/psoas-companion/routines"), TextList(),
                          "folders searched for routine files, first wins")


def _bedtime_fields():
    times = {"monday": "22:15", "tuesday": "22:15", "wednesday": "22:15", "thursday": "22:15",
             "friday": "22:15", "saturday": "23:00", "sunday": "23:00"}
    declared = [(day, str, setting(times[day], ClockTime(optional=True), f"{day.title()}'s bedtime"))
                for day in WEEKDAYS]
    declared += [(f"{day}_routine", str, setting("", Text(), f"{day.title()}'s routine; \"\" = routine/default"))
                 for day in WEEKDAYS]
    return declared


BedtimeSettings = dataclasses.make_dataclass(
    "BedtimeSettings",
    [("enabled", bool, setting(True, Boolean(), "wake the dark screen at bedtime with tonight's routine"))]
    + _bedtime_fields()
    + [("prompt_minutes", float, setting(30, Number(1, 240),
                                         "the prompt stays up this long, then dark (at most once a night)")),
       ("time_zone", str, setting("", TimeZone(),
                                  'e.g. "Europe/Berlin"; "" = the system\'s time zone (follows changes)'))],
    frozen=True,
)
BedtimeSettings.__doc__ = (
    'When the dark screen wakes with tonight\'s routine. "HH:MM" in 24-hour time; "" = no prompt\n'
    'that night. A time after midnight (e.g. "00:30") belongs to that weekday\'s early morning.'
)
BedtimeSettings.__module__ = __name__


@dataclass(frozen=True)
class DisplaySettings:
    """The OLED and how bright it is."""

    driver: str = setting("ssd1306", Choice(drivers.NAMES), " | ".join(drivers.NAMES))
    interface: Interface = setting(Interface.I2C, Choice(tuple(Interface)), " | ".join(Interface))
    i2c_port: int = setting(1, Integer(0, 22), "/dev/i2c-1")
    i2c_address: int = setting(0x3C, I2cAddress(), "check with `i2cdetect -y 1`; often 0x3C or 0x3D")
    spi_port: int = setting(0, Integer(0, 6), "SPI only: /dev/spidev<port>.<device>")
    spi_device: int = setting(0, Integer(0, 2), "SPI only: the chip select")
    dc_pin: int = setting(24, Integer(*PIN_RANGE), "SPI only: BCM pin for D/C")
    rst_pin: int = setting(25, Integer(*PIN_RANGE), "SPI only: BCM pin for RESET")
    width: int = setting(128, Integer(32, 256), "pixels")
    height: int = setting(64, Integer(32, 256), "pixels")
    rotate: int = setting(0, Choice((0, 1, 2, 3)), "quarter turns clockwise: 0 | 1 | 2 | 3")
    day_contrast: int = setting(200, Integer(0, 255), "0-255")
    night_contrast: int = setting(24, Integer(0, 255), "0-255: low, so it does not keep anyone awake")
    extra_dim: bool = setting(False, Boolean(), "even dimmer pre-charge settings (panel-dependent, may flicker)")
    dark_after_seconds: float = setting(30, Number(5, 3600), "an idle screen goes dark after this")


@dataclass(frozen=True)
class NightSettings:
    """Night hours, local time: night contrast and extra-dim on the panel, and no cues unless
    haptics/at_night is true."""

    starts: str = setting("20:00", ClockTime(), "night hours start")
    ends: str = setting("08:00", ClockTime(), "night hours end")


@dataclass(frozen=True)
class MorningSettings:
    """The morning check-in, in local time ([bedtime] time_zone): in this window the first press
    on the dark screen asks "Morning stiffness?" (0-10), until it is answered that day. It never
    lights the screen by itself."""

    enabled: bool = setting(True, Boolean(), "ask once each morning, on the first press")
    starts: str = setting("05:00", ClockTime(), "the morning window starts")
    ends: str = setting("11:00", ClockTime(), "the morning window ends (after starts, same day)")


_RULES = coaching.DEFAULTS  # the coaching thresholds' defaults live beside the rules that use them


@dataclass(frozen=True)
class CoachingSettings:
    """Tonight follows this morning: rules from the seed article that shape tonight's routine and
    add a line to the screens. Each suggests, never diagnoses, and says why (`psoas plan`);
    each can be turned off. See the README, "Your progress"."""

    first_week: bool = setting(_RULES.first_week, Boolean(), "first nights: offer the two-stretch routine first")
    first_week_nights: int = setting(_RULES.first_week_nights, Integer(1, 60), "nights practised until the first week is over")
    first_week_routine: str = setting(_RULES.first_week_routine, Text(), "the routine offered first in the first week")
    stiff_morning: bool = setting(_RULES.stiff_morning, Boolean(), "a stiff morning: offer the gentle routine first that night")
    stiff_morning_at: int = setting(_RULES.stiff_morning_at, Integer(1, 10), "this morning's answer (0-10) at least this is stiff")
    stiff_morning_above_average: float = setting(_RULES.stiff_morning_above_average, Number(0.5, 10),
                                                 "… or this many points above the last 7 mornings' average")
    gentle_routine: str = setting(_RULES.gentle_routine, Text(), "the routine offered first after a stiff morning")
    see_someone: bool = setting(_RULES.see_someone, Boolean(), "mornings worse, not better: suggest a physical therapist")
    see_someone_points: float = setting(_RULES.see_someone_points, Number(0.5, 10),
                                        "7-day average worse by this many points (Farrar) …")
    see_someone_percent: float = setting(_RULES.see_someone_percent, Number(5, 100), "… or by this many percent")
    see_someone_weeks: int = setting(_RULES.see_someone_weeks, Integer(1, 8), "than the same week this many weeks before")
    see_someone_mornings: int = setting(_RULES.see_someone_mornings, Integer(1, 14), "for this many mornings in a row")
    see_someone_every_days: int = setting(_RULES.see_someone_every_days, Integer(1, 60),
                                          "the screens show it at most once in this many days")
    sides: bool = setting(_RULES.sides, Boolean(), "say when one side was marked tighter on most nights")
    sides_nights: int = setting(_RULES.sides_nights, Integer(1, 9), "marked tighter on this many …")
    sides_of_nights: int = setting(_RULES.sides_of_nights, Integer(1, 9),
                                  "… of the last this many practised nights (up to 9: the line fits the screen)")
    tighter_side_first: bool = setting(_RULES.tighter_side_first, Boolean(),
                                       "one-sided holds start on the tighter side (off: left first, as learned)")
    holds: bool = setting(_RULES.holds, Boolean(), "holds follow you, inside the article's ranges")
    holds_short_nights: int = setting(_RULES.holds_short_nights, Integer(1, 30), "skipped early on this many …")
    holds_short_of_nights: int = setting(_RULES.holds_short_of_nights, Integer(1, 30),
                                         "… of the last this many nights: start at the range's low end")
    holds_grow_nights: int = setting(_RULES.holds_grow_nights, Integer(1, 60),
                                     "held to the end this many nights in a row: grow once …")
    holds_grow_seconds: float = setting(_RULES.holds_grow_seconds, Number(1, 10),
                                        "… by this many seconds (a week), up to the range's top")


@dataclass(frozen=True)
class HapticsSettings:
    """A buzzer or a vibration motor for cues you can feel with eyes closed."""

    enabled: bool = setting(False, Boolean(), "play cues")
    kind: str = setting("buzzer", Choice(("buzzer", "vibration")), "buzzer | vibration (a motor through a transistor)")
    pin: int = setting(18, Integer(*PIN_RANGE), "BCM pin")
    strength: float = setting(0.5, Number(0.0, 1.0), "0.0-1.0")
    at_night: bool = setting(False, Boolean(), "also buzz in the night hours ([night]); off: silent unless you ask")


@dataclass(frozen=True)
class StateSettings:
    """History and bedtime memory. --state-dir, $PSOAS_STATE_DIR and systemd's $STATE_DIRECTORY win
    over this; "" = ~/.local/state/psoas-companion."""

    dir: str = setting("", Text(), "the state dir")


@dataclass(frozen=True)
class WebSettings:
    """The phone page (`psoas web`, off unless installed with `psoas install --web`)."""

    host: str = setting("", Host(), 'the address to listen on: an IP address or host name of this device; '
                                     '"" = every interface')
    port: int = setting(8080, Integer(1, 65535), "the port: open http://<hostname>.local:<port> on the phone")


SECTIONS = {  # [section] name -> its settings class, in the order files show them
    "button": ButtonSettings,
    "routine": RoutineSettings,
    "routines": RoutinesSettings,
    "bedtime": BedtimeSettings,
    "display": DisplaySettings,
    "night": NightSettings,
    "morning": MorningSettings,
    "coaching": CoachingSettings,
    "haptics": HapticsSettings,
    "state": StateSettings,
    "web": WebSettings,
}


def threshold_problems(hold_seconds: float, long_hold_seconds: float,
                       bounce_seconds: float) -> list[tuple[str, str]]:
    """The `[button]` thresholds that cannot work together, as (key, message); [] when they can.

    The one statement of these rules: the config check reports them, the classifier
    (`device.gestures`) refuses them. Here, so that loading the config needs nothing of the button.
    """
    problems = []
    if not hold_seconds > 0:
        problems.append(("hold_seconds", "must be above 0"))
    if not long_hold_seconds > hold_seconds:
        problems.append(("long_hold_seconds", "must be longer than button/hold_seconds"))
    if not 0 <= bounce_seconds < hold_seconds:
        problems.append(("bounce_seconds", "must be from 0 up to below button/hold_seconds"))
    return problems


def cross_problems(sections: dict) -> list[tuple[tuple[str, str], str]]:
    """Rules between keys, on typed sections: ((section, key), message) for each broken one."""
    problems = []
    button = sections["button"]
    problems += [(("button", key), message) for key, message in
                 threshold_problems(button.hold_seconds, button.long_hold_seconds, button.bounce_seconds)]
    morning = sections["morning"]
    if parse_clock_time(morning.ends) <= parse_clock_time(morning.starts):
        problems.append((("morning", "ends"), f"must be later than morning/starts ({morning.starts}) "
                                              "on the same day"))
    problems += [(("coaching", key), message) for key, message in coaching.problems(sections["coaching"])]
    return problems + pin_clashes(sections)


def pin_clashes(sections: dict) -> list[tuple[tuple[str, str], str]]:
    """Two parts on one pin, or a part on a pin the screen's bus takes: ((section, key), message)."""
    display, haptics = sections["display"], sections["haptics"]
    taken = dict(BUS_PINS[display.interface])
    used = [("button", "pin")]
    if display.interface == Interface.SPI:
        used += [("display", "dc_pin"), ("display", "rst_pin")]
    if haptics.enabled:
        used.append(("haptics", "pin"))
    problems = []
    for section, key in used:
        pin = getattr(sections[section], key)
        if pin in taken:
            problems.append(((section, key), f"GPIO{pin} is already {taken[pin]}; pick a free pin"))
        taken.setdefault(pin, f"{section}/{key}")
    return problems


def render_defaults() -> str:
    """The shipped `defaults.toml`: every key with its default and help, as a commented TOML file."""
    lines = ["# psoas-companion defaults, generated from device/config/schema.py. Copy any key into",
             "# your own config.toml (/etc/psoas-companion/config.toml or",
             "# ~/.config/psoas-companion/config.toml) to change it. `psoas config` shows the effective values."]
    for name, section_class in SECTIONS.items():
        lines += ["", f"[{name}]"]
        lines += [f"# {line.strip()}" for line in (section_class.__doc__ or "").strip().splitlines()]
        rows = [(f"{f.name} = {f.metadata['kind'].to_toml(f.default)}", f.metadata["help"]) for f in keys(section_class)]
        width = max(len(text) for text, _ in rows)
        lines += [f"{text:<{width}}  # {help}" for text, help in rows]
    return "\n".join(lines) + "\n"
