"""`schedule` on an injected clock: the bedtime planner's jobs fire by psoas' wall clock.

`schedule` reads `datetime.datetime.now()` itself. `schedule_reads_clock(local_now)` makes it
read the injected clock instead, for the duration of a `with` block on the current thread
only (a context variable); outside such a block `schedule` sees the real clock as usual.
This replaces `schedule`'s `datetime` module, so pyproject.toml pins the `schedule` release
it was tested with.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as _datetime
import types
from collections.abc import Callable, Iterator
from datetime import datetime

import schedule

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
