"""`psoas export --csv FILE` / `--json FILE`: the whole journal in plain, open formats.

CSV has a `kind` column: "night" rows, one per completed hold with its night's columns repeated
(a night with no hold, such as "skip tonight", gets one row with the hold columns empty), then
one "morning" row per morning check-in (`stiffness` 0–10, empty for "not today"): ready for a
spreadsheet. JSON keeps everything: nights with their steps and tighter marks nested, and a
`mornings` list (`stiffness` null for "not today"). Durations are in
seconds, times ISO 8601 with their UTC offset. Files are written whole or not at all
through `device.storage.atomic`, readable by the owner only: it is health data.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

from device.journal.reader import History, MorningRow, NightRow

EXPORT_FORMAT = "psoas-companion journal"
EXPORT_VERSION = 2  # 2: mornings (JSON `mornings`, CSV `kind` and `stiffness`)

NIGHT_COLUMNS = ("kind", "date", "started_at", "ended_at", "routine", "outcome", "tighter_marks")
STEP_COLUMNS = ("stretch_id", "side", "planned_seconds", "held_seconds", "paused_seconds",
                "skipped", "recorded_at")
CSV_COLUMNS = NIGHT_COLUMNS + STEP_COLUMNS + ("stiffness",)
NOT_TODAY = "not today"


def _night_cells(night: NightRow) -> dict[str, str]:
    return {
        "kind": "night",
        "date": night.night_date.isoformat(),
        "started_at": night.started_at,
        "ended_at": night.ended_at or "",
        "routine": night.routine,
        "outcome": night.outcome.value if night.outcome else "cut off",
        "tighter_marks": " ".join(mark.side.value for mark in night.marks),
    }


def _morning_cells(morning: MorningRow) -> dict[str, str]:
    answered = morning.stiffness is not None
    return {
        "kind": "morning",
        "date": morning.morning_date.isoformat(),
        "outcome": "answered" if answered else NOT_TODAY,
        "recorded_at": morning.answered_at,
        "stiffness": str(morning.stiffness) if answered else "",
    }


def csv_text(history: History) -> str:
    """The history as CSV text with a header row of `CSV_COLUMNS`: nights, then mornings."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for night in history.nights:
        cells = _night_cells(night)
        if not night.steps:
            writer.writerow(cells)
        for step in night.steps:
            writer.writerow(cells | {
                "stretch_id": step.stretch_id,
                "side": step.side.value,
                "planned_seconds": f"{step.planned_seconds:g}",
                "held_seconds": f"{step.held_seconds:g}",
                "paused_seconds": f"{step.paused_seconds:g}",
                "skipped": "yes" if step.skipped else "no",
                "recorded_at": step.recorded_at,
            })
    for morning in history.mornings:
        writer.writerow(_morning_cells(morning))
    return out.getvalue()


def json_document(history: History, exported_at: datetime) -> dict:
    """The history as one JSON-ready dict: format, version, export time, nights, mornings."""
    nights = []
    for night in history.nights:
        nights.append({
            "night_date": night.night_date.isoformat(),
            "started_at": night.started_at,
            "ended_at": night.ended_at,
            "routine": night.routine,
            "outcome": night.outcome,  # null: the night was cut off (power, crash)
            "practised": night.practised,
            "summary": night.summary,
            "steps": [step._asdict() for step in night.steps],
            "tighter_marks": [mark._asdict() for mark in night.marks],
        })
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "nights": nights,
        "mornings": [
            {"date": m.morning_date.isoformat(), "stiffness": m.stiffness,  # null: "not today"
             "answered_at": m.answered_at, "source": m.source}
            for m in history.mornings
        ],
    }


def json_text(history: History, exported_at: datetime) -> str:
    return json.dumps(json_document(history, exported_at), indent=2, ensure_ascii=False) + "\n"
