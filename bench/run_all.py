"""Run every benchmark in turn (`make bench`), then print a summary of all the figures.

Each script also runs alone: `python bench/<name>.py --help`. The full run takes about ten
minutes: idle measures 60 s and time accuracy runs a 3-minute session at real speed plus the
full routine at 10x. `--quick` gives shorter runs for a smoke test (figures less exact).
Goals missed are figures, not errors: the exit status is non-zero only when a script fails.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [  # (script, full arguments, --quick arguments)
    ("startup.py", [], ["--runs", "3"]),
    ("instructions.py", [], []),
    ("idle.py", ["--seconds", "60"], ["--seconds", "10"]),
    ("latency.py", ["--presses", "500"], ["--presses", "100", "--bus-presses", "30"]),
    ("traffic.py", [], ["--seconds", "5"]),
    ("time_accuracy.py", [], ["--skip", "real", "--speed", "20"]),
    ("month.py", ["--nights", "30"], ["--nights", "7"]),
    ("web.py", [], ["--rounds", "10"]),
    ("routines_check.py", [], ["--steps", "10", "100"]),
]
TAGS = ("[met]", "[MISSED]", "[info]")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs (a smoke test, not the published figures)")
    parser.add_argument("--only", action="append", default=[], help="run only this script (e.g. idle); repeatable")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from _common import machine

    summary: list[tuple[str, str]] = []
    failed: list[str] = []
    started = time.monotonic()
    for script, full, quick in SCRIPTS:
        if args.only and Path(script).stem not in args.only:
            continue
        command = [sys.executable, str(HERE / script), *(quick if args.quick else full)]
        print(f"\n$ python bench/{script} {' '.join(command[2:])}".rstrip(), flush=True)
        t0 = time.monotonic()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=HERE.parent)
        for line in proc.stdout:
            print(line, end="", flush=True)
            if line.startswith(TAGS):
                summary.append((Path(script).stem, line.rstrip()))
        proc.wait()
        print(f"({script}: {time.monotonic() - t0:.0f} s)", flush=True)
        if proc.returncode != 0:
            failed.append(script)
            summary.append((Path(script).stem, f"[FAILED] {script} exited with status {proc.returncode}"))

    print("\n== summary ==")
    print(f"machine: {machine()}")
    print(f"command: make bench{'  (--quick: shorter runs)' if args.quick else ''}; "
          f"took {(time.monotonic() - started) / 60:.1f} min")
    for name, line in summary:
        print(f"{name:<14}{line}")
    met = sum(line.startswith("[met]") for _, line in summary)
    missed = sum(line.startswith("[MISSED]") for _, line in summary)
    print(f"goals met: {met}, missed: {missed}" + (f"; scripts failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
