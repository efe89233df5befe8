"""`psoas stats`: the journal for people, and what it shares with `psoas export`.

Every problem ends as one line on standard error and exit 1 (2 for a usage mistake), never a
traceback. Both commands only read the journal, so they are safe to run while the daemon is
writing; both write a file only if it is new or regular (`STDOUT`, '-', is standard output).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from device.cli import add_path_options
from device.clocks.wall import LocalWallClock
from device.config import paths
from device.config.load import load_config
from device.errors import JournalUnreadableError
from device.journal import streaks
from device.journal.heatmap import render_stats_png
from device.journal.reader import History, read_history
from device.journal.report import build_report, format_report
from device.journal.schema import FILE_NAME
from device.storage.atomic import write_atomically
from routines.loading.files import NotAFileError, shown
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


def add_arguments(stats) -> None:
    """`psoas stats [--png FILE] [--grace-nights N] [--config PATH] [--state-dir DIR]`."""
    stats.description = "Show the last 8 weeks as a calendar heatmap, the streak, totals, and which side felt tighter."
    add_path_options(stats)
    stats.add_argument("--png", metavar="FILE",
                       help=f"draw it as a picture into FILE instead of printing it ('{STDOUT}': standard "
                            "output, when it is not a terminal); only a new or regular file is replaced")
    stats.add_argument("--grace-nights", metavar="N", type=_non_negative_int,
                       default=streaks.DEFAULT_GRACE_NIGHTS,
                       help="missed nights in a row a streak forgives (default: %(default)s)")


def fail(command: str, message: str, code: int = 1) -> int:
    """One line on standard error for `psoas <command>`; returns the exit status `code`."""
    print(f"psoas {command}: {message}", file=sys.stderr)
    return code


def journal_history(command: str, args) -> tuple[Path, History | None, int]:
    """The journal's history, or None and the exit status after one line on standard error.

    Rows with impossible values are left out, with one line saying how many.
    """
    state_dir = paths.state_dir(args, load_config(args.config))
    try:
        history = read_history(state_dir)
    except JournalUnreadableError as error:
        return state_dir, None, fail(command, shown(str(error)))
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


def cannot_write(option: str, path: object, error: OSError) -> str:
    """One line for an output file that could not be written."""
    if isinstance(error, NotAFileError):
        return refused(option, path, error.strerror)
    return f"cannot write {shown(path)}: {error.strerror or error}; choose a file in a folder you can write to"


def refused(option: str, path: object, reason: str) -> str:
    """One line for an output path that is not a new or regular file (`not_a_file`)."""
    return f"{option} {shown(path)}: {reason} (or '{STDOUT}' for standard output)"


def run(args) -> int:
    """`psoas stats [--png FILE]`: print the report, or draw it into FILE."""
    state_dir, history, code = journal_history("stats", args)
    if history is None:
        return code
    report = build_report(history, streaks.night_date(LocalWallClock().now()), args.grace_nights)
    if args.png is not None:
        picture = io.BytesIO()
        render_stats_png(report).save(picture, format="PNG")
        if args.png == STDOUT:
            return _png_to_stdout(picture.getvalue())
        try:
            write_atomically(Path(args.png), picture.getvalue())
        except OSError as error:
            return fail("stats", cannot_write("--png", args.png, error))
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
        return fail("stats", f"--png {STDOUT}: standard output {where}; send it to a file "
                              "(psoas stats --png - > stats.png) or give a file name", 2)
    sys.stdout.flush()
    out.write(data)
    out.flush()
    return 0
