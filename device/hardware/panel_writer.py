"""Send a picture to a luma.oled panel, only the part that changed since the last one.

luma.oled's OLED devices send the whole picture on every `display()`, packed a pixel at a
time in Python. `PanelWriter` replaces only that call: it keeps a copy of what the panel's
memory holds, and for each 8-row page that changed sends only its changed columns (a run
each, unless runs are closer than a window costs), behind the controller's own address
commands. The luma device still does everything else (init sequence, contrast, show / hide,
the I2C or SPI interface): the writer talks to it through its public `command()`, `data()`
and `preprocess()` only.

Two ways of addressing, as luma.oled's drivers set the controllers up (each controller's
record in `device.panel.drivers` says which it uses, what one more window costs and where
the panel's first column sits):
- horizontal: a column window and a page window, then the data; the column pointer wraps to
  the next page at the window's right edge, so spans of neighbouring pages share one window.
- page: the page, then the column (low and high nibble), then the data of that page only.
"""

from __future__ import annotations

from PIL import Image

from device.panel.drivers import Driver
from device.panel.pages import Window, changes, pack, window_data, windows

COLUMN_ADDR, PAGE_ADDR, PAGE_START = 0x21, 0x22, 0xB0


class PanelWriter:
    """Writes 1-bit pictures to one luma.oled `device`, a controller of kind `driver`.
    Called from the daemon's thread only.

    The copy of the panel's memory starts unknown, so the first write is the whole picture;
    `forget()` makes it unknown again (a bus fault, a panel that may have lost power).
    """

    def __init__(self, device, driver: Driver):
        self._device = device
        self._paged = driver.page_addressed
        self._width = device.height if device.rotate % 2 else device.width  # before luma turns it
        self._first_column = driver.column_offset(self._width)
        self._window_cost = driver.window_cost
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
        parts = windows(spans, None if self._paged else self._window_cost)
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
        if self._paged:
            return [Window(page, page, 0, last) for page in range(page_count)]
        return [Window(0, page_count - 1, 0, last)]

    def _address(self, part: Window) -> tuple[int, ...]:
        first, last = part.first + self._first_column, part.last + self._first_column
        if self._paged:
            return (PAGE_START | part.first_page, first & 0x0F, 0x10 | first >> 4)
        return (COLUMN_ADDR, first, last, PAGE_ADDR, part.first_page, part.last_page)
