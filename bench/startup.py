"""Start-up: from process start to the first frame at the display, and peak RSS.

Each run starts a fresh `python bench/startup_child.py ARGS` (the real `psoas` command line,
with luma's `dummy` device marking its first frame) with stdout a pipe, and times from just
before the process is created to the marker line. Two commands:

  psoas run --emulate   the bedside daemon (journal, bedtime task); it starts dark, so a key
                        (" ", the button) is already waiting on stdin: the first frame is
                        the clock a press in the dark shows;
  psoas demo            the hands-free demo: the first frame is the bedtime prompt.

Peak RSS is the child's maximum resident set (`wait4`), up to the first frame and over a
whole hands-free night (`psoas demo --routine quick --speed 200`). Config: the shipped
defaults only; the state dir is temporary.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common
from _common import header, median, note, result

GOAL_SECONDS = 0.6
GOAL_RSS_MB = 40.0
CHILD = str(Path(__file__).with_name("startup_child.py"))


def environment(temp: Path) -> dict:
    empty = temp / "empty.toml"
    empty.write_text("")
    env = dict(os.environ, PSOAS_CONFIG=str(empty), PYTHONDONTWRITEBYTECODE="")
    env.pop("PSOAS_STATE_DIR", None)
    return env


def first_frame(args: list[str], env: dict, stdin_text: str | None) -> tuple[float, float]:
    """(seconds to the first frame, peak RSS in MB up to then) of one fresh process."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, CHILD, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env, cwd=_common.REPO)
    if stdin_text:
        proc.stdin.write(stdin_text.encode())
        proc.stdin.flush()
    seconds = float("nan")
    for line in proc.stdout:
        if line.startswith(b"FIRST-FRAME"):
            seconds = time.monotonic() - started
            break
    proc.send_signal(signal.SIGTERM)
    proc.stdin.close()
    proc.stdout.close()
    _pid, _status, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped here, not by Popen
    return seconds, usage.ru_maxrss / 1024


def whole_night(env: dict) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of a whole hands-free quick night at 200x, until the screen is dark."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, CHILD, "demo", "--routine", "quick", "--speed", "200"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, cwd=_common.REPO)
    for line in proc.stdout:  # one line per new screen; the dark screen ends the night
        if line.split()[1:2] == [b"dark"]:
            break
    seconds = time.monotonic() - started
    proc.send_signal(signal.SIGINT)  # the demo's Ctrl-C: it closes and prints its last line
    proc.stdout.read()
    proc.stdout.close()
    _pid, _status, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return seconds, usage.ru_maxrss / 1024


def python_alone(env: dict) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per command")
    args = parser.parse_args()
    header(f"start-up: process start → first frame, {args.runs} fresh processes each")
    with tempfile.TemporaryDirectory(prefix="psoas-bench-startup-") as temp:
        env = environment(Path(temp))
        baseline = median([python_alone(env) for _ in range(3)])
        commands = [("psoas run --emulate", ["run", "--emulate", "--state-dir", temp], " "),
                    ("psoas demo", ["demo"], None)]
        for label, argv, keys in commands:
            first_frame(argv, env, keys)  # warm the page cache and the bytecode cache
            runs = [first_frame(argv, env, keys) for _ in range(args.runs)]
            seconds = [s for s, _ in runs]
            rss = max(r for _, r in runs)
            result(f"{label}: to the first frame",
                   f"median {median(seconds):.3f} s, worst {max(seconds):.3f} s",
                   f"{GOAL_SECONDS:g} s", max(seconds) <= GOAL_SECONDS)
            result(f"{label}: peak RSS up to the first frame", f"{rss:.1f} MB", f"{GOAL_RSS_MB:g} MB",
                   rss <= GOAL_RSS_MB)
        seconds, rss = whole_night(env)
        result("psoas demo: peak RSS over a whole night (quick routine, 200x)", f"{rss:.1f} MB ({seconds:.1f} s)",
               f"{GOAL_RSS_MB:g} MB", rss <= GOAL_RSS_MB)
        note(f"for scale: `python -c pass` starts in {baseline:.3f} s here")


if __name__ == "__main__":
    main()
