"""`psoas demo` end to end in a subprocess, and the CLI's one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PSOAS = [sys.executable, "-m", "device.cli.main"]


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, PSOAS_CONFIG="", HOME=os.environ.get("HOME", "/tmp"))
    return subprocess.run(PSOAS + list(args), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_hands_free_demo_runs_the_full_routine_to_the_end():
    result = run("demo", "--speed", "400")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("finished: Full routine done: 4 stretches, 6 holds, 11.8 min held")
    phases = [line.split()[1] for line in lines[1:-1]]
    assert phases.count("hold") == 6 and phases.count("switch") == 2
    assert phases[-2:] == ["done", "dark"]


def test_hands_free_fall_asleep_demo_ends_in_the_dark_without_a_done_screen():
    result = run("demo", "--routine", "fall-asleep", "--speed", "600")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("finished: Fall asleep done: 1 stretch, 1 hold, 10.0 min held")
    phases = [line.split()[1] for line in lines[1:-1]]
    assert phases[-2:] == ["hold", "dark"] and "done" not in phases


@pytest.mark.parametrize("args, expected", [
    (("demo", "--speed", "-1"), "--speed: must be a number above 0"),
    (("demo", "--speed", "fast"), "--speed: must be a number above 0"),
    (("demo", "--routine", "nosuch"), "no routine called 'nosuch'; known routines: "),
    (("dance",), "invalid choice: 'dance'"),
])
def test_bad_arguments_give_one_clear_line_and_a_non_zero_exit(args, expected):
    result = run(*args)
    assert result.returncode != 0
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_config_file_names_the_file_line_and_key(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[button]\nhold_secnds = 2\nlong_hold_seconds = 'long'\n")
    result = run("demo", "--config", str(config))
    assert result.returncode == 2
    assert f"{config}:2: button/hold_secnds: unknown key (did you mean 'hold_seconds'?)" in result.stderr
    assert f"{config}:3: button/long_hold_seconds: must be a number" in result.stderr
    assert "Traceback" not in result.stderr


def test_window_demo_draws_through_luma_emulator():
    pytest.importorskip("luma.emulator")
    result = subprocess.run(
        PSOAS + ["demo", "--window", "--speed", "800"], stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=60, env=dict(os.environ, SDL_VIDEODRIVER="dummy", PSOAS_CONFIG=""),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("finished: Full routine done")


def test_a_demo_night_with_a_state_dir_shows_in_stats(tmp_path):
    state = tmp_path / "state"
    assert run("demo", "--speed", "400", "--state-dir", str(state)).returncode == 0
    stats = run("stats", "--state-dir", str(state))
    assert stats.returncode == 0, stats.stderr
    assert "1 in all" in stats.stdout
    assert "Streak     1 night" in stats.stdout
