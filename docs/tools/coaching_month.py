"""Sixty nights with a scripted person: which coaching rule fires on which date, and why.

    python docs/tools/coaching_month.py                           # the timeline, one line a day
    python docs/tools/coaching_month.py --png docs/coaching-month.png   # the README's picture

The person (from Monday 2 March 2026): a stiff first week (mornings 7–8), better in week 2
(3–4), steady at 3 in weeks 3–4 with the left side marked tighter on most nights, a bad week
in week 5 (mornings 6–8, the 60 s high-pain dangle let go early), then back to 3. Each night
they start what the prompt offers first and hold every hold to its end unless the script says
otherwise. Every decision is the real one: `routines.coaching.plan.plan_tonight` over the rows
the journal would hold (`NightRow`, `StepRow`, `MarkRow`), the done screen's heading
(`done_heading`) and the line under the morning answer (`MorningOffer.notes`).
tests/test_coaching_month.py checks each rule fires on the right dates and nowhere else.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import display
from device.journal.reader import MarkRow, NightRow, StepRow
from routines.coaching.plan import Plan, done_heading, plan_tonight
from routines.coaching.rules import CoachRules
from routines.coaching.see_someone import notes_by_answer
from routines.loading.catalog import load_catalog
from routines.model import Routine, StepKind
from routines.outcomes import Outcome, Side
from routines.view import sides_of

FIRST = date(2026, 3, 2)  # a Monday: night 1
NIGHTS = 60
PAUSES = (8.0, 10.0)  # [routine] switch_seconds, transition_seconds (the defaults)
CHOSEN = "full"  # the routine the person set for every night


def morning(day: int) -> int:
    """The answer on the morning of day `day` (0 = the first night's date)."""
    if day < 7:
        return (8, 7, 8, 7, 7, 8, 7)[day]  # week 1: stiff
    if day < 14:
        return (5, 4, 4, 3, 4, 3, 3)[day - 7]  # week 2: better
    if 28 <= day < 35:
        return (6, 7, 8, 7, 7, 6, 6)[day - 28]  # week 5: a bad week
    return 3


def marks(day: int) -> tuple[Side, ...]:
    """The sides marked tighter on night `day`: the left, most nights of weeks 3 and 4."""
    return (Side.LEFT,) if 14 <= day < 28 and day % 7 not in (2, 5) else ()


def lets_go_early(day: int, routine: Routine, stretch_id: str) -> bool:
    """In the bad week, the high-pain day's long (60 s) dangle is let go after a few seconds."""
    return 28 <= day < 35 and routine.name == "high-pain-day" and stretch_id == "leg-dangle"


@dataclass(frozen=True)
class Day:
    """One date of the month: the morning's answer and line, the night's plan and its done heading."""

    date: date
    answer: int
    morning_line: str  # under the saved answer ("" for none)
    plan: Plan
    done_line: str  # the done screen's coaching heading ("" for none)

    def holds(self, stretch_id: str) -> float:
        """Tonight's hold of `stretch_id` in the routine offered first (0: not in it)."""
        return next((s.hold_seconds for s in self.plan.first.steps
                     if s.kind is StepKind.STRETCH and s.stretch.id == stretch_id), 0.0)


def run_night(number: int, day: int, routine: Routine) -> NightRow:
    """The rows the journal keeps after the person runs `routine` on night `day`."""
    when = f"{(FIRST + timedelta(days=day)).isoformat()}T22:20:00+01:00"
    steps = []
    for step in routine.steps:
        if step.kind is not StepKind.STRETCH:
            continue
        for side in sides_of(step):
            early = lets_go_early(day, routine, step.stretch.id)
            held = 10.0 if early else step.hold_seconds
            steps.append(StepRow(when, step.stretch.id, side, step.hold_seconds, held, 0.0, early))
    return NightRow(number, FIRST + timedelta(days=day), when, routine.name, when, Outcome.FINISHED, {},
                    tuple(steps), tuple(MarkRow(when, side, "leg-dangle") for side in marks(day)))


def simulate(nights: int = NIGHTS, rules: CoachRules = CoachRules()) -> list[Day]:
    """The month, day by day."""
    routines = load_catalog([]).routines
    rows: list[NightRow] = []
    answers: dict[date, int] = {}
    days = []
    for day in range(nights):
        today = FIRST + timedelta(days=day)
        notes = notes_by_answer(answers, today, rules)  # what the morning offer carries
        answers[today] = morning(day)
        morning_line = notes[answers[today]] if notes else ""
        plan = plan_tonight(rows, answers, today, routines[CHOSEN], routines, rules, PAUSES)
        rows.append(run_night(day + 1, day, plan.first))
        days.append(Day(today, answers[today], morning_line, plan, done_heading(rows, answers, today, rules)))
    return days


def timeline_lines(days: list[Day]) -> list[str]:
    """One line a day: date, morning, routine offered first, holds, the lines the screens show."""
    lines = [f"{'date':<10} {'am':>2}  {'first':<13} {'dangle':>6} {'hug':>4}  screens"]
    for entry in days:
        said = [f"prompt: {entry.plan.line}" if entry.plan.line else "",
                f"morning: {entry.morning_line}" if entry.morning_line else "",
                f"done: {entry.done_line}" if entry.done_line else ""]
        dangle, hug = entry.holds("leg-dangle"), entry.holds("knee-hug")
        lines.append(f"{entry.date:%a %d %b} {entry.answer:>2}  {entry.plan.first.title:<13} "
                     f"{dangle:>5g}s {hug:>3g}s  " + " · ".join(part for part in said if part))
    return [line.rstrip() for line in lines]


# -- the README's picture -----------------------------------------------------------------------

BACKGROUND, TEXT, MUTED, GRID = (12, 16, 32), (222, 228, 238), (128, 138, 160), (40, 48, 70)
COLOURS = {"first_week": (146, 232, 208), "stiff_morning": (240, 190, 110), "see_someone": (240, 120, 120),
           "sides": (140, 160, 240), "holds_grown": (200, 200, 120), "holds_low": (230, 150, 200)}
ROW_NAMES = (("first_week", "First week: two stretches"), ("stiff_morning", "Stiff morning: gentle first"),
             ("see_someone", "Stiffer 2 weeks: a physio?"), ("sides", "Left tighter: done screen"),
             ("holds_grown", "Holds grown: held to the end"), ("holds_low", "Holds at the low end"))
_FONTS = Path(display.__file__).parent / "fonts"


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_FONTS / ("DejaVuSansCondensed-Bold.ttf" if bold else "DejaVuSansCondensed.ttf")),
                              size)


