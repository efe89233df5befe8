"""Hand frames to a screen adapter (a `device.screen.Screen`): only changes, nothing while dark.

The one layer that skips repeats: a frame equal to the last one shown is not sent again,
a contrast or extra-dim level only when it changes, the panel is switched off or on only
when it changes, and nothing is drawn while it is off. (The luma panel's partial writes send
only what differs from the panel's memory; that is how it writes a frame, not a second
check for repeats.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PIL import Image

from device.screen import Screen

log = logging.getLogger(__name__)


class ScreenOutput:
    """Wraps one adapter; called only from the daemon's loop thread.

    `contrast` is the panel level 0–255 (day or night, set by the daemon); `fade` (0–1)
    from the engine scales it, and 0 turns the panel off.
    """

    def __init__(self, adapter: Screen, contrast: int = 255):
        self.adapter = adapter
        self.contrast = contrast  # 0–255, set by the daemon from the night hours
        self.extra_dim = False  # lower pre-charge too (luma adapters only)
        self._extra_dim_sent = False  # an adapter starts with extra-dim off
        self._last: Image.Image | None = None
        self._lit = True
        self._level: int | None = None
        # sees each frame sent, and None when the panel goes dark (`device.live.view.LiveView`)
        self.mirror: Callable[[Image.Image | None], None] | None = None

    @property
    def is_dark(self) -> bool:
        return not self._lit

    def show(self, image: Image.Image, fade: float = 1.0) -> bool:
        """Show `image` at `fade` (0–1) of the contrast; True when a frame was sent."""
        if fade <= 0:
            self.dark()
            return False
        self._set_level(round(self.contrast * min(fade, 1.0)))
        if self._last is not None and self._lit and _same(image, self._last):
            return False
        self.adapter.display(image)
        self._last = image
        if not self._lit:
            self._lit = True
            self.adapter.panel_on()
        if self.mirror is not None:
            self.mirror(image)
        return True

    def dark(self) -> None:
        """Turn the panel off (or blank it, for adapters that cannot switch off)."""
        if not self._lit:
            return
        self._lit = False
        self.adapter.panel_off()
        if self.mirror is not None:
            self.mirror(None)

    def maintain(self, real_now: float) -> float | None:
        """A daemon task: let an adapter in an outage retry when due (`retry()` / `retry_at`).

        `real_now` is `time.monotonic()`; returns real seconds until the next retry, or None.
        """
        retry_at = self.adapter.retry_at
        if retry_at is None:
            return None
        if real_now >= retry_at:
            self.adapter.retry()
            retry_at = self.adapter.retry_at
        return None if retry_at is None else max(0.0, retry_at - real_now)

    def close(self) -> None:
        """Leave the panel off and release the adapter."""
        try:
            self.dark()
        finally:
            self.adapter.close()

    def _set_level(self, level: int) -> None:
        if level != self._level:
            self._level = level
            self.adapter.set_contrast(level)
        if self.extra_dim != self._extra_dim_sent:
            self._extra_dim_sent = self.extra_dim
            self.adapter.set_extra_dim(self.extra_dim)


def _same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and a.mode == b.mode and a.tobytes() == b.tobytes()
