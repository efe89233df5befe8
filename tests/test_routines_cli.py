"""`psoas routines list | show | check` through the real CLI entry point."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from device.cli.main import main
from routines.loading.files import shown

USER_ROUTINE = 'title = "Mine"\n[[step]]\nstretch = "leg-dangle"\nhold_seconds = 45\n'


def config_with_dirs(tmp_path, *dirs) -> str:
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("[routines]\ndirs = [" + ", ".join(f'"{d}"' for d in dirs) + "]\n")
    return str(path)


def test_list_shows_name_minutes_source_and_stretches(tmp_path, capsys):
    (tmp_path / "mine.toml").write_text(USER_ROUTINE)
    (tmp_path / "broken.toml").write_text('title = "x"\n')
    assert main(["routines", "list", "--config", config_with_dirs(tmp_path, tmp_path)]) == 0
    out, err = capsys.readouterr()
    rows = {line.split()[0]: line for line in out.splitlines()}
    assert set(rows) == {"fall-asleep", "full", "high-pain-day", "quick", "mine"}
    assert "built-in" in rows["full"] and "Pillow release, Leg dangle, Knee hug, 90-90 rest" in rows["full"]
    assert str(tmp_path / "mine.toml") in rows["mine"] and " min " in rows["mine"]
    assert err == f"psoas routines: skipped {tmp_path / 'broken.toml'}: it has problems (see `psoas routines check`)\n"


def test_show_is_readable_and_json_is_the_resolved_routine(tmp_path, capsys):
    config = config_with_dirs(tmp_path, tmp_path / "none")
    assert main(["routines", "show", "high-pain-day", "--config", config]) == 0
    text = capsys.readouterr().out
    assert "Edge-of-bed leg dangle [leg-dangle]: hold 1:00 per side" in text and "Two pillows" in text
    assert main(["routines", "show", "fall-asleep", "--json", "--config", config]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "fall-asleep"
    (step,) = data["steps"]
    assert step["kind"] == "stretch" and step["stretch_id"] == "pillow-release"
    assert step["stretch_name"] == "Pillow psoas release" and step["sides"] == "both"
    assert step["hold_seconds"] == 600 and step["fade_out"] is True
    assert step["setup_pages"] and step["cues"]
    assert step["breathing"] == {"inhale_seconds": 4, "exhale_seconds": 6}


def test_show_an_unknown_routine_is_a_usage_error_naming_the_argument_and_the_known_names(tmp_path, capsys):
    assert main(["routines", "show", "ful", "--config", config_with_dirs(tmp_path, tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == ("psoas routines: NAME 'ful': no such routine (did you mean 'full'?); known routines: "
                   "fall-asleep, full, high-pain-day, quick (see `psoas routines list`)\n")


def test_check_exits_0_when_valid_and_1_with_every_message(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text(USER_ROUTINE)
    assert main(["routines", "check", str(good)]) == 0
    out = capsys.readouterr().out
    assert "warning: 45 s is outside the usual 20-40 s" in out and out.rstrip().endswith("ok: 1 routine file valid, 1 warning")
    bad = tmp_path / "bad.toml"
    bad.write_text('titel = "x"\n[[step]]\nstretch = "knee-hugg"\n')
    assert main(["routines", "check", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:1: titel: unknown key (did you mean 'title'?)" in out
    assert f"{bad}:3: step[1]/stretch: no stretch called 'knee-hugg' (did you mean 'knee-hug'?)" in out


def test_check_without_paths_checks_the_configured_directories(tmp_path, capsys):
    (tmp_path / "bad.toml").write_text("not toml at all")
    assert main(["routines", "check", "--config", config_with_dirs(tmp_path, tmp_path)]) == 1
    assert f"{tmp_path / 'bad.toml'}:1: invalid TOML" in capsys.readouterr().out


def test_check_warns_about_text_too_long_for_a_panel_naming_file_line_and_page(tmp_path, capsys):
    path = tmp_path / "long.toml"
    path.write_text(
        'title = "Mine"\n[[step]]\nstretch = "leg-dangle"\nsetup = [\n  "Lie down.",\n'
        '  "Let the outer leg slide gently off the edge of the bed toward the floor.",\n]\n')
    assert main(["routines", "check", str(path)]) == 0  # a warning, not an error
    out = capsys.readouterr().out
    (warning,) = [line for line in out.splitlines() if "does not fit" in line]
    assert warning.startswith(f"{path}:6: step 1 (Leg dangle), setup page 2: warning: does not fit at 128x64, 128x32")
    assert "'Let the outer leg slide" in warning and warning.endswith("shorten it or split it in two")
    assert out.rstrip().endswith("ok: 1 routine file valid, 1 warning")


def odd_entry(directory: Path, kind: str) -> Path:
    """Something in a routine dir that cannot be a routine, and the path it is at."""
    if kind == "latin-1 name":
        path = Path(os.fsdecode(bytes(directory) + b"/caf\xe9.toml"))
        path.write_text(USER_ROUTINE)
    elif kind == "control character in name":
        path = directory / "a\x1b[31mred.toml"
        path.write_text(USER_ROUTINE)
    elif kind == "tab in name":
        path = directory / "tab\tname.toml"
        path.write_text(USER_ROUTINE)
    elif kind == "line break in name":
        path = directory / "two\nlines.toml"
        path.write_text(USER_ROUTINE)
    elif kind == "tab in name key":
        path = directory / "fine.toml"
        path.write_text('name = "mi\\tne"\n' + USER_ROUTINE)
    elif kind == "control character in text":
        path = directory / "bell.toml"
        path.write_text(USER_ROUTINE.replace('"Mine"', '"Mine\\u0007\\u001b]0;title\\u0007"'))
    elif kind == "BOM":
        path = directory / "bom.toml"
        path.write_bytes(b"\xef\xbb\xbf" + USER_ROUTINE.encode())
    elif kind == "FIFO":
        path = directory / "pipe.toml"
        os.mkfifo(path)
    elif kind == "directory":
        path = directory / "folder.toml"
        path.mkdir()
    elif kind == "loop":
        path = directory / "loop.toml"
        path.symlink_to(path.name)
    else:
        path = directory / "zero.toml"
        path.symlink_to("/dev/zero")
    return path


ODD_ENTRIES = ["latin-1 name", "control character in name", "tab in name", "line break in name", "tab in name key",
               "control character in text", "BOM", "FIFO", "directory", "loop", "device"]
WHY = {"latin-1 name": "the file name is not UTF-8 text, so it cannot name a routine; rename it, e.g. to café.toml",
       "control character in name": "the file name has control characters, so it cannot name a routine",
       "tab in name": "the file name has control characters, so it cannot name a routine; rename it, "
                      "e.g. to tabname.toml",
       "line break in name": "the file name has control characters, so it cannot name a routine; rename it, "
                             "e.g. to twolines.toml",
       "tab in name key": ":1: name: must not contain control characters: 'mi\\tne'",
       "control character in text": "title: must not contain control characters: 'Mine\\x07\\x1b]0;title\\x07'",
       "BOM": "starts with a UTF-8 byte order mark (BOM): remove the BOM",
       "FIFO": "cannot read: is a FIFO (named pipe), not a file", "directory": "cannot read: is a directory, not a file",
       "loop": "cannot read: is a symbolic link that loops", "device": "cannot read: is a character device, not a file"}


@pytest.mark.parametrize("kind", ODD_ENTRIES)
def test_what_list_skips_check_reports_naming_the_file_escaped(tmp_path, capsys, kind):
    routines = tmp_path / "routines"
    routines.mkdir()
    path = odd_entry(routines, kind)
    config = config_with_dirs(tmp_path, routines)
    assert main(["routines", "list", "--config", config]) == 0
    out, err = capsys.readouterr()
    assert err == f"psoas routines: skipped {shown(path)}: it has problems (see `psoas routines check`)\n"
    assert "mine" not in out.split() and "\x1b" not in out + err and "\t" not in out + err
    assert len(err.splitlines()) == 1  # a line break in a name is shown as \n, never printed
    for argv in (["routines", "check", "--config", config], ["routines", "check", str(routines)]):
        assert main(argv) == 1
        out = capsys.readouterr().out
        assert out.startswith(shown(path)) and WHY[kind] in out.splitlines()[0] and "\x1b" not in out
        assert "\t" not in out and out.count("\n") == 2


@pytest.mark.parametrize("name, why, rename", [
    ("x.TOML", "its name ends in .TOML, not .toml (lower case)", "x.toml"),
    (".hidden.toml", "its name starts with '.' (a hidden file)", "hidden.toml"),
    ("gentle.txt", "its name does not end in .toml", "gentle.toml"),
    ("gentle", "its name does not end in .toml", "gentle.toml"),
])
def test_check_of_a_file_the_catalog_never_loads_says_so_and_how_to_rename_it(tmp_path, capsys, name, why, rename):
    path = tmp_path / name
    path.write_text(USER_ROUTINE.replace("45", "30"))
    assert main(["routines", "list", "--config", config_with_dirs(tmp_path, tmp_path)]) == 0
    assert str(path) not in capsys.readouterr().out  # the rule `check` states is the one `list` follows
    assert main(["routines", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [f"{path}: will not be loaded: {why}; rename it, e.g. to {rename}",
                                "1 problem found; run the check again after fixing"]
    (tmp_path / rename).write_text(path.read_text())
    assert main(["routines", "check", str(tmp_path / rename)]) == 0
    assert main(["routines", "list", "--config", config_with_dirs(tmp_path, tmp_path)]) == 0
    assert str(tmp_path / rename) in capsys.readouterr().out

