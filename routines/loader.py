"""Turn TOML documents into stretches, cards and routines, checking every field.

Every problem in a document is collected and raised at once as a `RoutineError`
(`path:line: key: message`); nothing else escapes. Seconds are checked against the
5 s – 30 min hold limit; a seed stretch held outside the seed's range is only a warning.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from routines import fields
from routines.model import Breathing, HoldStart, Routine, Sides, Step, StepKind, Stretch
from routines.toml_source import TomlSource

STRETCH_KEYS = {"name", "short_name", "sides", "hold_seconds", "hold_range", "setup", "cues", "caution", "note"}
ROUTINE_KEYS = {"name", "title", "description", "hold_start", "get_ready_seconds", "breathing", "step"}
STEP_KEYS = {
    "kind", "stretch", "title", "text", "pages", "seconds", "hold_seconds", "sides", "cues",
    "breathing", "fade_out",
}
BREATHING_KEYS = {"inhale_seconds", "exhale_seconds"}


@dataclass(frozen=True)
class Cards:
    """The text cards around the stretches (see `routines/data/cards.toml`)."""

    safety_title: str
    safety_pages: tuple[str, ...]
    kind_words: tuple[str, ...]
    sleep_tips: dict[str, tuple[str, ...]]  # "back" | "side" | "stomach" -> tips
    transition_title: str
    transition_text: str


def load_stretches(src: TomlSource) -> dict[str, Stretch]:
    """The `[stretch.ID]` tables of a document."""
    src.check_keys(src.data, {"stretch"}, ())
    stretches = {}
    for stretch_id, table in fields.table_at(src, src.data, "stretch", ()).items():
        path = ("stretch", stretch_id)
        if not isinstance(table, dict):
            src.problem(path, "must be a table")
            continue
        src.check_keys(table, STRETCH_KEYS, path)
        low, high = _range(src, table, path)
        name = fields.text(src, table, "name", path)
        stretches[stretch_id] = Stretch(
            id=stretch_id,
            name=name,
            short_name=fields.text(src, table, "short_name", path, default=name),
            setup_pages=fields.texts(src, table, "setup", path),
            cues=fields.texts(src, table, "cues", path, required=False),
            caution=fields.text(src, table, "caution", path, default=""),
            hold_seconds=fields.seconds(src, table, "hold_seconds", path, low=fields.MIN_HOLD_SECONDS),
            hold_range=(low, high),
            sides=fields.choice(src, table, "sides", path, Sides, Sides.BOTH),
            note=fields.text(src, table, "note", path, default=""),
        )
    return stretches


def _range(src: TomlSource, table: dict, path: tuple) -> tuple[float, float]:
    value = table.get("hold_range")
    ok = (
        isinstance(value, list) and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        and 0 < value[0] <= value[1]
    )
    if not ok:
        src.problem(path + ("hold_range",), "must be [shortest, longest] in seconds, e.g. [20, 40]")
        return (fields.MIN_HOLD_SECONDS, fields.MAX_HOLD_SECONDS)
    return (float(value[0]), float(value[1]))


def load_cards(src: TomlSource) -> Cards:
    """The safety card, kind words, sleeping-position tips and transition text."""
    data = src.data
    safety = fields.table_at(src, data, "safety", ())
    done = fields.table_at(src, data, "done", ())
    tips = fields.table_at(src, data, "sleep_tips", ())
    transition = fields.table_at(src, data, "transition", ())
    return Cards(
        safety_title=fields.text(src, safety, "title", ("safety",)),
        safety_pages=fields.texts(src, safety, "pages", ("safety",)),
        kind_words=fields.texts(src, done, "kind_words", ("done",)),
        sleep_tips={pos: fields.texts(src, tips, pos, ("sleep_tips",)) for pos in ("back", "side", "stomach")},
        transition_title=fields.text(src, transition, "title", ("transition",)),
        transition_text=fields.text(src, transition, "text", ("transition",)),
    )


def load_routine(src: TomlSource, name: str, stretches: dict[str, Stretch], origin: str) -> Routine:
    """A routine document; `name` is the file's stem unless the file sets `name`."""
    data = src.data
    src.check_keys(data, ROUTINE_KEYS, ())
    breathing = _breathing(src, data, (), Breathing(4.0, 6.0))
    steps = []
    raw_steps = data.get("step", [])
    if not isinstance(raw_steps, list) or not raw_steps:
        src.problem(("step",), "a routine needs at least one [[step]]")
        raw_steps = []
    for index, table in enumerate(raw_steps):
        step = _step(src, table, ("step", index), stretches, breathing)
        if step is not None:
            steps.append(step)
    return Routine(
        name=fields.text(src, data, "name", (), default=name),
        title=fields.text(src, data, "title", ()),
        description=fields.text(src, data, "description", (), default=""),
        steps=tuple(steps),
        hold_start=fields.choice(src, data, "hold_start", (), HoldStart, HoldStart.PRESS),
        get_ready_seconds=fields.seconds(src, data, "get_ready_seconds", (), default=10.0, low=1.0, high=120.0),
        source=origin,
    )


