"""`psoas stats` and `psoas export` end to end: a real journal in, text, picture and files out."""

import csv
import io
import json
import sqlite3
import stat
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fakes import FakeWallClock
from PIL import Image

from device.cli import export as export_cli
from device.cli import stats as stats_cli
from device.cli.main import build_parser
from device.journal.export import CSV_COLUMNS, EXPORT_FORMAT
from device.journal.heatmap import PNG_SIZE
from device.journal.schema import FILE_NAME
from device.journal.writer import Journal
from routines.events import Event, StepRecord
from routines.outcomes import Outcome, Side

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 3, 22, 40, tzinfo=BERLIN)


def run(*argv: str) -> int:
    args = build_parser(loaded=[argv[0]]).parse_args(argv)
    return args.handler(args)


@pytest.fixture
def state_dir(tmp_path, monkeypatch):
    """A journal with two nights (a finished one with a tighter mark, then a skipped one) and
    two mornings (an answer, then "not today")."""
    monkeypatch.setattr(stats_cli, "LocalWallClock", lambda: FakeWallClock(NOW, zone=BERLIN))
    monkeypatch.setattr(export_cli, "LocalWallClock", lambda: FakeWallClock(NOW, zone=BERLIN))
    wall = FakeWallClock(NOW - timedelta(days=1, minutes=25), per_reading=60, zone=BERLIN)  # a minute a write
    with Journal(tmp_path / "state", wall) as journal:
        journal.record(Event(at=0, started="full"))
        journal.record(Event(at=30, record=StepRecord("leg_dangle", Side.LEFT, 30, 30, 0, False)))
        journal.mark_tighter(Side.RIGHT, "leg_dangle")
        journal.record(Event(at=70, record=StepRecord("leg_dangle", Side.RIGHT, 30, 22.5, 4, True)))
        journal.record(Event(at=90, outcome=Outcome.FINISHED, summary={"held_seconds": 52.5}))
        journal.record(Event(at=0, outcome=Outcome.SKIPPED))
        journal.save_morning(date(2026, 3, 3), 4)
        journal.save_morning(date(2026, 3, 4), None)
    return tmp_path / "state"


def test_stats_prints_the_heatmap_and_totals(state_dir, capsys):
    assert run("stats", "--state-dir", str(state_dir)) == 0
    out = capsys.readouterr().out
    assert "   2 Mar  ░" in out  # Monday 2 March: under 5 minutes held
    assert "Nights     1 in all · 1 this week · 1 this month" in out
    assert "Tighter    left 0 · right 1 (right more often)" in out


def test_stats_reads_the_state_dir_from_the_environment(state_dir, capsys, monkeypatch):
    monkeypatch.setenv("PSOAS_STATE_DIR", str(state_dir))
    assert run("stats") == 0
    assert "1 in all" in capsys.readouterr().out


def test_stats_on_an_empty_state_dir_says_so_and_creates_nothing(tmp_path, capsys):
    assert run("stats", "--state-dir", str(tmp_path / "new")) == 0
    assert f"No nights recorded yet in {tmp_path / 'new'}." in capsys.readouterr().out
    assert not (tmp_path / "new").exists()


def test_stats_png_draws_the_picture(state_dir, tmp_path, capsys):
    target = tmp_path / "stats.png"
    assert run("stats", "--state-dir", str(state_dir), "--png", str(target)) == 0
    with Image.open(target) as image:
        assert image.format == "PNG" and image.size == PNG_SIZE
    assert "drew 1 night into" in capsys.readouterr().out  # as `psoas stats` counts: "1 in all"


def test_an_unwritable_picture_path_is_one_line(state_dir, tmp_path, capsys):
    assert run("stats", "--state-dir", str(state_dir), "--png", str(tmp_path / "no" / "s.png")) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("psoas stats: cannot write") and "No such file" in line


def test_a_damaged_journal_is_one_line_and_left_alone(tmp_path, capsys):
    (tmp_path / FILE_NAME).write_bytes(b"not a database" * 100)
    assert run("stats", "--state-dir", str(tmp_path)) == 1
    assert run("export", "--state-dir", str(tmp_path), "--csv", "-") == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and all("is damaged" in line for line in lines)
    assert (tmp_path / FILE_NAME).read_bytes() == b"not a database" * 100


