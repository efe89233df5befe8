"""A routine name no routine has, through the real entry point: in the config it fails `run`,
`demo` and `preview` alike (a config error naming file:line, exit 2); given as an argument it
is a usage error naming the argument, the closest name and every known one (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz_cli import describe, invoke, problems

KNOWN = "fall-asleep, full, high-pain-day, quick"


def only_line(argv: list[str], tmp_path: Path) -> tuple[int, str]:
    """`psoas ARGV` in-process, away from any real config or state; (exit code, its one line)."""
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    result = invoke(argv, {"PSOAS_CONFIG": str(empty), "PSOAS_STATE_DIR": str(tmp_path / "state"),
                           "HOME": str(tmp_path / "home"), "XDG_STATE_HOME": None, "STATE_DIRECTORY": None})
    assert not problems(result, codes={2}), describe(result)
    (line,) = result.err.splitlines()
    return result.code, line


@pytest.mark.parametrize("key", ["[routine]\ndefault", "[bedtime]\nfriday_routine"])
def test_an_unknown_routine_in_the_config_fails_run_demo_and_preview_alike(tmp_path, key):
    config = tmp_path / "config.toml"
    config.write_text(f'{key} = "nope"\n')
    section, name = key.strip("[").split("]\n")
    expected = f"{config}:2: {section}/{name}: no routine called 'nope' (known: {KNOWN})"
    state = ["--state-dir", str(tmp_path / "state")]
    commands = {"run": ["run", "--emulate", "--nightly", *state], "demo": ["demo", "--speed", "1000"],
                "preview": ["preview", "--gif", str(tmp_path / "x.gif")]}
    for command, argv in commands.items():
        code, line = only_line(argv + ["--config", str(config)], tmp_path)
        assert (code, line) == (2, f"psoas {command}: {expected}")
    assert not (tmp_path / "x.gif").exists()


@pytest.mark.parametrize("argv, argument", [
    (["demo", "--routine", "qick"], "--routine"),
    (["preview", "--gif", "GIF", "--routine", "qick"], "--routine"),
    (["routines", "show", "qick"], "NAME"),
])
def test_an_unknown_routine_argument_is_a_usage_error_naming_it_and_the_known_ones(tmp_path, argv, argument):
    gif = tmp_path / "x.gif"
    code, line = only_line([str(gif) if word == "GIF" else word for word in argv], tmp_path)
    assert code == 2
    assert line == (f"psoas {argv[0]}: {argument} 'qick': no such routine (did you mean 'quick'?); "
                    f"known routines: {KNOWN} (see `psoas routines list`)")
    assert not gif.exists()


def test_an_unknown_routine_argument_far_from_any_name_lists_them_without_a_guess(tmp_path):
    code, line = only_line(["demo", "--routine", "zzzzzz"], tmp_path)
    assert code == 2 and line == f"psoas demo: --routine 'zzzzzz': no such routine; known routines: {KNOWN} " \
                                 "(see `psoas routines list`)"
