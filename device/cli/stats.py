"""The `psoas stats` and `psoas export` subcommands.

`register(subparsers)` adds both to the `psoas` parser; each sets `handler` to its
`*_main(args) -> int`. Every problem ends as one line on standard error and exit 1
(2 for a usage mistake), never a traceback. Both only read the journal, so they are safe to
run while the daemon is writing.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from device.cli import add_path_options
from device.config import paths
from device.config.load import load_config
from device.errors import JournalUnreadableError
from device.journal import streaks
from device.journal.export import csv_text, json_text
from device.storage import faults
from device.storage.atomic import write_atomically
from device.journal.heatmap import render_stats_png
from device.journal.reader import History, read_history
from device.journal.report import build_report, format_report
from device.journal.schema import FILE_NAME
from device.journal.writer import local_now
from routines.loading.files import NotAFileError, not_a_file, shown
from routines.wording import counted

STDOUT = "-"


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number 0 or more, e.g. 1; not {text!r}")
    return value


def register(subparsers) -> None:
    """Add `stats` and `export` to an argparse subparsers object."""
    stats = subparsers.add_parser(
        "stats", help="the last 8 weeks of nights as a heatmap, the streak and totals",
        description="Show the last 8 weeks as a calendar heatmap, the streak, totals, and "
                    "which side felt tighter.",
    )
    add_path_options(stats)
    stats.add_argument("--png", metavar="FILE",
                       help=f"draw it as a picture into FILE instead of printing it ('{STDOUT}': standard "
                            "output, when it is not a terminal); only a new or regular file is replaced")
    stats.add_argument("--grace-nights", metavar="N", type=_non_negative_int,
                       default=streaks.DEFAULT_GRACE_NIGHTS,
                       help="missed nights in a row a streak forgives (default: %(default)s)")
    stats.set_defaults(handler=stats_main)

    export = subparsers.add_parser(
        "export", help="write the whole journal as CSV and/or JSON",
        description="Write every night, hold and morning check-in in the journal to a CSV and/or "
                    f"JSON file ('{STDOUT}' for standard output). Only a new or regular file is replaced, "
                    "never a FIFO, a device, a directory or a symbolic link.",
    )
    add_path_options(export)
    export.add_argument("--csv", metavar="FILE",
                        help="one file for spreadsheets; its 'kind' column says what a row is: "
                             "'night' (one row per hold) or 'morning' (one per check-in, "
                             "'stiffness' 0-10, empty for not today)")
    export.add_argument("--json", metavar="FILE",
                        help="everything: 'nights' with their holds, 'mornings' with date and "
                             "stiffness (null for not today)")
    export.set_defaults(handler=export_main)


def _fail(command: str, message: str, code: int = 1) -> int:
    print(f"psoas {command}: {message}", file=sys.stderr)
    return code


def _history(command: str, args) -> tuple[Path, History | None, int]:
    """The journal's history, or None and the exit status after one line on standard error.

    Rows with impossible values are left out, with one line saying how many.
    """
    state_dir = paths.state_dir(args, load_config(args.config))
    try:
        history = read_history(state_dir)
    except JournalUnreadableError as error:
        return state_dir, None, _fail(command, shown(str(error)))
    if history.skipped_rows:
        rows = counted(history.skipped_rows, "row")
        print(f"psoas {command}: left out {rows} with impossible values "
              f"(damaged?) in {shown(state_dir / FILE_NAME)}", file=sys.stderr)
    return state_dir, history, 0


def _writes_unicode(stream) -> bool:
    try:
        "·░▒▓█–".encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _cannot_write(option: str, path: object, error: OSError) -> str:
    if isinstance(error, NotAFileError):
        return _refused(option, path, error.strerror)
    fault = faults.fault_of(error, Path(path).parent)
    if fault in (faults.Fault.FULL, faults.Fault.READ_ONLY, faults.Fault.IO_ERROR):
        return (f"cannot write {shown(path)}: {faults.words(fault, error)}; choose a file on other storage "
                f"(or '{STDOUT}' for standard output)")
    return f"cannot write {shown(path)}: {error.strerror or error}; choose a file in a folder you can write to"


def _refused(option: str, path: object, reason: str) -> str:
    """One line for an output path that is not a new or regular file (`not_a_file`)."""
    return f"{option} {shown(path)}: {reason} (or '{STDOUT}' for standard output)"


def stats_main(args) -> int:
    """`psoas stats [--png FILE]`: print the report, or draw it into FILE."""
    state_dir, history, code = _history("stats", args)
    if history is None:
        return code
    report = build_report(history, streaks.night_date(local_now()), args.grace_nights)
    if args.png is not None:
        picture = io.BytesIO()
        render_stats_png(report).save(picture, format="PNG")
        if args.png == STDOUT:
            return _png_to_stdout(picture.getvalue())
        try:
            write_atomically(Path(args.png), picture.getvalue())
        except OSError as error:
            return _fail("stats", _cannot_write("--png", args.png, error))
        print(f"psoas stats: drew {counted(report.nights_total, 'night')} into {shown(args.png)}")
        return 0
    sys.stdout.write(format_report(report, unicode=_writes_unicode(sys.stdout)))
    if not history.nights:
        print(f"No nights recorded yet in {shown(state_dir)}.")
    return 0


def _png_to_stdout(data: bytes) -> int:
    """`--png -`: the picture on standard output, unless that is a terminal (or takes no bytes)."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None or sys.stdout.isatty():
        where = "is a terminal" if out is not None else "takes no bytes here"
        return _fail("stats", f"--png {STDOUT}: standard output {where}; send it to a file "
                              "(psoas stats --png - > stats.png) or give a file name", 2)
    sys.stdout.flush()
    out.write(data)
    out.flush()
    return 0


def _output_refusal(option: str, path: str | None) -> str | None:
    """The line refusing an output path that is there but is not a regular file, or None."""
    if not path or path == STDOUT:
        return None
    reason = not_a_file(path)
    return _refused(option, path, reason) if reason else None


def export_main(args) -> int:
    """`psoas export --csv FILE --json FILE`: write the journal; '-' is standard output."""
    targets = [(path, kind) for path, kind in ((args.csv, "csv"), (args.json, "json")) if path]
    if not targets:
        return _fail("export", "say where to write: --csv FILE and/or --json FILE", 2)
    for path, kind in targets:  # all refused before anything is written
        refusal = _output_refusal(f"--{kind}", path)
        if refusal:
            return _fail("export", refusal)
    state_dir, history, code = _history("export", args)
    if history is None:
        return code
    for path, kind in targets:
        text = csv_text(history) if kind == "csv" else json_text(history, local_now())
        if path == STDOUT:
            sys.stdout.write(text)
            continue
        try:
            write_atomically(Path(path), text)
        except OSError as error:
            return _fail("export", _cannot_write(f"--{kind}", path, error))
        print(f"psoas export: wrote {counted(len(history.nights), 'routine')} and "
              f"{counted(len(history.mornings), 'morning')} from {shown(state_dir)} to {shown(path)}", file=sys.stderr)
    return 0
