"""The storage helpers: the start-up sweep, faults told in plain words, the atomic writer's
non-durable mode, and the journal's damage decision (two reads)."""

import errno
import logging
import os
import sqlite3
import time
from datetime import datetime, timezone

import pytest
from fakes import FakeWallClock

from device.errors import JournalCorruptError
from device.journal import opening, schema
from device.journal.reader import read_history
from device.journal.schema import FILE_NAME
from device.journal.writer import Journal
from device.storage import faults
from device.storage.atomic import write_atomically
from device.storage.sweep import STALE_SECONDS, sweep
from routines.events import Event
from routines.outcomes import Outcome

OLD = time.time() - 2 * STALE_SECONDS


def aged(path, when=OLD):
    os.utime(path, (when, when), follow_symlinks=False)
    return path


def test_the_sweep_removes_only_its_own_stale_leftovers(tmp_path):
    keep = {name: tmp_path / name for name in (
        FILE_NAME, f"{FILE_NAME}-wal", f"{FILE_NAME}.corrupt-20260105T221500",
        f"{FILE_NAME}.before-restore-20260105T2215", "settings.toml", "notes.tmp", ".hidden",
        ".settings.toml.tmp", ".x.toolong123.tmp")}
    for path in keep.values():
        path.write_text("mine")
        aged(path)
    gone = [tmp_path / ".settings.toml.k3j_9xq2.tmp", tmp_path / ".phones.json.abcdefgh.tmp",
            tmp_path / "bedtime.json.tmp"]
    for path in gone:
        path.write_text("half")
        aged(path)
    scratch = tmp_path / ".restore-ab12cd34"
    (scratch / "routines").mkdir(parents=True)
    (scratch / "routines" / "a.toml").write_text("x")
    aged(scratch)
    kept_folder = tmp_path / ".restore-notours"
    kept_folder.mkdir()
    aged(kept_folder)
    fresh = tmp_path / ".upload-zz99yy88"
    fresh.mkdir()  # made just now: a restore the phone page is running
    routines = tmp_path / "routines"
    routines.mkdir()
    inner = routines / ".evening.toml.q1w2e3r4.tmp"
    inner.write_text("half")
    aged(inner)
    (routines / "evening.toml").write_text("mine")
    link = tmp_path / ".backup-ab12cd34"
    link.symlink_to(tmp_path / "settings.toml")
    removed = sweep(tmp_path)
    assert sorted(removed) == sorted([*gone, scratch, inner])
    assert all(path.exists() for path in keep.values())
    assert kept_folder.is_dir() and fresh.is_dir() and link.is_symlink() and (routines / "evening.toml").exists()


def test_the_sweep_leaves_files_from_the_future_alone_too(tmp_path):
    ahead = tmp_path / ".bedtime.json.abcdefgh.tmp"
    ahead.write_text("x")
    aged(ahead, time.time() + 30)  # the clock set back after a power cut: not known to be stale
    assert sweep(tmp_path) == [] and ahead.exists()
    assert sweep(tmp_path, now=time.time() + 2 * STALE_SECONDS) == [ahead]


def test_the_sweep_never_raises_and_says_what_it_could_not_remove(tmp_path, caplog, monkeypatch):
    stale = tmp_path / ".a.abcdefgh.tmp"
    stale.write_text("x")
    aged(stale)

    def failing_unlink(self, missing_ok=False):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(type(stale), "unlink", failing_unlink)
    assert sweep(tmp_path) == []
    assert "could not remove" in caplog.text and ".a.abcdefgh.tmp (Input/output error)" in caplog.text
    assert sweep(tmp_path / "missing") == []


@pytest.mark.parametrize("error, fault", [
    (OSError(errno.ENOSPC, "No space left on device"), faults.Fault.FULL),
    (OSError(errno.EROFS, "Read-only file system"), faults.Fault.READ_ONLY),
    (OSError(errno.EIO, "Input/output error"), faults.Fault.IO_ERROR),
    (OSError(errno.EACCES, "Permission denied"), faults.Fault.PERMISSION),
    (OSError(errno.ENOENT, "No such file or directory"), None),
])
def test_os_errors_are_told_by_their_cause(error, fault, tmp_path):
    assert faults.fault_of(error, tmp_path) is fault


def test_sqlite_errors_are_told_by_their_cause(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA query_only = ON")
    with pytest.raises(sqlite3.Error) as readonly:
        conn.execute("INSERT INTO t VALUES (1)")
    # a read-only *database* on a writable card: the file's permission, not a failing card
    assert faults.fault_of(readonly.value, tmp_path) is faults.Fault.PERMISSION
    conn.execute("PRAGMA query_only = OFF")
    conn.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.Error) as full:
        conn.execute("INSERT INTO t VALUES (zeroblob(100000))")
    assert faults.fault_of(full.value, tmp_path) is faults.Fault.FULL
    conn.close()


