"""`psoas stats --png FILE`: the stats report as a picture drawn with Pillow.

A calendar heatmap (weeks as columns, Monday on top, GitHub style) on the left; streak,
totals and the left/right "felt tighter" tally on the right. Dark like the bedside screen;
nights not practised are outlines, not filled blocks. Uses the project's own DejaVu font,
so the picture is the same on every machine.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import display
from device.journal.report import (
    LEVEL_LIMITS_MINUTES,
    MONTHS,
    WEEKDAYS,
    StatsReport,
    duration_text,
    forgiven_text,
)
from routines.wording import counted, plural

PNG_SIZE = (640, 360)  # width, height in pixels
BACKGROUND = (12, 16, 32)
TEXT = (222, 228, 238)
MUTED = (128, 138, 160)
OUTLINE = (64, 74, 100)
TODAY = (236, 236, 236)
LEVEL_COLOURS = ((0, 0, 0), (28, 64, 80), (30, 108, 120), (46, 162, 158), (146, 232, 208))
LEFT_COLOUR = (230, 170, 90)
RIGHT_COLOUR = (140, 160, 240)

GRID_ORIGIN = (64, 86)  # top-left of the first cell, in pixels
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


def _draw_panel(draw: ImageDraw.ImageDraw, report: StatsReport) -> None:
    x = PANEL_X
    big = _font(54, bold=True)
    draw.text((x, 74), str(report.current_streak), font=big, fill=TEXT, anchor="lt")
    label = f"{plural(report.current_streak, 'night')} in a row"
    draw.text((x + draw.textlength(str(report.current_streak), font=big) + 12, 104), label,
              font=_font(17), fill=TEXT, anchor="lm")
    draw.text((x, 146), f"best {report.longest_streak} · {forgiven_text(report.grace_nights)}", font=_font(13),
              fill=MUTED, anchor="lm")
    body, bold = _font(15), _font(15, bold=True)
    rows = (
        ("Nights", f"{report.nights_total} in all"),
        ("This week", str(report.nights_this_week)),
        ("This month", str(report.nights_this_month)),
        ("Time held", duration_text(report.total_minutes)),
    )
    for n, (name, value) in enumerate(rows):
        y = 178 + n * 23
        draw.text((x, y), name, font=bold, fill=MUTED, anchor="lm")
        draw.text((x + 96, y), value, font=body, fill=TEXT, anchor="lm")
    _draw_tighter(draw, report, x, 284)


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


def render_stats_png(report: StatsReport) -> Image.Image:
    """The report as an RGB picture of `PNG_SIZE` pixels."""
    image = Image.new("RGB", PNG_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((24, 20), f"Psoas journal · last {counted(len(report.weeks), 'week')}", font=_font(21, bold=True),
              fill=TEXT, anchor="lt")
    first, last = report.weeks[0].monday, report.today
    draw.text((PNG_SIZE[0] - 24, 26), f"{first.day} {MONTHS[first.month - 1]} – "
              f"{last.day} {MONTHS[last.month - 1]} {last.year}", font=_font(13), fill=MUTED,
              anchor="rt")
    _draw_heatmap(draw, report)
    _draw_legend(draw)
    _draw_panel(draw, report)
    return image
