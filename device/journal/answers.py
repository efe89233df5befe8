"""A morning check-in's answer saved in the journal, by the button (`Journal.save_morning`) or by
`psoas morning`. A module of its own so that `psoas morning` loads nothing of the engine's
events, which the night's writer (`device.journal.writer`) takes.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from device.journal.reader import MorningRow, load_morning
from routines.morning import SCALE_MAX, is_stiffness


def save_morning(conn: sqlite3.Connection, day: date, stiffness: int | None, moment: datetime,
                 source: str) -> MorningRow | None:
    """Keep `day`'s answer (0–10, or None for "not today"), replacing any earlier one.

    Runs in the caller's transaction; returns the row it replaced, or None. Raises
    `ValueError` for a stiffness off the scale.
    """
    if stiffness is not None and not is_stiffness(stiffness):
        raise ValueError(f"stiffness must be a whole number 0-{SCALE_MAX}, not {stiffness!r}")
    previous = load_morning(conn, day)
    conn.execute(
        "INSERT INTO mornings (morning_date, stiffness, answered_at, source) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (morning_date) DO UPDATE SET stiffness = excluded.stiffness,"
        " answered_at = excluded.answered_at, source = excluded.source",
        (day.isoformat(), stiffness, moment.isoformat(timespec="seconds"), source),
    )
    return previous