def test_an_explanation_names_file_device_cause_and_fix(tmp_path):
    line = faults.explain(OSError(errno.EIO, "Input/output error"), tmp_path / FILE_NAME, "save to")
    device = faults.device_of(tmp_path)
    assert device and line.startswith(f"cannot save to {tmp_path / FILE_NAME} on {device}: ")
    assert "I/O error" in line and "replace the card" in line and "nothing was moved or deleted" in line


def test_a_frame_need_not_be_durable_but_is_still_whole(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd))
    write_atomically(tmp_path / "screen.png", b"png", mode=0o644, durable=False)
    assert synced == [] and (tmp_path / "screen.png").read_bytes() == b"png"
    write_atomically(tmp_path / "bedtime.json", "{}")
    assert len(synced) == 2  # the file, then its folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bedtime.json", "screen.png"]


def history_in(state_dir):
    moment = datetime(2026, 1, 5, 22, 15).astimezone()
    with Journal(state_dir, wall=FakeWallClock(moment)) as journal:
        journal.record(Event(at=0, started="full"))
        journal.record(Event(at=9, outcome=Outcome.FINISHED, summary={}))


def test_damage_seen_once_is_not_damage(tmp_path, monkeypatch, caplog):
    history_in(tmp_path)
    real = schema.check_integrity
    calls = []

    def once_damaged(conn):
        calls.append(1)
        if len(calls) == 1:
            raise JournalCorruptError("integrity check failed: a page that read wrong once")
        real(conn)

    monkeypatch.setattr(schema, "check_integrity", once_damaged)
    with Journal(tmp_path) as journal:
        assert journal.enabled
    assert list(tmp_path.glob("*.corrupt-*")) == []
    assert "second read was clean" in caplog.text
    assert len(read_history(tmp_path).nights) == 1


def test_damage_seen_twice_is_moved_aside_and_the_new_name_logged(tmp_path, caplog):
    history_in(tmp_path)
    with open(tmp_path / FILE_NAME, "r+b") as journal_file:
        journal_file.seek(100)
        journal_file.write(b"\xff" * 3000)  # the first page's b-tree header and cells
    with Journal(tmp_path, wall=FakeWallClock(datetime(2026, 1, 6, 8, 0, tzinfo=timezone.utc))) as journal:
        assert journal.enabled
    (kept,) = tmp_path.glob(f"{FILE_NAME}.corrupt-*")
    assert kept.name == f"{FILE_NAME}.corrupt-20260106T080000"
    assert f"kept it as {kept}" in caplog.text


def test_an_unreadable_page_in_the_check_is_a_storage_fault_not_damage():
    """SQLite's quick_check reports a page its read failed for (EIO: SQLITE_IOERR_CORRUPTFS,
    8458) as a row of text, not as an error: that must not count as damage."""

    class Rows:
        def fetchall(self):
            return [("*** in database main ***\nPage 9: unable to get the page. error code=8458",)]

    class Checked:
        def execute(self, sql):
            return Rows()

    with pytest.raises(OSError) as error:
        schema.check_integrity(Checked())
    assert error.value.errno == errno.EIO and faults.fault_of(error.value) is faults.Fault.IO_ERROR


def test_a_journal_that_cannot_open_now_is_opened_at_the_next_write(tmp_path, monkeypatch, caplog):
    history_in(tmp_path)
    real = schema.connect
    failing = [True]

    def connect(path):
        if failing[0]:
            raise sqlite3.OperationalError("disk I/O error")
        return real(path)

    monkeypatch.setattr(opening, "connect", connect)
    caplog.set_level(logging.INFO)
    with Journal(tmp_path, wall=FakeWallClock(datetime(2026, 1, 6, 22, 0).astimezone())) as journal:
        assert not journal.enabled
        journal.record(Event(at=0, started="full"))  # still failing: not saved, no second line
        failing[0] = False
        journal.record(Event(at=1, started="quick"))
        journal.record(Event(at=9, outcome=Outcome.FINISHED, summary={}))
        assert journal.enabled
    assert caplog.text.count("cannot use") == 1 and "opens again" in caplog.text
    assert [n.routine for n in read_history(tmp_path).nights] == ["full", "quick"]
    assert list(tmp_path.glob("*.corrupt-*")) == []
