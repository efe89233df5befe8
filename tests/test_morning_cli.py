"""`psoas morning N`: the check-in from the command line, into the same journal as the button."""

from __future__ import annotations

import os
import sqlite3
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from fakes import FakeWallClock

from device.cli import morning as morning_cli
from device.cli.main import main
from device.journal.reader import read_history
from device.journal.schema import FILE_NAME
from device.journal.writer import Journal

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 4, 7, 30, tzinfo=BERLIN)  # a Wednesday morning


@pytest.fixture
def state_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(morning_cli, "now_in", lambda zone: NOW.astimezone(zone))
    monkeypatch.setenv("PSOAS_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text('[bedtime]\ntime_zone = "Europe/Berlin"\n')
    return tmp_path / "state"


def morning(state_dir, *argv: str) -> int:
    """Run `psoas morning …` as the entry point does; the exit status (argparse exits itself)."""
    try:
        return main(["morning", *argv, "--state-dir", str(state_dir)])
    except SystemExit as exit_:
        return exit_.code


def answers(state_dir) -> list[tuple[date, int | None, str]]:
    return [(m.morning_date, m.stiffness, m.source) for m in read_history(state_dir).mornings]


def test_todays_answer_is_saved_and_a_second_one_replaces_it(state_dir, capsys):
    assert morning(state_dir, "3") == 0
    assert capsys.readouterr().out == "psoas morning: saved 3 for Wed 4 Mar 2026\n"
    assert morning(state_dir, "5") == 0
    assert capsys.readouterr().out == "psoas morning: saved 5 for Wed 4 Mar 2026 (replaces 3)\n"
    assert answers(state_dir) == [(date(2026, 3, 4), 5, "command")]
    (row,) = read_history(state_dir).mornings
    assert row.answered_at == "2026-03-04T07:30:00+01:00"


def test_a_morning_gone_by_and_the_week_before_it(state_dir, capsys):
    for day, value in ((25, 6), (26, 5), (27, 4)):
        assert morning(state_dir, str(value), "--date", f"2026-02-{day}") == 0
    assert morning(state_dir, "2", "--date", "2026-03-01") == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "psoas morning: saved 2 for Sun 1 Mar 2026 · last week 5.0")


def test_it_replaces_a_not_today_from_the_button(state_dir, capsys):
    with Journal(state_dir, FakeWallClock(NOW, zone=BERLIN)) as journal:
        journal.save_morning(date(2026, 3, 4), None)
    assert morning(state_dir, "0") == 0
    assert "(replaces not today)" in capsys.readouterr().out
    assert answers(state_dir) == [(date(2026, 3, 4), 0, "command")]


@pytest.mark.parametrize("argv", [["11"], ["-1"], ["abc"], ["3.5"], [""], ["4", "--date", "2026-03-05"],
                                  ["4", "--date", "4 March"], ["4", "--date", "2026-02-30"]])
def test_bad_input_is_one_line_a_usage_exit_and_nothing_written(state_dir, capsys, argv):
    assert morning(state_dir, *argv) == 2
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert line.startswith("psoas morning: ") and captured.out == ""
    assert not state_dir.exists()  # not even an empty journal
    if argv[0] == "11":
        assert "must be a whole number from 0 (no stiffness) to 10 (the worst), e.g. 3; not '11'" in line
    if argv[-1] == "2026-03-05":
        assert line == ("psoas morning: 2026-03-05 is still ahead (today is 2026-03-04); "
                        "answer for today or a morning gone by")


def test_the_date_is_today_in_the_devices_time_zone(state_dir, tmp_path, capsys):
    (tmp_path / "config.toml").write_text('[bedtime]\ntime_zone = "America/New_York"\n')
    assert morning(state_dir, "4") == 0  # 07:30 in Berlin is 01:30 in New York: still the 4th
    assert morning(state_dir, "4", "--date", "2026-03-04") == 0
    (tmp_path / "config.toml").write_text('[bedtime]\ntime_zone = "Pacific/Honolulu"\n')
    assert morning(state_dir, "4", "--date", "2026-03-04") == 2  # 20:30 on the 3rd there
    assert morning(state_dir, "6") == 0
    assert answers(state_dir) == [(date(2026, 3, 3), 6, "command"), (date(2026, 3, 4), 4, "command")]


def test_a_damaged_journal_is_one_line_and_left_alone(state_dir, capsys):
    state_dir.mkdir()
    (state_dir / FILE_NAME).write_bytes(b"not a database" * 100)
    assert morning(state_dir, "3") == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "damaged, nothing saved" in line and "moves it aside" in line
    assert (state_dir / FILE_NAME).read_bytes() == b"not a database" * 100


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only directory")
def test_a_journal_it_cannot_write_is_one_line(state_dir, capsys):
    morning(state_dir, "3")
    capsys.readouterr()
    (state_dir / FILE_NAME).chmod(0o400)
    try:
        assert morning(state_dir, "4") == 1
    finally:
        (state_dir / FILE_NAME).chmod(0o600)
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"psoas morning: cannot save to {state_dir / FILE_NAME} (")
    assert line.endswith("run it as the user the daemon runs as, or pass --state-dir DIR")
    assert answers(state_dir) == [(date(2026, 3, 4), 3, "command")]


def test_root_does_not_write_the_daemons_journal(state_dir, capsys, monkeypatch):
    morning(state_dir, "3")
    capsys.readouterr()
    if os.geteuid() == 0:  # give the journal to another user, as `psoas install` does
        for path in (state_dir, *state_dir.iterdir()):
            os.chown(path, 65534, 65534)
    else:
        monkeypatch.setattr(morning_cli.os, "geteuid", lambda: 0)
    assert morning(state_dir, "4") == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "run it as that user so the daemon can still write it: sudo -u" in line
    assert answers(state_dir) == [(date(2026, 3, 4), 3, "command")]
    conn = sqlite3.connect(f"file:{state_dir / FILE_NAME}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM mornings").fetchone() == (1,)
    conn.close()
