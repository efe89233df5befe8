"""Read a TOML file and report problems with `path:line: key: message`.

`tomllib` gives values but no line numbers, so `TomlSource` scans the text once for table
headers and `key =` lines and answers "which line is this key on". It also collects every
problem in a file, so the loader can report them all at once (as mopidy's config does).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

from routines.errors import RoutineError
from routines.loading import files

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


def _key_path(text: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in text.split("."))


class TomlSource:
    """One TOML document: its parsed data, its name for messages, and the problems found.

    A plain class: a dataclass costs ~3 M instructions at import, and every command that loads
    the config imports this."""

    def __init__(self, name: str, text: str, data: dict | None = None):
        self.name = name
        self.text = text
        self.data: dict = {} if data is None else data
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self._lines: dict[tuple, int] = {}

    @classmethod
    def read(cls, path: Path, name: str | None = None, error: type[RoutineError] = RoutineError) -> "TomlSource":
        """Read and parse `path`; raise `error` (a routine error unless told) naming the file.

        Only a regular file is read (a FIFO or device is refused, never waited on); the
        text must be UTF-8 without a byte order mark.
        """
        label = name or files.shown(path)
        try:
            raw = files.read_bytes(path)
        except OSError as exc:
            raise error(f"{label}: cannot read: {files.reason(exc)}") from None
        return cls.parse(decode(raw, label, error), label, error)

    @classmethod
    def parse(cls, text: str, name: str, error: type[RoutineError] = RoutineError) -> "TomlSource":
        """Parse TOML text; raise `error` with the line of a syntax error."""
        try:
            data = tomllib.loads(text)
        except RecursionError:
            raise error(f"{name}: invalid TOML: nested too deeply") from None
        except (tomllib.TOMLDecodeError, ValueError) as exc:
            match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
            where = f"{name}:{match.group(1)}" if match else name
            reason = re.sub(r"\s*\(at line.*\)", "", str(exc)) or "invalid TOML"
            raise error(f"{where}: invalid TOML: {reason}") from None
        source = cls(name=name, text=text, data=data)
        source._index_lines()
        return source

    def _index_lines(self) -> None:
        """Map each table header and `key =` line to its key path, e.g. ("step", 2, "cues")."""
        table: tuple = ()
        counts: dict[tuple, int] = {}
        for number, line in enumerate(self.text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                path = _in_array(_key_path(header.group(2)), counts)
                if header.group(1) == "[[":
                    index = counts.get(path, 0)
                    counts[path] = index + 1
                    table = path + (index,)
                else:
                    table = path
                self._lines.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key:
                self._lines.setdefault(table + _key_path(key.group(1)), number)

    def line_of(self, *path) -> int | None:
        """The line of a key path such as ("step", 2, "hold_seconds"), or of its nearest parent."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None

    def where(self, *path) -> str:
        line = self.line_of(*path)
        return f"{self.name}:{line}" if line else self.name

    def problem(self, path: tuple, message: str) -> None:
        """Record a problem at a key path; `path` is shown as `a/b/c`."""
        self.problems.append(f"{self.where(*path)}: {_show(path)}: {message}")

    def warning(self, path: tuple, message: str) -> None:
        self.warnings.append(f"{self.where(*path)}: {_show(path)}: warning: {message}")

    def check_keys(self, table: dict, allowed: set[str], path: tuple) -> None:
        """Report every key of `table` not in `allowed`, with a did-you-mean."""
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(sorted(allowed))})"
                self.problem(path + (key,), f"unknown key{hint}")

    def raise_if_problems(self, error: type[RoutineError] = RoutineError) -> None:
        """Raise `error` (a routine error unless told) with every problem, in line order."""
        if self.problems:
            raise error(in_line_order(self.problems, self.name))


def in_line_order(lines: list[str], name: str) -> list[str]:
    """`lines` about the file `name` (`name:line: ...`) sorted by line; a line without a line
    number first, and lines about other files after them all, as they were."""

    def line_in(message: str) -> tuple[int, int]:
        if not message.startswith(f"{name}:"):
            return (1, 0)
        match = re.match(r"(\d+):", message[len(name) + 1:])
        return (0, int(match.group(1)) if match else 0)

    return sorted(lines, key=line_in)


BOMS = {b"\xef\xbb\xbf": "UTF-8", b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}


def decode(raw: bytes, label: str, error: type[RoutineError] = RoutineError) -> str:
    """The text of a file's bytes, which must be UTF-8 with no byte order mark (BOM)."""
    for bom, encoding in BOMS.items():
        if raw.startswith(bom):
            fix = "remove the BOM (save as UTF-8 without BOM)" if encoding == "UTF-8" else "save it as UTF-8"
            raise error(f"{label}:1: starts with a {encoding} byte order mark (BOM): {fix}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error(f"{label}:{line}: not UTF-8 text (byte {exc.start}): save it as UTF-8") from None


def _in_array(path: tuple, counts: dict[tuple, int]) -> tuple:
    """`[step.breathing]` after the third `[[step]]` belongs to ("step", 2, "breathing")."""
    for size in range(len(path) - 1, 0, -1):
        prefix = path[:size]
        if prefix in counts:
            return prefix + (counts[prefix] - 1,) + path[size:]
    return path


def _show(path: tuple) -> str:
    parts = []
    for part in path:
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part + 1}]" if parts else f"[{part + 1}]"
        else:
            parts.append(files.shown(str(part)))
    return "/".join(parts) or "(top)"