def _breathing(src: TomlSource, table: dict, path: tuple, default: Breathing | None) -> Breathing | None:
    if "breathing" not in table:
        return default
    value = table["breathing"]
    if value is False:
        return None
    if not isinstance(value, dict):
        src.problem(path + ("breathing",), "must be false or a table with inhale_seconds and exhale_seconds")
        return default
    here = path + ("breathing",)
    src.check_keys(value, BREATHING_KEYS, here)
    return Breathing(
        inhale_seconds=fields.seconds(src, value, "inhale_seconds", here, low=1.0, high=20.0),
        exhale_seconds=fields.seconds(src, value, "exhale_seconds", here, low=1.0, high=20.0),
    )


def _step(src: TomlSource, table, path: tuple, stretches: dict[str, Stretch], breathing) -> Step | None:
    if not isinstance(table, dict):
        src.problem(path, "each [[step]] must be a table")
        return None
    src.check_keys(table, STEP_KEYS, path)
    kind = fields.choice(src, table, "kind", path, StepKind, StepKind.STRETCH)
    if kind is StepKind.STRETCH:
        return _stretch_step(src, table, path, stretches, breathing)
    pages = fields.texts(src, table, "pages" if "pages" in table else "text", path)
    if kind is StepKind.REST:
        seconds = fields.seconds(src, table, "seconds", path, low=1.0)
        return Step(kind=kind, title=fields.text(src, table, "title", path, default="Rest"), pages=pages, seconds=seconds)
    return Step(kind=kind, title=fields.text(src, table, "title", path), pages=pages)


def _stretch_step(src: TomlSource, table: dict, path: tuple, stretches, breathing) -> Step | None:
    stretch_id = fields.text(src, table, "stretch", path)
    stretch = stretches.get(stretch_id)
    if stretch is None:
        if stretch_id:
            close = difflib.get_close_matches(stretch_id, sorted(stretches), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(stretches))}"
            src.problem(path + ("stretch",), f"no stretch called {stretch_id!r} ({hint})")
        return None
    hold = fields.seconds(
        src, table, "hold_seconds", path, default=stretch.hold_seconds, low=fields.MIN_HOLD_SECONDS,
    )
    low, high = stretch.hold_range
    if not low <= hold <= high:
        src.warning(path + ("hold_seconds",), f"{hold:g} s is outside the usual {low:g}-{high:g} s for {stretch.name}")
    return Step(
        kind=StepKind.STRETCH,
        title=fields.text(src, table, "title", path, default=stretch.name),
        pages=stretch.setup_pages,
        stretch=stretch,
        hold_seconds=hold,
        sides=fields.choice(src, table, "sides", path, Sides, stretch.sides),
        cues=fields.texts(src, table, "cues", path, required=False) or stretch.cues,
        breathing=_breathing(src, table, path, breathing),
        fade_out=fields.boolean(src, table, "fade_out", path, False),
    )
