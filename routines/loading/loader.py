"""Turn TOML documents into stretches, cards and routines, checking every field.

Every problem in a document is recorded on its `TomlSource` (`path:line: key: message`) so
all of them are reported at once; only `RoutineError` ever escapes. Seconds are checked
against the 5 s – 30 min hold limit; a seed stretch held outside the seed's range is only a
warning. Routine files are read by `routines.loading.routine_file` (re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from routines.loading import fields
from routines.loading.routine_file import load_routine, read_routine
from routines.loading.toml_source import TomlSource
from routines.model import Sides, Stretch

__all__ = ["Cards", "EXPECT_STAGES", "SLEEP_POSITIONS", "load_cards", "load_routine", "load_stretches", "read_routine"]

STRETCH_KEYS = {"name", "short_name", "sides", "hold_seconds", "hold_range", "setup", "cues", "caution", "note"}
SLEEP_POSITIONS = ("back", "side", "stomach")
EXPECT_STAGES = ("first_nights", "week_two", "week_three_on")
CARD_TABLES = {
    "safety": {"title", "pages"},
    "done": {"kind_words"},
    "sleep_tips": set(SLEEP_POSITIONS),
    "transition": {"title", "text"},
    "expect": set(EXPECT_STAGES),
}


@dataclass(frozen=True)
class Cards:
    """The text cards around the stretches (see `routines/data/cards.toml`).

    `sleep_tips` maps "back" | "side" | "stomach" to tips (what to try, what to avoid);
    `expect` maps "first_nights" | "week_two" | "week_three_on" to short what-to-expect
    lines for the done screen, chosen by how long a streak has run.
    """

    safety_title: str
    safety_pages: tuple[str, ...]
    kind_words: tuple[str, ...]
    sleep_tips: dict[str, tuple[str, ...]]
    transition_title: str
    transition_text: str
    expect: dict[str, tuple[str, ...]] = field(default_factory=dict)


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
        hold = fields.seconds(src, table, "hold_seconds", path, low=fields.MIN_HOLD_SECONDS)
        if not low <= hold <= high:
            src.problem(path + ("hold_seconds",), f"{hold:g} s is outside this stretch's hold_range")
        stretches[stretch_id] = Stretch(
            id=stretch_id,
            name=name,
            short_name=fields.text(src, table, "short_name", path, default=name),
            setup_pages=fields.texts(src, table, "setup", path),
            cues=fields.texts(src, table, "cues", path, required=False),
            caution=fields.text(src, table, "caution", path, default=""),
            hold_seconds=hold,
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
        and fields.MIN_HOLD_SECONDS <= value[0] <= value[1] <= fields.MAX_HOLD_SECONDS
    )
    if not ok:
        src.problem(path + ("hold_range",), "must be [shortest, longest] in seconds within 5-1800, e.g. [20, 40]")
        return (fields.MIN_HOLD_SECONDS, fields.MAX_HOLD_SECONDS)
    return (float(value[0]), float(value[1]))


def load_cards(src: TomlSource) -> Cards:
    """The safety card, kind words, sleeping-position tips, transition and what-to-expect."""
    data = src.data
    src.check_keys(data, set(CARD_TABLES), ())
    tables = {}
    for name, keys in CARD_TABLES.items():
        tables[name] = fields.table_at(src, data, name, ())
        src.check_keys(tables[name], keys, (name,))
    safety, tips, transition, expect = (tables[n] for n in ("safety", "sleep_tips", "transition", "expect"))
    return Cards(
        safety_title=fields.text(src, safety, "title", ("safety",)),
        safety_pages=fields.texts(src, safety, "pages", ("safety",)),
        kind_words=fields.texts(src, tables["done"], "kind_words", ("done",)),
        sleep_tips={pos: fields.texts(src, tips, pos, ("sleep_tips",)) for pos in SLEEP_POSITIONS},
        transition_title=fields.text(src, transition, "title", ("transition",)),
        transition_text=fields.text(src, transition, "text", ("transition",)),
        expect={stage: fields.texts(src, expect, stage, ("expect",)) for stage in EXPECT_STAGES},
    )
