"""SIGTERM to a running `psoas run --emulate` in each state: panel off, journal closed, exit 0 in 2 s.

Each run is a real subprocess with stdin and stdout as pipes: the screen is luma's `dummy`
(stdout is not a terminal, so each new screen is one `screen: <phase>` line) and the keys
come through the stdin pipe. Bedtime is set a few minutes before now, so the prompt is up at
once; the keys walk the routine to the wanted state before the signal.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

PSOAS = [sys.executable, "-m", "device.cli.main"]
ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 20.0  # bounded wait for a subprocess to come up (slow CI machines)
EXIT_SECONDS = 2.0

# state -> (bedtime on?, keys after the first screen, the screen line to wait for)
STATES = {
    "dark": (False, "", "screen: dark"),
    "clock": (False, " ", "screen: clock"),
    "bedtime": (True, "", "screen: bedtime"),
    "safety": (True, " ", "screen: safety"),
    "setup": (True, "  ", "screen: setup"),
    "hold": (True, "   ", "screen: hold"),
    "paused": (True, "    ", "screen: paused"),
    "transition": (True, "  h", "screen: transition"),
    "switch": (True, "  h  h", "screen: switch"),
    "stopped": (True, "   l", "screen: stopped"),
    "done": (True, "  h h h h", "screen: done"),
    "morning": (False, " ", "screen: morning"),
}
MORNING_ALL_DAY = '[morning]\nstarts = "00:00"\nends = "23:59"\n'  # the "morning" run asks at any hour
NO_MORNING = "[morning]\nenabled = false\n"  # the others show the time on a press, whatever the hour


def write_config(directory: Path, bedtime_on: bool) -> Path:
    soon = (datetime.now() - timedelta(minutes=5)).strftime("%H:%M")
    days = "\n".join(f'{day} = "{soon}"' for day in
                     ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    path = directory / "config.toml"
    morning = MORNING_ALL_DAY if directory.name == "morning" else NO_MORNING
    path.write_text(f"[bedtime]\nenabled = {'true' if bedtime_on else 'false'}\nprompt_minutes = 240\n{days}\n"
                    f'[routines]\ndirs = []\n{morning}[coaching]\nfirst_week = false\n')  # the full routine first
    return path


class Emulated:
    """A `psoas run --emulate` subprocess; its stdout lines arrive on `lines`."""

    def __init__(self, directory: Path, bedtime_on: bool):
        directory.mkdir()
        config = write_config(directory, bedtime_on)
        env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(directory))
        env.pop("NOTIFY_SOCKET", None)
        self.state_dir = directory / "state"
        self.process = subprocess.Popen(
            PSOAS + ["run", "--emulate", "--config", str(config), "--state-dir", str(self.state_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=directory,
        )
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in self.process.stdout:
            self.lines.put(raw.decode().rstrip())

    def wait_for(self, wanted: str, seconds: float = START_SECONDS) -> list[str]:
        seen, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            seen.append(line)
            if line.startswith(wanted):
                return seen
        self.process.kill()
        pytest.fail(f"never saw {wanted!r}; saw {seen}; stderr: {self.process.stderr.read().decode()}")

    def keys(self, text: str) -> None:
        self.process.stdin.write(text.encode())
        self.process.stdin.flush()


def test_sigterm_in_every_state_exits_zero_within_two_seconds(tmp_path):
    runs = {name: Emulated(tmp_path / name, on) for name, (on, _, _) in STATES.items()}
    try:
        for name, (on, keys, wanted) in STATES.items():
            run = runs[name]
            run.wait_for("screen: bedtime" if on else "screen: dark")
            if keys:
                run.keys(keys)
                run.wait_for(wanted, 10)
            sent = time.monotonic()
            run.process.send_signal(signal.SIGTERM)
            code = run.process.wait(timeout=10)
            took = time.monotonic() - sent
            stderr = run.process.stderr.read().decode()
            assert code == 0, (name, stderr)
            assert took < EXIT_SECONDS, (name, took)
            assert "stopping (SIGTERM)" in stderr, (name, stderr)
            assert "Traceback" not in stderr, (name, stderr)
            assert (run.state_dir / "journal.sqlite3").exists()
            assert not (run.state_dir / "journal.sqlite3-wal").exists(), f"{name}: journal left open"
    finally:
        for run in runs.values():
            if run.process.poll() is None:
                run.process.kill()
                run.process.wait(timeout=5)


def test_sigint_is_like_sigterm(tmp_path):
    run = Emulated(tmp_path / "int", True)
    try:
        run.wait_for("screen: bedtime")
        run.process.send_signal(signal.SIGINT)
        assert run.process.wait(timeout=10) == 0
        assert "stopping (SIGINT)" in run.process.stderr.read().decode()
    finally:
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait(timeout=5)
