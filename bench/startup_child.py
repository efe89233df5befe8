"""Run the real `psoas` command line, marking the moment its first frame reaches the display.

For `bench/startup.py` only: with stdout not a terminal, `psoas demo` and `psoas run
--emulate` draw on luma's `dummy` device; this wraps its `display()` so that the first frame
with a lit pixel (not the blank a dark screen gets on a device without `panel_off`) writes
`FIRST-FRAME` on stdout, then hands the arguments to `device.cli.main.main` as the `psoas`
entry point does. With `PSOAS_BENCH_EXIT_AT_FIRST_FRAME=1` in the environment the process
ends right there (`os._exit(0)`), for counting the instructions up to it (`bench/instructions.py`).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the clone's own code


def main() -> None:
    from luma.core.device import dummy

    original = dummy.display
    shown = []

    def display(self, image):
        if not shown and image.getbbox() is not None:
            shown.append(True)
            os.write(sys.stdout.fileno(), b"FIRST-FRAME\n")
            if os.environ.get("PSOAS_BENCH_EXIT_AT_FIRST_FRAME") == "1":
                os._exit(0)
        return original(self, image)

    dummy.display = display
    from device.cli.main import main as psoas

    sys.exit(psoas(sys.argv[1:]))


if __name__ == "__main__":
    main()
