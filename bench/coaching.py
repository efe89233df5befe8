"""The coaching rules on a long history: how long tonight's plan takes at the bedtime prompt.

The daemon asks the rules three times a day, never on a frame: at the bedtime prompt
(`Coach.plan`, reading the journal afresh), when a routine ends (`Coach.done_heading`) and when
the morning question is armed (`notes_by_answer`, the see-someone rule tried for each answer).
This builds a journal of `--nights` nights (each night the full routine, every hold recorded, a
tighter mark most nights, a morning answer each day) in a temporary state dir and times each
call. Goal: well under a second here, so a Pi Zero (about 10x slower) still answers the
prompt within a few seconds of its bedtime.

    python bench/coaching.py [--nights 365]

The scripted 60-night month's timeline: `python docs/tools/coaching_month.py`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from _common import header, note, result

from device.config.load import Config
from device.journal.coaching import Coach, coach_rules
from device.journal.writer import Journal
from routines.coaching.see_someone import notes_by_answer
from routines.loading.catalog import load_catalog
from routines.events import Event, StepRecord
from routines.outcomes import Outcome, Side

BERLIN = ZoneInfo("Europe/Berlin")
GOAL_SECONDS = 0.5


class _Wall:
    """A wall clock that shows what the history writer sets."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


def write_history(state_dir: Path, nights: int) -> datetime:
    """`nights` nights of the full routine and their mornings; returns the last night's start."""
    first = datetime(2025, 1, 6, 22, 15, tzinfo=BERLIN)
    wall = _Wall(first)
    with Journal(state_dir, wall) as journal:
        for night in range(nights):
            wall.moment = first + timedelta(days=night)
            journal.record(Event(at=0, started="full"))
            for stretch, seconds in (("pillow-release", 300), ("leg-dangle", 30), ("knee-hug", 25),
                                     ("ninety-ninety", 300)):
                sides = (Side.BOTH,) if seconds > 60 else (Side.LEFT, Side.RIGHT)
                for side in sides:
                    journal.record(Event(at=1, record=StepRecord(stretch, side, seconds, seconds, 0, False)))
            if night % 7 not in (2, 5):
                journal.mark_tighter(Side.LEFT, "leg-dangle")
            journal.record(Event(at=2, outcome=Outcome.FINISHED))
            journal.save_morning(wall.moment.date(), 3 + (night * 7 % 5))
    return wall.moment


def timed(call, runs: int = 5) -> float:
    """The fastest of `runs` calls, in seconds."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nights", type=int, default=365, help="nights of history (default: %(default)s)")
    args = parser.parse_args()
    header(f"coaching rules on {args.nights} nights of history")
    with tempfile.TemporaryDirectory() as folder:
        state_dir = Path(folder)
        last = write_history(state_dir, args.nights)
        config = Config()
        coach = Coach(config, load_catalog([]), state_dir)
        night = last.date()
        history = coach.history()
        answers = history.stiffness_by_date()
        figures = {
            "tonight's plan (journal read + every rule)": timed(lambda: coach.plan(night)),
            "the done screen's heading (journal read + rules 3, 4)": timed(lambda: coach.done_heading(night)),
            "the morning offer's lines (rule 3 for 11 answers)":
                timed(lambda: notes_by_answer(answers, night + timedelta(days=1), coach_rules(config))),
            "reading the journal alone": timed(coach.history),
        }
    for label, seconds in figures.items():
        result(label, f"{seconds * 1000:.1f} ms", f"< {GOAL_SECONDS * 1000:.0f} ms", seconds < GOAL_SECONDS)
    note(f"{len(history.nights)} nights, {len(answers)} mornings; fastest of 5 runs each")
    return 0  # a goal missed is a figure, not an error


if __name__ == "__main__":
    sys.exit(main())
