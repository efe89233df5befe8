"""`psoas stats --png FILE`: the stats report as a picture drawn with Pillow.

A calendar heatmap (weeks as columns, Monday on top, GitHub style) on the left, with the
morning stiffness above it on the same dates (each answer a dot, the 7-day average a line);
the mornings' averages, streak, totals and the left/right "felt tighter" tally on the right.
Dark like the bedside screen; nights not practised are outlines, not filled blocks. Uses the project's own DejaVu font,
so the picture is the same on every machine.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import display
from device.journal import trend
from device.journal.report import (
    LEVEL_LIMITS_MINUTES,
    MONTHS,
    WEEKDAYS,
    StatsReport,
    change_figures,
    duration_text,
    forgives_text,
)
from routines.morning import SCALE_MAX
from routines.wording import counted, plural

PNG_SIZE = (640, 460)  # width, height in pixels; each coaching sentence adds its rows below
COACHING_ROW = 19  # pixels per line of a coaching sentence
BACKGROUND = (12, 16, 32)
TEXT = (222, 228, 238)
MUTED = (128, 138, 160)
OUTLINE = (64, 74, 100)
TODAY = (236, 236, 236)
LEVEL_COLOURS = ((0, 0, 0), (28, 64, 80), (30, 108, 120), (46, 162, 158), (146, 232, 208))
LEFT_COLOUR = (230, 170, 90)
RIGHT_COLOUR = (140, 160, 240)
MORNING_COLOUR = (240, 190, 110)  # the 7-day average line; each answer a muted dot

BAND_TOP, BAND_BOTTOM = 86, 146  # rows of the morning plot: stiffness 10 at the top, 0 at the bottom
GRID_ORIGIN = (64, 186)  # top-left of the first cell, in pixels
CELL = 28  # cell side, in pixels
PITCH = 34  # cell side plus gap, in pixels
PANEL_X = 372

_FONTS = Path(display.__file__).parent / "fonts"


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSansCondensed-Bold.ttf" if bold else "DejaVuSansCondensed.ttf"
    return ImageFont.truetype(str(_FONTS / name), size)


def cell_box(week_index: int, weekday: int) -> tuple[int, int, int, int]:
    """The pixel box of one night: `week_index` 0 = oldest column, `weekday` 0 = Monday."""
    x = GRID_ORIGIN[0] + week_index * PITCH
    y = GRID_ORIGIN[1] + weekday * PITCH
    return (x, y, x + CELL - 1, y + CELL - 1)


def day_x(week_index: int, weekday: int) -> float:
    """The x of one date on the morning plot: inside that date's heatmap column, Monday left."""
    left = cell_box(week_index, 0)[0]
    return left + (weekday + 0.5) * CELL / 7


def stiffness_y(value: float) -> float:
    """The y of a stiffness (0–10) on the morning plot."""
    return BAND_BOTTOM - (BAND_BOTTOM - BAND_TOP) * value / SCALE_MAX


def _draw_morning_band(draw: ImageDraw.ImageDraw, report: StatsReport) -> None:
    """Each morning's answer as a dot and the 7-day average as a line, above the heatmap."""
    small = _font(12)
    draw.text((GRID_ORIGIN[0], BAND_TOP - 16), "Morning stiffness: each answer, 7-day average",
              font=small, fill=MUTED, anchor="ls")
    right = cell_box(len(report.weeks) - 1, 0)[2]
    for value in (0, SCALE_MAX // 2, SCALE_MAX):
        y = round(stiffness_y(value))
        draw.text((GRID_ORIGIN[0] - 10, y), str(value), font=small, fill=MUTED, anchor="rm")
        draw.point([(x, y) for x in range(GRID_ORIGIN[0], right + 1, 4)], fill=OUTLINE)
    line: list[tuple[float, float]] = []
    for index, week in enumerate(report.weeks):
        for weekday, day in enumerate(week.days):
            x = day_x(index, weekday)
            if day.stiffness is not None:
                y = stiffness_y(day.stiffness)
                draw.ellipse((x - 1.5, y - 1.5, x + 1.5, y + 1.5), fill=MUTED)
            if day.stiffness_average is None:
                _draw_line(draw, line)
                line = []
            else:
                line.append((x, stiffness_y(day.stiffness_average)))
    _draw_line(draw, line)


def _draw_line(draw: ImageDraw.ImageDraw, points: list[tuple[float, float]]) -> None:
    if len(points) > 1:
        draw.line(points, fill=MORNING_COLOUR, width=2, joint="curve")
    elif points:
        x, y = points[0]
        draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=MORNING_COLOUR)


