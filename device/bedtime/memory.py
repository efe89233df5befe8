"""Which nights already had their bedtime prompt, kept in the state dir across restarts.

`<state_dir>/bedtime.json` holds the recent nights (dates) whose prompt was shown, and when.
It is written before the prompt is shown (`device.storage.atomic.write_atomically`: temporary
file, fsync, rename, folder fsync), so a restart or power cut inside the window neither repeats
the prompt nor loses the record.

Like the journal it never stops the daemon: a damaged file is logged and replaced; an
unwritable state dir is logged once and the nights are kept in memory only.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from pathlib import Path

from device.config.paths import expanded
from device.storage import faults
from device.storage.atomic import write_atomically
from routines.loading import files

log = logging.getLogger("psoas.bedtime")

FILE_NAME = "bedtime.json"
KEEP_NIGHTS = 62  # more than any clock step we expect to recover from (days)


class PromptedNights:
    """The set of nights (dates) whose prompt was shown; only the daemon's loop thread uses it."""

    def __init__(self, state_dir: Path, keep: int = KEEP_NIGHTS):
        self.path = expanded(state_dir) / FILE_NAME
        self.keep = keep
        self._nights: dict[str, str] = self._read()
        self._write_failing = False

    def __contains__(self, night: date) -> bool:
        return night.isoformat() in self._nights

    def nights(self) -> list[date]:
        return sorted(date.fromisoformat(n) for n in self._nights)

    def add(self, night: date, shown_at: datetime) -> None:
        """Remember that `night`'s prompt was shown at `shown_at`; saved before returning."""
        self._nights[night.isoformat()] = shown_at.isoformat(timespec="seconds")
        for old in sorted(self._nights)[:-self.keep]:
            del self._nights[old]
        self._save()

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(files.read_bytes(self.path).decode("utf-8"))  # never waits on a FIFO
            nights = data["prompted"]
            for key in nights:
                date.fromisoformat(key)
            return {str(k): str(v) for k, v in nights.items()}
        except FileNotFoundError:
            return {}
        except OSError as error:
            log.warning("bedtime: cannot read %s (%s); starting with no nights remembered",
                        self.path, files.reason(error))
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            log.warning("bedtime: %s is damaged; starting with no nights remembered", self.path)
        return {}

    def _save(self) -> None:
        text = json.dumps({"version": 1, "prompted": self._nights}, indent=1, sort_keys=True)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, text + "\n")
        except OSError as error:
            if not self._write_failing:
                log.warning("bedtime: %s; a restart tonight may show the prompt again",
                            faults.explain(error, self.path, "save"))
            self._write_failing = True
            return
        if self._write_failing:
            log.info("bedtime: saving %s works again", self.path)
        self._write_failing = False
