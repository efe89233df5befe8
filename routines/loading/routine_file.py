"""One routine file: its steps, each reusing a stretch by id or being a rest or info card.

A stretch step may override the stretch's `hold_seconds` (per side), `sides`, `setup` pages,
`cues`, `breathing` (a table with `inhale_seconds` / `exhale_seconds`, or `false` for none)
and `fade_out`. Keys that belong to another kind of step are reported, never ignored.
Holds outside 5 s – 30 min are errors; a hold outside the seed's range for that stretch is a
warning unless the step says `outside_range_ok = true`. All durations are in seconds.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from routines.errors import RoutineError
from routines.loading import fields
from routines.loading.files import NAME_CONTROL, has_control, is_utf8_name, shown
from routines.loading.toml_source import TomlSource
from routines.model import Breathing, HoldStart, Routine, Sides, Step, StepKind, Stretch
from routines.wording import counted

DEFAULT_BREATHING = Breathing(4.0, 6.0)
ROUTINE_KEYS = {"name", "title", "description", "hold_start", "get_ready_seconds", "breathing", "step"}
STRETCH_STEP_KEYS = {
    "kind", "stretch", "title", "setup", "hold_seconds", "sides", "cues", "breathing", "fade_out",
    "outside_range_ok",
}
CARD_STEP_KEYS = {"kind", "title", "text", "pages"}
REST_STEP_KEYS = CARD_STEP_KEYS | {"seconds"}
BREATHING_KEYS = {"inhale_seconds", "exhale_seconds"}
_STEP_KEYS = {StepKind.STRETCH: STRETCH_STEP_KEYS, StepKind.REST: REST_STEP_KEYS, StepKind.INFO: CARD_STEP_KEYS}
ALL_STEP_KEYS = STRETCH_STEP_KEYS | REST_STEP_KEYS


def read_routine(path: Path, stretches: dict[str, Stretch], origin: str | None = None,
                 label: str | None = None) -> tuple[Routine, list[str]]:
    """Read and check one routine file: (routine, warnings).

    `label` names the file in messages (default: the path); `origin` becomes
    `Routine.source` (default: the path). Raises `RoutineError` listing every problem.
    """
    path = Path(path)
    problem = file_name_problem(path)
    if problem:
        raise RoutineError(f"{label or shown(path)}: {problem}")
    src = TomlSource.read(path, name=label)
    routine = load_routine(src, path.stem, stretches, origin or shown(path))
    src.raise_if_problems()
    return routine, list(src.warnings)


def file_name_problem(path: Path) -> str | None:
    """Why a routine file's name cannot name a routine (bytes that are not UTF-8, control
    characters), with the rename that fixes it; None when the name is fine."""
    stem = path.stem
    if not is_utf8_name(stem):
        guess = stem.encode("utf-8", "surrogateescape").decode("latin-1")  # most often a Latin-1 name
        return (f"the file name is not UTF-8 text, so it cannot name a routine; rename it, "
                f"e.g. to {shown(NAME_CONTROL.sub('', guess))}{path.suffix}")
    if has_control(stem, name=True):
        return (f"the file name has control characters, so it cannot name "
                f"a routine; rename it, e.g. to {shown(NAME_CONTROL.sub('', stem)) or 'my-routine'}{path.suffix}")
    return None


def load_routine(src: TomlSource, name: str, stretches: dict[str, Stretch], origin: str) -> Routine:
    """A parsed routine document; `name` is the file's stem unless the file sets `name`.

    Problems and warnings are recorded on `src`; the returned routine is only usable when
    `src.problems` is empty.
    """
    data = src.data
    src.check_keys(data, ROUTINE_KEYS, ())
    breathing = _breathing(src, data, (), DEFAULT_BREATHING)
    raw_steps = data.get("step", [])
    if isinstance(raw_steps, dict):
        src.problem(("step",), "write each step as [[step]] (double brackets), not [step]")
        raw_steps = []
    elif not isinstance(raw_steps, list) or not raw_steps:
        src.problem(("step",), "a routine needs at least one [[step]] with a stretch, e.g. stretch = \"leg-dangle\"")
        raw_steps = []
    steps = [_step(src, table, ("step", i), stretches, breathing) for i, table in enumerate(raw_steps)]
    _warn_unreachable_after_fade(src, steps)
    return Routine(
        name=_name(src, data, name),
        title=fields.text(src, data, "title", ()),
        description=fields.text(src, data, "description", (), default=""),
        steps=tuple(step for step in steps if step is not None),
        hold_start=fields.choice(src, data, "hold_start", (), HoldStart, HoldStart.PRESS),
        get_ready_seconds=fields.seconds(src, data, "get_ready_seconds", (), default=10.0, low=1.0, high=120.0),
        source=origin,
    )


def _name(src: TomlSource, data: dict, default: str) -> str:
    """The routine's name: the file's stem, or its `name` key, with no control character at all."""
    name = fields.text(src, data, "name", (), default=default)
    if has_control(name, name=True):
        src.problem(("name",), f"must not contain control characters: {name!r}")
        return default
    return name


def _warn_unreachable_after_fade(src: TomlSource, steps: list[Step | None]) -> None:
    """A fade-out hold held to its end ends the routine in the dark: say what it leaves out."""
    for index, step in enumerate(steps):
        if step is None or not step.fade_out:
            continue
        if step.sides is Sides.EACH:
            src.warning(("step", index, "fade_out"), "the routine ends in the dark after the first side; "
                        'the second side is never reached (use sides = "both")')
        if index < len(steps) - 1:
            src.warning(("step", index, "fade_out"), f"the routine ends in the dark after this hold; "
                        f"what follows it ({counted(len(steps) - 1 - index, 'step')}) is never reached "
                        f"(make it the last step)")
        return


def _breathing(src: TomlSource, table: dict, path: tuple, inherited: Breathing | None) -> Breathing | None:
    """`breathing = false`, or a table; a missing inhale or exhale comes from `inherited`."""
    if "breathing" not in table:
        return inherited
    value = table["breathing"]
    here = path + ("breathing",)
    if value is False:
        return None
    if not isinstance(value, dict):
        src.problem(here, "must be false or a table, e.g. breathing = { inhale_seconds = 4, exhale_seconds = 6 }")
        return inherited
    src.check_keys(value, BREATHING_KEYS, here)
    base = inherited or DEFAULT_BREATHING
    return Breathing(
        inhale_seconds=fields.seconds(src, value, "inhale_seconds", here, default=base.inhale_seconds, low=1.0, high=20.0),
        exhale_seconds=fields.seconds(src, value, "exhale_seconds", here, default=base.exhale_seconds, low=1.0, high=20.0),
    )


def _step(src: TomlSource, table, path: tuple, stretches: dict[str, Stretch], breathing) -> Step | None:
    if not isinstance(table, dict):
        src.problem(path, "each [[step]] must be a table")
        return None
    kind = fields.choice(src, table, "kind", path, StepKind, StepKind.STRETCH)
    allowed = _STEP_KEYS[kind]
    for key in table:
        if key not in allowed and key in ALL_STEP_KEYS:
            src.problem(path + (key,), f"not used by {kind.value} steps (this step has kind = {kind.value!r})")
    src.check_keys({k: v for k, v in table.items() if k not in ALL_STEP_KEYS}, allowed, path)
    if kind is StepKind.STRETCH:
        return _stretch_step(src, table, path, stretches, breathing)
    if "pages" in table and "text" in table:
        src.problem(path + ("text",), "give either text or pages, not both")
    pages = fields.texts(src, table, "pages" if "pages" in table else "text", path)
    if kind is StepKind.REST:
        seconds = fields.seconds(src, table, "seconds", path, low=1.0)
        return Step(kind=kind, title=fields.text(src, table, "title", path, default="Rest"), pages=pages, seconds=seconds)
    return Step(kind=kind, title=fields.text(src, table, "title", path), pages=pages)


def _stretch_step(src: TomlSource, table: dict, path: tuple, stretches, breathing) -> Step | None:
    """A stretch step; its other keys are checked even when the stretch id is unknown."""
    stretch_id = fields.text(src, table, "stretch", path)
    stretch = stretches.get(stretch_id)
    if stretch is None and stretch_id:
        close = difflib.get_close_matches(stretch_id, sorted(stretches), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(stretches))}"
        src.problem(path + ("stretch",), f"no stretch called {stretch_id!r} ({hint})")
    default_hold = stretch.hold_seconds if stretch else fields.MIN_HOLD_SECONDS
    hold = fields.seconds(src, table, "hold_seconds", path, default=default_hold, low=fields.MIN_HOLD_SECONDS)
    acknowledged = fields.boolean(src, table, "outside_range_ok", path, False)
    title = fields.text(src, table, "title", path, default=stretch.short_name if stretch else "?")
    setup = fields.texts(src, table, "setup", path, required=False)
    sides = fields.choice(src, table, "sides", path, Sides, stretch.sides if stretch else Sides.BOTH)
    cues = fields.texts(src, table, "cues", path, required=False)
    step_breathing = _breathing(src, table, path, breathing)
    fade_out = fields.boolean(src, table, "fade_out", path, False)
    if stretch is None:
        return None
    low, high = stretch.hold_range
    if not low <= hold <= high and not acknowledged:
        src.warning(path + ("hold_seconds",), f"{hold:g} s is outside the usual {low:g}-{high:g} s for "
                    f"{stretch.name} (add outside_range_ok = true if that is what you want)")
    return Step(
        kind=StepKind.STRETCH, title=title, pages=setup or stretch.setup_pages, stretch=stretch,
        hold_seconds=hold, sides=sides, cues=cues or stretch.cues, breathing=step_breathing, fade_out=fade_out,
    )
