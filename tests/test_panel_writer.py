"""Partial panel updates over the real luma.oled drivers and luma's I2C framing.

Every byte the recording bus sees goes into a model of the controller's memory
(`panel_memory.PanelMemory`), and the picture that memory shows must be the picture the
program drew: frame by frame, through a whole routine, a bus fault and a wake from dark.
"""

from __future__ import annotations

import errno
import queue

import pytest
from fakes import FakeClock
from panel_memory import PanelMemory
from PIL import Image, ImageDraw
from recording_bus import RecordingBus, luma_i2c

from device.cli.demo import HandsFree
from device.clocks.monotonic import ScaledClock
from device.config.schema import DisplaySettings
from device.daemon import Daemon, Hooks
from device.hardware.luma_display import FULL_FRAME_SECONDS, LumaDisplay
from device.inputs import Gesture
from device.screen_output import ScreenOutput
from routines.engine import Engine
from routines.loading.catalog import load_catalog
from routines.state import Phase

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata:DeprecationWarning")

CATALOG = load_catalog()
PANELS = [  # driver, width, height, rotate: each a 128×64 picture for the software
    ("ssd1306", 128, 64, 0), ("ssd1309", 128, 64, 0), ("sh1106", 128, 64, 0), ("sh1107", 64, 128, 1),
]
BLACK = Image.new("1", (128, 64))


def same(a: Image.Image, b: Image.Image) -> bool:
    """The same pixels lit (a mode-"1" pixel is lit when it is not 0, whether 1 or 255)."""
    return a.size == b.size and a.convert("1").tobytes() == b.convert("1").tobytes()


def open_panel(driver, width, height, rotate, clock=None, cls=LumaDisplay):
    bus = RecordingBus()
    panel = cls(DisplaySettings(driver=driver, width=width, height=height, rotate=rotate),
                serial_opener=lambda: luma_i2c(bus), clock=clock or FakeClock())
    return panel, bus, PanelMemory(bus, driver, width, height, rotate)


def drawn(*boxes) -> Image.Image:
    image = BLACK.copy()
    draw = ImageDraw.Draw(image)
    for box in boxes:
        draw.rectangle(box, outline=1)
    return image


@pytest.mark.parametrize(("driver", "width", "height", "rotate"), PANELS)
def test_each_frame_sends_only_the_changed_columns_of_the_changed_pages(driver, width, height, rotate):
    panel, bus, memory = open_panel(driver, width, height, rotate)
    first = drawn((10, 2, 40, 12), (5, 52, 120, 60))  # a heading and a hint line
    panel.display(first)
    assert same(memory.update().image(), first)
    sent = memory.data_bytes

    moved = drawn((10, 2, 41, 12), (5, 52, 120, 60))  # the heading's box one column wider
    panel.display(moved)
    assert same(memory.update().image(), moved)
    changed = memory.data_bytes - sent
    if rotate == 0:
        assert changed == 2 * 2  # two columns (40 and 41) of the two pages the box covers
    else:
        assert changed <= 2 * 8  # the same change, seen down the controller's columns

    both = drawn((10, 2, 41, 14), (5, 50, 120, 60))  # heading and hint change together
    sent = memory.data_bytes
    panel.display(both)
    assert same(memory.update().image(), both)
    assert memory.data_bytes - sent < 512  # two bands, not a full frame

    sent = memory.data_bytes
    panel.display(both.copy())
    assert memory.update().data_bytes == sent  # nothing changed: nothing sent


@pytest.mark.parametrize(("driver", "width", "height", "rotate"), PANELS)
def test_a_full_frame_goes_out_after_waking_and_every_few_minutes(driver, width, height, rotate):
    clock = FakeClock()
    panel, bus, memory = open_panel(driver, width, height, rotate, clock=clock)
    picture = drawn((20, 20, 60, 40))
    panel.display(picture)
    panel.panel_off()
    memory.update().lose_power()  # off, the panel may lose what it held
    panel.display(picture)  # the same picture when it comes back
    panel.panel_on()
    assert memory.update().is_on and same(memory.image(), picture)

    memory.lose_power(seed=2)  # say a glitch on the bus corrupted the panel's memory
    clock.advance(FULL_FRAME_SECONDS - 1)
    nudged = drawn((20, 20, 61, 40))
    panel.display(nudged)
    assert not same(memory.update().image(), nudged)  # a partial write does not repair it
    clock.advance(1)
    panel.display(picture)
    assert same(memory.update().image(), picture)  # the safety refresh does


class CheckedPanel(LumaDisplay):
    """A `LumaDisplay` whose panel memory is compared with the picture after every write."""

    memory: PanelMemory
    checks = 0
    shown: Image.Image | None = None

    def display(self, image):
        self.shown = image
        super().display(image)
        self.check()

    def panel_on(self):
        super().panel_on()
        self.check()

    def retry(self):
        healthy = super().retry()
        self.check()
        return healthy

    def check(self) -> None:
        self.memory.update()
        if self.is_healthy and self.memory.is_on and self.shown is not None:
            assert same(self.memory.image(), self.shown)
            self.checks += 1


@pytest.mark.parametrize(("driver", "width", "height", "rotate"), PANELS)
def test_the_panel_shows_every_frame_of_a_routine_through_a_bus_fault_and_a_wake(
        driver, width, height, rotate):
    real = FakeClock()
    clock = ScaledClock(1.0, real_monotonic=real.monotonic)
    panel, bus, memory = open_panel(driver, width, height, rotate, clock=real, cls=CheckedPanel)
    panel.memory = memory
    screen = ScreenOutput(panel, contrast=40)
    inputs: queue.Queue = queue.Queue()
    hooks = Hooks(tasks=[lambda: screen.maintain(real.now)]).plus(HandsFree(inputs, clock).hooks)
    daemon = Daemon(Engine(clock, CATALOG.cards), screen, inputs, clock, hooks=hooks)
    daemon.engine.bedtime([CATALOG.routine("quick")], real.now)
    started = real.now

    def step() -> None:
        wait = daemon.step()
        daemon.drain()
        real.advance(wait)

    while daemon.state is None or daemon.state.phase is not Phase.DONE:
        elapsed = real.now - started
        bus.fail_with = errno.EIO if 40 <= elapsed < 47 else None  # the wire comes loose mid-hold
        step()
    assert bus.attempts > len(bus.writes) and panel.is_healthy  # writes failed, then it came back
    while daemon.state.phase is not Phase.DARK:
        step()
    memory.update()
    assert not memory.is_on
    memory.lose_power()
    checks = panel.checks
    daemon.gesture(Gesture.PRESS, daemon.clock.monotonic())  # a press in the dark: the time
    step()
    assert daemon.state.phase is Phase.CLOCK and memory.is_on and panel.checks > checks

    frames = panel.checks
    assert frames > 300  # every pacer frame and countdown second of the routine was checked
    assert memory.data_bytes < frames * 300  # mostly small partial writes, not 1 KiB each
