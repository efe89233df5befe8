"""One routine to its end on the virtual panel: run inside an ARM container by tests/test_arm.py.

    /opt/psoas-companion/bin/python arm_routine.py ROUTINE SPEED FRAMES_DIR

`psoas demo`'s hands-free night (it presses wherever the routine waits, time SPEED times
faster), with the virtual panel of `[display] driver = "virtual"` as its screen instead of
luma's bare dummy: every PNG the panel writes is kept as FRAMES_DIR/NNNN.png. Prints the
demo's lines (one per screen, then `finished: ...`) and exits with its status.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from device.cli import demo
from device.config.load import Config
from device.hardware.virtual_panel import VirtualPanel
from device.parts import Parts


class KeptFrames(VirtualPanel):
    """The virtual panel, keeping a copy of each PNG it writes."""

    def __init__(self, config, folder: Path):
        self.folder, self.count = folder, 0
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(config, path=folder / "screen.png")

    def _save(self) -> None:
        super()._save()
        self.count += 1
        shutil.copyfile(self.path, self.folder / f"{self.count:04d}.png")


def main(routine: str, speed: str, folder: str) -> int:
    config = Config().replace("display", driver="virtual")
    panel = KeptFrames(config.display, Path(folder))
    demo.open_emulated = lambda inputs, *args, **options: Parts(panel, panel.description)
    return demo.run_demo(config, routine, float(speed), stdin=open("/dev/null"), stdout=sys.stdout)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
