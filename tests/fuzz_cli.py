"""Generated bad input for the real `psoas` entry point, run in-process, and what must hold.

Shared by `tests/test_cli_fuzz.py` (a few thousand examples, for CI) and `bench/fuzz.py`
(as many as you like). Four kinds of input, each a hypothesis strategy that draws a *case*
(a function that lays its files out in a fresh sandbox directory and returns what to check):

- `config_cases`: config files, generated key by key (declared keys and strangers, values of
  every TOML type, nan / inf / 1e309, control characters), sometimes with a BOM, stray bytes
  or cut short;
- `routine_dir_cases`: routine directories of generated routine files, odd names (Latin-1
  bytes, control characters) and things that are not files (FIFO, directory, a link that
  loops, `/dev/zero`);
- `journal_cases`: a valid journal damaged at random bytes and pages, cut short, given rows
  with impossible values, or replaced by a FIFO / directory / loop;
- `argv_cases`: argument lists built from the parser's own commands and options, with odd
  values (paths of all kinds, non-finite numbers, control characters, undecodable bytes);
- `web_cases`: `psoas web` told to listen where it cannot (no address at all, an address this
  machine does not have, a port in use), by option or config: it must fail at once, not serve.

`invoke(argv)` runs `device.cli.main.main(argv)` with standard streams captured, stdin not a
terminal, and a time limit (a hang is a failure); `problems(result, ...)` lists what went
wrong: an exception that escaped, a traceback, an exit code that is not documented, raw
control characters in the output, an error that does not name its file.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import math
import os
import signal
import socket
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from fakes import Readings
from hypothesis import strategies as st

from device.cli import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE
from device.cli.main import LOG_FORMAT, ShownFormatter, build_parser, main
from device.config.schema import SECTIONS, Host, keys
from device.journal.schema import FILE_NAME
from device.journal.writer import Journal
from routines.loading.catalog import built_in_stretches
from routines.loading.files import CONTROL, shown
from routines.loading.routine_file import ALL_STEP_KEYS, BREATHING_KEYS, ROUTINE_KEYS
from routines.events import Event, StepRecord
from routines.outcomes import Outcome, Side

EXIT_CODES = {0, EXIT_FAILURE, EXIT_USAGE}  # as documented in device/cli (130: Ctrl-C, never sent here)
TIME_LIMIT_SECONDS = 20.0  # one command longer than this counts as a hang
QUIET_CONFIG = "[bedtime]\nenabled = false\n"  # `run --nightly` ends at once, whatever the hour
_LOG_FORMAT = ShownFormatter(LOG_FORMAT)


class Hang(BaseException):
    """A command ran past `TIME_LIMIT_SECONDS` (raised by the timer in the main thread)."""


@dataclass
class Result:
    """One run of `main(argv)`: exit code, what it printed, log lines, and an escaped exception."""

    argv: list[str]
    code: int | None = None
    out: str = ""
    err: str = ""
    logs: list[logging.LogRecord] = field(default_factory=list)
    escaped: BaseException | None = None

    @property
    def log_text(self) -> str:
        """The log as the program writes it (`main`'s formatter escapes control characters)."""
        return "\n".join(_LOG_FORMAT.format(record) for record in self.logs)


class _Records(logging.Handler):
    def __init__(self, records: list):
        super().__init__(logging.INFO)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _environment(values: dict[str, str | None]):
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _on_alarm(number, frame):
    raise Hang(f"no answer within {TIME_LIMIT_SECONDS:g} s")


def invoke(argv: list[str], environ: dict[str, str | None] | None = None, cwd: Path | None = None) -> Result:
    """Run `psoas ARGV` in this process (main thread), in `cwd`, and capture everything it does."""
    result = Result(list(argv))
    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    handler = _Records(result.logs)
    level = root.level
    root.addHandler(handler)  # also keeps `main` from adding its own stderr handler
    root.setLevel(logging.INFO)
    previous_alarm = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT_SECONDS)
    stdin, here = sys.stdin, os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)  # relative paths in the arguments land in the sandbox
        sys.stdin = io.StringIO("")  # not a terminal: demos run hands-free, `run` reads no keys
        with _environment(environ or {}), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            result.code = main(list(argv))
    except BaseException as escaped:  # noqa: BLE001 - that is what is being looked for
        result.escaped = escaped
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_alarm)
        sys.stdin = stdin
        os.chdir(here)
        root.removeHandler(handler)
        root.setLevel(level)
    result.out, result.err = out.getvalue(), err.getvalue()
    interrupted = result.code == EXIT_INTERRUPTED or isinstance(result.escaped, KeyboardInterrupt) or (
        isinstance(result.escaped, SystemExit) and result.escaped.code == EXIT_INTERRUPTED)
    if interrupted:  # nothing here sends signals: that was Ctrl-C on the fuzz run itself
        raise KeyboardInterrupt
    return result


