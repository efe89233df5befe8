"""Time zones: the configured one or the system's, re-read when it changes (standard library only).

`zone_source(name)` gives a callable returning the zone now: a named IANA zone, or the
system's (`SystemZone`, following `$TZ` and `/etc/localtime`). `zone_problem` is the config's
check of a `time_zone` value. The wall clock itself is `device.clocks.wall`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOCALTIME = Path("/etc/localtime")


def zone_problem(name: str) -> str | None:
    """None when `name` is a known IANA time zone ("Europe/Berlin"), else a message with the fix."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return (f"unknown time zone {name!r}: use an IANA name like \"Europe/Berlin\" "
                f"(list them with `timedatectl list-timezones`), or \"\" for the system's")
    return None


class SystemZone:
    """The system's time zone, re-read when it changes (`timedatectl set-timezone`).

    `$TZ` wins when set; otherwise `/etc/localtime` (a link into /usr/share/zoneinfo, or a
    copied file). Calling it costs one `stat`; the zone is re-loaded only when the file's
    identity changes, so the same zone object comes back until then.
    """

    def __init__(self, localtime: Path = LOCALTIME, environ=os.environ):
        self._localtime = localtime
        self._environ = environ
        self._key: tuple | None = None
        self._zone: tzinfo = timezone.utc

    def __call__(self) -> tzinfo:
        name = self._environ.get("TZ", "").lstrip(":")
        if name and not name.startswith("/") and zone_problem(name) is None:
            return ZoneInfo(name)
        path = Path(name) if name.startswith("/") else self._localtime
        try:
            info = path.stat()
            key = (str(path), info.st_ino, info.st_mtime_ns, os.path.realpath(path))
        except OSError:
            return timezone.utc
        if key != self._key:
            self._key, self._zone = key, _load_zone_file(path)
        return self._zone


def _load_zone_file(path: Path) -> tzinfo:
    real = os.path.realpath(path)
    if "/zoneinfo/" in real:
        name = real.split("/zoneinfo/", 1)[1]
        if zone_problem(name) is None:
            return ZoneInfo(name)
    try:
        with open(path, "rb") as file:
            return ZoneInfo.from_file(file, key=None)
    except (OSError, ValueError):
        return timezone.utc


def zone_source(name: str) -> Callable[[], tzinfo]:
    """A callable returning the zone to use: the named one, or the system's ("")."""
    if name.strip():
        zone = ZoneInfo(name.strip())
        return lambda: zone
    return SystemZone()


def zone_name(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or str(zone)
