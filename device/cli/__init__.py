"""The `psoas` command line: the options and exit codes every subcommand shares.

`device.cli.main` builds the parser from one module per command (`run`, `demo`, `doctor`,
`config`, `routines`, `stats`, `morning`, `preview`, `install`); each has `register(subparsers)`. Command
modules import only this package's shared parts, never `main`, so there is no import cycle.

Every error a person can cause (arguments, config, routine files, hardware) ends on standard
error as `psoas <command>: <what>: <fix>`, one line per problem, and a non-zero exit: 2 for
usage and config errors, 1 otherwise. No traceback.
"""

from __future__ import annotations

import argparse

EXIT_FAILURE = 1
EXIT_USAGE = 2  # bad arguments or config: systemd's RestartPreventExitStatus=2


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the option, not usage + error."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def positive_number(text: str) -> float:
    """An argparse type: a number above 0 (e.g. --speed 60)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be a number above 0, e.g. 60; not {text!r}")
    return value


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
