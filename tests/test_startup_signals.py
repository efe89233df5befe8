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


FINALIZING = b"finalizing"
DRIVER = f'''
import os, sys

class Finalizing:
    """Deleted as the interpreter shuts down, after Python reset its signal handlers: it says
    so on standard error, then waits until standard input closes."""

    def __del__(self, write=os.write, read=os.read):
        write(2, {FINALIZING!r} + b"\\n")
        read(0, 1)

finalizing = Finalizing()
from device.cli.main import main  # as the console script pip writes does
sys.exit(main())
'''


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_the_interpreter_shuts_down_keeps_the_exit_code(tmp_path, number):
    """`psoas stats & sleep 0.27; kill -TERM $!`: a stop request that lands after the command
    finished, while Python is shutting down, leaves the command's code (0), never 143 or 130."""
    script = tmp_path / "psoas"  # named as the console script: the entry point is the program
    script.write_text(DRIVER)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1", PSOAS_STATE_DIR=str(tmp_path / "s"),
               PSOAS_CONFIG=str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    process = subprocess.Popen([sys.executable, str(script), "stats"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    seen = []
    for raw in process.stderr:
        seen.append(raw.decode(errors="replace"))
        if raw.strip() == FINALIZING:
            process.send_signal(number)
            break
    process.stdin.close()  # lets the shutdown go on
    process.stdin = None
    out, rest = process.communicate(timeout=30)
    err = "".join(seen) + rest.decode(errors="replace")
    assert FINALIZING.decode() in err, err[-2000:]
    assert "Traceback" not in err, err[-2000:]
    assert process.returncode == 0, err[-2000:]
    assert b"No nights recorded yet" in out
