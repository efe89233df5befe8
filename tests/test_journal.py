"""The journal saves each night as it happens and never stops the routine."""

import logging
import os
import sqlite3
import stat
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fakes import FakeWallClock

from device.errors import JournalUnreadableError
from device.journal.reader import History, MarkRow, MorningRow, StepRow, practised_dates, read_history
from device.journal.schema import FILE_NAME, LATEST_VERSION, MIGRATIONS
from device.journal.writer import Journal
from routines.events import Cue, Event, StepRecord
from routines.outcomes import Outcome, Side

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 1, 5, 22, 15, tzinfo=BERLIN)


def WallClock(moment: datetime = START) -> FakeWallClock:  # noqa: N802 - reads like the clock it makes
    """An aware wall clock that moves one minute per reading."""
    return FakeWallClock(moment, per_reading=60, zone=BERLIN)


def step(stretch: str = "leg_dangle", side: Side = Side.LEFT, held: float = 30.0,
         skipped: bool = False) -> Event:
    return Event(at=0, record=StepRecord(stretch, side, 30.0, held, 2.5, skipped))


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "psoas.journal" and r.levelno >= logging.WARNING]


def test_a_night_is_saved_with_its_steps_marks_and_outcome(tmp_path):
    with Journal(tmp_path, wall=WallClock()) as journal:
        journal.record(Event(at=0, started="full"))
        journal.record(Event(at=1, cue=Cue.HOLD_START))  # cues are not history
        journal.record(step(side=Side.LEFT))
        journal.mark_tighter(Side.RIGHT, "leg_dangle")
        journal.record(step(side=Side.RIGHT, held=12.0, skipped=True))
        journal.record(Event(at=90, outcome=Outcome.FINISHED, summary={"held_seconds": 42.0}))

    (night,) = read_history(tmp_path).nights
    assert (night.night_date, night.routine, night.outcome) == (date(2026, 1, 5), "full", Outcome.FINISHED)
    assert night.started_at == "2026-01-05T22:15:00+01:00"
    assert night.ended_at == "2026-01-05T22:19:00+01:00"
    assert night.summary == {"held_seconds": 42.0}
    assert night.steps == (
        StepRow("2026-01-05T22:16:00+01:00", "leg_dangle", Side.LEFT, 30.0, 30.0, 2.5, False),
        StepRow("2026-01-05T22:18:00+01:00", "leg_dangle", Side.RIGHT, 30.0, 12.0, 2.5, True),
    )
    assert night.marks == (MarkRow("2026-01-05T22:17:00+01:00", Side.RIGHT, "leg_dangle"),)


def test_each_step_is_on_disk_before_the_next_event(tmp_path):
    journal = Journal(tmp_path, wall=WallClock())
    journal.record(Event(at=0, started="quick"))
    journal.record(step())
    (night,) = read_history(tmp_path).nights  # a separate, read-only connection
    assert len(night.steps) == 1 and night.outcome is None
    journal.close()


def test_the_file_is_private_uses_wal_and_is_migrated(tmp_path):
    state_dir = tmp_path / "deep" / "state"
    with Journal(state_dir, wall=WallClock()) as journal:
        journal.record(Event(at=0, started="full"))
        for suffix in ("", "-wal", "-shm"):
            path = state_dir / (FILE_NAME + suffix)
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700
    conn = sqlite3.connect(state_dir / FILE_NAME)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    conn.close()


def test_reopening_keeps_history_and_a_cut_off_night_has_no_outcome(tmp_path):
    with Journal(tmp_path, wall=WallClock()) as journal:
        journal.record(Event(at=0, started="full"))
        journal.record(step())
        # power cut here: no outcome
    clock = WallClock(START + timedelta(days=1))
    with Journal(tmp_path, wall=clock) as journal:
        journal.record(Event(at=0, started="quick"))
        journal.record(Event(at=5, outcome=Outcome.STOPPED))
        assert journal.practised_nights() == [date(2026, 1, 5)]
    first, second = read_history(tmp_path).nights
    assert (first.outcome, len(first.steps)) == (None, 1)
    assert (second.routine, second.outcome, second.steps) == ("quick", "stopped", ())


def test_events_without_a_started_night_still_land_in_a_night(tmp_path):
    with Journal(tmp_path, wall=WallClock()) as journal:
        journal.record(Event(at=0, outcome=Outcome.SKIPPED))  # "skip tonight" at the prompt
        journal.record(step())  # the journal was opened mid-routine
        journal.mark_tighter(Side.LEFT)
        journal.record(Event(at=5, outcome=Outcome.FINISHED))
    skipped, unnamed = read_history(tmp_path).nights
    assert (skipped.outcome, skipped.routine) == ("skipped", "")
    assert (unnamed.outcome, len(unnamed.steps), len(unnamed.marks)) == ("finished", 1, 1)


