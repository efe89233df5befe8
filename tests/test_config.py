"""The config: defaults in the package, the person's file on top, every problem at once."""

from __future__ import annotations

import dataclasses
import io
import re
from argparse import Namespace
from pathlib import Path

import pytest
from fuzz_cli import make_entry

from device.cli import config as config_cli
from device.cli.config import check_file, render
from device.cli.main import main
from device.config.load import Config, load_config
from device.config.paths import state_dir, state_dir_and_origin
from device.config.schema import Interface, render_defaults
from device.errors import ConfigError
from device.gestures import GestureClassifier


def write(tmp_path, text: str, name="config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_defaults_have_every_section_the_hardware_needs(tmp_path):
    config = load_config(write(tmp_path, ""))
    assert dataclasses.asdict(config.display) == {
        "driver": "ssd1306", "interface": "i2c", "i2c_port": 1, "i2c_address": 0x3C, "spi_port": 0,
        "spi_device": 0, "dc_pin": 24, "rst_pin": 25, "width": 128, "height": 64, "rotate": 0,
        "day_contrast": 200, "night_contrast": 24, "extra_dim": False, "dark_after_seconds": 30,
    }
    assert dataclasses.asdict(config.haptics) == {
        "enabled": False, "kind": "buzzer", "pin": 18, "strength": 0.5, "at_night": False}
    assert config.bedtime.monday == "22:15" and config.bedtime.sunday == "23:00"
    assert config.button.pin == 17 and config == Config()  # an empty file is the declared defaults


def test_user_values_override_and_remember_their_origin(tmp_path):
    path = write(tmp_path, '[display]\ndriver = "sh1106"\ni2c_address = "0x3D"\n\n[bedtime]\nfriday = "23:45"\n')
    config = load_config(path)
    assert config.display.driver == "sh1106" and config.bedtime.friday == "23:45"
    assert config.display.i2c_address == 0x3D  # typed: "0x3D" as i2cdetect prints it is the number
    assert config.where("display", "i2c_address") == f"{path}:3"
    assert config.where("bedtime", "friday") == f"{path}:6"
    assert config.where("display", "width") == "defaults"


def test_every_problem_is_reported_at_once_with_line_and_fix(tmp_path):
    path = write(tmp_path, "\n".join([
        "[display]",
        'driver = "ssd1307"',  # 2
        'i2c_address = "0x99"',  # 3
        "rotate = 5",  # 4
        "night_contrast = 300",  # 5
        "[bedtime]",
        'monday = "25:00"',  # 7
        'time_zone = "Mars/Olympus"',  # 8
        "promt_minutes = 10",  # 9
        "[haptics]",
        'kind = "siren"',  # 11
        "strength = 2",  # 12
        "[button]",
        "pin = 17.5",  # 14
    ]) + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    problems = caught.value.problems
    expected = [
        (2, "display/driver: must be one of ssd1306, ssd1309, sh1106, sh1107, virtual, not 'ssd1307'"),
        (3, 'display/i2c_address: must be an I2C address like "0x3C"'),
        (4, "display/rotate: must be one of 0, 1, 2, 3, not 5"),
        (5, "display/night_contrast: 300 is outside 0-255"),
        (7, 'bedtime/monday: must be a 24-hour time like "22:15"'),
        (8, "bedtime/time_zone: unknown time zone 'Mars/Olympus'"),
        (9, "bedtime/promt_minutes: unknown key (did you mean 'prompt_minutes'?)"),
        (11, "haptics/kind: must be one of buzzer, vibration, not 'siren'"),
        (12, "haptics/strength: 2 is outside 0.0-1.0"),
        (14, "button/pin: must be a whole number, e.g. 17; not 17.5"),
    ]
    for line, message in expected:
        assert any(p.startswith(f"{path}:{line}: {message}") for p in problems), (line, message, problems)
    assert len(problems) == len(expected)


def test_pin_clashes_are_named(tmp_path):
    path = write(tmp_path, "[haptics]\nenabled = true\npin = 17\n[display]\ninterface = \"spi\"\ndc_pin = 17\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    text = str(caught.value)
    assert "display/dc_pin: GPIO17 is already button/pin; pick a free pin" in text
    assert "haptics/pin: GPIO17 is already button/pin" in text


def test_psoas_config_prints_valid_toml_with_origins(tmp_path):
    path = write(tmp_path, '[routine]\ndefault = "quick"\n')
    config = load_config(path)
    text = render(config, Path("/var/lib/psoas-companion"), "$STATE_DIRECTORY (systemd)")
    reloaded = load_config(write(tmp_path, text, "printed.toml"))
    assert list(reloaded.items()) == list(config.items())  # what it prints reads back the same
    assert re.search(rf'^default = "quick" +# {re.escape(str(path))}:2$', text, re.M)
    assert "# state dir: /var/lib/psoas-companion (from $STATE_DIRECTORY (systemd))" in text
    assert 'driver = "ssd1306"' in text and "# defaults" in text


def test_psoas_config_command_names_the_file(tmp_path, monkeypatch):
    monkeypatch.delenv("PSOAS_STATE_DIR", raising=False)
    monkeypatch.delenv("STATE_DIRECTORY", raising=False)
    path = write(tmp_path, "[state]\ndir = \"/srv/psoas\"\n")
    out = io.StringIO()
    assert config_cli.run(Namespace(check=None, config=str(path), state_dir=None), out=out) == 0
    assert f"# config file: {path}" in out.getvalue()
    assert f"# state dir: /srv/psoas (from [state] dir in {path})" in out.getvalue()


def test_check_exits_0_for_a_good_file_and_1_listing_problems(tmp_path):
    good = write(tmp_path, '[bedtime]\nsaturday = "00:30"\nsaturday_routine = "quick"\n', "good.toml")
    out, err = io.StringIO(), io.StringIO()
    assert check_file(str(good), out, err) == 0
    assert out.getvalue() == f"{good}: ok\n" and err.getvalue() == ""
    bad = write(tmp_path, '[bedtime]\nmonday_routine = "quik"\n[routine]\nswitch_seconds = 1\n', "bad.toml")
    out, err = io.StringIO(), io.StringIO()
    assert check_file(str(bad), out, err) == 1
    assert f"{bad}:4: routine/switch_seconds: 1 is outside 2-60" in err.getvalue()
    assert err.getvalue().strip().endswith("1 problem")
    out, err = io.StringIO(), io.StringIO()
    bad.write_text('[bedtime]\nmonday_routine = "quik"\n')
    assert check_file(str(bad), out, err) == 1
    assert f"{bad}:2: bedtime/monday_routine: no routine called 'quik' (did you mean 'quick'?)" in err.getvalue()


def test_check_of_a_missing_or_broken_file_is_one_line(tmp_path):
    err = io.StringIO()
    assert check_file(str(tmp_path / "nope.toml"), io.StringIO(), err) == 1
    assert "config file not found" in err.getvalue()
    broken = write(tmp_path, "[bedtime\n")
    err = io.StringIO()
    assert check_file(str(broken), io.StringIO(), err) == 1
    assert f"{broken}:1: invalid TOML" in err.getvalue()


def test_state_dir_lookup_order(tmp_path):
    config = load_config(write(tmp_path, '[state]\ndir = "/srv/from-config"\n'))
    env = {"PSOAS_STATE_DIR": "/srv/env", "STATE_DIRECTORY": "/var/lib/psoas-companion:/var/lib/other",
           "HOME": "/home/pi"}
    assert state_dir(Namespace(state_dir="/srv/flag"), config, env) == Path("/srv/flag")
    assert state_dir(Namespace(state_dir=None), config, env) == Path("/srv/env")
    del env["PSOAS_STATE_DIR"]
    assert state_dir_and_origin(None, config, env) == (Path("/var/lib/psoas-companion"), "$STATE_DIRECTORY (systemd)")
    del env["STATE_DIRECTORY"]
    assert state_dir(None, config, env) == Path("/srv/from-config")
    assert state_dir(None, load_config(write(tmp_path, "")), env) == Path("/home/pi/.local/state/psoas-companion")
    env["XDG_STATE_HOME"] = "/x"
    assert state_dir(None, None, env) == Path("/x/psoas-companion")


def test_the_shipped_defaults_file_is_the_declaration(tmp_path):
    shipped = Path(__file__).parents[1] / "device" / "config" / "defaults.toml"
    assert shipped.read_text() == render_defaults(), "regenerate: python -c 'from device.config.schema import " \
        "render_defaults; print(render_defaults(), end=\"\")' > device/config/defaults.toml"
    assert load_config(shipped) == Config()  # every default passes its own rule


@pytest.mark.parametrize(("text", "message"), [
    ("[button]\npin = nan", "button/pin: must be a finite number, not nan"),
    ("[display]\nrotate = inf", "display/rotate: must be one of 0, 1, 2, 3, not inf"),
    ("[display]\nwidth = 1e309", "display/width: must be a finite number, not inf"),
    ("[routines]\ndirs = [1]", "routines/dirs: item 1 must be a text in quotes, not 1"),
    ('[routine]\ndefault = "a\\u0007b"', "routine/default: must not contain control characters: 'a\\x07b'"),
    ("[night]\nstarts = 2000", 'night/starts: must be a text in quotes like "20:00", not 2000'),
    ("[display]\nextra_dim = 1", "display/extra_dim: must be true or false, not 1"),
    ("display = 3", "display: must be a table, e.g. [display]"),
])
def test_odd_values_are_one_line_each(tmp_path, text, message):
    path = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [p.split(": ", 1)[1] for p in caught.value.problems] == [message]


def test_the_interface_is_typed_as_a_kind_not_a_text(tmp_path):
    config = load_config(write(tmp_path, '[display]\ninterface = " spi"\n'))
    assert config.display.interface is Interface.SPI
    assert re.search(r'^interface = "spi" ', render(config, tmp_path, "--state-dir"), re.M)


@pytest.mark.parametrize(("text", "message"), [
    ("hold_seconds = 2.0\nlong_hold_seconds = 1.5", "button/long_hold_seconds: must be longer than button/hold_seconds"),
    ("hold_seconds = 0.3\nbounce_seconds = 0.4", "button/bounce_seconds: must be from 0 up to below button/hold_seconds"),
])
def test_button_thresholds_are_one_rule_for_the_config_and_the_classifier(tmp_path, text, message):
    path = write(tmp_path, "[button]\n" + text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [p.split(": ", 1)[1] for p in caught.value.problems] == [message]
    button = dict(line.split(" = ") for line in text.splitlines())
    with pytest.raises(ValueError, match=f"^{message}$"):
        GestureClassifier(hold_seconds=float(button["hold_seconds"]),
                          long_hold_seconds=float(button.get("long_hold_seconds", 3.0)),
                          debounce_seconds=float(button.get("bounce_seconds", 0.03)))


def test_names_are_used_as_checked(tmp_path):
    config = load_config(write(tmp_path, '[routine]\ndefault = " quick"\n'))
    assert config.routine.default == "quick"  # what --check accepts is what the demo looks up


def test_the_morning_window_defaults_and_must_run_forwards(tmp_path):
    config = load_config(write(tmp_path, ""))
    assert dataclasses.asdict(config.morning) == {"enabled": True, "starts": "05:00", "ends": "11:00"}
    path = write(tmp_path, '[morning]\nstarts = "09:00"\nends = "06:30"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [
        f"{path}:3: morning/ends: must be later than morning/starts (09:00) on the same day"]


@pytest.mark.parametrize("kind", ["fifo", "directory", "loop", "device", "bom", "utf-16"])
def test_a_config_that_is_not_a_utf8_text_file_is_one_line_without_waiting(tmp_path, kind):
    path = tmp_path / "config.toml"
    if kind in ("fifo", "directory", "loop", "device"):  # the fuzz's own odd entries
        make_entry(path, {"directory": "dir", "device": "zero"}.get(kind, kind), b"")
    elif kind == "bom":
        path.write_bytes(b"\xef\xbb\xbf[button]\npin = 5\n")
    else:
        path.write_bytes("[button]\npin = 5\n".encode("utf-16"))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    (line,) = caught.value.problems
    expected = {"fifo": "is a FIFO (named pipe), not a file", "directory": "is a directory, not a file",
                "loop": "is a symbolic link that loops", "device": "is a character device, not a file",
                "bom": ":1: starts with a UTF-8 byte order mark (BOM): remove the BOM",
                "utf-16": ":1: starts with a UTF-16 byte order mark (BOM): save it as UTF-8"}[kind]
    assert line.startswith(str(path)) and expected in line


@pytest.mark.parametrize("text", ["[button]\npin = nan", "[display]\nrotate = inf", "[button]\npin = 1e309",
                                  "[routines]\ndirs = [1]", '[state]\ndir = "a\\u001b[31m"'])
def test_config_errors_through_the_real_cli_exit_2_and_check_exits_1(tmp_path, capsys, text):
    path = write(tmp_path, text + "\n")
    state = str(tmp_path / "state")
    assert main(["run", "--emulate", "--nightly", "--config", str(path), "--state-dir", state]) == 2
    assert main(["routines", "list", "--config", str(path)]) == 2
    assert main(["config", "--config", str(path)]) == 2
    assert main(["config", "--check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "\x1b" not in err
    assert err.count(f"{path}:2: ") == 4


def test_a_routine_name_with_spaces_is_found_by_run_and_demo(tmp_path, capsys):
    path = write(tmp_path, '[routine]\ndefault = " quick"\n[bedtime]\nenabled = false\n[routines]\ndirs = []\n')
    assert main(["config", "--check", str(path)]) == 0
    assert main(["run", "--emulate", "--nightly", "--config", str(path), "--state-dir", str(tmp_path / "s")]) == 0
    assert main(["demo", "--speed", "1000", "--config", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("finished: Quick done")


def test_check_lists_problems_in_line_order_as_routine_files_do(tmp_path, capsys):
    path = write(tmp_path, '[web]\nport = 0\n[button]\npin = 99\n[bedtime]\nsunday_routine = "x"\nmonday = "25:00"\n')
    assert main(["config", "--check", str(path)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[1] for line in lines[:-1]] == ["2", "4", "7"], lines
    names = write(tmp_path, '[bedtime]\nsunday_routine = "x"\nmonday_routine = "y"\n', "names.toml")
    assert main(["config", "--check", str(names)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[1] for line in lines[:-1]] == ["2", "3"], lines


@pytest.mark.parametrize("text", ['default = ""', 'default = "   "'])
def test_an_empty_default_routine_is_refused_with_its_line_by_check_and_by_the_daemon(tmp_path, capsys, text):
    path = write(tmp_path, f"[bedtime]\nenabled = false\n[routine]\n{text}\n")
    assert main(["config", "--check", str(path)]) == 1
    assert main(["run", "--emulate", "--nightly", "--config", str(path), "--state-dir", str(tmp_path / "s")]) == 2
    assert main(["demo", "--speed", "1000", "--config", str(path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f'{path}:4: routine/default: must not be empty; name a routine, e.g. "full" ' \
                       "(see `psoas routines list`)"
    assert all(f"{path}:4: routine/default: must not be empty" in line for line in lines[2:]), lines
    assert "no routine called ''" not in "\n".join(lines)


def test_an_empty_routine_for_one_day_still_means_the_default(tmp_path, capsys):
    path = write(tmp_path, '[bedtime]\nmonday_routine = ""\n')
    assert main(["config", "--check", str(path)]) == 0
