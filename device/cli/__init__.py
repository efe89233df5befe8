"""The `psoas` command line: the options and exit codes every subcommand shares.

`device.cli.main` builds the parser from one module per command (`run`, `demo`, `doctor`,
`config`, `routines`, `stats`, `preview`, `install`); each has `register(subparsers)`. Command
modules import only this package's shared parts, never `main`, so there is no import cycle.

Every error a person can cause (arguments, config, routine files, hardware) ends on standard
error as `psoas <command>: <what>: <fix>`, one line per problem, and a non-zero exit: 2 for
usage and config errors, 1 otherwise. No traceback; anything from outside (a path, a name) is
shown with its control characters escaped.

Exit codes: 0 done (also after SIGTERM, a stop request); 1 a failure or a check that found
problems (`config --check`, `routines check`); 2 a usage or config error; 130 stopped by
Ctrl-C (SIGINT) before the command finished, even while it is still starting up.
"""

from __future__ import annotations

import argparse
import math

from routines.files import shown

EXIT_FAILURE = 1
EXIT_USAGE = 2  # bad arguments or config: systemd's RestartPreventExitStatus=2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it


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
    if not any("--config" in action.option_strings for action in parser._actions):
        add_config_option(parser)
    parser.add_argument("--state-dir", metavar="DIR", help="where history is kept (default: $PSOAS_STATE_DIR, "
                        "$STATE_DIRECTORY, [state] dir, then ~/.local/state/psoas-companion)")
