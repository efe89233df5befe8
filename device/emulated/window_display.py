"""A desktop window as the screen, through `luma.emulator` (pygame): `psoas demo --window`.

Optional: needs the `emulator` extra (`pip install 'psoas-companion[emulator]'`). Built
lazily, so nothing imports pygame unless a window is asked for. Frames go to luma's
`pygame` device, which shows them scaled up.

Closing the window (or Esc, or SIGTERM, which SDL turns into a quit event) is the normal way
out: luma.emulator then shuts pygame down and calls `sys.exit()` inside `display()`.
`WindowDisplay` turns that into a call of `on_close` (the demo puts a `Quit` on the loop's
queue) and draws nothing more, so the demo's teardown never touches the closed window.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from device.errors import HardwareError
from device.screen import Screen

WINDOW_SCALE = 4  # each panel pixel is drawn as a 4×4 square


class WindowDisplay(Screen):
    """A luma.emulator `pygame` window that the person can close; loop thread only.

    luma.emulator calls `sys.exit()` inside `display()` when the window is closed (or Escape,
    or SIGTERM, which SDL turns into a quit event): that becomes `on_close()` and nothing is
    drawn after it.
    """

    def __init__(self, device, on_close: Callable[[], None]):
        self._device = device
        self._on_close = on_close
        self.size = device.size
        self.closed = False
        device.persist = True  # luma's exit hook must not draw into a window that is gone

    def display(self, image) -> None:
        """Show `image`; once the window is closed, do nothing."""
        if self.closed:
            return
        try:
            self._device.display(image)
        except SystemExit:  # luma.emulator's way of saying the window was closed
            self.closed = True
            self._on_close()

    def set_contrast(self, level: int) -> None:
        if not self.closed:
            self._device.contrast(level)

    def close(self) -> None:
        """Close the window (if the person has not already). Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        import pygame  # luma.emulator's own dependency, there whenever a window was opened

        pygame.quit()


def open_window(on_close: Callable[[], None], width: int = 128, height: int = 64,
                scale: int = WINDOW_SCALE) -> WindowDisplay:
    """A window of the panel's size; `on_close` is called (loop thread) when the person closes
    it. `HardwareError` when no window can be opened."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner on stdout
    try:
        from luma.emulator.device import pygame as pygame_device
    except ImportError:
        raise HardwareError(
            "window: luma.emulator is not installed; run .venv/bin/pip install -e '.[emulator]' "
            "or use the terminal demo without --window"
        ) from None
    try:
        device = pygame_device(width=width, height=height, mode="1", transform="identity", scale=scale)
    except Exception as exc:  # pygame.error has no stable import path across versions
        raise HardwareError(
            f"window: cannot open a window ({exc}); on a machine without a desktop use the terminal demo "
            "without --window"
        ) from None
    return WindowDisplay(device, on_close)