def test_export_csv_has_a_row_per_hold_and_one_per_empty_night(state_dir, tmp_path):
    target = tmp_path / "journal.csv"
    assert run("export", "--state-dir", str(state_dir), "--csv", str(target)) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert tuple(rows[0]) == CSV_COLUMNS
    left, right, skipped, morning, not_today = rows
    assert left == {
        "kind": "night", "date": "2026-03-02", "stiffness": "", "started_at": "2026-03-02T22:15:00+01:00",
        "ended_at": "2026-03-02T22:19:00+01:00", "routine": "full", "outcome": "finished",
        "tighter_marks": "right", "stretch_id": "leg_dangle", "side": "left",
        "planned_seconds": "30", "held_seconds": "30", "paused_seconds": "0", "skipped": "no",
        "recorded_at": "2026-03-02T22:16:00+01:00",
    }
    assert (right["side"], right["held_seconds"], right["skipped"]) == ("right", "22.5", "yes")
    assert (skipped["outcome"], skipped["stretch_id"], skipped["routine"]) == ("skipped", "", "")
    assert {k: v for k, v in morning.items() if v} == {
        "kind": "morning", "date": "2026-03-03", "outcome": "answered", "stiffness": "4",
        "recorded_at": "2026-03-02T22:21:00+01:00"}
    assert (not_today["kind"], not_today["outcome"], not_today["stiffness"]) == ("morning", "not today", "")


def test_export_json_keeps_everything(state_dir, tmp_path, capsys):
    target = tmp_path / "journal.json"
    assert run("export", "--state-dir", str(state_dir), "--json", str(target)) == 0
    document = json.loads(target.read_text())
    assert document["format"] == EXPORT_FORMAT and document["version"] == 2
    assert document["exported_at"] == "2026-03-03T22:40:00+01:00"
    first, second = document["nights"]
    assert first["summary"] == {"held_seconds": 52.5} and first["practised"] is True
    assert [s["held_seconds"] for s in first["steps"]] == [30.0, 22.5]
    assert first["tighter_marks"] == [
        {"marked_at": "2026-03-02T22:17:00+01:00", "side": "right", "stretch_id": "leg_dangle"}
    ]
    assert (second["outcome"], second["practised"], second["steps"]) == ("skipped", False, [])
    assert document["mornings"] == [
        {"date": "2026-03-03", "stiffness": 4, "answered_at": "2026-03-02T22:21:00+01:00", "source": "button"},
        {"date": "2026-03-04", "stiffness": None, "answered_at": "2026-03-02T22:22:00+01:00", "source": "button"},
    ]
    assert "wrote 2 routines and 2 mornings" in capsys.readouterr().err


def test_export_to_standard_output_and_both_formats(state_dir, capsys):
    assert run("export", "--state-dir", str(state_dir), "--csv", "-", "--json", "-") == 0
    out = capsys.readouterr().out
    assert out.startswith(",".join(CSV_COLUMNS) + "\n")
    assert json.loads(out[out.index("{"):])["nights"][0]["routine"] == "full"


def test_export_without_a_target_is_a_usage_error(state_dir, capsys):
    assert run("export", "--state-dir", str(state_dir)) == 2
    assert capsys.readouterr().err == (
        "psoas export: say where to write: --csv FILE and/or --json FILE\n"
    )


def test_export_keeps_an_existing_file_when_it_cannot_write(state_dir, tmp_path, capsys,
                                                             monkeypatch):
    target = tmp_path / "journal.csv"
    target.write_text("yesterday's export\n")

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("device.storage.atomic.os.fsync", full_disk)
    assert run("export", "--state-dir", str(state_dir), "--csv", str(target)) == 1
    assert target.read_text() == "yesterday's export\n"
    assert list(tmp_path.glob(".journal.csv.*")) == []
    assert "the storage is full; choose a file on other storage" in capsys.readouterr().err


def test_rows_with_impossible_values_are_one_line_and_the_rest_is_shown(state_dir, capsys):
    conn = sqlite3.connect(state_dir / FILE_NAME)
    conn.execute("INSERT INTO nights (started_at, night_date, routine) VALUES ('x', 'not a date', 'full')")
    conn.execute("UPDATE steps SET held_seconds = 'a lot' WHERE side = 'right'")
    conn.commit()
    conn.close()
    assert run("stats", "--state-dir", str(state_dir)) == 0
    assert run("export", "--state-dir", str(state_dir), "--csv", "-") == 0
    out, err = capsys.readouterr()
    assert "Nights     1 in all" in out and out.count("leg_dangle") == 1
    assert err.splitlines() == [
        f"psoas stats: left out 2 rows with impossible values (damaged?) in {state_dir / FILE_NAME}",
        f"psoas export: left out 2 rows with impossible values (damaged?) in {state_dir / FILE_NAME}",
    ]
