"""`psoas routines check`: seconds per step, for routines of 10, 100 and 1,000 steps and more.

Each figure is one fresh process (so no drawing is remembered from an earlier file) that runs
the command's own handler, `psoas routines check FILE` (the file's problems, then every text
drawn at every panel size: `display.fit`), on a generated routine file:

  N steps              a typical routine: the built-in stretches in turn, their own texts;
  30-minute holds      60 steps, each held 1800 s;
  2,000 steps          the same as N steps, once more for the total;
  600 setup pages      one step whose setup has 600 pages of its own.

Times are the check's CPU seconds in that process (the machine may be shared; wall seconds
in brackets), without Python's start-up and imports.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import _common
from _common import header, note, result

STRETCHES = ("pillow-release", "leg-dangle", "knee-hug", "ninety-ninety")
GOAL_PER_STEP = 0.010  # seconds
GOAL_TOTAL = 5.0  # seconds, for the 2,000-step and the 600-page file
CHILD = """
import argparse, contextlib, io, json, sys, time
from device.cli import routines
args = argparse.Namespace(routines_command="check", paths=[sys.argv[1]], config=None)
out = io.StringIO()
wall, cpu = time.perf_counter(), time.process_time()
with contextlib.redirect_stdout(out):
    code = routines.run(args)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "code": code,
                  "last": out.getvalue().splitlines()[-1]}))
"""


def routine_text(steps: int, hold_seconds: float | None = None, setup_pages: int = 0) -> str:
    """A routine file of `steps` steps, the built-in stretches in turn."""
    lines = ['title = "Generated"', 'hold_start = "press"', ""]
    for index in range(steps):
        lines += ["[[step]]", f'stretch = "{STRETCHES[index % len(STRETCHES)]}"']
        if hold_seconds:
            lines += [f"hold_seconds = {hold_seconds:g}", "outside_range_ok = true"]
        if setup_pages:
            lines.append("setup = [" + ", ".join(f'"Page {page + 1}: settle in slowly."'
                                                 for page in range(setup_pages)) + "]")
        lines.append("")
    return "\n".join(lines)


def timed_check(path: Path, env: dict) -> dict:
    """CPU and wall seconds of `psoas routines check PATH` in a fresh process, its exit code and last line."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, env=env,
                          cwd=_common.REPO, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[10, 100, 1000], help="routine lengths to time")
    args = parser.parse_args()
    header("psoas routines check: seconds per step (CPU; wall in brackets)")
    with tempfile.TemporaryDirectory(prefix="psoas-bench-check-") as temp:
        empty = Path(temp) / "empty.toml"
        empty.write_text("")
        env = dict(os.environ, PSOAS_CONFIG=str(empty))
        cases = [(f"{steps} steps", steps, routine_text(steps)) for steps in args.steps]
        cases.append(("60 steps of 30-minute holds", 60, routine_text(60, hold_seconds=1800)))
        for label, steps, text in cases:
            path = Path(temp) / "routine.toml"
            path.write_text(text)
            timed_check(path, env)  # the bytecode caches
            found = timed_check(path, env)
            seconds = found["cpu"] / steps
            result(f"{label}", f"{seconds * 1000:.1f} ms a step ({found['wall'] / steps * 1000:.1f} ms), "
                               f"{found['cpu']:.2f} s in all; exit {found['code']}",
                   f"<= {GOAL_PER_STEP * 1000:g} ms a step", seconds <= GOAL_PER_STEP)
        for label, text in (("2,000 steps", routine_text(2000)), ("600 setup pages", routine_text(1, setup_pages=600))):
            path = Path(temp) / "routine.toml"
            path.write_text(text)
            found = timed_check(path, env)
            result(label, f"{found['cpu']:.2f} s ({found['wall']:.2f} s); exit {found['code']}",
                   f"< {GOAL_TOTAL:g} s", found["cpu"] < GOAL_TOTAL)
        note("what the first steps cost is mostly drawing each stretch's screens once; a step that repeats "
             "a stretch's texts costs no new drawing, so the time grows at most linearly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
