"""A panel that is not hardware (`[display] driver = "virtual"`): the service on any machine.

luma's `dummy` device takes the frames, as a real panel would. After every change, what the
glass would show (black while the panel is off) is written to `frame_path()` as a PNG, with
the text chunks `panel` ("on" / "off") and `contrast` (0-255), so a person or a test can look
at it. The file is replaced atomically, so a reader never sees half a frame.

The button then needs gpiozero's mock pins: `GPIOZERO_PIN_FACTORY=mock` (systemd/virtual.conf
sets it for the service; the README says how to use it).
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from PIL import Image
from PIL.PngImagePlugin import PngInfo

from device.config.paths import APP, runtime_dir
from device.config.schema import DisplaySettings
from device.errors import HardwareError
from device.screen import LumaDeviceScreen
from device.storage.atomic import write_atomically

log = logging.getLogger(__name__)

FILE_NAME = "screen.png"
SERVICE_FRAME = Path("/run") / APP / FILE_NAME  # where the service's RuntimeDirectory= puts it
FRAME_MODE = 0o644  # a picture of the screen, readable by anyone who may see the screen


def frame_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the frame goes: `screen.png` in the runtime folder (`device.config.paths.runtime_dir`)."""
    return runtime_dir(environ) / FILE_NAME


class VirtualPanel(LumaDeviceScreen):
    """luma's `dummy` as the panel, its picture kept in `path` (default `frame_path()`).

    `config` (the `[display]` settings) gives width, height and rotate. Raises
    `HardwareError` when the PNG cannot be written at the start; later write errors are
    logged once and the daemon goes on. Called from the daemon's loop thread only.
    """

    def __init__(self, config: DisplaySettings = DisplaySettings(), path: Path | None = None):
        from luma.core.device import dummy

        super().__init__(dummy(width=config.width, height=config.height, rotate=config.rotate, mode="1"))
        self.path = Path(path) if path is not None else frame_path()
        self.contrast = 255
        self.is_on = True
        self._last: Image.Image | None = None  # the last frame sent, as drawn (before `rotate`)
        self._write_failed = False
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._save()
        except OSError as error:
            raise HardwareError(f"virtual panel: cannot write {self.path} ({error.strerror or error}); "
                                f"set $RUNTIME_DIRECTORY to a writable directory") from None

    @property
    def description(self) -> str:
        return f"virtual panel (the last frame in {self.path})"

    @property
    def frame(self) -> Image.Image:
        """What the panel shows now, as drawn: the last frame, or black while it is off."""
        if self.is_on and self._last is not None:
            return self._last
        return Image.new("1", self.size)

    def display(self, image: Image.Image) -> None:
        if image.size != self.size:
            raise HardwareError(f"virtual panel: the frame is {image.size[0]}×{image.size[1]} but the panel "
                                f"is {self.size[0]}×{self.size[1]}; set width and height in [display]")
        self._last = image.convert("1")
        super().display(self._last)
        self._changed()

    def set_contrast(self, level: int) -> None:
        if not 0 <= level <= 255:
            raise ValueError(f"contrast must be from 0 to 255, not {level}")
        super().set_contrast(level)
        self.contrast = level
        self._changed()

    def panel_off(self) -> None:
        super().panel_off()
        self.is_on = False
        self._changed()

    def panel_on(self) -> None:
        super().panel_on()
        self.is_on = True
        self._changed()

    def close(self) -> None:
        """Leave the panel off (the PNG then shows it dark); safe to call twice."""
        if self.is_on:
            self.panel_off()
        self.device.persist = True  # luma's cleanup must not clear a panel that is off already
        super().close()

    def _changed(self) -> None:
        try:
            self._save()
        except OSError as error:
            if not self._write_failed:
                log.warning("virtual panel: cannot write %s (%s); frames are not kept", self.path,
                            error.strerror or error)
            self._write_failed = True
            return
        self._write_failed = False

    def _save(self) -> None:
        info = PngInfo()
        info.add_text("panel", "on" if self.is_on else "off")
        info.add_text("contrast", str(self.contrast))
        png = io.BytesIO()
        self.frame.save(png, format="PNG", pnginfo=info)
        # a frame need not outlive a power cut (it lives on /run): no fsync for every frame
        write_atomically(self.path, png.getvalue(), mode=FRAME_MODE, durable=False)
