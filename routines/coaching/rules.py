"""The coaching thresholds: every number a rule uses, with its default and where it comes from.

`CoachRules` is what each rule takes; the `[coaching]` config section declares one key per
field with these defaults (device/config/schema.py), so a person can turn each rule off or
change its threshold. Counts are nights or mornings, durations seconds.
"""

from __future__ import annotations

from typing import NamedTuple

from routines.coaching import farrar


class CoachRules(NamedTuple):
    """The thresholds of the five rules; each rule has an on/off switch (its bare name)."""

    first_week: bool = True  # "Start with just one or two of the stretches"
    first_week_nights: int = 7  # "give it a week or two to respond"
    first_week_routine: str = "quick"  # the two-stretch routine
    stiff_morning: bool = True  # "a second pillow under your knees on high-pain days"
    stiff_morning_at: int = 7  # this morning's answer at least this (0–10) …
    stiff_morning_above_average: float = farrar.MEANINGFUL_POINTS  # … or this many points above the last 7 mornings
    gentle_routine: str = "high-pain-day"
    see_someone: bool = True  # "if things feel worse instead of better, loop in … a physical therapist"
    see_someone_points: float = farrar.MEANINGFUL_POINTS  # Farrar: worse by this many points …
    see_someone_percent: float = farrar.MEANINGFUL_FRACTION * 100  # … or this many percent
    see_someone_weeks: int = 2  # than the same 7 mornings this many weeks before
    see_someone_mornings: int = 3  # for this many mornings in a row
    see_someone_every_days: int = 7  # shown at most once in this many days
    sides: bool = True  # "It's normal to notice that one side is tighter than the other"
    sides_nights: int = 5  # one side marked tighter on this many …
    sides_of_nights: int = 7  # … of the last this many practised nights
    tighter_side_first: bool = False  # one-sided holds start on the tighter side (see `sides`)
    holds: bool = True  # "just 60 seconds … instead of forcing a long hold"; the article's ranges
    holds_short_nights: int = 3  # skipped early (held under half) on this many …
    holds_short_of_nights: int = 5  # … of the last this many nights: start at the low end
    holds_grow_nights: int = 7  # held to the end this many nights in a row: grow …
    holds_grow_seconds: float = 3.0  # … by this many seconds, once a week, up to the top of the range


NAMES = CoachRules._fields
DEFAULTS = CoachRules()


def from_section(section) -> CoachRules:
    """The rules from any object with one attribute per field (the `[coaching]` config section)."""
    return CoachRules(**{name: getattr(section, name) for name in NAMES})


def problems(rules) -> list[tuple[str, str]]:
    """(key, message) for each rule between two thresholds that `rules` breaks."""
    found = []
    if rules.sides_nights > rules.sides_of_nights:
        found.append(("sides_nights", f"must be at most coaching/sides_of_nights ({rules.sides_of_nights})"))
    if rules.holds_short_nights > rules.holds_short_of_nights:
        found.append(("holds_short_nights",
                      f"must be at most coaching/holds_short_of_nights ({rules.holds_short_of_nights})"))
    return found


class Finding(NamedTuple):
    """What one rule made of tonight: whether it `applies`, its one short `line` for the screen
    ("" when it does not apply or has nothing to show), a full sentence `why` (what it saw and
    what it does, or why it does nothing), and the article's words it comes from."""

    rule: str  # its on/off key in `[coaching]`, e.g. "first_week"
    applies: bool
    why: str
    source: str
    line: str = ""


def turned_off(rule: str, source: str) -> Finding:
    """The finding of a rule the person turned off."""
    return Finding(rule, False, f"off ([coaching] {rule} = false)", source)


NUMBER_WORDS = ("no", "one", "two")  # "one or two of the stretches", as the article writes it


def number_word(count: int) -> str:
    """"one" or "two" as the article writes them, else the digits (shorter on a small screen)."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)
