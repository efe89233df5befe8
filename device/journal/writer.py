"""The progress journal: every night, every completed hold and every morning check-in, saved as
it happens.

`Journal.record(event)` takes the engine's events (`routines.events.Event`):
`started` opens a night row, `record` adds a step row, `outcome` closes the night. Each
write is its own SQLite transaction (WAL, synchronous FULL), so a power cut loses at most
the hold in progress.

The routine must run whatever happens to the SD card, so nothing here raises after
construction: a damaged file (damage seen on two reads) is moved aside and replaced (one log
line naming the new name); a card that fails (I/O error, full, read-only: one log line naming
the device, the cause and the fix) leaves the file where it is and turns the journal into a
no-op that opens it again at the next write, and starts saving again by itself once a write
succeeds.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

from device.clocks.wall import LocalWallClock, WallClock
from device.config.paths import expanded
from device.journal import streaks
from device.journal.opening import open_for_writing, reason
from device.journal.answers import save_morning
from device.journal.reader import MorningRow, load_morning, load_mornings, practised_dates
from device.journal.schema import FILE_NAME
from device.storage import faults
from routines.events import Event
from routines.outcomes import Side

log = logging.getLogger("psoas.journal")


class Journal:
    """The night-by-night history in `<state_dir>/journal.sqlite3`.

    `wall` is the local wall clock its dates are read in (a `WallClock`, aware in the
    device's zone; default: the system's); `rollover_hour` decides which night a routine
    started after midnight belongs to.
    """

    def __init__(
        self,
        state_dir: Path,
        wall: WallClock | None = None,
        rollover_hour: int = streaks.ROLLOVER_HOUR,
    ):
        self.path = expanded(state_dir) / FILE_NAME
        self._wall = wall or LocalWallClock()
        self._rollover_hour = rollover_hour
        self._conn: sqlite3.Connection | None = None
        self._night_id: int | None = None
        self._write_failing = False
        self._conn = open_for_writing(self.path, self._moment)
        self._open_failing = self._conn is None

    def _connection(self) -> sqlite3.Connection | None:
        """The open connection; when opening failed before, one more try (quietly)."""
        if self._conn is None and self._open_failing:
            self._conn = open_for_writing(self.path, self._moment, quiet=True)
            if self._conn is not None:
                self._open_failing = False
                log.warning("journal: %s opens again; saving from now on", self.path)
        return self._conn

    @property
    def enabled(self) -> bool:
        """False when the journal could not be opened and every write is a no-op."""
        return self._conn is not None

    # -- writing ---------------------------------------------------------------------------

    def _moment(self) -> datetime:
        return self._wall.now()

    def _write(self, change: Callable[[sqlite3.Connection, datetime], int | None]) -> int | None:
        """Run `change(conn, now)` in one transaction; log the first failure, never raise."""
        conn = self._connection()
        if conn is None:
            return None
        night_before = self._night_id
        try:
            moment = self._moment()
            faults.check_room(self.path.parent)  # a full card: told as full, never a SIGBUS
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = change(conn, moment)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except Exception as error:  # noqa: BLE001 - the routine must go on
            self._night_id = night_before  # a night opened in the rolled-back transaction
            if not self._write_failing:
                if isinstance(error, (sqlite3.Error, OSError)):
                    log.warning("journal: %s; the routine goes on",
                                faults.explain(error, self.path, "save to"))
                else:
                    log.exception("journal: could not save to %s (a bug: please report it)",
                                  self.path)
            self._write_failing = True
            return None
        if self._write_failing:
            log.warning("journal: saving to %s again", self.path)
            self._write_failing = False
        return result

    def _insert_night(self, conn: sqlite3.Connection, moment: datetime, routine: str) -> int:
        night = streaks.night_date(moment, self._rollover_hour)
        cursor = conn.execute(
            "INSERT INTO nights (started_at, night_date, routine) VALUES (?, ?, ?)",
            (moment.isoformat(timespec="seconds"), night.isoformat(), routine),
        )
        return int(cursor.lastrowid)

    def _current_night(self, conn: sqlite3.Connection, moment: datetime) -> int:
        """The open night's id; opens an unnamed night if `started` was never saved."""
        if self._night_id is None:
            self._night_id = self._insert_night(conn, moment, "")
        return self._night_id

    def record(self, event: Event) -> None:
        """Save what `event` says happened. Cue events are ignored. Never raises."""
        try:
            if event.started is not None:
                self._night_id = None
                self._night_id = self._write(
                    lambda conn, moment: self._insert_night(conn, moment, event.started)
                )
            elif event.record is not None:
                self._write(lambda conn, moment: self._insert_step(conn, moment, event))
            elif event.outcome is not None:
                self._write(lambda conn, moment: self._close_night(conn, moment, event))
                self._night_id = None
        except Exception:  # noqa: BLE001 - a bug here must not stop the routine
            log.exception("journal: could not record %r", event)

    def _insert_step(self, conn: sqlite3.Connection, moment: datetime, event: Event) -> int:
        step = event.record
        night_id = self._current_night(conn, moment)
        cursor = conn.execute(
            "INSERT INTO steps (night_id, recorded_at, stretch_id, side, planned_seconds,"
            " held_seconds, paused_seconds, skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                night_id, moment.isoformat(timespec="seconds"), step.stretch_id,
                Side(step.side).value, float(step.planned_seconds), float(step.held_seconds),
                float(step.paused_seconds), int(bool(step.skipped)),
            ),
        )
        return int(cursor.lastrowid)

    def _close_night(self, conn: sqlite3.Connection, moment: datetime, event: Event) -> None:
        night_id = self._current_night(conn, moment)
        conn.execute(
            "UPDATE nights SET ended_at = ?, outcome = ?, summary = ? WHERE id = ?",
            (
                moment.isoformat(timespec="seconds"), event.outcome.value,
                json.dumps(event.summary, default=str, sort_keys=True), night_id,
            ),
        )

    def mark_tighter(self, side: Side, stretch_id: str = "") -> None:
        """Note that `side` (left or right) felt tighter during tonight's hold. Never raises."""
        try:
            side = Side(side)
        except ValueError:
            log.warning("journal: ignored a tighter mark for unknown side %r", side)
            return
        if side is Side.BOTH:
            return

        def insert(conn: sqlite3.Connection, moment: datetime) -> None:
            conn.execute(
                "INSERT INTO tighter_marks (night_id, marked_at, side, stretch_id)"
                " VALUES (?, ?, ?, ?)",
                (self._current_night(conn, moment), moment.isoformat(timespec="seconds"),
                 side.value, stretch_id),
            )

        self._write(insert)

    def save_morning(self, day: date, stiffness: int | None, source: str = "button") -> bool:
        """Keep `day`'s morning answer (0–10, None: "not today"); True once it is on disk. Never raises."""

        def change(conn: sqlite3.Connection, moment: datetime) -> bool:
            save_morning(conn, day, stiffness, moment, source)
            return True

        return self._write(change) is True

    # -- reading for the done screen and the morning check-in ------------------------------

    def today(self) -> date:
        """The night it is now (after midnight still counts as the evening before)."""
        return streaks.night_date(self._moment(), self._rollover_hour)

    def practised_nights(self) -> list[date]:
        """Dates of every night with a finished routine or a completed hold; [] if unreadable."""
        conn = self._connection()
        if conn is None:
            return []
        try:
            return practised_dates(conn)
        except Exception as error:  # noqa: BLE001 - the done screen goes on without a streak
            log.warning("journal: cannot read %s (%s)", self.path, reason(error))
            return []

    def morning(self, day: date) -> MorningRow | None:
        """`day`'s check-in (an answer or "not today"), or None: none yet, or unreadable."""
        conn = self._connection()
        if conn is None:
            return None
        try:
            return load_morning(conn, day)
        except sqlite3.Error as error:
            log.warning("journal: cannot read %s (%s)", self.path, reason(error))
            return None

    def mornings(self) -> tuple[MorningRow, ...]:
        """Every morning check-in, oldest first; () if unreadable."""
        conn = self._connection()
        if conn is None:
            return ()
        try:
            return load_mornings(conn)
        except sqlite3.Error as error:
            log.warning("journal: cannot read %s (%s)", self.path, reason(error))
            return ()

    def done_summary(self, grace_nights: int = streaks.DEFAULT_GRACE_NIGHTS) -> str:
        """The done screen's streak line, e.g. "Night 12 · 5-night streak"; "" if none."""
        return streaks.done_summary(self.practised_nights(), self.today(), grace_nights)

    def milestone_message(
        self, messages: Mapping[str, Sequence[str]], grace_nights: int = streaks.DEFAULT_GRACE_NIGHTS,
    ) -> str:
        """Tonight's what-to-expect words, from `messages` by stage (see `streaks.milestone_message`)."""
        return streaks.milestone_message(self.practised_nights(), self.today(), messages, grace_nights)

    def close(self) -> None:
        """Close the database (the WAL is checkpointed by SQLite). Safe to call twice."""
        conn, self._conn = self._conn, None
        self._open_failing = False
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error as error:
                log.warning("journal: closing %s: %s", self.path, reason(error))

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
