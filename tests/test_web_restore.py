"""Restoring a backup is all or nothing: two at once, a storage fault at any write, fsync,
rename or SQLite statement, a journal with triggers or extra tables, an archive that unpacks to
too much, direction controls in a routine. And the other phone-page writes (settings, an
upload, the backup download) under the same faults: a dark page, never a traceback, never a
mix of old and new."""

from __future__ import annotations

import errno
import io
import re
import sqlite3
import threading
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from fakes import FakeWallClock
from test_web_pages import GOOD_ROUTINE, form_of
from web_helpers import csrf_of, make_site, paired_client, restore_through_page
from web_storage_faults import Faults

from device.config import phone_settings
from device.errors import BackupError
from device.journal.writer import Journal
from device.web import backup, restore
from routines.events import Event
from routines.outcomes import Outcome

MOMENT = datetime(2026, 3, 4, 22, 15, tzinfo=timezone.utc)
OTHER_ROUTINE = b'title = "Other"\n\n[[step]]\nstretch = "knee-hug"\nhold_seconds = 20\n'
SCRATCH = re.compile(r"(^|/)\.(restore|upload|backup)-|\.tmp$|(^|/)\.removing-")


def fill(state: Path, routine: str, nights: int, friday: str, own: dict[str, bytes]) -> None:
    """A state dir with `nights` nights of `routine`, a morning, the phone's Friday, own routines."""
    state.mkdir(parents=True, exist_ok=True)
    with Journal(state, FakeWallClock(MOMENT)) as journal:
        for _ in range(nights):
            journal.record(Event(at=0.0, started=routine))
            journal.record(Event(at=1.0, outcome=Outcome.FINISHED))
        journal.save_morning(date(2026, 3, 4), 4)
    phone_settings.write(state, {("bedtime", "friday"): friday})
    folder = phone_settings.own_routines_dir(state)
    folder.mkdir(exist_ok=True)
    for name, data in own.items():
        (folder / name).write_bytes(data)


def snapshot(state: Path) -> dict[str, object]:
    """Everything the person made, as it is: files by path (keepings' random names evened out),
    the journal as its rows. Pairing and session files are left out."""
    found: dict[str, object] = {}
    for path in sorted(state.rglob("*")):
        name = path.relative_to(state).as_posix()
        if name.startswith(("phones.json", "pairing.json", ".pairing.lock", ".restore.lock")) or path.is_dir():
            continue
        name = re.sub(r"(restore|routine)-\d{8}T\d{6}-[0-9a-f]{6}", r"\1-X", name)
        if name.endswith(("-wal", "-shm")):
            continue
        if name.endswith(".sqlite3"):
            with sqlite3.connect(path) as conn:
                found[name] = sorted(line for line in conn.iterdump() if not line.startswith("PRAGMA"))
        else:
            found[name] = path.read_bytes()
    return found


def backup_of(tmp_path: Path) -> bytes:
    source = tmp_path / "source"
    fill(source, "quick", 1, "21:00", {"other.toml": OTHER_ROUTINE})
    return backup.make_backup(source, MOMENT)


def test_two_restores_at_once_both_finish_and_lose_nothing(tmp_path):
    state = tmp_path / "state"
    fill(state, "full", 3, "23:30", {"gentle.toml": GOOD_ROUTINE})
    before = snapshot(state)
    data = backup_of(tmp_path)
    start = threading.Barrier(2)
    results, failures = [], []

    def run():
        start.wait()
        try:
            results.append(restore.restore(state, data, MOMENT))  # the same second for both
        except Exception as error:  # noqa: BLE001 - the test reports it
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == [] and len(results) == 2
    kept = sorted((state / "kept-aside").iterdir())
    assert len(kept) == 2 and kept[0].name != kept[1].name  # two keepings in one second, two names
    first = [k for k in kept if (k / "routines" / "gentle.toml").exists()]
    assert len(first) == 1  # the state before both restores is whole in one keeping
    assert snapshot(first[0]) == {name: value for name, value in before.items()}
    after = snapshot(state)
    assert after["settings.toml"] == snapshot(tmp_path / "source")["settings.toml"]
    assert sorted(n for n in after if n.startswith("routines/")) == ["routines/other.toml"]
    assert not [p for p in state.rglob("*") if SCRATCH.search(p.relative_to(state).as_posix())]


