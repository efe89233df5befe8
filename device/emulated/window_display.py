"""A desktop window as the screen, through `luma.emulator` (pygame): `psoas demo --window`.

Optional: needs the `emulator` extra (`pip install 'psoas-companion[emulator]'`). Built
lazily, so nothing imports pygame unless a window is asked for. Frames go to luma's
`pygame` device, which shows them scaled up; Esc or closing the window quits.
"""

from __future__ import annotations

import os

from device.errors import HardwareError
from device.screen import LumaDeviceScreen

WINDOW_SCALE = 4  # each panel pixel is drawn as a 4×4 square


def open_window(width: int = 128, height: int = 64, scale: int = WINDOW_SCALE):
    """A luma `pygame` emulator window of the panel's size, as a `Screen`; `HardwareError` when impossible."""
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
    return LumaDeviceScreen(device)
