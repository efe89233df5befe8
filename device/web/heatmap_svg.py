"""The Progress page's pictures: the last weeks as an SVG heatmap, and the morning stiffness
above it on the same dates, drawn from the stats report.

The same `StatsReport` as `psoas stats` (weeks as columns, Monday on top, one cell a night),
as SVG markup for the page itself: shapes carry classes (`l0`…`l4`, `today`) that the page's
stylesheet colours, so no inline style is needed under the page's Content-Security-Policy.
Nights not practised are outlines, not filled blocks, like on the device.
"""

from __future__ import annotations

from device.journal.report import MONTHS, WEEKDAYS, StatsReport
from routines.morning import SCALE_MAX

CELL = 30  # cell side, in SVG units (px at 1:1)
PITCH = 36  # cell plus gap
LEFT = 30  # room for the weekday names
TOP = 22  # room for the month names
MORNING_ROWS = 60  # height of the morning plot: stiffness 10 at the top, 0 at the bottom
MORNING_TOP = 8  # room above it
DATE_ROWS = 20  # room below it for the dates
DATE_EVERY = 2  # a date under every second week (a label is wider than one column)


def heatmap_svg(report: StatsReport) -> str:
    """The heatmap as an `<svg>` element (text), sized to the report's number of weeks."""
    width = LEFT + len(report.weeks) * PITCH
    height = TOP + 7 * PITCH
    parts = [f'<svg class="heatmap" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Nights of the last {len(report.weeks)} weeks">']
    for weekday, name in enumerate(WEEKDAYS):
        y = TOP + weekday * PITCH + CELL // 2 + 4
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y}" text-anchor="end">{name}</text>')
    shown_month = None
    for column, week in enumerate(report.weeks):
        x = LEFT + column * PITCH
        month = week.days[-1].day.month
        if month != shown_month:
            shown_month = month
            parts.append(f'<text class="axis" x="{x}" y="{TOP - 8}">{MONTHS[month - 1]}</text>')
        for weekday, day in enumerate(week.days):
            if day.level is None:
                continue
            y = TOP + weekday * PITCH
            title = f"{day.day.isoformat()}: {round(day.minutes)} min held" if day.level else (
                f"{day.day.isoformat()}: not practised")
            extra = " today" if day.day == report.today else ""
            parts.append(f'<rect class="l{day.level}{extra}" x="{x + 1}" y="{y + 1}" width="{CELL - 2}" '
                         f'height="{CELL - 2}" rx="6"><title>{title}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def morning_svg(report: StatsReport) -> str:
    """Each morning's answer as a dot and the 7-day average as a line, as an `<svg>` element as
    wide as `heatmap_svg` (each date inside its heatmap column), with the Monday of every
    `DATE_EVERY`th week (the newest included) under its column ("6 May"); "" without any answer."""
    if not report.mornings.answers_total:
        return ""
    width = LEFT + len(report.weeks) * PITCH
    bottom = MORNING_TOP + MORNING_ROWS
    height = bottom + DATE_ROWS

    def y(value: float) -> float:
        return MORNING_TOP + MORNING_ROWS * (1 - value / SCALE_MAX)

    parts = [f'<svg class="mornings" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Morning stiffness of the last {len(report.weeks)} weeks, 0 to {SCALE_MAX}">']
    for value in (0, SCALE_MAX // 2, SCALE_MAX):
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value}</text>')
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{width}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>')
    line: list[str] = []
    last = len(report.weeks) - 1
    for column, week in enumerate(report.weeks):
        if (last - column) % DATE_EVERY == 0:  # counted from this week, so the newest has its date
            monday, x = week.days[0].day, LEFT + column * PITCH + CELL // 2  # under the column's middle
            parts.append(f'<line class="tick" x1="{x}" x2="{x}" y1="{bottom}" y2="{bottom + 4}"/>')
            parts.append(f'<text class="axis date" x="{x}" y="{bottom + 16}" text-anchor="middle">'
                         f'{monday.day} {MONTHS[monday.month - 1]}</text>')
        for weekday, day in enumerate(week.days):
            x = LEFT + column * PITCH + (weekday + 0.5) * CELL / 7
            if day.stiffness is not None:
                parts.append(f'<circle class="answer" cx="{x:.1f}" cy="{y(day.stiffness):.1f}" r="2">'
                             f'<title>{day.day.isoformat()}: {day.stiffness}</title></circle>')
            if day.stiffness_average is None:
                parts += _polyline(line)
                line = []
            else:
                line.append(f"{x:.1f},{y(day.stiffness_average):.1f}")
    parts += _polyline(line)
    parts.append("</svg>")
    return "".join(parts)


def _polyline(points: list[str]) -> list[str]:
    return [f'<polyline class="average" points="{" ".join(points)}"/>'] if len(points) > 1 else []
