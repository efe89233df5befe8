"""`psoas export --csv FILE --json FILE`: the whole journal as CSV and/or JSON ('-': standard output).

Only a new or regular file is replaced, never a FIFO, a device, a directory or a symbolic link;
every target is checked before anything is written.
"""

from __future__ import annotations

import sys
from pathlib import Path

from device.cli import add_path_options
from device.cli.stats import STDOUT, cannot_write, fail, journal_history, refused
from device.clocks.wall import LocalWallClock
from device.journal.export import csv_text, json_text
from device.storage.atomic import write_atomically
from routines.loading.files import not_a_file, shown
from routines.wording import counted


def add_arguments(export) -> None:
    """`psoas export [--csv FILE] [--json FILE] [--config PATH] [--state-dir DIR]`."""
    export.description = ("Write every night, hold and morning check-in in the journal to a CSV and/or "
                          f"JSON file ('{STDOUT}' for standard output). Only a new or regular file is replaced, "
                          "never a FIFO, a device, a directory or a symbolic link.")
    add_path_options(export)
    export.add_argument("--csv", metavar="FILE",
                        help="one file for spreadsheets; its 'kind' column says what a row is: "
                             "'night' (one row per hold) or 'morning' (one per check-in, "
                             "'stiffness' 0-10, empty for not today)")
    export.add_argument("--json", metavar="FILE",
                        help="everything: 'nights' with their holds, 'mornings' with date and "
                             "stiffness (null for not today)")


def _output_refusal(option: str, path: str | None) -> str | None:
    """The line refusing an output path that is there but is not a regular file, or None."""
    if not path or path == STDOUT:
        return None
    reason = not_a_file(path)
    return refused(option, path, reason) if reason else None


def run(args) -> int:
    """`psoas export --csv FILE --json FILE`: write the journal; '-' is standard output."""
    targets = [(path, kind) for path, kind in ((args.csv, "csv"), (args.json, "json")) if path]
    if not targets:
        return fail("export", "say where to write: --csv FILE and/or --json FILE", 2)
    for path, kind in targets:  # all refused before anything is written
        refusal = _output_refusal(f"--{kind}", path)
        if refusal:
            return fail("export", refusal)
    state_dir, history, code = journal_history("export", args)
    if history is None:
        return code
    for path, kind in targets:
        text = csv_text(history) if kind == "csv" else json_text(history, LocalWallClock().now())
        if path == STDOUT:
            sys.stdout.write(text)
            continue
        try:
            write_atomically(Path(path), text)
        except OSError as error:
            return fail("export", cannot_write(f"--{kind}", path, error))
        print(f"psoas export: wrote {counted(len(history.nights), 'routine')} and "
              f"{counted(len(history.mornings), 'morning')} from {shown(state_dir)} to {shown(path)}", file=sys.stderr)
    return 0
