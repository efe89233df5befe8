"""`psoas morning N [--date YYYY-MM-DD]`: the morning check-in without the button.

For people who would rather answer on their phone over SSH, and for scripts. It keeps the
same answer the button does (`mornings` in the journal): today's date in the device's time
zone (`[bedtime] time_zone`, else the system's), or `--date`. A second answer for a date
replaces the first and says so. Anything wrong (a stiffness off the 0–10 scale, a date that
is not a date or still ahead, a journal it cannot write) is one line on standard error, a
non-zero exit, and nothing written.
"""

from __future__ import annotations

import argparse
import os
import pwd
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path

from device.cli import EXIT_FAILURE, EXIT_USAGE, add_path_options
from device.clocks.zones import zone_source
from device.config import paths
from device.config.load import load_config
from device.config.paths import expanded
from device.errors import JournalCorruptError, JournalTooNewError
from device.journal import trend
from device.journal.opening import connect_checked
from device.journal.reader import MorningRow, load_mornings, stiffness_by_date
from device.journal.schema import FILE_NAME, ensure_file
from device.journal.answers import save_morning
from device.storage import faults
from routines.morning import SCALE_MAX, average_text, is_stiffness

SOURCE = "command"


def stiffness(text: str) -> int:
    """An argparse type: a whole number on the 0–10 scale."""
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if not is_stiffness(value):
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 0 (no stiffness) to {SCALE_MAX} (the worst), e.g. 3; not {text!r}")
    return value


def calendar_date(text: str) -> date:
    """An argparse type: a date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date like 2026-03-04, not {text!r}") from None


def add_arguments(parser) -> None:
    """`psoas morning STIFFNESS [--date YYYY-MM-DD] [--config PATH] [--state-dir DIR]`."""
    parser.description = ("Keep this morning's stiffness, 0 (none) to 10 (the worst), in the journal, as a "
                          "hold on the morning question does. A second answer for the same date replaces "
                          "the first. `psoas stats` shows the 7-day average and how it changes.")
    parser.add_argument("stiffness", metavar="STIFFNESS", type=stiffness, help="0 (none) to 10 (the worst)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", type=calendar_date,
                        help="the morning to answer for (default: today); not a date still ahead")
    add_path_options(parser)


def now_in(zone) -> datetime:
    """The wall-clock time now in `zone`, aware (tests replace it)."""
    return datetime.now(zone)


def _fail(message: str, code: int = EXIT_FAILURE) -> int:
    print(f"psoas morning: {message}", file=sys.stderr)
    return code


def run(args) -> int:
    config = load_config(args.config)
    now = now_in(zone_source(config.bedtime.time_zone)())
    day = args.date or now.date()
    if day > now.date():
        return _fail(f"{day.isoformat()} is still ahead (today is {now.date().isoformat()}); "
                     "answer for today or a morning gone by", EXIT_USAGE)
    state_dir = paths.state_dir(args, config)
    owner_problem = _owned_by_another(state_dir)
    if owner_problem:
        return _fail(owner_problem)
    paths.make_state_dir(state_dir)  # a file in its place: one line, exit 2
    try:
        previous, mornings = save_answer(state_dir, day, args.stiffness, now)
    except JournalCorruptError as error:
        return _fail(f"{error}: the journal is damaged, nothing saved; the daemon moves it aside "
                     "and starts a fresh one at its next start")
    except JournalTooNewError as error:
        return _fail(f"{state_dir / FILE_NAME}: {error}")
    except (OSError, sqlite3.Error) as error:
        return _fail(f"{faults.explain(error, state_dir / FILE_NAME, 'save to')}; nothing saved")
    print(f"psoas morning: {saved_line(day, args.stiffness, previous, mornings)}")
    return 0


def saved_line(day: date, value: int, previous: MorningRow | None, mornings) -> str:
    """e.g. "saved 3 for Wed 4 Mar 2026 (replaces 5) · last week 4.6"."""
    text = f"saved {value} for {day:%a} {day.day} {day:%b %Y}"
    if previous is not None:
        was = "not today" if previous.stiffness is None else str(previous.stiffness)
        text += f" (replaces {was})"
    last_week = trend.last_week_average(stiffness_by_date(mornings), day)
    return text if last_week is None else f"{text} · last week {average_text(last_week)}"


def save_answer(state_dir: Path, day: date, value: int, now: datetime) -> tuple[MorningRow | None, tuple]:
    """Save `day`'s answer in one transaction; (the row it replaced, every morning after it).

    Raises what opening or writing the journal raises (damage only when seen on two reads); a
    damaged journal is left as it is.
    """
    path = expanded(state_dir) / FILE_NAME
    ensure_file(path)
    conn = connect_checked(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            previous = save_morning(conn, day, value, now, SOURCE)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # a failed COMMIT (full, I/O error) has rolled back already
                conn.execute("ROLLBACK")
            raise
        return previous, load_mornings(conn)
    finally:
        conn.close()


def _owned_by_another(state_dir: Path) -> str:
    """As root, refuse to write a journal that belongs to another user (the daemon's): the files
    SQLite would create beside it as root could lock the daemon out. "" when all is well."""
    if os.geteuid() != 0:
        return ""
    for path in (state_dir / FILE_NAME, state_dir):
        try:
            owner = path.stat().st_uid
        except OSError:
            continue
        if owner == 0:
            return ""
        try:
            name = pwd.getpwuid(owner).pw_name
        except KeyError:
            name = str(owner)
        return (f"{path} belongs to {name}; run it as that user so the daemon can still write "
                f"it: sudo -u {name} psoas morning N --state-dir {state_dir}")
    return ""
