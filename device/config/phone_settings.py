"""The phone settings file: settings made on the phone page, a TOML file in the state dir that
wins over the config file, and the folder of routine files uploaded there.

Only the keys a person changes from bed are settable there (`PHONE_KEYS`: bedtimes and their
routines, night hours, the morning check-in, contrasts, extra dim, sleeping position, haptics),
never pins, buses or paths. Each value is checked by the same declaration as the config file (`schema.py`'s kinds)
and, before anything is written, the whole merged config is checked again (pin clashes, the
routines it names), so a bad value never half-saves.

`with_phone` lays them over a config (`device.config.effective` is how a command gets the
config it runs with). `Config.where()` names the phone file as the origin of each value it
set. A value in the phone file that no longer fits (a config file changed since) is left out
with one log line; it never stops the daemon.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from device.config.checks import unknown_routines
from device.config.load import Config
from device.config.schema import SECTIONS, WEEKDAYS, cross_problems, kind_of
from device.errors import ConfigError
from device.storage.atomic import write_atomically
from routines.loading.catalog import load_catalog
from routines.loading.toml_source import TomlSource
from routines.wording import plural

log = logging.getLogger("psoas.config")

FILE_NAME = "settings.toml"
OWN_ROUTINES = "routines"
PHONE_KEYS: tuple[tuple[str, str], ...] = (
    ("bedtime", "enabled"),
    *(("bedtime", day) for day in WEEKDAYS),
    *(("bedtime", f"{day}_routine") for day in WEEKDAYS),
    ("bedtime", "prompt_minutes"),
    ("night", "starts"),
    ("night", "ends"),
    ("morning", "enabled"),
    ("morning", "starts"),
    ("morning", "ends"),
    ("display", "day_contrast"),
    ("display", "night_contrast"),
    ("display", "extra_dim"),
    ("routine", "sleep_position"),
    ("haptics", "enabled"),
    ("haptics", "strength"),
    ("haptics", "at_night"),
)


def path_in(state_dir: Path) -> Path:
    return Path(state_dir) / FILE_NAME


def origin_of(state_dir: Path) -> str:
    """How `psoas config` names a value set on the phone."""
    return f"{path_in(state_dir)} (phone)"


def read(state_dir: Path) -> tuple[dict[tuple[str, str], object], list[str]]:
    """The typed phone settings in `state_dir`, and one line for each value left out."""
    path = path_in(state_dir)
    if not path.is_file():
        return {}, []
    try:
        source = TomlSource.read(path, error=ConfigError)
    except ConfigError as error:
        return {}, [f"{error}; phone settings not used (save them again on the phone page)"]
    values = {}
    for section, table in source.data.items():
        if not isinstance(table, dict):
            source.problem((section,), "must be a table")
            continue
        for key, raw in table.items():
            if (section, key) not in PHONE_KEYS:
                source.problem((section, key), "cannot be set from the phone; left out")
                continue
            try:
                values[(section, key)] = kind_of(section, key).parse(raw)
            except ValueError as error:
                source.problem((section, key), f"{error}; left out")
    return values, source.problems


def apply(config: Config, values: dict[tuple[str, str], object], origin: str) -> Config:
    """`config` with `values` ((section, key) -> typed value) set, each remembered as from `origin`."""
    changed: dict[str, dict] = {}
    for (section, key), value in values.items():
        changed.setdefault(section, {})[key] = value
    sections = {name: dataclasses.replace(getattr(config, name), **items) for name, items in changed.items()}
    origins = dict(config.origins) | {item: origin for item in values}
    return dataclasses.replace(config, **sections, origins=origins)


def problems(config: Config, known_routines: set[str] | None) -> dict[tuple[str, str], str]:
    """Rules between keys on a merged config: (section, key) -> message."""
    found = dict(cross_problems({name: getattr(config, name) for name in SECTIONS}))
    if known_routines is not None:
        found.update(unknown_routines(config, known_routines))
    return found


def _new_problems(base: Config, merged: Config, known: set[str] | None) -> dict[tuple[str, str], str]:
    """The problems `merged` has that `base` (the config file's own) does not."""
    before = problems(base, known)
    return {place: message for place, message in problems(merged, known).items() if before.get(place) != message}


def own_routines_dir(state_dir: Path) -> Path:
    """Routine files uploaded on the phone page; searched before `[routines] dirs`."""
    return Path(state_dir) / OWN_ROUTINES


def with_own_routines(config: Config, state_dir: Path) -> Config:
    """`config` with the phone's routines folder first in `[routines] dirs`, when there is one."""
    own = own_routines_dir(state_dir)
    if not own.is_dir() or str(own) in config.routines.dirs:
        return config
    return apply(config, {("routines", "dirs"): (str(own),) + tuple(config.routines.dirs)}, origin_of(state_dir))


def with_phone(config: Config, state_dir: Path, check_routines: bool = True) -> Config:
    """The config file's config with the phone's settings and routines on top.

    A value that does not fit (with `check_routines`: one naming a routine that is gone) is
    left out, with one log line.
    """
    config = with_own_routines(config, state_dir)
    return with_settings(config, state_dir, routine_names(config) if check_routines else None)


def with_settings(config: Config, state_dir: Path, known: set[str] | None) -> Config:
    """`config` (with the phone's routines folder already in it) with the phone's settings on
    top; a value that does not fit (naming a routine not in `known`, when given) is left out,
    with one log line."""
    values, lines = read(state_dir)
    for line in lines:
        log.warning("%s", line)
    merged = apply(config, values, origin_of(state_dir))
    found = _new_problems(config, merged, known)
    while found:  # leave out what does not fit: the key itself, or its section's phone values
        (section, key), message = next(iter(found.items()))
        dropped = [place for place in values if place == (section, key)] or [
            place for place in values if place[0] == section]
        log.warning("%s: %s/%s: %s; %s left out: %s", path_in(state_dir), section, key, message,
                    plural(len(dropped), "phone setting"), ", ".join("/".join(p) for p in dropped) or "none")
        if not dropped:
            break
        for place in dropped:
            values.pop(place)
        merged = apply(config, values, origin_of(state_dir))
        found = _new_problems(config, merged, known)
    return merged


def routine_names(config: Config) -> set[str]:
    """The routines there are for `config`: built in, plus the valid files in its routine dirs."""
    return set(load_catalog(config.routine_dirs()).routines)


def save(state_dir: Path, base: Config, changes: dict[tuple[str, str], object]) -> dict[tuple[str, str], str]:
    """Check `changes` (typed) on top of the saved phone settings; write all of them or nothing.

    `base` is the config file's config (without phone settings). Returns the problems by
    (section, key); empty when the file was written.
    """
    refused = {place: "cannot be set from the phone" for place in changes if place not in PHONE_KEYS}
    if refused:
        return refused
    current, _ = read(state_dir)
    wanted = current | changes
    base = with_own_routines(base, state_dir)
    found = _new_problems(base, apply(base, wanted, origin_of(state_dir)), routine_names(base))
    if found:
        return found
    write(state_dir, wanted)
    return {}


def write(state_dir: Path, values: dict[tuple[str, str], object]) -> None:
    """Write the phone settings file whole (temporary file, then rename), mode 0600."""
    lines = ["# Settings made on the phone page (psoas web). They win over the config file.", ""]
    for section in SECTIONS:
        rows = [(key, value) for (name, key), value in values.items() if name == section]
        if rows:
            lines.append(f"[{section}]")
            lines += [f"{key} = {kind_of(section, key).to_toml(value)}" for key, value in rows]
            lines.append("")
    write_atomically(path_in(state_dir), "\n".join(lines))