def problems(result: Result, names: tuple = (), codes: set[int] = EXIT_CODES) -> list[str]:
    """What is wrong with `result`: [] when it ended as documented.

    `names`: paths of which at least one must appear (as shown, escaped) in what the command
    says when it fails; `codes`: the exit codes allowed.
    """
    found = []
    if result.escaped is not None:
        found.append(f"{type(result.escaped).__name__} escaped: {result.escaped}")
        return found
    if result.code not in codes:
        found.append(f"exit code {result.code!r}, not one of {sorted(codes)}")
    if "Traceback" in result.err or "Traceback" in result.out:
        found.append("a traceback was printed")
    for record in result.logs:
        if record.exc_info or "a bug" in record.getMessage():
            found.append(f"logged a bug: {record.getMessage()}")
    for stream, text in (("stdout", result.out), ("stderr", result.err), ("log", result.log_text)):
        match = CONTROL.search(text)
        if match:
            found.append(f"raw control character {match.group()!r} on {stream}")
    said = result.err + result.out + result.log_text  # checks report on stdout, errors on stderr
    if result.code not in (0, None) and not (result.err + result.out).strip():
        found.append("failed without a word")
    if result.code not in (0, None) and names and not any(shown(name) in said for name in names):
        found.append(f"the error does not name {' or '.join(shown(n) for n in names)}")
    return found


def describe(result: Result) -> str:
    """The run, for a failure message."""
    return (f"psoas {' '.join(map(repr, result.argv))} -> {result.code}\n--- stdout\n{result.out[-1500:]}"
            f"\n--- stderr\n{result.err[-1500:]}\n--- log\n{result.log_text[-1500:]}")


# -- values ----------------------------------------------------------------------------------

ODD_TEXTS = ["", " ", " quick", "full ", "\t", "a\x07b", "\x1b[2J", "\x1b]0;title\x07", "\u202eevil",
             "caf\u00e9", "\u00a0", "nan", "inf", "-1", "0", "1e309", "🙂", "x" * 300]
text = st.text(max_size=12) | st.sampled_from(ODD_TEXTS)
numbers = (
    st.integers(-2**63, 2**63 - 1) | st.integers(-5, 300)
    | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([math.nan, math.inf, -math.inf, 1e309, 0.5])
)
scalars = numbers | st.booleans() | text | st.sampled_from(
    ["22:15", "24:00", "0x3C", "0x3D", "60", "full", "quick", "fall-asleep", "Europe/Berlin", "Mars/Base",
     "spi", "i2c", "sh1106", "back", "side", "leg-dangle", "knee-hug", "each", "both", "rest", "info",
     "countdown", "press"])
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
                      max_leaves=6)


