"""Send a picture to a luma.oled panel, only the part that changed since the last one.

luma.oled's SSD1306 / SSD1309 / SH1106 / SH1107 devices send the whole picture on every
`display()`, packed a pixel at a time in Python. `PanelWriter` replaces only that call: it
keeps a copy of what the panel's memory holds, and for each 8-row page that changed sends
only its changed columns (a run each, unless runs are closer than a window costs), behind
the controller's own address commands. The luma device
still does everything else (init sequence, contrast, show / hide, the I2C or SPI interface):
the writer talks to it through its public `command()`, `data()` and `preprocess()` only.

Addressing, as luma.oled's drivers set the controllers up:
- SSD1306, SSD1309 (horizontal addressing): a column window and a page window, then the
  data; the column pointer wraps to the next page at the window's right edge, so spans of
  neighbouring pages can share one window.
- SH1106, SH1107 (page addressing): the page, then the column (low and high nibble), then
  the data of that page only. An SH1106 shows columns 2 to 129 of its 132.
"""

from __future__ import annotations

from PIL import Image

from device.hardware.pages import Window, changes, pack, window_data, windows

SSD1306_LIKE = ("ssd1306", "ssd1309")
PAGE_ADDRESSED = ("sh1106", "sh1107")
COLUMN_ADDR, PAGE_ADDR, PAGE_START = 0x21, 0x22, 0xB0
SH1106_FIRST_COLUMN = 2  # luma.oled's sh1106 page_address_offset
SSD1306_FIRST_COLUMN = {64: 32}  # panel width -> first column, as luma.oled's ssd1306 has it
# What one more window costs on I2C, in bytes: the address byte and control byte of its
# command and of its data, and the command itself (6 bytes for an SSD1306 window).
WINDOW_COST = {"ssd1306": 10, "ssd1309": 10, "sh1106": 7, "sh1107": 7}


class PanelWriter:
    """Writes 1-bit pictures to one luma.oled `device` of `driver` (ssd1306, ssd1309, sh1106,
    sh1107). Called from the daemon's thread only.

    The copy of the panel's memory starts unknown, so the first write is the whole picture;
    `forget()` makes it unknown again (a bus fault, a panel that may have lost power).
    """

    def __init__(self, device, driver: str):
        if driver not in SSD1306_LIKE + PAGE_ADDRESSED:
            raise ValueError(f"no partial writes for driver {driver!r}")
        self._device = device
        self._driver = driver
        self._width = device.height if device.rotate % 2 else device.width  # before luma turns it
        self._first_column = 0
        if driver == "sh1106":
            self._first_column = SH1106_FIRST_COLUMN
        elif driver in SSD1306_LIKE:
            self._first_column = SSD1306_FIRST_COLUMN.get(self._width, 0)
        self._window_cost = WINDOW_COST[driver]
        self._memory: list[bytes] | None = None  # the panel's pages as last written

    def forget(self) -> None:
        """The panel's memory is no longer known: the next write sends the whole picture."""
        self._memory = None

    def write(self, image: Image.Image, full: bool = False) -> bool:
        """Send what differs between `image` (mode "1", the device's size) and the panel.

        `full` sends the whole picture; so does a change that would cost about as much.
        Returns True when the whole picture was sent. A bus error propagates, and leaves
        the memory unknown.
        """
        pages = pack(self._device.preprocess(image))
        spans = changes(None if full else self._memory, pages, gap=self._window_cost)
        if not spans:
            return False
        parts = windows(spans, self._window_cost if self._driver in SSD1306_LIKE else None)
        whole = self._whole(len(pages))
        sent_bytes = sum(part.nbytes + self._window_cost for part in parts)
        if sent_bytes >= sum(part.nbytes + self._window_cost for part in whole):
            parts = whole
        self._memory = None  # until every window is in place
        for part in parts:
            self._device.command(*self._address(part))
            self._device.data(list(window_data(pages, part)))  # a list, as luma's drivers pass
        self._memory = pages
        return parts is whole

    def _whole(self, page_count: int) -> list[Window]:
        last = self._width - 1
        if self._driver in SSD1306_LIKE:
            return [Window(0, page_count - 1, 0, last)]
        return [Window(page, page, 0, last) for page in range(page_count)]

    def _address(self, part: Window) -> tuple[int, ...]:
        first, last = part.first + self._first_column, part.last + self._first_column
        if self._driver in SSD1306_LIKE:
            return (COLUMN_ADDR, first, last, PAGE_ADDR, part.first_page, part.last_page)
        return (PAGE_START | part.first_page, first & 0x0F, 0x10 | first >> 4)