def fired(entry: Day, rule: str) -> bool:
    """Whether `rule` showed or changed something on `entry`'s date."""
    if rule == "first_week":
        return entry.plan.first.name == "quick"
    if rule == "stiff_morning":
        return entry.plan.first.name == "high-pain-day"
    if rule == "see_someone":
        return "physio" in entry.morning_line or "physio" in entry.done_line
    if rule == "sides":
        return "tighter" in entry.done_line
    if rule == "holds_grown":
        return any(change.tonight > change.written for change in entry.plan.holds)
    return any(change.tonight < change.written for change in entry.plan.holds)


def render_png(days: list[Day]) -> Image.Image:
    """Mornings as a line over the dates, and one row of marks per rule: where it fired."""
    left, cell, top = 210, 12, 40
    width = left + cell * len(days) + 20
    plot_top, plot_bottom = top, top + 90
    rows_top = plot_bottom + 30
    height = rows_top + 26 * len(ROW_NAMES) + 40
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((20, 12), f"{len(days)} nights: which rule fired when", font=_font(17, bold=True), fill=TEXT)
    draw.text((20, plot_top + 30), "morning stiffness", font=_font(13), fill=MUTED)
    for value in (0, 5, 10):
        y = plot_bottom - (plot_bottom - plot_top) * value / 10
        draw.line((left, y, left + cell * len(days), y), fill=GRID)
        draw.text((left - 6, y), str(value), font=_font(11), fill=MUTED, anchor="rm")
    points = [(left + cell * n + cell / 2, plot_bottom - (plot_bottom - plot_top) * e.answer / 10)
              for n, e in enumerate(days)]
    draw.line(points, fill=COLOURS["stiff_morning"], width=2)
    for n, entry in enumerate(days):
        x = left + cell * n
        if entry.date.weekday() == 0:
            draw.line((x, plot_top, x, rows_top + 26 * len(ROW_NAMES)), fill=GRID)
            draw.text((x + 2, rows_top + 26 * len(ROW_NAMES) + 6), f"{entry.date.day} {entry.date:%b}",
                      font=_font(11), fill=MUTED)
    for row, (rule, label) in enumerate(ROW_NAMES):
        y = rows_top + 26 * row
        draw.text((20, y + 10), label, font=_font(13), fill=TEXT, anchor="lm")
        for n, entry in enumerate(days):
            box = (left + cell * n + 1, y + 3, left + cell * (n + 1) - 2, y + 17)
            if fired(entry, rule):
                draw.rectangle(box, fill=COLOURS[rule])
            else:
                draw.rectangle(box, outline=GRID)
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", metavar="FILE", help="draw the timeline into FILE instead of printing it")
    args = parser.parse_args(argv)
    days = simulate()
    if args.png:
        render_png(days).save(args.png)
        print(f"drew {len(days)} nights into {args.png}")
    else:
        print("\n".join(timeline_lines(days)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
