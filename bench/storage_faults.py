"""A failing SD card, the wide sweep: storage faults injected into the real commands, counted.

Every case of `tests/storage_faults.py` (`cases()`): `psoas demo`, `run --emulate` (driven by
keys, as a person would), `morning`, `stats` and `export`, each with EIO and ENOSPC injected
by strace into the Nth read, write, fsync or rename of each state file, and power cuts (the
process killed at that call, the state dir left as it was); then a card remounted read-only,
a full tmpfs, and a full ext4 with 1 KiB blocks at several free-space levels (root only).
Prints the figures the README's "Reliability" section quotes; each has the goal 0.

    python bench/storage_faults.py [--jobs 2] [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import _common

sys.path.insert(0, str(_common.REPO / "tests"))

import storage_faults as sf  # noqa: E402 - after the path is set


def run_cases(cases: list[sf.Case], jobs: int) -> list[sf.Outcome_]:
    def one(case: sf.Case) -> sf.Outcome_:
        with sf.workspace() as (work, history):
            return sf.run_case(case, work, history)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, cases))


def whole_filesystems() -> list[sf.Outcome_]:
    """Read-only, full tmpfs, full 1 KiB-block ext4 at several free-space levels: every command."""
    outcomes = []
    if not sf.can_mount():
        print("[info]   whole filesystems: skipped (mounting needs root)")
        return outcomes
    scenarios = [("tmpfs", "read-only", 0)] + [("tmpfs", "full", 0)] + [
        ("ext4-1k", "full", free) for free in (0, 8, 16, 20, 24, 32, 48, 64, 96)]
    for kind, fault, free_kib in scenarios:
        with sf.workspace() as (work, history), sf.mounted(kind, 8192) as folder:
            state_dir = folder / "state"
            shutil.copytree(history, state_dir)
            before = sf.rows(state_dir)
            if fault == "read-only":
                sf.remount_read_only(folder)
            else:
                sf.fill(folder, free_kib * 1024)
            results = []
            for command in sf.COMMANDS:
                code, text = sf.run_plain(command, state_dir, work)
                result = sf.Outcome_(sf.Case(command, f"<{kind} {fault} {free_kib} KiB free>", "all", fault, "-"),
                                     True, code, 0.0)
                sf.check(result, text, state_dir, before, afterwards=False)
                results.append(result)
            if fault == "read-only":
                subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
            else:
                (folder / "filler").unlink()
            for result in results:
                sf.check_afterwards(result, state_dir, before)
            outcomes.extend(results)
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                        help="cases run at once (each is one subprocess under strace)")
    parser.add_argument("--quick", action="store_true", help="fewer call numbers (a smoke test)")
    args = parser.parse_args()
    if sf.STRACE is None:
        print("strace is missing: apt install strace")
        return 1
    whens = ("1", "3", "1+") if args.quick else ("1", "2", "3", "5", "8", "1+")
    cases = sf.cases(whens=whens)
    started = time.monotonic()
    outcomes = run_cases(cases, args.jobs)
    fired = [o for o in outcomes if o.injected]
    print(f"[info]   strace cases: {len(cases)}, of which the fault fired in {len(fired)} "
          f"(the others' call never came), {time.monotonic() - started:.0f} s with {args.jobs} jobs")
    filesystem = whole_filesystems()
    counted = fired + filesystem
    figures = sf.tally(counted)
    print(f"[info]   injected runs: {figures.pop('injected runs')} "
          f"({len(fired)} strace, {len(filesystem)} on read-only / full filesystems)")
    for name, count in figures.items():
        print(f"[{'met' if count == 0 else 'MISSED'}]{' ' * (4 if count == 0 else 1)}{name}: {count}   (goal: 0)")
    for outcome in counted:
        for name, detail in outcome.problems.items():
            print(f"  {outcome.case}: {name}: {detail[:300]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
