"""The real button: a gpiozero `Button` whose callbacks only put edges on the daemon's queue.

gpiozero calls `when_pressed` / `when_released` on its pin thread (lgpio runs every GPIO
callback on one shared thread), so they do nothing but `queue.put(ButtonEdge(...))` with the
monotonic time. The daemon's loop turns edges into gestures (`device.gestures`).
"""

from __future__ import annotations

import queue
import time

from device.hardware.gpio_errors import opening_gpio
from device.inputs import ButtonEdge


class GpioButton:
    """A momentary push button between BCM GPIO `pin` and GND (or 3V3 with `pull_up=False`).

    `bounce_seconds` is gpiozero's software debounce in seconds (None: off; the gesture
    classifier debounces too). `pin_factory` is for tests (`gpiozero.pins.mock.MockFactory`);
    None uses the Pi's default. Raises `HardwareError` with one line naming the fix.
    """

    def __init__(
        self,
        pin: int,
        inputs: queue.Queue,
        pull_up: bool = True,
        bounce_seconds: float | None = None,
        pin_factory=None,
    ):
        self.pin = pin
        self._inputs = inputs
        with opening_gpio(f"button on GPIO{pin}", real_pins=pin_factory is None):
            from gpiozero import Button

            self._button = Button(
                pin, pull_up=pull_up, bounce_time=bounce_seconds, pin_factory=pin_factory
            )
        self._button.when_pressed = self._on_pressed
        self._button.when_released = self._on_released

    def _on_pressed(self) -> None:
        """Called on gpiozero's pin thread when the button goes down."""
        self._inputs.put(ButtonEdge(pressed=True, at=time.monotonic()))

    def _on_released(self) -> None:
        """Called on gpiozero's pin thread when the button goes up."""
        self._inputs.put(ButtonEdge(pressed=False, at=time.monotonic()))

    def close(self) -> None:
        """Release the pin; safe to call more than once."""
        self._button.close()

    def __enter__(self) -> GpioButton:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
