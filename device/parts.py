"""The parts `psoas run` opens from the config: screen, button, haptics (real or emulated);
`psoas demo` opens its emulated ones here too (`open_emulated`).

The hardware libraries (luma, gpiozero) are imported by the adapters when a part is opened, so
a missing library or missing hardware ends as one `HardwareError` line naming the fix. Each
opener returns the adapter plus a list of `close()` callables for the runner's `finally`.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from device.config.load import Config
from device.config.schema import HapticsSettings
from device.emulated.keyboard import LEGEND, KeyboardReader
from device.emulated.terminal_display import TerminalDisplay
from device.emulated.window_display import open_window
from device.errors import HardwareError
from device.hardware.gpio_button import GpioButton
from device.hardware.haptics import Haptics
from device.hardware.luma_display import LumaDisplay
from device.hardware.virtual_panel import VirtualPanel
from device.inputs import Quit
from device.panel.drivers import VIRTUAL
from device.screen import LumaDeviceScreen

log = logging.getLogger("psoas.run")


@dataclass
class Parts:
    """What the runner drives: `adapter` (has `display(image)`), and what to close before it.

    `closers` release the inputs and cues (keyboard, button, haptics); the runner closes the
    adapter itself, last, through the daemon's `ScreenOutput` so the panel is left off.
    """

    adapter: object
    description: str
    closers: list[Callable[[], None]] = field(default_factory=list)
    haptics: object | None = None


def reads_keys(stream) -> bool:
    """True for a terminal or a pipe (scripts and tests type keys); False for /dev/null or files."""
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (AttributeError, OSError, ValueError):
        return False
    return stream.isatty() or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def open_emulated(inputs, stdin=sys.stdin, stdout=sys.stdout, *, keys: bool | None = None,
                  legend: str = LEGEND, window: bool = False) -> Parts:
    """The terminal as screen (luma's `dummy` when stdout is not a terminal), keys as the button.

    `keys`: read keys from `stdin` (None: when it is a terminal or a pipe, `reads_keys`).
    `legend`: the line under the terminal's frame. `window`: a desktop window (luma.emulator)
    as the screen instead; closing it puts a `Quit` on `inputs`.
    """
    if window:
        adapter = open_window(on_close=lambda: inputs.put(Quit("window closed")))
        description = "a desktop window"
    elif stdout.isatty():
        adapter, description = TerminalDisplay(stdout, legend=legend), "terminal screen"
    else:
        from luma.core.device import dummy

        adapter = LumaDeviceScreen(dummy(width=128, height=64, mode="1"))
        description = "no screen (stdout is not a terminal)"
    parts = Parts(adapter, description)
    if reads_keys(stdin) if keys is None else keys:
        parts.closers.append(KeyboardReader(inputs, stdin).close)
        parts.description += ", keys as the button"
    return parts


def open_hardware(config: Config, inputs, serial_opener=None, pin_factory=None) -> Parts:
    """The OLED (or the virtual panel) and the button (and haptics, when enabled); raises
    `HardwareError` (one line).

    `serial_opener` and `pin_factory` replace the real bus and pins in tests.
    """
    display = config.display
    kwargs = {"serial_opener": serial_opener} if serial_opener else {}
    try:
        if display.driver == VIRTUAL:
            adapter = VirtualPanel(display)
        else:
            adapter = LumaDisplay(display, **kwargs)
    except ImportError as error:  # luma is imported when the panel is first opened
        raise HardwareError(f"a hardware library is missing ({error}); reinstall with "
                            f"`pip install psoas-companion`, or use `psoas run --emulate`") from None
    description = adapter.description if display.driver == VIRTUAL else f"{display.driver} over " \
        f"{display.interface.upper()}"
    parts = Parts(adapter, description)
    try:
        button = config.button
        gpio_button = GpioButton(button.pin, inputs, pull_up=button.pull_up, pin_factory=pin_factory)
        parts.closers.append(gpio_button.close)
        parts.description += f", button on GPIO{button.pin}"
        parts.haptics = open_haptics(config, pin_factory)
        if parts.haptics is not None:
            parts.closers.append(parts.haptics.close)
    except BaseException:
        close_all(parts.closers + [adapter.close])
        raise
    return parts


def open_haptics(config: Config, pin_factory=None):
    """The buzzer or vibration motor, or None when off; a failure is logged, never fatal."""
    section = config.haptics
    if not section.enabled or section.strength <= 0:
        return None
    try:
        return Haptics.from_config(section, pin_factory)
    except (HardwareError, ValueError, ImportError) as error:
        log.warning("haptics off: %s", error)
        return None


def cues_silent(haptics: HapticsSettings, night: bool) -> bool:
    """No cues now: switched off (`enabled`, which the phone page changes), or `night` hours
    without `at_night`."""
    return not haptics.enabled or (night and not haptics.at_night)


def haptics_listener(haptics, silent: Callable[[], bool]):
    """An engine-event listener (loop thread) that plays each cue unless `silent()` (e.g.
    `cues_silent` on the config in use).

    It never hears a cue while the screen is dark: the daemon holds those back.
    """

    def on_event(event) -> None:
        if event.cue is not None and not silent():
            haptics.play(event.cue)

    return on_event


def close_all(closers: list[Callable[[], None]]) -> None:
    """Call each closer; one failing never stops the others (logged)."""
    for close in closers:
        try:
            close()
        except Exception as error:  # noqa: BLE001 - teardown must reach the panel and journal
            log.warning("while closing: %s", error)
