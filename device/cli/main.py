"""The `psoas` entry point: the parser built from one module per command, and `main`.

Every command module has `register(subparsers)`, which adds its parser and sets `handler`.
`main` sets `quit_quietly` for SIGINT and SIGTERM while it parses the arguments (see
`device.cli` for the start-up rule and the exit codes); then Ctrl-C is a `KeyboardInterrupt`
(exit 130) and SIGTERM still a quiet exit 0, until a command sets its own handlers. When this
process is the `psoas` program, both are ignored once the command has returned, so a stop
request while Python shuts down leaves the command's exit code as it is.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys

from device.cli import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    STOP_SIGNALS,
    OneLineParser,
    demo,
    doctor,
    install,
    is_the_program,
    morning,
    plan,
    preview,
    quit_quietly,
    routines,
    run,
    set_handlers,
    stats,
    web,
)
from device.cli import config as config_cmd
from device.errors import ConfigError, UsageError
from routines.errors import PsoasError
from routines.loading.files import shown

COMMANDS = (demo, preview, doctor, stats, morning, plan, routines, run, config_cmd, install, web)
LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


class ShownFormatter(logging.Formatter):
    """Log lines with control characters escaped: a path or name from outside never reaches
    the terminal raw (tracebacks keep their line breaks)."""

    def format(self, record: logging.LogRecord) -> str:
        return "\n".join(shown(line) for line in super().format(record).split("\n"))


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="psoas", description="A bedside companion for gentle psoas stretches in bed.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    commands.required = True
    for command in COMMANDS:
        command.register(commands)
    return parser


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
            args = build_parser().parse_args(argv)
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