def test_a_fault_between_the_swaps_leaves_the_old_state_byte_for_byte(tmp_path, monkeypatch):
    state = tmp_path / "state"
    fill(state, "full", 3, "23:30", {"gentle.toml": GOOD_ROUTINE})
    settings_before = (state / "settings.toml").read_bytes()
    before = snapshot(state)
    data = backup_of(tmp_path)
    trial = tmp_path / "trial"
    fill(trial, "full", 3, "23:30", {"gentle.toml": GOOD_ROUTINE})
    counting = Faults(monkeypatch)
    restore.restore(trial, data, MOMENT)
    monkeypatch.undo()
    # the settings are swapped by a link and a rename; the routines' first rename comes next
    swap_settings = counting.ops.index("link") + 1
    assert counting.ops[swap_settings] == "replace" and counting.ops[swap_settings + 1] == "replace"
    Faults(monkeypatch, fail_at=swap_settings + 2)  # the settings are new, the routines not yet
    with pytest.raises(OSError):
        restore.restore(state, data, MOMENT)
    monkeypatch.undo()
    assert snapshot(state) == before and (state / "settings.toml").read_bytes() == settings_before
    assert not (state / "kept-aside").exists() or not list((state / "kept-aside").iterdir())


def restore_steps(client, data: bytes):
    """Upload and open the confirmation; the request that restores, to be run later."""
    upload = client.post("/data/restore", content_type="multipart/form-data", data={
        "csrf": csrf_of(client.get("/data")), "backup": (io.BytesIO(data), "b.zip")})
    confirm = client.get(upload.headers["Location"])
    token = re.search(r'name="token" value="([\w-]+)"', confirm.get_data(as_text=True)).group(1)
    return lambda: client.post("/data/restore/confirm", data={"csrf": csrf_of(confirm), "token": token})


def settings_step(client):
    form = form_of(client.get("/bedtimes")) | {"bedtime.friday": "20:15"}
    return lambda: client.post("/bedtimes", data=form)


def upload_step(client):
    csrf = csrf_of(client.get("/routines"))
    return lambda: client.post("/routines/upload", content_type="multipart/form-data", data={
        "csrf": csrf, "routine": (io.BytesIO(OTHER_ROUTINE), "other.toml")})


def restore_upload_step(client, data: bytes):
    csrf = csrf_of(client.get("/data"))
    return lambda: client.post("/data/restore", content_type="multipart/form-data", data={
        "csrf": csrf, "backup": (io.BytesIO(data), "b.zip")})


def backup_step(client):
    return lambda: client.get("/data/backup")


STEPS = {"settings": settings_step, "upload": upload_step, "restore": None, "restore-upload": None,
         "backup": backup_step}


def prepared(folder: Path, step: str, data: bytes):
    folder.mkdir()
    site, _ = make_site(folder)
    fill(site.state_dir, "full", 2, "23:30", {"gentle.toml": GOOD_ROUTINE})
    client = paired_client(site)
    if step == "restore":
        return site, restore_steps(client, data)
    if step == "restore-upload":
        return site, restore_upload_step(client, data)
    return site, STEPS[step](client)


@pytest.mark.parametrize("step", list(STEPS))
def test_a_storage_fault_at_any_write_leaves_old_or_new_never_a_mix(tmp_path, monkeypatch, step):
    data = backup_of(tmp_path)
    site, action = prepared(tmp_path / "reference", step, data)
    before = snapshot(site.state_dir)
    counting = Faults(monkeypatch)
    reference = action()
    monkeypatch.undo()
    assert reference.status_code in (200, 302), reference.get_data(as_text=True)
    after = snapshot(site.state_dir)
    ops = list(counting.ops)
    if step == "backup":
        assert ops == [] and reference.data[:2] == b"PK"  # made in memory: nothing written at all
        return
    assert ops and (after != before or step == "restore-upload")
    for number, op in enumerate(ops, 1):
        code = errno.ENOSPC if op == "write" else errno.EIO
        site, action = prepared(tmp_path / f"fault{number}", step, data)
        assert snapshot(site.state_dir) == before
        Faults(monkeypatch, fail_at=number, code=code)
        answer = action()
        monkeypatch.undo()
        text = answer.get_data(as_text=True)
        now = snapshot(site.state_dir)
        where = f"{step}: fault {number} ({op}, {errno.errorcode[code]})"
        assert "Traceback" not in text and "Internal Server Error" not in text, where
        assert answer.status_code == 500 and "The device&#39;s storage failed" in text, where
        assert 'href="/static/style.css"' in text and answer.headers["Content-Security-Policy"], where
        last_folder_sync = number == len(ops) and op == "fsync" and step in ("settings", "upload")
        assert now == before or (last_folder_sync and now == after), where  # renamed, then its folder failed
        leftovers = [p for p in site.state_dir.rglob("*") if SCRATCH.search(p.relative_to(site.state_dir).as_posix())]
        assert leftovers == [], where