def toml_value(value) -> str:
    """A Python value as TOML (strings escaped, so control characters arrive as escapes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(top: dict, tables: dict[str, dict], arrays: dict[str, list[dict]] | None = None) -> str:
    """Top-level keys, then `[name]` tables, then `[[name]]` arrays of tables."""
    lines = [f"{json.dumps(k)} = {toml_value(v)}" for k, v in top.items() if k not in tables]
    for name, table in tables.items():
        lines.append(f"[{json.dumps(name)}]")
        lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in table.items()]
    for name, items in (arrays or {}).items():
        for table in items:
            lines.append(f"[[{json.dumps(name)}]]")
            lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


@st.composite
def damaged_text(draw, text_: str) -> bytes:
    """`text_` as UTF-8, now and then with a BOM, a stray byte, a cut, or as UTF-16."""
    data = text_.encode("utf-8")
    how = draw(st.sampled_from(["as is"] * 6 + ["bom", "byte", "cut", "utf-16", "nul"]))
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    if how == "byte" and data:
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([draw(st.integers(0x80, 0xFF))]) + data[at + 1:]
    if how == "cut":
        return data[:draw(st.integers(0, len(data)))]
    if how == "utf-16":
        return text_.encode("utf-16")
    if how == "nul":
        return data + b"\x00"
    return data


# -- configs ---------------------------------------------------------------------------------

DECLARED = {name: [f.name for f in keys(cls)] for name, cls in SECTIONS.items()}
section_names = st.sampled_from(sorted(DECLARED)) | text


@st.composite
def config_texts(draw, quiet: bool = False) -> bytes:
    """A config file: mostly declared sections and keys with values of any type.

    `quiet`: bedtime prompts off, so `run --nightly` ends at once.
    """
    tables: dict[str, dict] = {}
    for name in draw(st.lists(section_names, max_size=4, unique=True)):
        known = DECLARED.get(name, [])
        key_names = (st.sampled_from(known) | text) if known else text
        tables[name] = draw(st.dictionaries(key_names, values, max_size=4))
    top = draw(st.dictionaries(text, values, max_size=1))
    if quiet:
        tables.setdefault("bedtime", {})["enabled"] = False
    return draw(damaged_text(toml_document(top, tables)))


@dataclass
class Sandbox:
    """A fresh directory: HOME, a config file, a state dir, a routine dir."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.toml"

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def routines(self) -> Path:
        return self.root / "routines"

    def environ(self) -> dict[str, str | None]:
        return {"HOME": str(self.root / "home"), "PSOAS_CONFIG": str(self.config),
                "PSOAS_STATE_DIR": str(self.state), "XDG_STATE_HOME": None, "STATE_DIRECTORY": None,
                "SDL_VIDEODRIVER": "dummy", "NOTIFY_SOCKET": None}

    def run(self, argv: list[str]) -> Result:
        """`psoas ARGV` in this sandbox: its environment, and run from its directory."""
        return invoke(argv, self.environ(), cwd=self.root)

    def write_quiet_config(self, extra: str = "") -> None:
        self.config.write_text(QUIET_CONFIG + f"[routines]\ndirs = [{json.dumps(str(self.routines))}]\n" + extra)


# -- routine files ---------------------------------------------------------------------------

STRETCH_IDS = sorted(built_in_stretches())
routine_keys = st.sampled_from(sorted(ROUTINE_KEYS | ALL_STEP_KEYS | BREATHING_KEYS)) | text
good_steps = st.fixed_dictionaries(
    {"stretch": st.sampled_from(STRETCH_IDS)},
    optional={"hold_seconds": st.integers(5, 1800) | numbers, "cues": st.lists(text, max_size=2),
              "sides": st.sampled_from(["each", "both", "left"]), "title": text},
)
any_steps = good_steps | st.dictionaries(routine_keys, values, max_size=4)


@st.composite
def routine_texts(draw) -> bytes:
    """A routine file: a title and [[step]] tables, most of them nearly right."""
    top = {"title": draw(text | st.just("My routine"))}
    top.update(draw(st.dictionaries(routine_keys, values, max_size=2)))
    top.pop("step", None)
    steps = draw(st.lists(any_steps, min_size=0, max_size=3))
    return draw(damaged_text(toml_document(top, {}, {"step": steps})))


FILE_NAMES = st.sampled_from([b"gentle", b"full", b"caf\xe9", b"caf\xc3\xa9", b"a\x1bred", b"tab\tname", b"x y",
                              b".hidden", b"-dash", b"quick", b"\xff\xfe"])
KINDS = ["file"] * 8 + ["fifo", "dir", "loop", "zero", "null", "dangling", "empty"]


