"""The real screen: a luma.oled panel that survives a loose wire.

`display(image)` sends only what differs from the picture on the panel (`PanelWriter`). The
whole picture goes out when the panel's memory may not match: at open and re-open, when
the panel comes back on, and at least every `FULL_FRAME_SECONDS` while lit. A write error in
the middle of a routine (an I2C wire come loose) never reaches the daemon: the outage is
logged once, the panel is re-opened with back-off (1 s, 2 s, 4 s … up to 30 s, measured on the
injected clock), the end of the outage is logged once, and the current picture, contrast and
on/off state are restored. The daemon wakes for `retry_at` so a still screen recovers too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PIL import Image

from device.backoff import Backoff
from device.config.schema import DisplaySettings
from device.errors import HardwareError
from device.hardware.luma_panel import NOP, PRECHARGE, VCOMH, build_panel, check, describe, open_serial
from device.hardware.panel_writer import PanelWriter
from device.panel.drivers import PANELS
from device.screen import Screen

log = logging.getLogger(__name__)
PROBE_SECONDS = 4.0  # during an outage, a one-byte probe this often (seconds)
FULL_FRAME_SECONDS = 180.0  # while lit, the whole picture at least this often (seconds)


class LumaDisplay(Screen):
    """An SSD1306 / SSD1309 / SH1106 / SH1107 OLED, opened at once (raises `HardwareError`).

    `config` is the `[display]` settings. `serial_opener` returns a luma serial interface
    (tests pass one over a recording bus); None opens the real bus. `clock.monotonic()` gives
    seconds for the back-off. Called from the daemon's thread only.

    It sends what it is given (`ScreenOutput` skips repeats), and keeps the contrast, extra-dim
    and on/off state it was last given, to restore them after a re-open.
    """

    def __init__(
        self,
        config: DisplaySettings = DisplaySettings(),
        serial_opener: Callable[[], object] | None = None,
        clock=time,
        max_backoff_seconds: float = 30.0,
    ):
        check(config)
        self.config = config
        self.name = describe(config)  # how log lines and errors name the panel
        self._serial_opener = serial_opener or (lambda: open_serial(self.config))
        self._clock = clock
        self._backoff = Backoff(1.0, max_backoff_seconds)
        self._outage_started_at: float | None = None
        self._next_probe_at = 0.0  # during an outage: when the next one-byte probe goes out
        self._serial = None
        self._device = self._open()
        self.size: tuple[int, int] = self._device.size
        self._driver = PANELS[config.driver]
        self._writer = PanelWriter(self._device, self._driver)
        self._full_at: float | None = None  # when the whole picture last went out (clock seconds)
        self._wanted: Image.Image | None = None  # the latest frame asked for
        self._contrast: int | None = None
        self._extra_dim = False
        self._panel_on = True
        self._closed = False

    @property
    def retry_at(self) -> float | None:
        """Monotonic time in seconds of the next probe or re-open; None when the panel is fine."""
        if not self._backoff.failing:
            return None
        return min(self._backoff.next_attempt_at, self._next_probe_at)

    @property
    def is_healthy(self) -> bool:
        """False during an outage (writes failing, waiting to re-open)."""
        return not self._backoff.failing

    def display(self, image: Image.Image) -> None:
        """Show `image` (converted to 1-bit): only what differs from the panel's memory goes out."""
        if image.size != self.size:
            raise HardwareError(
                f"{self.name}: the frame is {image.size[0]}×{image.size[1]} but "
                f"the panel shows {self.size[0]}×{self.size[1]}; set rotate (or width and "
                f"height) in [display]"
            )
        self._wanted = image.convert("1")
        self._refresh()

    def set_contrast(self, level: int) -> None:
        """Set the panel's contrast, 0 (dimmest) to 255."""
        if not 0 <= level <= 255:
            raise ValueError(f"contrast must be from 0 to 255, not {level}")
        self._contrast = level
        self._write(lambda: self._device.contrast(level))

    def set_extra_dim(self, on: bool) -> None:
        """Opt-in night dimming below contrast 0: lower pre-charge and VCOMH (see `drivers`)."""
        self._extra_dim = on
        self._write(self._send_dim_levels)

    def panel_off(self) -> None:
        """Switch the panel off (sleep mode: dark, not just drawn black); frames given while
        off wait for `panel_on`."""
        self._panel_on = False
        self._write(self._device.hide)

    def panel_on(self) -> None:
        """Switch the panel on, with the latest frame sent in full first (while off, the panel
        may have lost power and its memory)."""
        self._panel_on = True
        self._writer.forget()
        self._refresh()
        self._write(self._device.show)

    def retry(self) -> bool:
        """Re-open the panel if an attempt is due now; True when the panel is fine afterwards.

        Full re-opens back off from 1 s to 30 s; between them a one-byte probe goes out every
        `PROBE_SECONDS`, and an answer re-opens at once, so a fixed wire shows within 5 s.
        """
        now = self._clock.monotonic()
        if self._backoff.due(now):
            self._reopen()
        elif self._backoff.failing and now >= self._next_probe_at:
            self._next_probe_at = now + PROBE_SECONDS
            if self._probe():
                self._reopen()
        return self.is_healthy

    def _probe(self) -> bool:
        """One NOP on the bus; True when the panel acknowledges it."""
        try:
            if self._serial is None:
                self._serial = self._serial_opener()
            self._serial.command(NOP)
            return True
        except Exception:  # noqa: BLE001 - still unplugged
            self._drop_serial()
            return False

    def close(self) -> None:
        """Leave the panel off and cleared, and release the bus; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        device = self._device
        for step in (device.hide, device.clear, self._serial.cleanup if self._serial else None):
            if step is None:
                continue
            try:
                step()
            except Exception as error:  # noqa: BLE001 - nothing more to do for a gone panel
                log.debug("%s: at close: %s", self.name, error)
                break
        device.persist = True  # luma's own atexit hook must not switch it on or clear it again

    def _refresh(self) -> None:
        """Send what differs between the wanted frame and the panel, if the panel is on."""
        if not self._panel_on or self._wanted is None:
            return
        frame, now = self._wanted, self._clock.monotonic()
        full = self._full_at is None or now - self._full_at >= FULL_FRAME_SECONDS

        def send() -> None:
            if self._writer.write(frame, full=full):
                self._full_at = now

        self._write(send)

    def _send_dim_levels(self) -> None:
        driver = self._driver
        precharge, vcomh = driver.extra_dim_levels if self._extra_dim else driver.normal_levels
        self._device.command(PRECHARGE, precharge, VCOMH, vcomh)

    def _write(self, action: Callable[[], object]) -> bool:
        """Run one bus write; on failure start (or continue) the outage. True if it worked."""
        if self._closed:
            return False
        if self._backoff.failing:
            self.retry()
            return False  # a successful re-open has already restored everything
        try:
            action()
            return True
        except Exception as error:  # noqa: BLE001 - luma raises its own errors and OSError
            self._start_outage(error)
            return False

    def _start_outage(self, error: BaseException) -> None:
        now = self._clock.monotonic()
        self._outage_started_at = now
        self._next_probe_at = now + PROBE_SECONDS
        self._backoff.failed(now)
        log.warning(
            "%s: lost (%s); the routine goes on, re-opening the screen with back-off",
            self.name,
            error,
        )

    def _drop_serial(self) -> None:
        """Close the bus after a failed attempt, so the next attempt opens it afresh."""
        serial, self._serial = self._serial, None
        if serial is not None:
            try:
                serial.cleanup()
            except Exception:  # noqa: BLE001 - it is already failing
                pass

    def _open(self):
        """Open the bus and build the panel (luma sends its init sequence); `HardwareError` if not."""
        self._serial = self._serial_opener()
        try:
            return build_panel(self.config, self._serial)
        except HardwareError:
            self._drop_serial()
            raise

    def _reopen(self) -> None:
        """One attempt: probe the bus, rebuild the panel, restore contrast, dim and picture."""
        now = self._clock.monotonic()
        try:
            if self._serial is None:
                self._serial = self._serial_opener()
            self._serial.command(NOP)
            device = build_panel(self.config, self._serial)
            self._device.persist = True  # the replaced one's atexit hook must stay quiet
            if self._contrast is not None:
                device.contrast(self._contrast)
            self._device = device
            self._writer = PanelWriter(device, self._driver)
            if self._extra_dim:
                self._send_dim_levels()
            if self._wanted is not None and self._panel_on:
                self._writer.write(self._wanted)
                self._full_at = now
            if not self._panel_on:
                device.hide()
        except Exception as error:  # noqa: BLE001 - still out; try again later
            self._drop_serial()
            self._backoff.failed(now)
            self._next_probe_at = now + PROBE_SECONDS
            log.debug("%s: still not answering: %s", self.name, error)
            return
        self._backoff.succeeded()
        log.warning(
            "%s: back after %.0f s", self.name, now - (self._outage_started_at or now)
        )
        self._outage_started_at = None
