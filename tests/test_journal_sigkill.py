"""Power can be cut at any moment: kill a writing process ~200 times, lose nothing completed.

Each writer process opens the journal (so kills also land in the open, the integrity check and
the first migration) and then saves steps as fast as it can, printing each step's id only
after `record` has returned. Half the kills are timed from the spawn, half from the first
saved step. Afterwards the file must pass `PRAGMA integrity_check`, hold every printed step,
and open without being taken for damaged.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from device.journal.schema import FILE_NAME
from device.journal.writer import Journal

KILLS = 200
TIME_BUDGET_SECONDS = 45.0
REPO = Path(__file__).resolve().parents[1]

WRITER = r"""
import sys
from pathlib import Path
from device.journal.writer import Journal
from routines.events import Event, StepRecord
from routines.outcomes import Outcome, Side

state_dir, run = Path(sys.argv[1]), sys.argv[2]
journal = Journal(state_dir)
if not journal.enabled:
    sys.exit(3)
journal.record(Event(at=0, started="run-" + run))
for n in range(10**9):
    stretch = f"r{run}-s{n}"
    journal.record(Event(at=n, record=StepRecord(stretch, Side.LEFT, 30.0, 30.0, 0.0, False)))
    if n % 3 == 0:
        journal.mark_tighter(Side.RIGHT, stretch)
    sys.stdout.write(stretch + "\n")
    sys.stdout.flush()
    if n % 10 == 9:
        journal.record(Event(at=n, outcome=Outcome.FINISHED, summary={"n": n}))
        journal.record(Event(at=n, started="run-" + run))
"""


def completed_lines(output: bytes) -> set[str]:
    """Step ids the writer reported; a line cut off by the kill does not count."""
    text = output.decode()
    lines = text.split("\n")
    return set(lines[:-1])  # whatever follows the last newline was cut off


def test_sigkill_at_random_moments_loses_no_completed_step(tmp_path):
    rng = random.Random(20260105)
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONDONTWRITEBYTECODE="1")
    reported: set[str] = set()
    kills = 0
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    while kills < KILLS and time.monotonic() < deadline:
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), str(kills)],
            stdout=subprocess.PIPE, env=env, cwd=REPO,
        )
        if kills % 2:
            first = writer.stdout.readline()  # it has saved at least one step
            assert first.endswith(b"\n"), f"writer ended early with {writer.wait()}"
            reported.add(first.decode().strip())
            delay = rng.uniform(0.0, 0.03)
        else:
            delay = rng.uniform(0.0, 0.08)  # interpreter start, open, check, migration
        try:
            writer.wait(timeout=delay)  # when to pull the plug
        except subprocess.TimeoutExpired:
            writer.send_signal(signal.SIGKILL)
        output, _ = writer.communicate()
        assert writer.returncode == -signal.SIGKILL, f"writer exited by itself: {writer.returncode}"
        reported |= completed_lines(output)
        kills += 1

    assert kills >= 100, f"only {kills} kills fitted in {TIME_BUDGET_SECONDS} s"
    assert len(reported) > kills  # the kills did land among the writes

    path = tmp_path / FILE_NAME
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    saved = {row[0] for row in conn.execute("SELECT stretch_id FROM steps")}
    conn.close()
    missing = reported - saved
    assert not missing, f"{len(missing)} completed steps lost, e.g. {sorted(missing)[:3]}"

    with Journal(tmp_path) as journal:  # not mistaken for a damaged file
        assert journal.enabled
    assert list(tmp_path.glob("*.corrupt-*")) == []