def test_odd_tighter_marks_are_ignored_without_raising(tmp_path, caplog):
    with Journal(tmp_path, wall=WallClock()) as journal:
        journal.record(Event(at=0, started="full"))
        journal.mark_tighter(Side.BOTH)
        journal.mark_tighter("up")
    assert read_history(tmp_path).nights[0].marks == ()
    assert any("unknown side 'up'" in line for line in warnings(caplog))


def test_practised_dates_in_sql_match_the_history(tmp_path):
    clock = WallClock()
    with Journal(tmp_path, wall=clock) as journal:
        for day, outcome, steps in [(0, Outcome.FINISHED, []), (1, Outcome.STOPPED, [True]),
                                    (2, Outcome.STOPPED, [True, False]), (3, Outcome.SKIPPED, [])]:
            clock.set(START + timedelta(days=day))
            journal.record(Event(at=0, started="full"))
            for skipped in steps:
                journal.record(step(skipped=skipped))
            journal.record(Event(at=9, outcome=outcome))
        expected = [date(2026, 1, 5), date(2026, 1, 7)]
        assert practised_dates(journal._conn) == expected
    assert read_history(tmp_path).practised_dates() == expected


# -- damage and failure ----------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_moved_aside_and_kept(tmp_path, caplog):
    damaged = b"this is not SQLite " * 300
    (tmp_path / FILE_NAME).write_bytes(damaged)
    with Journal(tmp_path, wall=WallClock()) as journal:
        assert journal.enabled
        journal.record(Event(at=0, started="full"))
    (kept,) = tmp_path.glob(FILE_NAME + ".corrupt-*")
    assert kept.name == FILE_NAME + ".corrupt-20260105T221500"
    assert kept.read_bytes() == damaged
    assert len(read_history(tmp_path).nights) == 1
    (line,) = warnings(caplog)
    assert "was damaged" in line and kept.name in line


def test_a_database_with_a_damaged_page_is_moved_aside(tmp_path, caplog):
    with Journal(tmp_path, wall=WallClock()) as journal:
        journal.record(Event(at=0, started="full"))
        for n in range(400):
            journal.record(step(stretch=f"stretch-{n}"))
    path = tmp_path / FILE_NAME
    data = bytearray(path.read_bytes())
    assert len(data) > 4 * 4096
    data[2 * 4096: 4 * 4096] = b"\xa5" * (2 * 4096)  # trash pages 3 and 4
    path.write_bytes(bytes(data))
    with Journal(tmp_path, wall=WallClock()) as journal:
        assert journal.enabled and journal.practised_nights() == []
    assert len(list(tmp_path.glob(FILE_NAME + ".corrupt-*"))) == 1
    assert len(warnings(caplog)) == 1


