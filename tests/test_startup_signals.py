"""Ctrl-C or SIGTERM while `psoas` is still importing its commands: a quiet exit, no traceback.

Each run is a real subprocess started with `python -X importtime`, which writes a line to
standard error as each module finishes importing; the signal is sent as soon as a module that
the entry point imports after setting its handlers has loaded, so it lands in the middle of
the imports. Exit 130 for SIGINT, 0 for SIGTERM (as documented in `device.cli`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("psoas")  # the console script pip wrote
MARK = "device.config.schema"  # imported by the commands, well before the last of them
EXPECTED = {signal.SIGINT: 130, signal.SIGTERM: 0}


def interrupt_start_up(command: list[str], number: int) -> tuple[int, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    process = subprocess.Popen(command + ["routines", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
    seen = []
    for raw in process.stderr:
        line = raw.decode(errors="replace")
        seen.append(line)
        if MARK in line:
            process.send_signal(number)
            break
    rest = process.communicate(timeout=30)[1].decode(errors="replace")
    return process.returncode, "".join(seen) + rest


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("how", ["module", "script"])
def test_a_signal_while_importing_is_a_quiet_exit(number, how):
    if how == "script" and not SCRIPT.exists():
        pytest.skip("no psoas console script next to this Python")
    command = [sys.executable, "-X", "importtime"] + (["-m", "device.cli.main"] if how == "module" else [str(SCRIPT)])
    code, err = interrupt_start_up(command, number)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-2000:]
    assert code == EXPECTED[number]
