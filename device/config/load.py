"""The configuration: defaults shipped in the package, overridden by the person's TOML file.

`load_config(path)` reads `device/config/defaults.toml`, then the first file found of: the `path`
given (`--config`), `$PSOAS_CONFIG`, `/etc/psoas-companion/config.toml`,
`~/.config/psoas-companion/config.toml`. Every problem is reported at once as
`path:line: section/key: message`, with a did-you-mean for unknown keys.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from device.config.checks import check_values
from routines.errors import PsoasError
from routines.toml_source import TomlSource

DEFAULTS_PATH = Path(__file__).with_name("defaults.toml")
SEARCH_PATHS = (Path("/etc/psoas-companion/config.toml"), Path("~/.config/psoas-companion/config.toml"))


class ConfigError(PsoasError, ValueError):
    """The config file is not valid; `problems` lists every problem, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Config:
    """The effective configuration: `values[section][key]`, and where each value came from."""

    values: dict
    origins: dict = field(default_factory=dict)  # (section, key) -> "defaults" | file path
    path: Path | None = None  # the user's file, if one was read
    source: TomlSource | None = field(default=None, repr=False, compare=False)  # its text, for lines

    def __getitem__(self, section: str) -> dict:
        return self.values[section]

    def routine_dirs(self) -> list[Path]:
        return [Path(p).expanduser() for p in self.values["routines"]["dirs"]]

    def where(self, section: str, key: str) -> str:
        """Where a value came from: `path:line` in the user's file, or "defaults"."""
        origin = self.origins.get((section, key), "defaults")
        if origin == "defaults" or self.source is None:
            return origin
        return self.source.where(section, key)

    def problem(self, section: str, key: str, message: str) -> str:
        """One line, `path:line: section/key: message`, for a problem found after loading."""
        return f"{self.where(section, key)}: {section}/{key}: {message}"


def find_config_file(path: str | os.PathLike | None) -> Path | None:
    """The user's config file by the lookup order above; None when there is none."""
    if path:
        return Path(path).expanduser()
    env = os.environ.get("PSOAS_CONFIG")
    if env:
        return Path(env).expanduser()
    for candidate in SEARCH_PATHS:
        candidate = candidate.expanduser()
        if candidate.is_file():
            return candidate
    return None


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Defaults plus the user's file; raises `ConfigError` listing every problem."""
    defaults = TomlSource.read(DEFAULTS_PATH, name="defaults")
    values = {section: dict(table) for section, table in defaults.data.items()}
    origins = {(s, k): "defaults" for s, table in values.items() for k in table}
    user_path = find_config_file(path)
    if user_path is None:
        return Config(values, origins)
    if not user_path.is_file():
        raise ConfigError([f"{user_path}: config file not found (check --config or $PSOAS_CONFIG)"])
    try:
        user = TomlSource.read(user_path)
    except PsoasError as exc:
        raise ConfigError(str(exc).splitlines()) from None
    user.check_keys(user.data, set(values), ())
    for section, table in user.data.items():
        if section not in values:
            continue
        if not isinstance(table, dict):
            user.problem((section,), "must be a table, e.g. [" + section + "]")
            continue
        user.check_keys(table, set(values[section]), (section,))
        for key, value in table.items():
            if key in values[section]:
                if _same_type(values[section][key], value):
                    values[section][key] = value
                    origins[(section, key)] = str(user_path)
                else:
                    user.problem((section, key), f"must be {_describe(values[section][key])}, not {value!r}")

    for section_key, message in check_values(values):
        user.problem(section_key, message)
    if user.problems:
        raise ConfigError(user.problems)
    return Config(values, origins, user_path, user)


def _same_type(default, value) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def _describe(default) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, (int, float)):
        return "a number"
    if isinstance(default, str):
        return "a text in quotes"
    if isinstance(default, list):
        return "a list"
    return "a table"