def _draw_heatmap(draw: ImageDraw.ImageDraw, report: StatsReport) -> None:
    small = _font(12)
    for weekday, name in enumerate(WEEKDAYS):
        box = cell_box(0, weekday)
        draw.text((GRID_ORIGIN[0] - 10, (box[1] + box[3]) // 2), name, font=small, fill=MUTED,
                  anchor="rm")
    shown_month = None
    for index, week in enumerate(report.weeks):
        if week.days[-1].day.month != shown_month:
            shown_month = week.days[-1].day.month
            draw.text((cell_box(index, 0)[0], GRID_ORIGIN[1] - 8), MONTHS[shown_month - 1],
                      font=small, fill=MUTED, anchor="ls")
        for weekday, day in enumerate(week.days):
            box = cell_box(index, weekday)
            if day.level is None:
                continue
            if day.level == 0:
                draw.rounded_rectangle(box, radius=5, outline=OUTLINE, width=1)
            else:
                draw.rounded_rectangle(box, radius=5, fill=LEVEL_COLOURS[day.level])
            if day.day == report.today:
                draw.rounded_rectangle(
                    (box[0] - 3, box[1] - 3, box[2] + 3, box[3] + 3), radius=7, outline=TODAY, width=2
                )


def _draw_legend(draw: ImageDraw.ImageDraw) -> int:
    """Draw the colour key under the heatmap; returns the x where it ends, in pixels."""
    small = _font(12)
    y = GRID_ORIGIN[1] + 7 * PITCH + 8
    x = GRID_ORIGIN[0]
    draw.text((x, y + 7), "minutes", font=small, fill=MUTED, anchor="lm")
    x += int(draw.textlength("minutes", font=small)) + 10
    limits = [f"{v:g}" for v in LEVEL_LIMITS_MINUTES]
    labels = ("none", f"<{limits[0]}", f"{limits[0]}–{limits[1]}", f"{limits[1]}–{limits[2]}",
              f"{limits[2]}+")
    for level, label in enumerate(labels):
        box = (x, y, x + 13, y + 13)
        if level == 0:
            draw.rounded_rectangle(box, radius=3, outline=OUTLINE)
        else:
            draw.rounded_rectangle(box, radius=3, fill=LEVEL_COLOURS[level])
        draw.text((x + 17, y + 7), label, font=small, fill=MUTED, anchor="lm")
        x += 17 + int(draw.textlength(label, font=small)) + 9
    return x


def _draw_mornings(draw: ImageDraw.ImageDraw, report: StatsReport, x: int) -> None:
    """Beside the morning plot: the 7-day average now, 4 weeks before, and the change."""
    mornings = report.mornings
    draw.text((x, BAND_TOP - 16), "Mornings", font=_font(15, bold=True), fill=MUTED, anchor="ls")
    small = _font(13)
    if not mornings.answers_total:
        draw.text((x, BAND_TOP + 8), "no answers yet", font=_font(15), fill=TEXT, anchor="lm")
        draw.text((x, BAND_TOP + 30), "press the button in the morning,", font=small, fill=MUTED, anchor="lm")
        draw.text((x, BAND_TOP + 48), "or run: psoas morning 3", font=small, fill=MUTED, anchor="lm")
        return
    big = _font(34, bold=True)
    now = mornings.now.average
    value = "–" if now is None else trend.average_text(now)
    draw.text((x, BAND_TOP - 4), value, font=big, fill=MORNING_COLOUR, anchor="lt")
    draw.text((x + draw.textlength(value, font=big) + 10, BAND_TOP + 14), "7-day average now",
              font=_font(15), fill=TEXT, anchor="lm")
    before = mornings.before.average
    draw.text((x, BAND_TOP + 48), f"{trend.COMPARE_WEEKS} weeks before: "
              + ("–" if before is None else trend.average_text(before)), font=small, fill=MUTED, anchor="lm")
    figures = change_figures(mornings)
    if not figures:
        draw.text((x, BAND_TOP + 66), "a change needs both averages", font=small, fill=MUTED, anchor="lm")
        return
    draw.text((x, BAND_TOP + 66), figures, font=small, fill=TEXT if mornings.verdict else MUTED, anchor="lm")
    words, font, colour = "no clear change yet", small, MUTED
    if mornings.verdict:
        words, font, colour = f"clearly {mornings.verdict}", _font(13, bold=True), MORNING_COLOUR
    draw.text((x + draw.textlength(figures, font=small) + 8, BAND_TOP + 66), words, font=font, fill=colour,
              anchor="lm")


def _draw_panel(draw: ImageDraw.ImageDraw, report: StatsReport) -> None:
    x = PANEL_X
    top = GRID_ORIGIN[1] - 12  # the streak's number starts a little above the heatmap
    big = _font(54, bold=True)
    draw.text((x, top), str(report.current_streak), font=big, fill=TEXT, anchor="lt")
    label = f"{plural(report.current_streak, 'night')} in a row"
    draw.text((x + draw.textlength(str(report.current_streak), font=big) + 12, top + 30), label,
              font=_font(17), fill=TEXT, anchor="lm")
    draw.text((x, top + 72), f"best {report.longest_streak} · {forgives_text(report.grace_nights)}", font=_font(13),
              fill=MUTED, anchor="lm")
    body, bold = _font(15), _font(15, bold=True)
    rows = (
        ("Nights", f"{report.nights_total} in all"),
        ("This week", str(report.nights_this_week)),
        ("This month", str(report.nights_this_month)),
        ("Time held", duration_text(report.total_minutes)),
    )
    for n, (name, value) in enumerate(rows):
        y = top + 104 + n * 23
        draw.text((x, y), name, font=bold, fill=MUTED, anchor="lm")
        draw.text((x + 96, y), value, font=body, fill=TEXT, anchor="lm")
    _draw_tighter(draw, report, x, top + 210)


def _draw_tighter(draw: ImageDraw.ImageDraw, report: StatsReport, x: int, y: int) -> None:
    body = _font(15)
    draw.text((x, y), "Felt tighter", font=_font(15, bold=True), fill=MUTED, anchor="lm")
    y -= 2
    most = max(report.tighter_left, report.tighter_right, 1)
    for n, (name, count, colour) in enumerate((
        ("left", report.tighter_left, LEFT_COLOUR),
        ("right", report.tighter_right, RIGHT_COLOUR),
    )):
        row_y = y + 24 + n * 22
        draw.text((x, row_y), name, font=body, fill=TEXT, anchor="lm")
        bar_x, bar_width = x + 50, 150
        draw.rounded_rectangle((bar_x, row_y - 7, bar_x + bar_width, row_y + 7), radius=4,
                               outline=OUTLINE)
        if count:
            length = max(8, round(bar_width * count / most))
            draw.rounded_rectangle((bar_x, row_y - 7, bar_x + length, row_y + 7), radius=4,
                                   fill=colour)
        draw.text((bar_x + bar_width + 10, row_y), str(count), font=body, fill=TEXT, anchor="lm")


def _coaching_lines(report: StatsReport) -> list[str]:
    """The coaching sentences wrapped to the picture's width."""
    font, width = _font(14), PNG_SIZE[0] - 48
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    lines = []
    for sentence in report.coaching:
        line = ""
        for word in sentence.split():
            trial = f"{line} {word}".strip()
            if line and probe.textlength(trial, font=font) > width:
                lines.append(line)
                trial = word
            line = trial
        lines.append(line)
    return lines


def _draw_coaching(draw: ImageDraw.ImageDraw, lines: list[str]) -> None:
    """The coaching sentences under everything else, in the mornings' colour."""
    y = PNG_SIZE[1] + 4
    for line in lines:
        draw.text((24, y), line, font=_font(14), fill=MORNING_COLOUR, anchor="lt")
        y += COACHING_ROW


def render_stats_png(report: StatsReport) -> Image.Image:
    """The report as an RGB picture: `PNG_SIZE` pixels, and `COACHING_ROW` more for each line
    of the coaching sentences (stiffer mornings, a tighter side) when there are any."""
    coaching = _coaching_lines(report)
    size = (PNG_SIZE[0], PNG_SIZE[1] + (len(coaching) * COACHING_ROW + 12 if coaching else 0))
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    _draw_coaching(draw, coaching)
    draw.text((24, 20), f"Psoas journal · last {counted(len(report.weeks), 'week')}", font=_font(21, bold=True),
              fill=TEXT, anchor="lt")
    first, last = report.weeks[0].monday, report.today
    draw.text((PNG_SIZE[0] - 24, 26), f"{first.day} {MONTHS[first.month - 1]} – "
              f"{last.day} {MONTHS[last.month - 1]} {last.year}", font=_font(13), fill=MUTED,
              anchor="rt")
    _draw_morning_band(draw, report)
    _draw_mornings(draw, report, PANEL_X)
    _draw_heatmap(draw, report)
    _draw_legend(draw)
    _draw_panel(draw, report)
    return image
