"""Typed field readers for TOML tables that record a problem instead of raising.

Each reader returns a usable default when the value is missing or wrong, so a file's
problems are all found in one pass and reported together.
"""

from __future__ import annotations

import enum

from routines.loading.files import has_control
from routines.loading.toml_source import TomlSource

MIN_HOLD_SECONDS = 5.0
MAX_HOLD_SECONDS = 30 * 60.0


def text(src: TomlSource, table: dict, key: str, path: tuple, default: str | None = None) -> str:
    """A non-empty string; a missing key is a problem unless `default` is given."""
    if key not in table:
        if default is None:
            src.problem(path + (key,), "missing (a short text is required)")
            return ""
        return default
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        src.problem(path + (key,), f"must be a non-empty text, not {_kind(value)}")
        return default or ""
    if has_control(value):
        src.problem(path + (key,), f"must not contain control characters: {value!r}")
        return default or ""
    return value.strip()


def texts(src: TomlSource, table: dict, key: str, path: tuple, required: bool = True) -> tuple[str, ...]:
    """A list of non-empty strings (a single string is accepted as a list of one)."""
    if key not in table:
        if required:
            src.problem(path + (key,), "missing (a list of short texts is required)")
        return ()
    value = table[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        src.problem(path + (key,), f"must be a non-empty list of texts, not {_kind(value)}")
        return ()
    result = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            src.problem(path + (key,), f"item {index + 1} must be a non-empty text, not {_kind(item)}")
        elif has_control(item):
            src.problem(path + (key,), f"item {index + 1} must not contain control characters: {item!r}")
        else:
            result.append(item.strip())
    return tuple(result)


def seconds(
    src: TomlSource, table: dict, key: str, path: tuple, default: float | None = None,
    low: float = 0.0, high: float = MAX_HOLD_SECONDS,
) -> float:
    """A number of seconds within [low, high]."""
    if key not in table:
        if default is None:
            src.problem(path + (key,), "missing (a number of seconds is required)")
            return low
        return default
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        src.problem(path + (key,), f"must be a number of seconds, not {_kind(value)}")
        return default if default is not None else low
    if not low <= value <= high:
        src.problem(path + (key,), f"{value:g} s is outside {low:g}-{high:g} s")
        return min(max(float(value), low), high)
    return float(value)


def choice(src: TomlSource, table: dict, key: str, path: tuple, kind: type[enum.Enum], default):
    """One of an enum's values, given as its string."""
    if key not in table:
        return default
    value = table[key]
    allowed = [member.value for member in kind]
    if value not in allowed:
        src.problem(path + (key,), f"must be one of {', '.join(map(repr, allowed))}, not {value!r}")
        return default
    return kind(value)


def boolean(src: TomlSource, table: dict, key: str, path: tuple, default: bool) -> bool:
    if key not in table:
        return default
    value = table[key]
    if not isinstance(value, bool):
        src.problem(path + (key,), f"must be true or false, not {_kind(value)}")
        return default
    return value


def table_at(src: TomlSource, table: dict, key: str, path: tuple) -> dict:
    """A sub-table (empty when missing or of the wrong type, the latter a problem)."""
    value = table.get(key, {})
    if not isinstance(value, dict):
        src.problem(path + (key,), f"must be a table, not {_kind(value)}")
        return {}
    return value


def _kind(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "an empty text" if not value.strip() else f"text {value!r}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
