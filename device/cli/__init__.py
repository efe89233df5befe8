"""The `psoas` command line: the options and exit codes every subcommand shares.

`device.cli.main` holds the table of commands, one module each (`run`, `demo`, `doctor`,
`config`, `routines`, `stats`, `export`, `morning`, `plan`, `preview`, `web`; `install` and
`uninstall` live in `device.setup`), and imports only the module of the command that runs. Each has `add_arguments(parser)` and
`run(args) -> int`. Command modules import only this package's shared parts, never `main`,
so there is no import cycle.

Every error a person can cause (arguments, config, routine files, hardware) ends on standard
error as `psoas <command>: <what>: <fix>`, one line per problem, and a non-zero exit: 2 for
usage and config errors, 1 otherwise. No traceback; anything from outside (a path, a name) is
shown with its control characters escaped.

Exit codes: 0 done (also after SIGTERM, a stop request, as systemd sends); 1 a failure or a
check that found problems (`config --check`, `routines check`); 2 a usage or config error;
130 stopped by Ctrl-C (SIGINT) before the command finished.

Ctrl-C or SIGTERM while Python is still importing the commands (about half a second on a Pi)
ends the `psoas` process quietly too: when this process is the `psoas` program, this package,
the first thing its entry point imports, sets `quit_quietly` for both signals before it
imports anything else. `device.cli.main.main` keeps that rule until a command sets its own
handlers (`psoas run` turns both signals into a clean stop). Once the command is done, the
program ignores both while Python shuts down (Python itself would reset them to the default,
ending the process with 143 or 130 instead of the command's code).
"""

from __future__ import annotations

import os
import signal
import sys

EXIT_FAILURE = 1
EXIT_USAGE = 2  # bad arguments or config: systemd's RestartPreventExitStatus=2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def quit_quietly(number, frame) -> None:
    """A signal handler (main thread): exit now, with no traceback; 130 for SIGINT, else 0."""
    raise SystemExit(EXIT_INTERRUPTED if number == signal.SIGINT else 0)


def set_handlers(handlers: dict) -> dict:
    """Install `handlers` (signal -> handler); returns the ones they replace. Main thread only."""
    try:
        return {number: signal.signal(number, handler) for number, handler in handlers.items()}
    except ValueError:  # not the main thread (an in-process caller): leave signals alone
        return {}


def is_the_program() -> bool:
    """The `psoas` console script, or `python -m device.cli.main` (argv[0] is "-m" meanwhile)."""
    return os.path.basename(sys.argv[0] if sys.argv else "") in ("psoas", "-m")


if is_the_program():
    set_handlers({number: quit_quietly for number in STOP_SIGNALS})  # before the slow imports

import argparse  # noqa: E402 - after the handlers: an interrupt while importing is quiet
import math  # noqa: E402

from routines.loading.files import shown  # noqa: E402


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the option, not usage + error."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: {shown(message)} (see {self.prog} --help)\n")


def number_in(low: float, high: float):
    """An argparse type: a number from `low` to `high` (e.g. --speed 60)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not low <= value <= high:  # also refuses nan
            raise argparse.ArgumentTypeError(f"must be a number from {low:g} to {high:g}, e.g. 60; not {text!r}")
        return value

    return parse


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """Add `--config PATH` to a subcommand's parser."""
    parser.add_argument("--config", metavar="PATH", help="config file (default: $PSOAS_CONFIG, then "
                        "/etc/psoas-companion/config.toml, then ~/.config/psoas-companion/config.toml)")


def add_path_options(parser: argparse.ArgumentParser) -> None:
    """Add `--config PATH` and `--state-dir DIR` to a subcommand's parser."""
    add_config_option(parser)
    parser.add_argument("--state-dir", metavar="DIR", help="where history is kept (default: $PSOAS_STATE_DIR, "
                        "$STATE_DIRECTORY, [state] dir, then ~/.local/state/psoas-companion)")
