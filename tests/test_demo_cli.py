"""`psoas demo` end to end in a subprocess, and the CLI's one-line errors."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from device import parts
from device.cli import demo as demo_cli
from device.config.load import Config
from device.emulated.window_display import open_window

PSOAS = [sys.executable, "-m", "device.cli.main"]


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, PSOAS_CONFIG="", HOME=os.environ.get("HOME", "/tmp"))
    return subprocess.run(PSOAS + list(args), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout, env=env)


README = Path(__file__).resolve().parent.parent / "README.md"
IN_ALL = re.compile(r"^(finished: .* held), ([\d.]+) min in all$", re.MULTILINE)
IN_ALL_SLACK_MINUTES = 0.2  # "in all" includes the presses' real latency, times the speed


def test_hands_free_demo_runs_the_full_routine_to_the_end_as_the_readme_shows():
    result = run("demo", "--speed", "200")  # as the README runs it
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("finished: Full routine done: 4 stretches, 6 holds, 11.8 min held")
    shown, = IN_ALL.findall(README.read_text())
    real, = IN_ALL.findall(lines[-1])
    assert shown[0] == real[0] and abs(float(shown[1]) - float(real[1])) <= IN_ALL_SLACK_MINUTES, lines[-1]
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
    (("demo", "--speed", "-1"), "--speed: must be a number from 0.1 to 1000"),
    (("demo", "--speed", "fast"), "--speed: must be a number from 0.1 to 1000"),
    (("demo", "--speed", "1e-300"), "--speed: must be a number from 0.1 to 1000"),
    (("demo", "--speed", "1e20"), "--speed: must be a number from 0.1 to 1000"),
    (("demo", "--speed", "nan"), "--speed: must be a number from 0.1 to 1000"),
    (("demo", "--routine", "nosuch"), "--routine 'nosuch': no such routine; known routines: "),
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


def test_closing_the_demo_window_ends_the_demo_quietly(monkeypatch):
    pytest.importorskip("luma.emulator")
    import pygame  # luma.emulator's dependency: the window's own event queue
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    opened = []

    def open_and_close_soon(on_close):
        window = open_window(on_close)
        device = window._device
        draw = device.display

        def display(image):  # the person closes the window after the third frame
            opened.append(image)
            if len(opened) == 3:
                pygame.event.post(pygame.event.Event(pygame.QUIT))  # as the window's close button does
            draw(image)

        device.display = display
        return window

    monkeypatch.setattr(parts, "open_window", open_and_close_soon)
    out = io.StringIO()
    assert demo_cli.run_demo(Config(), "quick", 50, stdin=io.StringIO(), stdout=out, window=True) == 0
    assert out.getvalue().splitlines()[-1] == "finished: Quick: quit before the end"
    assert len(opened) == 3  # the teardown drew nothing into the closed window


def test_sigterm_ends_a_window_demo_quietly(tmp_path):
    pytest.importorskip("luma.emulator")
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", PSOAS_CONFIG="")
    process = subprocess.Popen(PSOAS + ["demo", "--window", "--speed", "1"], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    process.stdout.readline()  # the first screen is up
    process.terminate()
    err = process.communicate(timeout=30)[1]
    assert process.returncode == 0 and "Traceback" not in err, err


@pytest.mark.parametrize("name", ["routine.gif", "routine.GIF", "x.png", "routine", "folder.gif", "pipe.gif"])
def test_preview_gif_needs_a_gif_name_and_refuses_a_folder_or_fifo(tmp_path, name):
    target = tmp_path / name
    if name == "folder.gif":
        target.mkdir()
    elif name == "pipe.gif":
        os.mkfifo(target)
    result = subprocess.run(PSOAS + ["preview", "--gif", str(target), "--routine", "quick"], capture_output=True,
                            text=True, timeout=60, stdin=subprocess.DEVNULL, env=dict(os.environ, PSOAS_CONFIG=""),
                            check=False)
    assert "Traceback" not in result.stderr
    if name in ("folder.gif", "pipe.gif"):
        assert result.returncode == 1 and result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"psoas preview: --gif {target}: is a ")
    elif not name.lower().endswith(".gif"):  # GIF data under a name that says otherwise: refused
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert "argument --gif:" in result.stderr and "does not end in .gif" in result.stderr
        assert not target.exists()
    else:
        assert result.returncode == 0, result.stderr
        with Image.open(target) as picture:
            assert picture.format == "GIF"
