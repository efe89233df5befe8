"""The Progress page's picture: the last weeks as an SVG heatmap, drawn from the stats report.

The same `StatsReport` as `psoas stats` (weeks as columns, Monday on top, one cell a night),
as SVG markup for the page itself: shapes carry classes (`l0`…`l4`, `today`) that the page's
stylesheet colours, so no inline style is needed under the page's Content-Security-Policy.
Nights not practised are outlines, not filled blocks, like on the device.
"""

from __future__ import annotations

from device.journal.report import MONTHS, WEEKDAYS, StatsReport

CELL = 30  # cell side, in SVG units (px at 1:1)
PITCH = 36  # cell plus gap
LEFT = 30  # room for the weekday names
TOP = 22  # room for the month names


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
