"""The `psoas` entry point: the table of commands, the parser, and `main`.

`COMMANDS` (pip's `commands_dict`) names each command's module and one-line summary. Only the
module of the command that runs is imported (and, for `psoas --help`, none), so `psoas run` and
`psoas morning` never load the phone page's Flask. Every command module has the same two
functions: `add_arguments(parser)` fills in its parser and `run(args) -> int` runs it.

`main` sets `quit_quietly` for SIGINT and SIGTERM while it parses the arguments (see
`device.cli` for the start-up rule and the exit codes); then Ctrl-C is a `KeyboardInterrupt`
(exit 130) and SIGTERM still a quiet exit 0, until a command sets its own handlers. When this
process is the `psoas` program, both are ignored once the command has returned, so a stop
request while Python shuts down leaves the command's exit code as it is.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
from collections.abc import Collection
from typing import NamedTuple

from device.cli import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    STOP_SIGNALS,
    OneLineParser,
    is_the_program,
    quit_quietly,
    set_handlers,
)
from device.errors import ConfigError, UsageError
from routines.errors import PsoasError
from routines.loading.files import shown

LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
PACKAGE = "psoas-companion"  # the distribution `--version` names


class CommandInfo(NamedTuple):
    """Where a command lives (a module with `add_arguments` and `run`) and what it does, in one line."""

    module: str
    summary: str


COMMANDS = {  # in the order `psoas --help` lists them
    "demo": CommandInfo("device.cli.demo", "run the routine on a terminal screen; the keyboard is the button"),
    "preview": CommandInfo("device.cli.preview", "write every screen as PNG, or a routine as a GIF"),
    "doctor": CommandInfo("device.cli.doctor", "check wiring, permissions, packages and config"),
    "stats": CommandInfo("device.cli.stats", "the last 8 weeks of nights as a heatmap, the streak and totals"),
    "export": CommandInfo("device.cli.export", "write the whole journal as CSV and/or JSON"),
    "morning": CommandInfo("device.cli.morning", "answer today's morning check-in: stiffness 0-10 (as the button does)"),
    "plan": CommandInfo("device.cli.plan", "tonight's plan and each coaching rule that shaped it"),
    "routines": CommandInfo("device.cli.routines", "list, show and check routines (built-in and your own)"),
    "run": CommandInfo("device.cli.run", "run the bedside daemon (the OLED and button, or --emulate)"),
    "config": CommandInfo("device.cli.config", "print the effective config and where each value came from"),
    "install": CommandInfo("device.setup.install", "install the systemd service (run with sudo)"),
    "uninstall": CommandInfo("device.setup.uninstall", "remove the systemd units; keeps the history"),
    "web": CommandInfo("device.cli.web", "serve the phone page (settings, progress, backups) on the home network"),
}


class VersionAction(argparse.Action):
    """`--version`: print the installed version of psoas-companion and exit 0."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib import metadata  # only here: it costs more than the rest of `psoas --help`

        try:
            version = metadata.version(PACKAGE)
        except metadata.PackageNotFoundError:
            version = "(version unknown: not installed with pip)"
        print(f"psoas {version}")
        parser.exit()


class ShownFormatter(logging.Formatter):
    """Log lines with control characters escaped: a path or name from outside never reaches
    the terminal raw (tracebacks keep their line breaks)."""

    def format(self, record: logging.LogRecord) -> str:
        return "\n".join(shown(line) for line in super().format(record).split("\n"))


def build_parser(loaded: Collection[str] = COMMANDS.keys(),
                 listed: Collection[str] = COMMANDS.keys()) -> argparse.ArgumentParser:
    """The `psoas` parser: the commands in `listed` (by default all) with their summaries, and
    the arguments of the commands in `loaded` (by default all; no other command's module is
    imported). Each loaded command's parser has its module's `run` as its `handler` default."""
    parser = OneLineParser(prog="psoas", description="A bedside companion for gentle psoas stretches in bed.")
    parser.add_argument("--version", action=VersionAction, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for name, info in COMMANDS.items():
        if name not in listed:
            continue
        command = commands.add_parser(name, help=info.summary)
        if name in loaded:
            module = importlib.import_module(info.module)
            module.add_arguments(command)
            command.set_defaults(handler=module.run)
    return parser


def command_in(argv: list[str]) -> str | None:
    """The command `argv` names: its first word that is not an option (`psoas` itself takes
    no option with a value), or None."""
    return next((word for word in argv if not word.startswith("-")), None)


def parse(argv: list[str]) -> argparse.Namespace:
    """The parsed arguments; `SystemExit` after one line naming what is wrong (an unknown
    option too, also when no command is given: `psoas -x`)."""
    named = command_in(argv)
    known = named in COMMANDS
    # A command first: only its own parser is built (each parser costs argparse's gettext
    # look-ups; the others show only in `psoas --help` and in "invalid choice").
    first = known and argv[0] == named
    parser = build_parser(loaded=[named] if known else [], listed=[named] if first else COMMANDS.keys())
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:
        parser.error("the following arguments are required: COMMAND")
    return args


def _setup_output() -> None:
    """Logging to stderr (as `logging.basicConfig`, each line escaped); text the terminal
    cannot encode is written as escapes instead of ending the command."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(ShownFormatter(LOG_FORMAT))
        root.addHandler(handler)
        root.setLevel(logging.INFO)


def _silence_stdout() -> None:
    """After a closed pipe (`psoas routines list | head -1`): no second error at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run one `psoas` command; returns its exit status (see `device.cli` for the codes)."""
    previous = set_handlers({number: quit_quietly for number in STOP_SIGNALS})
    try:
        _setup_output()
        try:
            args = parse(sys.argv[1:] if argv is None else argv)
        except SystemExit as stop:  # --help, a usage error already printed as one line, or Ctrl-C
            return stop.code if isinstance(stop.code, int) else EXIT_USAGE
        if previous:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            return args.handler(args)
        except PsoasError as exc:
            for line in str(exc).splitlines() or [type(exc).__name__]:
                print(f"psoas {args.command}: {shown(line)}", file=sys.stderr)
            return EXIT_USAGE if isinstance(exc, (ConfigError, UsageError)) else EXIT_FAILURE
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            _silence_stdout()
            return 0
    finally:
        if is_the_program():  # the command is done: nothing may change its code while Python shuts down
            set_handlers({number: signal.SIG_IGN for number in STOP_SIGNALS})
        else:  # called in-process (tests): leave the caller's handlers as they were
            set_handlers({number: handler for number, handler in previous.items() if handler is not None})


if __name__ == "__main__":
    sys.exit(main())