def make_entry(path: Path, kind: str, content: bytes) -> None:
    """Put a file of `kind` at `path`: a regular file with `content`, or something that is not one."""
    if kind == "file":
        path.write_bytes(content)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "dir":
        path.mkdir()
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    elif kind == "null":
        path.symlink_to("/dev/null")
    elif kind == "dangling":
        path.symlink_to(path.name + ".missing")


@st.composite
def routine_dir_cases(draw) -> Callable[[Sandbox], list[Path]]:
    """A routine dir of 1-3 entries; the case lays it out and returns the entries' paths."""
    entries = draw(st.lists(st.tuples(FILE_NAMES, st.sampled_from([".toml", ".toml", ".TOML", ".txt"]),
                                      st.sampled_from(KINDS), routine_texts()),
                            min_size=1, max_size=3, unique_by=lambda e: (e[0], e[1])))

    def lay_out(box: Sandbox) -> list[Path]:
        box.routines.mkdir(exist_ok=True)
        paths = []
        for stem, suffix, kind, content in entries:
            path = Path(os.fsdecode(bytes(box.routines) + b"/" + stem + suffix.encode()))
            make_entry(path, kind, content)
            paths.append(path)
        return paths

    return lay_out


# -- journals --------------------------------------------------------------------------------

BERLIN = ZoneInfo("Europe/Berlin")
_TEMPLATE: dict[str, bytes] = {}


