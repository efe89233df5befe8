"""`psoas export --csv FILE` / `--json FILE`: the whole journal in plain, open formats.

CSV has one row per completed hold, with its night's columns repeated (a night with no hold,
such as "skip tonight", gets one row with the hold columns empty): ready for a spreadsheet.
JSON keeps everything, nights with their steps and tighter marks nested. Durations are in
seconds, times ISO 8601 with their UTC offset. Files are written whole or not at all
(temporary file, then rename), readable by the owner only: it is health data.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from device.journal.reader import History, NightRow

EXPORT_FORMAT = "psoas-companion journal"
EXPORT_VERSION = 1
FILE_MODE = 0o600

NIGHT_COLUMNS = ("night_date", "started_at", "ended_at", "routine", "outcome", "tighter_marks")
STEP_COLUMNS = ("stretch_id", "side", "planned_seconds", "held_seconds", "paused_seconds",
                "skipped", "recorded_at")
CSV_COLUMNS = NIGHT_COLUMNS + STEP_COLUMNS


def _night_cells(night: NightRow) -> dict[str, str]:
    return {
        "night_date": night.night_date.isoformat(),
        "started_at": night.started_at,
        "ended_at": night.ended_at or "",
        "routine": night.routine,
        "outcome": night.outcome or "cut off",
        "tighter_marks": " ".join(mark.side for mark in night.marks),
    }


def csv_text(history: History) -> str:
    """The history as CSV text with a header row of `CSV_COLUMNS`."""
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
                "side": step.side,
                "planned_seconds": f"{step.planned_seconds:g}",
                "held_seconds": f"{step.held_seconds:g}",
                "paused_seconds": f"{step.paused_seconds:g}",
                "skipped": "yes" if step.skipped else "no",
                "recorded_at": step.recorded_at,
            })
    return out.getvalue()


def json_document(history: History, exported_at: datetime) -> dict:
    """The history as one JSON-ready dict: format, version, export time, nights."""
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
            "steps": [asdict(step) for step in night.steps],
            "tighter_marks": [asdict(mark) for mark in night.marks],
        })
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "nights": nights,
    }


def json_text(history: History, exported_at: datetime) -> str:
    return json.dumps(json_document(history, exported_at), indent=2, ensure_ascii=False) + "\n"


def write_private_file(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to `path` whole or not at all, mode 0600.

    Raises OSError as the OS reports it; a half-written file is never left behind.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
