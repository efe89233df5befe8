"""Wall-clock time for bedtime: an injectable UTC clock, the time zone, and `schedule` on them.

Bedtime is the one calendar feature of the daemon, so it needs the wall clock, which on a Pi
without a real-time clock can start stale and then jump. Everything here takes the wall clock
as an object with `now() -> aware datetime` so tests can step it by days in microseconds.

`schedule` reads `datetime.datetime.now()` itself. `schedule_reads_clock(local_now)` makes it read
the injected clock instead, for the duration of a `with` block on the current thread only
(a context variable); outside such a block `schedule` sees the real clock as usual.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as _datetime
import os
import types
from collections.abc import Callable, Iterator
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import schedule

LOCALTIME = Path("/etc/localtime")


class SystemWallClock:
    """The system's real-time clock, as an aware UTC datetime (it may step: NTP, a stale boot)."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


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


# -- `schedule` on an injected clock -------------------------------------------------------

_local_now: contextvars.ContextVar[Callable[[], datetime] | None] = contextvars.ContextVar(
    "psoas_schedule_now", default=None
)


class _DatetimeFromInjectedClock(_datetime.datetime):
    """`datetime.datetime` as `schedule` sees it: `now()` asks the injected clock, if any."""

    @classmethod
    def now(cls, tz=None):
        source = _local_now.get()
        if source is None:
            return _datetime.datetime.now(tz)
        local = source()  # naive local time in the bedtime zone
        return local if tz is None else local.astimezone(tz)


def _patch_schedule_datetime() -> None:
    if getattr(schedule.datetime, "datetime", None) is _DatetimeFromInjectedClock:
        return
    shim = types.ModuleType("datetime", "the datetime module, with now() from psoas' wall clock")
    shim.__dict__.update({k: v for k, v in vars(_datetime).items() if not k.startswith("__")})
    shim.datetime = _DatetimeFromInjectedClock
    schedule.datetime = shim


@contextlib.contextmanager
def schedule_reads_clock(local_now: Callable[[], datetime]) -> Iterator[None]:
    """Inside this block `schedule` takes `local_now()` (naive local time) as the time now."""
    _patch_schedule_datetime()
    token = _local_now.set(local_now)
    try:
        yield
    finally:
        _local_now.reset(token)
