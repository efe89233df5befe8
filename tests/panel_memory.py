"""A model of an OLED controller's picture memory, fed with the bytes a `RecordingBus` saw.

It reads the command stream the way the controller does (commands with their argument
bytes, addressing mode, column and page windows, page and column address in page mode)
and puts each data byte where the controller would: the column pointer moves on after
every byte, in a window wrapping from its right edge to the next page and from the last
page back to the first; in page addressing mode it stays within its page. `image()` is
the picture that memory shows, turned the way the software sees it (`rotate` quarter
turns clockwise undone). Written from the datasheets, not from luma's or our code.
"""

from __future__ import annotations

import random

from PIL import Image
from recording_bus import COMMAND, DATA

HORIZONTAL, VERTICAL, PAGE = 0, 1, 2

# Commands and how many argument bytes follow them, per controller. Others stand alone.
SSD1306_ARGUMENTS = {
    0x20: 1, 0x21: 2, 0x22: 2, 0x81: 1, 0x8D: 1, 0xA8: 1, 0xD3: 1, 0xD5: 1, 0xD9: 1, 0xDA: 1,
    0xDB: 1, 0x26: 6, 0x27: 6, 0x29: 5, 0x2A: 5, 0xA3: 2,
}
SH1106_ARGUMENTS = {0x81: 1, 0x8D: 1, 0xA8: 1, 0xAD: 1, 0xD3: 1, 0xD5: 1, 0xD9: 1, 0xDA: 1, 0xDB: 1}
SH1107_ARGUMENTS = {**SH1106_ARGUMENTS, 0xDC: 1}

# For each bit: a table turning a memory byte into the pixel of that bit's row (0 or 255).
BIT_TO_PIXEL = [bytes(255 if value >> bit & 1 else 0 for value in range(256)) for bit in range(8)]

CONTROLLERS = {
    # name: (memory columns, memory pages, argument table, first visible column)
    "ssd1306": (128, 8, SSD1306_ARGUMENTS, 0),
    "ssd1309": (128, 8, SSD1306_ARGUMENTS, 0),
    "sh1106": (132, 8, SH1106_ARGUMENTS, 2),
    "sh1107": (128, 16, SH1107_ARGUMENTS, 0),
}


class PanelMemory:
    """The memory of one controller (`driver`) showing a `width`×`height` panel (its own
    orientation), read from `bus` by `update()`."""

    def __init__(self, bus, driver: str, width: int = 128, height: int = 64, rotate: int = 0):
        self.bus = bus
        self.driver = driver
        self.columns, self.pages, self._arguments, self.first_visible = CONTROLLERS[driver]
        self.width, self.height, self.rotate = width, height, rotate
        self.ram = [bytearray(self.columns) for _ in range(self.pages)]
        self.is_on = False
        self._seen = 0
        self._pending: list[int] = []  # a command still waiting for its argument bytes
        # SSD1306 powers up in page addressing mode; the SH11xx know only page mode (SH1107
        # also a vertical mode, which luma does not use).
        self.mode = PAGE
        self.column = self.page = 0
        self.window = (0, self.columns - 1, 0, self.pages - 1)  # first, last column; first, last page
        self.data_bytes = 0  # how many picture bytes went in so far

    def update(self) -> "PanelMemory":
        """Take in every write the bus recorded since the last update."""
        for register, block in self.bus.writes[self._seen:]:
            if register == COMMAND:
                for byte in block:
                    self._command_byte(byte)
            elif register == DATA:
                for byte in block:
                    self._data_byte(byte)
            else:
                raise AssertionError(f"unknown control byte 0x{register:02X}")
        self._seen = len(self.bus.writes)
        return self

    def lose_power(self, seed: int = 1) -> None:
        """What a panel without power holds afterwards: anything."""
        rng = random.Random(seed)
        self.ram = [bytearray(rng.getrandbits(8) for _ in range(self.columns)) for _ in range(self.pages)]

    def image(self) -> Image.Image:
        """The picture the visible part of memory shows, as the software drew it."""
        rows = []
        for page in range(self.height // 8):
            visible = bytes(self.ram[page][self.first_visible:self.first_visible + self.width])
            rows += [visible.translate(BIT_TO_PIXEL[bit]) for bit in range(8)]  # bit 0: top row
        physical = Image.frombytes("L", (self.width, self.height), b"".join(rows)).convert("1")
        if self.rotate:
            return physical.rotate(90 * self.rotate, expand=True)
        return physical

    # -- the command stream ---------------------------------------------------------------

    def _command_byte(self, byte: int) -> None:
        if self._pending:
            self._pending.append(byte)
            if len(self._pending) == 1 + self._arguments[self._pending[0]]:
                command, self._pending = self._pending, []
                self._with_arguments(command[0], command[1:])
            return
        if byte in self._arguments:
            self._pending = [byte]
            return
        if byte in (0xAE, 0xAF):
            self.is_on = byte == 0xAF
        elif self.driver == "sh1107" and byte in (0x20, 0x21):
            self.mode = PAGE if byte == 0x20 else VERTICAL
        elif 0xB0 <= byte <= 0xB0 + self.pages - 1:
            self.page = byte & 0x0F
        elif byte <= 0x0F:
            self.column = (self.column & 0xF0) | byte
        elif 0x10 <= byte <= 0x1F:
            self.column = (self.column & 0x0F) | (byte & 0x0F) << 4

    def _with_arguments(self, command: int, arguments: list[int]) -> None:
        if self.driver not in ("ssd1306", "ssd1309"):
            return
        if command == 0x20:
            self.mode = arguments[0] & 0x03
        elif command == 0x21:
            first, last = (a & 0x7F for a in arguments)
            self.window = (first, last, *self.window[2:])
            self.column = first
        elif command == 0x22:
            first, last = (a & 0x07 for a in arguments)
            self.window = (*self.window[:2], first, last)
            self.page = first

    def _data_byte(self, byte: int) -> None:
        self.ram[self.page][self.column] = byte
        self.data_bytes += 1
        first_column, last_column, first_page, last_page = self.window
        if self.mode == PAGE:
            self.column = (self.column + 1) % self.columns
        elif self.mode == HORIZONTAL:
            if self.column < last_column:
                self.column += 1
            else:
                self.column = first_column
                self.page = first_page if self.page >= last_page else self.page + 1
        else:  # vertical
            if self.page < last_page:
                self.page += 1
            else:
                self.page = first_page
                self.column = first_column if self.column >= last_column else self.column + 1
