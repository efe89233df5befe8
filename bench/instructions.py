"""Start-up cost in instructions (valgrind's callgrind), which do not depend on the machine's load.

A Pi Zero runs Python about 10x slower than a desktop, so every import counts. Each figure is
one fresh process, counted from its first instruction to its last:

  psoas --help                the command table alone: no command's module is imported;
  psoas morning 5             answer the morning question (a temporary state dir);
  psoas run --emulate         up to its first frame (`bench/startup_child.py`, which ends the
                              process there): a key already waits on stdin, so the first
                              frame is the clock a press in the dark shows;
  python -c pass              for scale.

The clone's code runs with its bytecode cached, as an installed package has it (pip compiles
it at install): one run without valgrind writes the caches first. Config: the shipped
defaults only. Needs `valgrind` (apt-get install valgrind); about a minute.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import _common
from _common import header, note, result

CHILD = str(Path(__file__).with_name("startup_child.py"))
COLLECTED = re.compile(rb"Collected\s*:\s*(\d+)")
TIMEOUT_SECONDS = 600


def environment(temp: Path) -> dict:
    """The shipped defaults (an empty config file), bytecode written and read, first frame ends it."""
    empty = temp / "empty.toml"
    empty.write_text("")
    env = dict(os.environ, PSOAS_CONFIG=str(empty), PYTHONDONTWRITEBYTECODE="", PSOAS_BENCH_EXIT_AT_FIRST_FRAME="1")
    env.pop("PSOAS_STATE_DIR", None)
    return env


def commands(state_dir: str) -> list[tuple[str, list[str], str | None, float | None]]:
    """(label, python arguments, stdin, goal in millions of instructions or None)."""
    return [
        ("python -c pass", ["-c", "pass"], None, None),
        ("psoas --help", ["-m", "device.cli.main", "--help"], None, 250),
        ("psoas morning 5", ["-m", "device.cli.main", "morning", "5", "--state-dir", state_dir], None, 350),
        ("psoas run --emulate: to the first frame", [CHILD, "run", "--emulate", "--state-dir", state_dir], " ", 750),
    ]


def run(argv: list[str], env: dict, stdin: str | None, valgrind: str | None = None) -> subprocess.CompletedProcess:
    prefix = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null"] if valgrind else []
    return subprocess.run([*prefix, sys.executable, *argv], input=(stdin or "").encode(), capture_output=True,
                          env=env, cwd=_common.REPO, timeout=TIMEOUT_SECONDS)


def instructions(argv: list[str], env: dict, stdin: str | None, valgrind: str) -> int:
    """Instructions one fresh process executes, as callgrind counts them."""
    done = run(argv, env, stdin, valgrind)
    found = COLLECTED.findall(done.stderr)
    if not found:
        raise RuntimeError(f"callgrind printed no count for {argv}: {done.stderr.decode(errors='replace')[-500:]}")
    return int(found[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args()
    header("start-up: instructions per command (valgrind --tool=callgrind), bytecode cached")
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("valgrind not found: apt-get install valgrind, then run this again", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="psoas-bench-instructions-") as temp:
        env = environment(Path(temp))
        for label, argv, stdin, goal in commands(temp):
            run(argv, env, stdin)  # writes the bytecode caches
            millions = instructions(argv, env, stdin, valgrind) / 1e6
            if goal is None:
                result(label, f"{millions:,.0f} M instructions")
            else:
                result(label, f"{millions:,.0f} M instructions", f"<= {goal} M", millions <= goal)
    note("python -X importtime -m device.cli.main ... shows which imports the instructions go to")
    return 0


if __name__ == "__main__":
    sys.exit(main())
