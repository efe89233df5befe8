"""The configuration: the declared defaults, overridden by the person's TOML file.

`load_config(path)` starts from the defaults declared in `device.config.schema`, then reads
the first file found of: the `path` given (`--config`), `$PSOAS_CONFIG`,
`/etc/psoas-companion/config.toml`, `~/.config/psoas-companion/config.toml`. Every problem is
reported at once as `path:line: section/key: message`, with a did-you-mean for unknown keys.
The result is a frozen `Config`: `config.display.night_contrast`, typed as declared.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from device.config.paths import expanded
from device.config.schema import (
    SECTIONS,
    BedtimeSettings,
    ButtonSettings,
    DisplaySettings,
    HapticsSettings,
    MorningSettings,
    NightSettings,
    RoutineSettings,
    RoutinesSettings,
    StateSettings,
    WebSettings,
    cross_problems,
    keys,
)
from device.errors import ConfigError
from routines.loading.files import shown
from routines.loading.toml_source import TomlSource

SEARCH_PATHS = (Path("/etc/psoas-companion/config.toml"), Path("~/.config/psoas-companion/config.toml"))


@dataclass(frozen=True)
class Config:
    """The effective configuration, one typed section per `[section]`, and where values came from."""

    button: ButtonSettings = ButtonSettings()
    routine: RoutineSettings = RoutineSettings()
    routines: RoutinesSettings = RoutinesSettings()
    bedtime: BedtimeSettings = BedtimeSettings()
    display: DisplaySettings = DisplaySettings()
    night: NightSettings = NightSettings()
    morning: MorningSettings = MorningSettings()
    haptics: HapticsSettings = HapticsSettings()
    state: StateSettings = StateSettings()
    web: WebSettings = WebSettings()
    origins: dict = field(default_factory=dict, compare=False)  # (section, key) -> where from; else defaults
    path: Path | None = field(default=None, compare=False)  # the user's file, if one was read
    source: TomlSource | None = field(default=None, repr=False, compare=False)  # its text, for lines

    def routine_dirs(self) -> list[Path]:
        return [expanded(p) for p in self.routines.dirs]

    def items(self):
        """((section, key), typed value, kind) for every key, in declaration order."""
        for name, section_class in SECTIONS.items():
            section = getattr(self, name)
            for f in keys(section_class):
                yield (name, f.name), getattr(section, f.name), f.metadata["kind"]

    def where(self, section: str, key: str) -> str:
        """Where a value came from: `path:line` in the user's file, or "defaults"."""
        origin = self.origins.get((section, key), "defaults")
        if self.source is None or origin != str(self.path):
            return origin  # the defaults, or the phone settings (`device.config.phone_settings`)
        return self.source.where(section, key)

    def problem(self, section: str, key: str, message: str) -> str:
        """One line, `path:line: section/key: message`, for a problem found after loading."""
        return f"{self.where(section, key)}: {section}/{key}: {message}"

    def replace(self, section: str, **values) -> Config:
        """A copy with `values` set in `section` (already typed: tests and benches)."""
        changed = dataclasses.replace(getattr(self, section), **values)
        return dataclasses.replace(self, **{section: changed})


def find_config_file(path: str | os.PathLike | None) -> Path | None:
    """The user's config file by the lookup order above; None when there is none."""
    if path:
        return expanded(path)
    env = os.environ.get("PSOAS_CONFIG")
    if env:
        return expanded(env)
    for candidate in SEARCH_PATHS:
        candidate = expanded(candidate)
        if os.path.lexists(candidate):  # there but unreadable (a FIFO, a loop) is an error, not skipped
            return candidate
    return None


def load_config(path: str | os.PathLike | None = None) -> Config:
    """The declared defaults plus the user's file; raises `ConfigError` listing every problem."""
    user_path = find_config_file(path)
    if user_path is None:
        return Config()
    if not os.path.lexists(user_path):
        raise ConfigError(f"{shown(user_path)}: config file not found (check --config or $PSOAS_CONFIG)")
    user = TomlSource.read(user_path, error=ConfigError)  # a FIFO, device or loop: one line, no wait
    sections, origins = parse_sections(user, user.name)
    for (section, key), message in cross_problems(sections):
        user.problem((section, key), message)
    user.raise_if_problems(ConfigError)  # in line order, as for routine files
    return Config(**sections, origins=origins, path=user_path, source=user)


def parse_sections(source: TomlSource, origin: str) -> tuple[dict, dict]:
    """Typed sections from `source.data` over the defaults, and the origin of each value set.

    Every problem is recorded on `source` (a bad value keeps its default meanwhile).
    """
    source.check_keys(source.data, set(SECTIONS), ())
    sections, origins = {}, {}
    for name, section_class in SECTIONS.items():
        table = source.data.get(name, {})
        values = {}
        if not isinstance(table, dict):
            source.problem((name,), f"must be a table, e.g. [{name}]")
            table = {}
        declared = {f.name: f for f in keys(section_class)}
        source.check_keys(table, set(declared), (name,))
        for key, raw in table.items():
            if key not in declared:
                continue
            try:
                values[key] = declared[key].metadata["kind"].parse(raw)
            except ValueError as error:
                source.problem((name, key), str(error))
                continue
            origins[(name, key)] = origin
        sections[name] = section_class(**values)
    return sections, origins
