"""`psoas web` through the real entry point, where it must not serve: a host that is no address
is refused before anything starts (exit 2), one it cannot listen on is one line naming the
option or the config line (exit 1), never a traceback or a server left running."""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

import pytest
from fuzz_cli import describe, invoke, problems

from device.cli.main import main
from device.config.load import load_config

NOT_HERE = "192.0.2.1"  # TEST-NET-1 (RFC 5737): never an address of this machine
BAD_HOSTS = ["no such host!", "999.1.1.1", "1.2.3", "[::1]", "-lead.example", "a..b", "x" * 64 + ".example", "a_b"]
GOOD_HOSTS = ["", "*", "127.0.0.1", "::1", "fe80::1%eth0", "localhost", "raspberrypi.local", "my-pi.", "0.0.0.0"]


def config(tmp_path: Path, web: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f"[bedtime]\nenabled = false\n[web]\n{web}\n")
    return path


def web(tmp_path: Path, *argv: str):
    """`psoas web ARGV` in-process with a time limit: a server that starts counts as a hang."""
    result = invoke(["web", "--state-dir", str(tmp_path / "state"), *argv])
    assert not problems(result, codes={1, 2}), describe(result)
    assert len(result.err.splitlines()) == 1, describe(result)
    return result


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_a_host_that_is_no_address_is_a_usage_error(tmp_path, host):
    result = web(tmp_path, f"--host={host}")
    assert result.code == 2 and result.err.startswith("psoas web: argument --host: must be \"\" (every interface)")


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_a_host_that_is_no_address_in_the_config_fails_the_check_and_web_alike(tmp_path, capsys, host):
    path = config(tmp_path, f'host = "{host}"')
    assert main(["config", "--check", str(path)]) == 1
    line = f"{path}:4: web/host: must be \"\" (every interface)"
    assert capsys.readouterr().err.startswith(line)
    result = web(tmp_path, "--config", str(path))
    assert result.code == 2 and result.err.startswith(f"psoas web: {line}")


@pytest.mark.parametrize("host", GOOD_HOSTS)
def test_every_interface_an_ip_address_or_a_host_name_is_a_host(tmp_path, host):
    assert load_config(config(tmp_path, f'host = "{host}"')).web.host == host


def test_an_address_this_device_does_not_have_names_the_option_or_the_config_line(tmp_path):
    result = web(tmp_path, "--host", NOT_HERE, "--port", "8080")
    assert result.code == 1
    assert result.err.startswith(f"psoas web: --host {NOT_HERE}: is not an address of this device; ")
    assert "port" not in result.err
    path = config(tmp_path, f'host = "{NOT_HERE}"')
    result = web(tmp_path, "--config", str(path))
    assert result.code == 1 and result.err.startswith(f"psoas web: {path}:4: web/host: '{NOT_HERE}' is not an address")


@contextlib.contextmanager
def taken_port():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_a_port_in_use_names_the_port(tmp_path):
    with taken_port() as port:
        result = web(tmp_path, "--host", "127.0.0.1", "--port", str(port))
        assert result.code == 1
        assert result.err == (f"psoas web: --port {port}: another program already listens on this port; "
                              "choose another port\n")
        path = config(tmp_path, f'host = "127.0.0.1"\nport = {port}')
        result = web(tmp_path, "--config", str(path))
        assert result.code == 1 and result.err.startswith(f"psoas web: {path}:5: web/port: {port}: another program")


def test_a_host_name_with_no_address_names_the_host(tmp_path, monkeypatch):
    def no_address(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_address)
    result = web(tmp_path, "--host", "nowhere.example")
    assert result.code == 1 and result.err.startswith("psoas web: --host nowhere.example: has no address this device")


def test_web_help_has_a_description_and_forget_all_counts_in_words(tmp_path, capsys):
    assert main(["web", "--help"]) == 0
    assert "\nServe the phone page (settings, progress, backups)" in capsys.readouterr().out
    assert main(["web", "--forget-all", "--state-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "psoas web: forgot 0 phones; pair again on the device\n"



def test_the_phone_page_clears_its_own_stale_scratch_before_it_serves(tmp_path):
    """An upload or restore cut short by a power cut leaves `.upload-*` / `.restore-*` in the
    state dir: `psoas web` removes them at start (the daemon's sweep), and nothing else."""
    state = tmp_path / "state"
    state.mkdir()
    stale = [state / ".upload-abcd1234", state / ".restore-wxyz_789"]
    for folder in stale:
        folder.mkdir()
        (folder / "part").write_bytes(b"half")
    kept = state / "journal.sqlite3.before-restore-2026-12-01T22-00-00"
    kept.write_bytes(b"the person's old journal")
    for path in [*stale, stale[0] / "part", stale[1] / "part", kept]:
        os.utime(path, (0, 0))  # long untouched
    with taken_port() as port:
        assert web(tmp_path, "--host", "127.0.0.1", "--port", str(port)).code == 1  # it swept, then could not listen
    assert [path.exists() for path in stale] == [False, False]
    assert kept.read_bytes() == b"the person's old journal"
