"""A made-up but plausible eight weeks of nights and mornings, for the README's stats picture.

`python docs/tools/stats_example.py docs/stats.png` draws it with the real `psoas stats --png`
code, so the README shows exactly what the program makes. The history is fixed by a seed.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from device.journal.heatmap import render_stats_png
from device.journal.reader import History, MarkRow, MorningRow, NightRow, StepRow
from device.journal.report import build_report
from routines.outcomes import Outcome, Side

EXAMPLE_TODAY = date(2026, 3, 4)

# routine: [(stretch, sides, (shortest, longest) hold in seconds)], after the seed article
_ROUTINES = {
    "full": [("supine_release", ("both",), (300, 600)), ("leg_dangle", ("left", "right"), (20, 40)),
             ("knee_hug", ("left", "right"), (20, 30)), ("ninety_ninety", ("both",), (300, 600))],
    "quick": [("leg_dangle", ("left", "right"), (20, 40)), ("supine_release", ("both",), (120, 400))],
    "high_pain": [("supine_release", ("both",), (300, 600)), ("leg_dangle", ("left", "right"), (15, 20)),
                  ("ninety_ninety", ("both",), (300, 600))],
}
_TIGHTER_CHANCE = {"left": 0.6, "right": 0.2}  # the left side starts out tighter


def _night(index: int, day: date, routine: str, rng: random.Random, weeks_in: float) -> NightRow:
    started = f"{day.isoformat()}T22:{rng.randint(5, 50):02d}:00+01:00"
    steps, marks = [], []
    for stretch, sides, (shortest, longest) in _ROUTINES[routine]:
        hold = rng.randint(shortest, longest)
        for side in sides:
            held = hold if rng.random() > 0.1 else round(hold * rng.uniform(0.3, 0.9))
            steps.append(StepRow(started, stretch, Side(side), hold, held, 0.0, held < hold))
            if side != "both" and rng.random() < _TIGHTER_CHANCE[side] * (1 - weeks_in / 10):
                marks.append(MarkRow(started, Side(side), stretch))
    return NightRow(index, day, started, routine, started, Outcome.FINISHED, {}, tuple(steps),
                    tuple(marks))


def _mornings(first: date, today: date) -> tuple[MorningRow, ...]:
    """Morning answers that ease from about 6 to about 3 over the weeks, a few mornings missed."""
    rng = random.Random(15)
    mornings, day = [], first + timedelta(days=1)
    while day <= today:
        weeks_in = (day - first).days / 7
        if rng.random() < 0.8:
            stiffness = round(6.2 - 0.45 * weeks_in + rng.uniform(-1.5, 1.5))
            mornings.append(MorningRow(day, max(0, min(10, stiffness)), f"{day.isoformat()}T07:1{rng.randint(0, 9)}:00+01:00",
                                       "button"))
        day += timedelta(days=1)
    return tuple(mornings)


def example_history(today: date = EXAMPLE_TODAY, weeks: int = 8) -> History:
    """Nights that start sparse and settle into a habit, with a few missed nights; mornings
    that get easier."""
    rng = random.Random(7)
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1) + timedelta(days=2)
    nights = []
    day = first
    while day <= today:
        weeks_in = (day - first).days / 7
        if rng.random() < min(0.93, 0.55 + weeks_in * 0.1):
            routine = rng.choices(["full", "quick", "high_pain"], [5, 3, 1])[0]
            nights.append(_night(len(nights) + 1, day, routine, rng, weeks_in))
        day += timedelta(days=1)
    return History(tuple(nights), _mornings(first, today))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python docs/tools/stats_example.py FILE.png", file=sys.stderr)
        return 2
    report = build_report(example_history(), EXAMPLE_TODAY)
    render_stats_png(report).save(Path(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