def test_when_every_write_fails_the_pages_still_read_and_the_backup_downloads(tmp_path, monkeypatch):
    site, _ = make_site(tmp_path)
    fill(site.state_dir, "full", 2, "23:30", {"gentle.toml": GOOD_ROUTINE})
    client = paired_client(site)
    site.phones.now = lambda: datetime(2099, 1, 1, tzinfo=timezone.utc)  # last seen long ago: noted if it can be
    faults = Faults(monkeypatch)
    faults.op = lambda name: (_ for _ in ()).throw(OSError(errno.EROFS, "Read-only file system"))
    for page in ("/", "/bedtimes", "/routines", "/progress", "/data", "/device", "/data/export.csv"):
        assert client.get(page).status_code == 200, page
    assert client.get("/data/backup").data[:2] == b"PK"
    form = form_of(client.get("/bedtimes")) | {"bedtime.friday": "20:15"}
    answer = client.post("/bedtimes", data=form)
    assert answer.status_code == 500 and "Read-only file system" in answer.get_data(as_text=True)


def test_a_phones_file_that_cannot_be_read_is_a_storage_problem_not_signed_out(tmp_path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    (site.state_dir / "phones.json").unlink()
    (site.state_dir / "phones.json").mkdir()  # reading it fails with an OSError, as EIO would
    answer = client.get("/bedtimes")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 500 and "storage failed" in text and "not paired" not in text


def journal_backup(tmp_path: Path, sql: str) -> bytes:
    """A good backup whose journal has `sql` run in it."""
    source = tmp_path / "tampered"
    fill(source, "full", 1, "22:00", {})
    with sqlite3.connect(source / "journal.sqlite3") as conn:
        conn.executescript(sql)
    return backup.make_backup(source, MOMENT)


@pytest.mark.parametrize("sql, words", [
    ("CREATE TRIGGER no_nights BEFORE INSERT ON nights BEGIN SELECT RAISE(ABORT, 'full'); END;",
     "a trigger named 'no_nights'"),
    ("CREATE VIEW everything AS SELECT * FROM nights;", "a view named 'everything'"),
    ("CREATE TABLE extra (x);", "a table named 'extra'"),
    ("CREATE INDEX extra_index ON nights (routine);", "an index named 'extra_index'"),
])
def test_a_journal_with_anything_the_schema_does_not_make_is_refused(tmp_path, sql, words):
    state = tmp_path / "state"
    fill(state, "full", 2, "23:30", {})
    before = snapshot(state)
    with pytest.raises(BackupError, match="never has; nothing was changed") as refused:
        restore.restore(state, journal_backup(tmp_path, sql), MOMENT)
    assert words.split(" ", 1)[1] in str(refused.value)
    assert snapshot(state) == before


def test_restored_rows_go_into_the_live_schema_and_the_daemon_keeps_writing(tmp_path):
    state = tmp_path / "state"
    fill(state, "full", 2, "23:30", {})
    writer = Journal(state, FakeWallClock(MOMENT))
    restore.restore(state, backup_of(tmp_path), MOMENT)
    writer.record(Event(at=0.0, started="after"))
    writer.close()
    with sqlite3.connect(state / "journal.sqlite3") as conn:
        assert [r for (r,) in conn.execute("SELECT routine FROM nights ORDER BY id")] == ["quick", "after"]
        assert conn.execute("SELECT count(*) FROM mornings").fetchone() == (1,)
        objects = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert objects == {name for names in backup.expected_objects().values() for name in names}


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(backup.MANIFEST, '{"format": "psoas-companion backup", "version": 1}')
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("members, words", [
    ({"routines/big.toml": b"#" * (64 * 1024 + 1)}, "routines/big.toml in the backup is too big"),
    ({"settings.toml": b"#" * (64 * 1024 + 1)}, "settings.toml in the backup is too big"),
    ({f"junk{n}": bytes(2 * 1024 * 1024) for n in range(9)}, "unpacks to more than 16 MiB"),
])
def test_an_archive_that_unpacks_to_too_much_is_refused_before_anything_is_written(tmp_path, monkeypatch, members,
                                                                                     words):
    state = tmp_path / "state"
    fill(state, "full", 1, "23:30", {})
    before = snapshot(state)
    data = zipped(members)
    assert len(data) < 200 * 1024  # small upload, big unpacking
    faults = Faults(monkeypatch)
    with pytest.raises(BackupError, match=words):
        restore.restore(state, data, MOMENT)
    assert faults.ops == []  # refused from the archive's directory: not a byte written
    monkeypatch.undo()
    assert snapshot(state) == before


def test_direction_controls_in_a_routine_are_refused_and_never_shown(tmp_path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    tricky = 'title = "Gentle \u202eevil"\n\n[[step]]\nstretch = "leg-dangle"\n'.encode()
    answer = client.post("/routines/upload", content_type="multipart/form-data", data={
        "csrf": csrf_of(client.get("/routines")), "routine": (io.BytesIO(tricky), "gentle.toml")})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "gentle.toml:1: a direction-control character (U+202E)" in text
    assert not (site.state_dir / "routines").exists()
    with pytest.raises(BackupError, match="U\\+202E"):
        restore.restore(site.state_dir, zipped({"routines/gentle.toml": tricky}), MOMENT)
    own = phone_settings.own_routines_dir(site.state_dir)
    own.mkdir()
    (own / "gentle.toml").write_bytes(tricky)  # put there by hand: shown without the control
    page = client.get("/routines").get_data(as_text=True)
    assert "Gentle evil" in page and "\u202e" not in page


def test_a_reload_after_a_restore_restores_nothing_again(tmp_path):
    site, told = make_site(tmp_path)
    fill(site.state_dir, "full", 2, "23:30", {})
    client = paired_client(site)
    data = backup_of(tmp_path)
    answer = restore_through_page(client, data, follow=False)
    assert answer.status_code == 302 and answer.headers["Location"] == "/data?done=restored"
    again = client.post("/data/restore/confirm", data={"csrf": csrf_of(client.get("/data")), "token": "used"})
    assert again.status_code == 400 and "no longer waiting" in again.get_data(as_text=True)
    assert len(list((site.state_dir / "kept-aside").iterdir())) == 1
    page = client.get("/data").get_data(as_text=True)
    assert "Before the restore of" in page and "2 nights, the settings" in page
    kept_id = re.search(r'name="kept" value="(restore-[\w-]+)"', page).group(1)
    back = client.post("/data/kept/put-back", data={"csrf": csrf_of(client.get("/data")), "kept": kept_id},
                       follow_redirects=True)
    assert "Put back." in back.get_data(as_text=True)
    with sqlite3.connect(site.state_dir / "journal.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM nights WHERE routine = 'full'").fetchone() == (2,)
    assert 'friday = "23:30"' in (site.state_dir / "settings.toml").read_text() and told[-1] == "settings"


def test_a_restore_mends_a_damaged_journal_and_keeps_the_damaged_file(tmp_path):
    state = tmp_path / "state"
    fill(state, "full", 2, "23:30", {})
    (state / "journal.sqlite3").write_bytes(b"SQLite format 3\0" + b"\xff" * 4000)
    done = restore.restore(state, backup_of(tmp_path), MOMENT)
    assert "restored the journal (1 night)" in done
    with sqlite3.connect(state / "journal.sqlite3") as conn:
        assert conn.execute("SELECT routine FROM nights").fetchall() == [("quick",)]
    assert len(list(state.glob("journal.sqlite3.corrupt-*"))) == 1
