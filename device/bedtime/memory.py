"""Which nights already had their bedtime prompt, kept in the state dir across restarts.

`<state_dir>/bedtime.json` holds the recent nights (dates) whose prompt was shown, and when.
It is written before the prompt is shown (write to a temporary file, fsync, rename), so a
restart or power cut inside the window neither repeats the prompt nor loses the record.

Like the journal it never stops the daemon: a damaged file is logged and replaced; an
unwritable state dir is logged once and the nights are kept in memory only.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import date, datetime
from pathlib import Path

from device.config.paths import expanded
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
        temporary = self.path.with_name(self.path.name + ".tmp")
        text = json.dumps({"version": 1, "prompted": self._nights}, indent=1, sort_keys=True)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "w", encoding="utf-8") as file:
                file.write(text + "\n")
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
            _fsync_dir(self.path.parent)
        except OSError as error:
            if not self._write_failing:
                log.warning("bedtime: cannot save %s (%s); a restart tonight may show the prompt again; "
                            "check that the state dir is writable", self.path, error.strerror or error)
            self._write_failing = True
            return
        if self._write_failing:
            log.info("bedtime: saving %s works again", self.path)
        self._write_failing = False


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
