"""The `psoas` command line itself: its version, its table of commands, a wrong option named."""

from importlib import metadata

import pytest

from device.cli import EXIT_USAGE
from device.cli.main import COMMANDS, build_parser, main


def test_version_prints_the_installed_version_and_exits_0(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"psoas {metadata.version('psoas-companion')}\n"


@pytest.mark.parametrize("argv", [["-x"], ["--bogus"], ["-x", "run"], ["run", "--emulate", "-x"]])
def test_an_unknown_option_is_named_in_one_line(capsys, argv):
    assert main(argv) == EXIT_USAGE
    captured = capsys.readouterr()
    unknown = [word for word in argv if word in ("-x", "--bogus")]
    assert captured.err == f"psoas: unrecognized arguments: {' '.join(unknown)} (see psoas --help)\n"
    assert captured.out == ""


def test_no_command_says_one_is_needed(capsys):
    assert main([]) == EXIT_USAGE
    assert capsys.readouterr().err == "psoas: the following arguments are required: COMMAND (see psoas --help)\n"


def test_help_lists_every_command_of_the_table_with_its_summary(capsys):
    assert main(["--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps long lines
    for name, info in COMMANDS.items():
        assert f"{name} {' '.join(info.summary.split())}" in out


def test_every_command_module_has_the_same_two_functions():
    parser = build_parser()  # imports every command's module, as a command that runs would
    commands = parser._subparsers._group_actions[0].choices
    assert sorted(commands) == sorted(COMMANDS)
    for name, command in commands.items():
        assert command.get_default("handler").__name__ == "run", name
        assert command.get_default("handler").__module__ == COMMANDS[name].module, name
