"""The one interface every screen adapter has: the luma panel, the terminal, the window, tests.

Like luma.core's devices, a PIL image is the only thing handed to a screen. `ScreenOutput`
(the daemon's side) is the one layer that skips repeats (an unchanged frame, contrast or
extra-dim level, an off panel switched off again), so an adapter sends what it is given; it
may keep what it was given, to restore it (the luma panel after a re-open). Methods are
called from the daemon's loop thread only.
"""

from __future__ import annotations

from PIL import Image


class Screen:
    """Base class of the screen adapters. `size` is (width, height) in pixels.

    `display` must be given; the rest default to what a screen without that feature does:
    no contrast or extra-dim control, and "off" drawn as a black frame.
    """

    size: tuple[int, int] = (128, 64)
    retry_at: float | None = None  # during an outage: monotonic seconds of the next retry

    def display(self, image: Image.Image) -> None:
        """Show `image` (1-bit, `size`)."""
        raise NotImplementedError

    def set_contrast(self, level: int) -> None:
        """Brightness, 0 (dimmest) to 255."""

    def set_extra_dim(self, on: bool) -> None:
        """Dimmer than contrast 0 allows (OLED pre-charge); a no-op where unsupported."""

    def panel_off(self) -> None:
        """Go dark; a screen that cannot switch off shows a black frame."""
        self.display(Image.new("1", self.size))

    def panel_on(self) -> None:
        """Light up again (after `panel_off`), showing the last frame."""

    def retry(self) -> bool:
        """During an outage, try to recover now; True when the screen works."""
        return True

    def close(self) -> None:
        """Release the screen; safe to call twice."""


class LumaDeviceScreen(Screen):
    """Any luma device as a `Screen`: the `dummy` device (no terminal), the emulator window."""

    def __init__(self, device):
        self.device = device
        self.size = device.size

    def display(self, image: Image.Image) -> None:
        self.device.display(image)

    def set_contrast(self, level: int) -> None:
        self.device.contrast(level)

    def panel_off(self) -> None:
        self.device.hide()

    def panel_on(self) -> None:
        self.device.show()

    def close(self) -> None:
        self.device.cleanup()