def valid_journal() -> bytes:
    """A journal written by the real `Journal`: five nights with holds, skips and marks."""
    if "bytes" not in _TEMPLATE:
        with tempfile.TemporaryDirectory() as directory:
            moments = (datetime(2026, 1, 1, 22, 0, tzinfo=BERLIN) + timedelta(days=n // 20, minutes=n)
                       for n in range(10_000))
            with Journal(Path(directory), Readings(moments)) as journal:
                for night in range(5):
                    journal.record(Event(at=0, started=["full", "quick"][night % 2]))
                    for side in (Side.LEFT, Side.RIGHT):
                        journal.record(Event(at=1, record=StepRecord("leg-dangle", side, 60, 55.5, 2, night == 3)))
                    journal.mark_tighter(Side.LEFT, "leg-dangle")
                    journal.record(Event(at=9, outcome=[Outcome.FINISHED, Outcome.STOPPED][night % 2],
                                         summary={"held_seconds": 111}))
            _TEMPLATE["bytes"] = (Path(directory) / FILE_NAME).read_bytes()
    return _TEMPLATE["bytes"]


PAGE = 4096
odd_cells = (st.none() | numbers | text | st.binary(max_size=8)
             | st.sampled_from(["2026-13-45", "yesterday", "2026-01-02", "2026-01-02T22:00:00+01:00", "left",
                                "sideways", "finished", "{", "[1, 2]", "1e999"]))


@st.composite
def journal_cases(draw) -> Callable[[Path], str]:
    """A journal in a state dir; the case writes it and returns how it was made."""
    how = draw(st.sampled_from(["bytes"] * 4 + ["pages", "cut", "rows", "rows", "fifo", "dir", "loop", "zero",
                                                "wal-fifo", "version"]))
    template = valid_journal()
    if how == "bytes":
        spots = draw(st.lists(st.tuples(st.integers(0, PAGE - 1) | st.integers(0, len(template) - 1),
                                        st.integers(0, 255)), min_size=1, max_size=8))
    elif how == "pages":
        spots = draw(st.lists(st.tuples(st.integers(0, len(template) // PAGE - 1),
                                        st.sampled_from([0x00, 0xFF, 0xA5]) | st.integers(0, 255)), min_size=1, max_size=2))
    elif how == "cut":
        spots = draw(st.integers(0, len(template) - 1))
    elif how == "rows":
        spots = draw(st.lists(st.tuples(st.sampled_from(["nights", "steps", "tighter_marks"]),
                                        st.lists(odd_cells, min_size=8, max_size=8)), min_size=1, max_size=3))
    elif how == "version":
        spots = draw(st.sampled_from([-1, -(2**31), 2, 2**31 - 1]))
    else:
        spots = None

    def write(state: Path) -> str:
        state.mkdir(parents=True, exist_ok=True)
        path = state / FILE_NAME
        data = bytearray(template)
        if how == "bytes":
            for at, byte in spots:
                data[at] = byte
        elif how == "pages":
            for page, byte in spots:
                data[page * PAGE:(page + 1) * PAGE] = bytes([byte]) * PAGE
        elif how == "cut":
            data = data[:spots]
        if how in ("fifo", "dir", "loop", "zero"):
            make_entry(path, how, b"")
            return how
        path.write_bytes(bytes(data))
        if how == "wal-fifo":
            os.mkfifo(state / (FILE_NAME + "-wal"))
        elif how == "rows":
            _insert_odd_rows(path, spots)
        elif how == "version":
            with contextlib.closing(sqlite3.connect(path)) as conn:
                conn.execute(f"PRAGMA user_version = {spots}")
        return f"{how} {spots!r}"[:200]

    return write


def _insert_odd_rows(path: Path, rows: list) -> None:
    """Rows with impossible values, put in past the table's type affinity (text as bytes too)."""
    columns = {"nights": ("started_at", "night_date", "routine", "ended_at", "outcome", "summary"),
               "steps": ("night_id", "recorded_at", "stretch_id", "side", "planned_seconds", "held_seconds",
                         "paused_seconds", "skipped"),
               "tighter_marks": ("night_id", "marked_at", "side", "stretch_id")}
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for table, cells in rows:
            names = columns[table]
            cells = [_as_sql(cell) for cell in cells[:len(names)]]
            marks = ", ".join("CAST(? AS TEXT)" if isinstance(c, bytes) and i % 2 else "?" for i, c in enumerate(cells))
            try:
                conn.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", cells)
            except (sqlite3.IntegrityError, OverflowError):
                pass  # NOT NULL: such a row cannot be there; the next one may


def _as_sql(cell):
    if isinstance(cell, float) and not math.isfinite(cell):
        return cell  # SQLite keeps inf; nan becomes NULL
    if isinstance(cell, int) and not -2**63 <= cell < 2**63:
        return str(cell)
    return cell


# -- argument lists --------------------------------------------------------------------------

def _parser_words() -> tuple[list[str], dict[str, list[str]]]:
    """The parser's commands and, for each, its options (e.g. "routines check", "--config")."""
    commands: dict[str, list[str]] = {}

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        options = [o for action in parser._actions for o in action.option_strings if o.startswith("--")]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{prefix} {name}".strip())
                return
        commands[prefix] = options

    walk(build_parser(), "")
    return sorted(commands), commands


COMMANDS, OPTIONS = _parser_words()
UNSAFE_COMMANDS = ("install", "uninstall")  # they change the machine (/etc, systemctl)
SAFE_COMMANDS = [c for c in COMMANDS if c.split()[0] not in UNSAFE_COMMANDS]
PATH_KINDS = ["missing", "file", "config", "dir", "fifo", "loop", "zero", "null", "state", "routines", "unwritable",
              "latin1", "control", "-", ""]


# What a command line can carry: any text but NUL (execve ends each argument there), and bytes
# that are not UTF-8 (they arrive as surrogate escapes).
ARGUMENT_WORDS = text.filter(lambda word: "\x00" not in word) | st.sampled_from(
    ["1000", "1e-300", "1e20", "-3", "quick", "full", "caf\udce9", "\udcff\udcfe", "--", "-"])


@st.composite
def argv_cases(draw) -> Callable[[Sandbox], list[str]]:
    """An argument list for one command, its options given odd values; the case returns argv."""
    command = draw(st.sampled_from(SAFE_COMMANDS))
    chosen = draw(st.lists(st.sampled_from(OPTIONS[command] + ["--bogus", "-x"]), max_size=4))
    picks = draw(st.lists(st.tuples(st.sampled_from(PATH_KINDS), ARGUMENT_WORDS),
                          min_size=len(chosen) + 1, max_size=len(chosen) + 1))
    positional = draw(st.booleans())

    def build(box: Sandbox) -> list[str]:
        box.write_quiet_config()
        argv = command.split()
        for option, (kind, word) in zip(chosen, picks):
            argv.append(option)
            argv.append(_odd_path(box, kind) if kind != "missing" or not word else word)
        if positional:
            argv.append(_odd_path(box, picks[-1][0]))
        return _bounded(argv)

    return build


def _odd_path(box: Sandbox, kind: str) -> str:
    place = box.root / f"odd-{kind}"
    if kind in ("-", ""):
        return kind
    if kind == "config":
        return str(box.config)
    if kind == "state":
        return str(box.state)
    if kind == "routines":
        box.routines.mkdir(exist_ok=True)
        return str(box.routines)
    if kind == "unwritable":
        return "/proc/psoas/x.png"
    if kind == "latin1":
        return os.fsdecode(bytes(box.root) + b"/caf\xe9.toml")
    if kind == "control":
        return str(box.root / "a\x1b[31m.toml")
    if not os.path.lexists(place):
        make_entry(place, {"file": "file", "missing": "none"}.get(kind, kind), QUIET_CONFIG.encode())
    return str(place)


def _bounded(argv: list[str]) -> list[str]:
    """Keep a run short: `run` once through (--emulate --nightly), a demo of the quick routine
    at the top speed, a preview GIF of it, `web` only as far as `--forget-all` (it would serve
    until stopped; the last occurrence of an option wins)."""
    if argv[0] == "web":
        return argv + ["--forget-all"]
    if argv[0] == "run":
        return argv + ["--emulate", "--nightly"]
    if argv[0] == "demo":
        return argv + ["--routine", "quick", "--speed", "1000"]
    if argv[0] == "preview" and "--gif" in argv:
        return argv + ["--routine", "quick"]
    return argv


# -- psoas web, where it must not serve -------------------------------------------------------

NOT_HERE = (  # documentation addresses (RFC 5737, RFC 3849): never this machine's
    st.sampled_from(["192.0.2.", "198.51.100.", "203.0.113."]).flatmap(lambda net: st.integers(1, 254).map(
        lambda n: f"{net}{n}")) | st.integers(1, 0xFFFF).map(lambda n: f"2001:db8::{n:x}"))


def _not_a_host(text_: str) -> bool:
    try:
        Host().parse(text_)
    except ValueError:
        return True
    return False


NO_HOSTS = (st.sampled_from(["no such host!", "999.1.1.1", "256.0.0.1", "1.2.3", "[::1]", "a..b", "-x", "x-", "a_b",
                             "::g", "\t", "host\x1b[2J", "x" * 64 + ".local", "1e309", "nan"])
            | st.text(max_size=20).filter(lambda t: "\x00" not in t)).filter(_not_a_host)


@dataclass
class WebCase:
    """How `psoas web` is told where to listen, by option or config; it must not serve."""

    how: str  # "no host", "not here" or "port taken"
    by: str  # "option" or "config"
    host: str

    def run(self, box: Sandbox) -> tuple[Result, tuple, int]:
        """Lay the case out in `box` and run it: (result, what its line must name, exit code)."""
        if self.how == "port taken":
            with socket.socket() as taken:
                taken.bind(("127.0.0.1", 0))
                taken.listen()
                return *self._run(box, taken.getsockname()[1]), 1
        return *self._run(box, None), 2 if self.how == "no host" else 1

    def _run(self, box: Sandbox, port: int | None) -> tuple[Result, tuple]:
        box.write_quiet_config()
        if self.by == "option":
            ports = [f"--port={port}"] if port else []
            return box.run(["web", f"--host={self.host}", *ports]), ("--port",) if port else ("--host",)
        with box.config.open("a") as config:
            config.write(f"[web]\nhost = {toml_value(self.host)}\n" + (f"port = {port}\n" if port else ""))
        return box.run(["web"]), (box.config,)


@st.composite
def web_cases(draw) -> WebCase:
    how = draw(st.sampled_from(["no host", "not here", "port taken"]))
    host = {"no host": NO_HOSTS, "not here": NOT_HERE, "port taken": st.just("127.0.0.1")}[how]
    return WebCase(how, draw(st.sampled_from(["option", "config"])), draw(host))
