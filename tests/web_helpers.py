"""Shared by the phone-page tests: a site in a temporary state dir, pairing a test client."""

from __future__ import annotations

import re
from pathlib import Path

from device.pairing.code import new_code
from device.web.app import Site, create_app

CSRF = re.compile(r'name="csrf" value="(\w+)"')


class FakeTime:
    """Wall-clock seconds that tests move by hand (the pairing code's expiry)."""

    def __init__(self, start: float = 1_800_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now


def make_site(tmp_path: Path, config_text: str = "", now=None) -> tuple[Site, list]:
    """A site over an empty config file and state dir; returns it and the words sent to the daemon."""
    config = tmp_path / "config.toml"
    config.write_text(config_text)
    state = tmp_path / "state"
    state.mkdir(exist_ok=True)
    told: list[str] = []
    site = Site(str(config), state, now=now or FakeTime(), notify=lambda _dir, word: told.append(word) or True)
    return site, told


def csrf_of(response) -> str:
    return CSRF.search(response.get_data(as_text=True)).group(1)


def paired_client(site: Site):
    """A Flask test client holding a session, as a phone after pairing."""
    client = create_app(site).test_client()
    page = client.get("/pair")
    code = new_code(site.state_dir, site.now)
    answer = client.post("/pair", data={"code": code, "csrf": csrf_of(page)})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    return client
