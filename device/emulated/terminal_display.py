"""Draw 1-bit frames in a terminal with Unicode half blocks (works over SSH, no window).

Like a luma device, the only thing handed to it is a PIL image: `display(image)`. Each text
row shows two pixel rows (▀ top lit, ▄ bottom lit, █ both, space neither), so a 128×64 frame
takes 128 columns and 32 rows. Frames are drawn in place from the top-left corner with ANSI
cursor-home, never scrolled; a legend line sits under the frame.
"""

from __future__ import annotations

import sys
from typing import TextIO

from PIL import Image

from device.screen import Screen

HOME = "\x1b[H"
CLEAR_SCREEN = "\x1b[2J"
CLEAR_TO_LINE_END = "\x1b[K"
CLEAR_BELOW = "\x1b[J"
HIDE_CURSOR = "\x1b[?25l"
SHOW_CURSOR = "\x1b[?25h"

# (top lit, bottom lit) -> character
HALF_BLOCKS = {
    (False, False): " ",
    (True, False): "▀",
    (False, True): "▄",
    (True, True): "█",
}


class TerminalDisplay(Screen):
    """A screen in the terminal: `display(image)`, `panel_off()`, `panel_on()`, `close()`.

    `stream` is where frames are written (stdout by default); `legend` is the line shown
    under every frame. A `Screen`, like `LumaDisplay`. Called from the daemon's thread only.
    """

    def __init__(self, stream: TextIO = sys.stdout, legend: str = ""):
        self._stream = stream
        self.legend = legend
        self._started = False
        self._last_text: str | None = None
        self._panel_on = True

    @staticmethod
    def to_text(image: Image.Image) -> str:
        """The frame as lines of half-block characters joined by newlines (no ANSI codes).

        Any non-black pixel is lit; an odd last pixel row pairs with an unlit one.
        """
        bitmap = image.convert("1")
        width, height = bitmap.size
        pixels = bitmap.load()
        lines = []
        for top in range(0, height, 2):
            has_bottom = top + 1 < height
            lines.append(
                "".join(
                    HALF_BLOCKS[
                        (bool(pixels[x, top]), has_bottom and bool(pixels[x, top + 1]))
                    ]
                    for x in range(width)
                )
            )
        return "\n".join(lines)

    def display(self, image: Image.Image) -> None:
        """Draw `image` (any mode and size) in place; while off, keep it for `panel_on`."""
        self._last_text = self.to_text(image)
        if self._panel_on:
            self._draw(self._last_text)

    def set_contrast(self, level: int) -> None:
        """Accepted for symmetry with `LumaDisplay`; a terminal has no contrast (0–255)."""

    def panel_off(self) -> None:
        """Blank the frame area, as a real panel switched off; the legend stays."""
        self._panel_on = False
        self._draw("")

    def panel_on(self) -> None:
        """Show the last frame again after `panel_off`."""
        self._panel_on = True
        self._draw(self._last_text or "")

    def close(self) -> None:
        """Put the cursor back and move below the frame, so the shell prompt is clean."""
        if self._started:
            self._write(CLEAR_BELOW + SHOW_CURSOR)
            self._started = False

    def _draw(self, text: str) -> None:
        prefix = HOME
        if not self._started:
            prefix = HIDE_CURSOR + HOME + CLEAR_SCREEN
            self._started = True
        lines = text.split("\n") if text else []
        if self.legend:
            lines.append(self.legend)
        body = "".join(line + CLEAR_TO_LINE_END + "\n" for line in lines)
        self._write(prefix + body + CLEAR_BELOW)

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()
