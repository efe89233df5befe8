"""What `psoas export`, `psoas stats --png` and `psoas preview --gif` write to, through the real
entry point: a new or regular file, or standard output for '-'; anything else that is there
(a FIFO, a directory, a symbolic link, a device) is refused with one line and left as it was."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from device.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "export --csv": ["export", "--csv"],
    "export --json": ["export", "--json"],
    "stats --png": ["stats", "--png"],
}
KINDS = {
    "FIFO": "is a FIFO (named pipe), not a regular file",
    "directory": "is a directory, not a regular file",
    "link to a file": "is a symbolic link, not a regular file",
    "link to /dev/null": "is a symbolic link, not a regular file",
}


def make(place: Path, kind: str, tmp_path: Path) -> object:
    """Put a `kind` at `place`; returns what must still be there afterwards."""
    if kind == "FIFO":
        os.mkfifo(place)
        return stat.S_IFIFO
    if kind == "directory":
        place.mkdir()
        return stat.S_IFDIR
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    place.symlink_to("/dev/null" if kind == "link to /dev/null" else target)
    return stat.S_IFLNK


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", COMMANDS)
def test_what_is_not_a_regular_file_is_refused_and_left_alone(tmp_path, capsys, command, kind):
    place = tmp_path / "out"
    expected = make(place, kind, tmp_path)
    argv = COMMANDS[command] + [str(place), "--state-dir", str(tmp_path / "state")]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    option = command.split()[1]
    assert err == (f"psoas {command.split()[0]}: {option} {place}: {KINDS[kind]}; give the name of a new or "
                   "regular file (or '-' for standard output)\n")
    assert stat.S_IFMT(os.lstat(place).st_mode) == expected
    assert (tmp_path / "precious.txt").read_text() == "keep me" if kind == "link to a file" else True
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no temporary file left


def test_export_refuses_before_it_writes_anything(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe")
    good = tmp_path / "journal.csv"
    assert main(["export", "--csv", str(good), "--json", str(tmp_path / "pipe"),
                 "--state-dir", str(tmp_path / "state")]) == 1
    assert not good.exists() and capsys.readouterr().err.count("\n") == 1


def test_a_regular_file_is_replaced_whole_and_private(tmp_path, capsys):
    place = tmp_path / "journal.csv"
    place.write_text("old")
    assert main(["export", "--csv", str(place), "--state-dir", str(tmp_path / "state")]) == 0
    assert place.read_text().startswith("kind,date,") and stat.S_IMODE(place.stat().st_mode) == 0o600


def test_preview_gif_refuses_a_link_too(tmp_path, capsys):
    place = tmp_path / "routine.gif"
    make(place, "link to a file", tmp_path)
    assert main(["preview", "--gif", str(place), "--routine", "quick"]) == 1
    assert capsys.readouterr().err == (f"psoas preview: --gif {place}: is a symbolic link, not a regular file; "
                                       "give the name of a new or regular file\n")
    assert place.is_symlink() and (tmp_path / "precious.txt").read_text() == "keep me"


def psoas(*argv: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PSOAS_CONFIG="", PSOAS_STATE_DIR=str(tmp_path / "state"))
    return subprocess.run([sys.executable, "-m", "device.cli.main", *argv], capture_output=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=60, check=False, cwd=tmp_path)


def test_stats_png_dash_is_the_picture_on_standard_output(tmp_path):
    result = psoas("stats", "--png", "-", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"\x89PNG\r\n\x1a\n") and not (tmp_path / "-").exists()


@pytest.mark.parametrize("grace, words", [(None, "forgives 1 missed night"), ("0", "forgives no missed night"),
                                          ("2", "forgives 2 missed nights in a row")])
def test_a_fresh_journals_streak_states_the_rule_not_a_forgiven_night(tmp_path, capsys, grace, words):
    argv = ["stats", "--state-dir", str(tmp_path / "new")] + (["--grace-nights", grace] if grace else [])
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"Streak     0 nights (best 0; {words})" in out.splitlines()
    assert "forgiven" not in out
