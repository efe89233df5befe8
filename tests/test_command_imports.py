"""What each command imports: `psoas run`, `psoas morning` and `psoas --help` never load the phone
page (Flask, waitress, `device.web`); only `psoas web` does. Each command runs for real in a
fresh Python, through the entry point, and the child lists every module it has loaded."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from device.cli.main import COMMANDS

WEB_LIBRARIES = ("flask", "waitress", "werkzeug", "jinja2")
CHILD = """
import json, sys
from device.cli.main import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""
QUIET_CONFIG = "[bedtime]\nenabled = false\n"  # `run --nightly` ends at once, whatever the hour


def loaded_by(tmp_path: Path, *argv: str) -> tuple[int, list[str]]:
    """(exit code, modules loaded) of `psoas ARGV` run in a fresh Python."""
    config = tmp_path / "config.toml"
    config.write_text(QUIET_CONFIG)
    listing = tmp_path / "modules.json"
    env = dict(os.environ, HOME=str(tmp_path), PSOAS_CONFIG=str(config))
    env.pop("PSOAS_STATE_DIR", None)
    subprocess.run([sys.executable, "-c", CHILD, str(listing), *argv], env=env, stdin=subprocess.DEVNULL,
                   capture_output=True, timeout=120, check=False, cwd=Path(__file__).resolve().parent.parent)
    found = json.loads(listing.read_text())
    return found["code"], found["modules"]


def web_modules(modules: list[str]) -> list[str]:
    return [name for name in modules
            if name.split(".")[0] in WEB_LIBRARIES or name == "device.web" or name.startswith("device.web.")]


@pytest.mark.parametrize("argv", [
    ["run", "--emulate", "--nightly", "--state-dir", "{state}"],
    ["morning", "5", "--state-dir", "{state}"],
    ["--help"],
])
def test_the_bedside_commands_never_load_the_phone_page(tmp_path, argv):
    code, modules = loaded_by(tmp_path, *(word.format(state=tmp_path / "state") for word in argv))
    assert code == 0
    assert "device.cli.main" in modules  # the child really ran the entry point
    assert web_modules(modules) == []


def test_help_loads_no_command_module(tmp_path):
    code, modules = loaded_by(tmp_path, "--help")
    assert code == 0
    assert not [info.module for info in COMMANDS.values() if info.module in modules]


def test_the_web_command_loads_the_phone_page_and_no_other_command(tmp_path):
    code, modules = loaded_by(tmp_path, "web", "--forget-all", "--state-dir", str(tmp_path / "state"))
    assert code == 0
    assert "flask" in modules and "device.web.app" in modules  # the check above can see them
    others = [info.module for name, info in COMMANDS.items() if name != "web" and info.module in modules]
    assert others == []