def test_a_newer_schema_is_left_untouched(tmp_path, caplog):
    path = tmp_path / FILE_NAME
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with Journal(tmp_path, wall=WallClock()) as journal:
        assert not journal.enabled
        journal.record(Event(at=0, started="full"))
        journal.record(step())
        assert journal.done_summary() == ""
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*.corrupt-*")) == []
    (line,) = warnings(caplog)
    assert "newer" in line and "update psoas-companion" in line
    with pytest.raises(JournalUnreadableError, match="newer"):
        read_history(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only directory")
def test_a_read_only_state_dir_keeps_the_routine_running(tmp_path, caplog):
    state_dir = tmp_path / "state"
    state_dir.mkdir(mode=0o500)
    try:
        with Journal(state_dir, wall=WallClock()) as journal:
            assert not journal.enabled
            journal.record(Event(at=0, started="full"))
            journal.record(step())
            journal.record(Event(at=9, outcome=Outcome.FINISHED))
    finally:
        state_dir.chmod(0o700)
    (line,) = warnings(caplog)
    assert str(state_dir) in line and "writable" in line


def test_a_state_dir_that_cannot_exist_keeps_the_routine_running(tmp_path, caplog):
    (tmp_path / "file").write_text("in the way")
    with Journal(tmp_path / "file" / "state", wall=WallClock()) as journal:
        assert not journal.enabled
        journal.record(Event(at=0, started="full"))
        journal.record(step())
        journal.mark_tighter(Side.LEFT)
        journal.record(Event(at=9, outcome=Outcome.FINISHED))
        assert journal.done_summary() == ""
    (line,) = warnings(caplog)
    assert "routines still run but are not saved" in line


def test_a_read_only_database_logs_once_and_the_routine_goes_on(tmp_path, caplog):
    with Journal(tmp_path, wall=WallClock()) as journal:
        journal.record(Event(at=0, started="full"))
        journal._conn.execute("PRAGMA query_only = ON")  # writes now fail as SQLITE_READONLY
        for _ in range(5):
            journal.record(step())
        journal.record(Event(at=9, outcome=Outcome.FINISHED))
    (line,) = warnings(caplog)
    assert "cannot save" in line and "readonly" in line
    assert read_history(tmp_path).nights[0].steps == ()


def test_a_full_disk_logs_once_and_saving_resumes_when_there_is_room(tmp_path, caplog):
    with Journal(tmp_path, wall=WallClock()) as journal:
        journal.record(Event(at=0, started="full"))
        pages = journal._conn.execute("PRAGMA page_count").fetchone()[0]
        journal._conn.execute(f"PRAGMA max_page_count = {pages}")  # the "disk" is now full
        for n in range(300):
            journal.record(step(stretch=f"s{n}"))
        saved_while_full = len(read_history(tmp_path).nights[0].steps)
        assert saved_while_full < 300
        journal._conn.execute("PRAGMA max_page_count = 1000000")
        journal.record(step(stretch="after"))
        journal.record(Event(at=9, outcome=Outcome.FINISHED))
    (night,) = read_history(tmp_path).nights
    assert night.steps[-1].stretch_id == "after" and night.outcome == "finished"
    assert len(night.steps) == saved_while_full + 1
    full, again = warnings(caplog)
    assert "full" in full and "again" in again


def test_reading_a_missing_journal_is_empty_and_creates_nothing(tmp_path):
    assert read_history(tmp_path / "nowhere") == History()
    assert not (tmp_path / "nowhere").exists()


def test_reading_a_damaged_journal_is_one_clear_error(tmp_path):
    (tmp_path / FILE_NAME).write_bytes(b"garbage" * 1000)
    with pytest.raises(JournalUnreadableError) as error:
        read_history(tmp_path)
    assert "damaged" in str(error.value) and "\n" not in str(error.value)


def test_a_malformed_record_is_logged_once_and_later_steps_are_saved(tmp_path, caplog):
    with Journal(tmp_path, wall=WallClock()) as journal:
        journal.record(Event(at=0, started="full"))
        journal.record(Event(at=1, record=StepRecord("leg_dangle", "sideways", 30, 30, 0, False)))
        journal.record(step())
    assert len(read_history(tmp_path).nights[0].steps) == 1
    failed, again = warnings(caplog)
    assert "a bug" in failed and "again" in again


# -- mornings ---------------------------------------------------------------------------------


def test_a_morning_answer_is_kept_per_date_and_a_second_one_replaces_it(tmp_path):
    clock = WallClock(datetime(2026, 1, 6, 7, 10, tzinfo=BERLIN))
    with Journal(tmp_path, wall=clock) as journal:
        assert journal.save_morning(date(2026, 1, 6), 5)
        assert journal.save_morning(date(2026, 1, 6), 3, source="command")
        assert journal.save_morning(date(2026, 1, 7), None)  # "not today"
        assert [(m.morning_date, m.stiffness) for m in journal.mornings()] == [
            (date(2026, 1, 6), 3), (date(2026, 1, 7), None)]
    history = read_history(tmp_path)
    first, second = history.mornings
    assert first == MorningRow(date(2026, 1, 6), 3, "2026-01-06T07:11:00+01:00", "command")
    assert second.stiffness is None and second.source == "button"
    assert history.stiffness_by_date() == {date(2026, 1, 6): 3}  # "not today" is no answer


def test_a_stiffness_off_the_scale_is_never_saved(tmp_path, caplog):
    with Journal(tmp_path, wall=WallClock()) as journal:
        assert not journal.save_morning(date(2026, 1, 6), 11)
        assert not journal.save_morning(date(2026, 1, 6), True)
        assert journal.mornings() == ()
        with pytest.raises(sqlite3.IntegrityError):  # and the file itself refuses one too
            journal._conn.execute("INSERT INTO mornings VALUES ('2026-01-06', -1, 'x', 'button')")
    assert "a bug" in warnings(caplog)[0]


def v1_journal(path) -> None:
    """A journal as version 1 of the program left it: one finished night, no mornings table."""
    conn = sqlite3.connect(path / FILE_NAME, isolation_level=None)
    conn.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    conn.execute("INSERT INTO nights (started_at, night_date, routine, ended_at, outcome) VALUES"
                 " ('2026-01-05T22:15:00+01:00', '2026-01-05', 'full', '2026-01-05T22:40:00+01:00',"
                 " 'finished')")
    conn.close()


def test_an_old_journal_reads_as_it_is_and_opens_with_room_for_mornings(tmp_path):
    v1_journal(tmp_path)
    before = (tmp_path / FILE_NAME).read_bytes()
    history = read_history(tmp_path)  # psoas stats before the daemon migrated it
    assert [n.night_date for n in history.nights] == [date(2026, 1, 5)] and history.mornings == ()
    assert (tmp_path / FILE_NAME).read_bytes() == before
    with Journal(tmp_path, wall=WallClock(datetime(2026, 1, 6, 7, 0, tzinfo=BERLIN))) as journal:
        assert journal.practised_nights() == [date(2026, 1, 5)]
        assert journal.save_morning(date(2026, 1, 6), 4)
    history = read_history(tmp_path)
    assert len(history.nights) == 1 and history.stiffness_by_date() == {date(2026, 1, 6): 4}
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    conn.close()


# -- damage in any form, things that are not files, impossible values ---------------------------


def a_saved_night(state_dir) -> None:
    with Journal(state_dir, wall=WallClock()) as journal:
        journal.record(Event(at=0, started="full"))
        journal.record(step())
        journal.record(Event(at=9, outcome=Outcome.FINISHED))


def test_a_flipped_byte_in_the_stored_schema_is_damage_moved_aside(tmp_path, caplog):
    """`CREATE INDEX` becoming `CRE\\x93TE INDEX`: SQLite reports it as a UnicodeDecodeError."""
    a_saved_night(tmp_path)
    path = tmp_path / FILE_NAME
    data = bytearray(path.read_bytes())
    data[data.index(b"CREATE INDEX") + 3] = 0x93
    path.write_bytes(bytes(data))
    with pytest.raises(JournalUnreadableError, match="is damaged .text in it is not UTF-8") as error:
        read_history(tmp_path)
    assert "moves it aside" in str(error.value)
    with Journal(tmp_path, wall=WallClock()) as journal:
        assert journal.enabled
        journal.record(Event(at=0, started="quick"))
    (kept,) = tmp_path.glob(FILE_NAME + ".corrupt-*")
    assert kept.read_bytes() == bytes(data)
    (line,) = warnings(caplog)
    assert f"{path} was damaged (text in it is not UTF-8 (byte 0x93))" in line and str(kept) in line
    assert [n.routine for n in read_history(tmp_path).nights] == ["quick"]


@pytest.mark.parametrize("kind", ["fifo", "directory", "loop", "device", "wal-fifo"])
def test_what_is_not_a_file_in_the_journals_place_is_moved_aside_without_waiting(tmp_path, caplog, kind):
    path = tmp_path / FILE_NAME
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "loop":
        path.symlink_to(FILE_NAME)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        a_saved_night(tmp_path)
        os.mkfifo(tmp_path / (FILE_NAME + "-wal"))
    with pytest.raises(JournalUnreadableError, match="not a file|loops") as error:
        read_history(tmp_path)  # a FIFO would block SQLite's open for ever
    assert "\n" not in str(error.value)
    with Journal(tmp_path, wall=WallClock()) as journal:
        assert journal.enabled
        journal.record(Event(at=0, started="full"))
    (line,) = warnings(caplog)
    assert f"{path} is not a journal" in line and ".corrupt-" in line
    assert os.path.lexists(next(tmp_path.glob(FILE_NAME + ".corrupt-*")))
    assert stat.S_ISREG(path.stat().st_mode) and len(read_history(tmp_path).nights) == 1


def test_rows_with_impossible_values_are_left_out_and_counted(tmp_path):
    a_saved_night(tmp_path)
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    conn.executescript("""
        INSERT INTO nights (started_at, night_date, routine) VALUES ('2026-01-06T22:00:00+01:00', 'Tuesday', 'full');
        INSERT INTO nights (started_at, night_date, routine, outcome)
            VALUES ('2026-01-07T22:00:00+01:00', '2026-01-07', 'full', 'exploded');
        INSERT INTO steps (night_id, recorded_at, stretch_id, side, planned_seconds, held_seconds,
                           paused_seconds, skipped)
            VALUES (1, '2026-01-05T22:20:00+01:00', 'leg-dangle', 'left', 30, 'thirty', 0, 0),
                   (1, '2026-01-05T22:21:00+01:00', 'leg-dangle', 'up', 30, 30, 0, 0),
                   (1, '2026-01-05T22:22:00+01:00', 'leg-dangle', 'left', 30, 1e308, 0, 0),
                   (2, '2026-01-06T22:01:00+01:00', 'leg-dangle', 'left', 30, 30, 0, 0);
        INSERT INTO tighter_marks (night_id, marked_at, side) VALUES (1, 'soon', 'left');
        INSERT INTO nights (started_at, night_date, routine) VALUES ('2026-01-08T22:00:00+01:00', '2026-01-08', CAST(x'ff' AS TEXT));
    """)
    conn.commit()
    conn.close()
    history = read_history(tmp_path)
    (night,) = history.nights
    assert night.night_date == date(2026, 1, 5) and len(night.steps) == 1
    assert history.skipped_rows == 8  # 3 nights, 3 steps, the step of a night left out, 1 mark
    with Journal(tmp_path, wall=WallClock()) as journal:
        assert journal.practised_nights() == [date(2026, 1, 5)]  # 'Tuesday' is not a date
