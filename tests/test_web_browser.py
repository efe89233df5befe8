"""The phone page in a real browser (Debian's Chromium, headless, through Selenium), beside the
emulated daemon: pair with the code the daemon shows, change a bedtime and see the daemon use
it, upload a bad routine and see its line error, download the export, restore a backup."""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime

import pytest
from browser import chromium_driver, close, missing
from fakes import drive
from test_pairing_screen import hold_then_choose, wait_for_message
from test_run import make_runner

from device.config import effective, phone_settings
from device.config.load import load_config
from device.pairing_screen import PAIR_ENTRY
from device.web.app import Site, create_app
from routines.state import Phase

WAIT_SECONDS = 10.0


@pytest.fixture(scope="module")
def browser_ready():
    gone = missing()
    if gone:
        message = f"no browser to test with: {gone} missing (apt-get install chromium chromium-driver; .ci/run does)"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def served(tmp_path, browser_ready):
    """The emulated daemon (not yet open) and the phone page serving its state dir on 127.0.0.1."""
    import waitress  # noqa: PLC0415 - the server only where it serves

    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 21, 0))  # Monday 21:00; prompt due 22:15
    config_path = tmp_path / "config.toml"
    runner.reload_config = lambda: effective.layered(load_config(config_path), runner.state_dir)
    runner.state_dir.mkdir(parents=True, exist_ok=True)
    server = waitress.create_server(create_app(Site(str(config_path), runner.state_dir)), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield runner, f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(WAIT_SECONDS)


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


def downloaded(folder, pattern: str) -> list:
    """The finished downloads matching `pattern` (Chromium writes `*.crdownload` first)."""
    if list(folder.glob("*.crdownload")):
        return []
    return [path for path in folder.glob(pattern) if path.stat().st_size > 0]


def test_pair_change_a_bedtime_upload_export_and_restore(served, tmp_path):
    from selenium.webdriver.common.by import By  # noqa: PLC0415 - selenium only with a browser

    runner, url = served
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = chromium_driver(downloads)
    runner.open()
    try:
        daemon = runner.daemon
        drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.DARK)

        # Pair: the code is read off the emulated daemon's screen.
        hold_then_choose(runner, PAIR_ENTRY)
        code = daemon.state.lines[1].removeprefix("Code ").replace(" ", "")
        driver.get(url + "/")
        assert driver.current_url == url + "/pair"
        driver.find_element(By.ID, "code").send_keys(code)
        driver.find_element(By.CSS_SELECTOR, "form.pair button").click()
        wait_for(lambda: driver.current_url == url + "/", "signed in")
        assert "Next bedtime" in driver.page_source
        wait_for_message(runner)  # "paired": the daemon closes the pairing screen
        drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.DARK, limit=5)

        # Move Monday's bedtime to 21:30; the daemon prompts then, without a restart.
        driver.get(url + "/bedtimes")
        monday = driver.find_element(By.ID, "bedtime.monday")
        driver.execute_script("arguments[0].value = '21:30'", monday)
        driver.find_element(By.ID, "save").click()
        wait_for(lambda: driver.find_elements(By.ID, "saved"), "Saved")
        wait_for_message(runner)
        drive(daemon, runner.wall, lambda: runner.config.bedtime.monday == "21:30")
        drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.BEDTIME)
        assert runner.wall.now().astimezone(runner.bedtime.zone()).strftime("%H:%M") == "21:30"

        # A routine file with a typo: its line error, nothing saved.
        bad = tmp_path / "gentle.toml"
        bad.write_text('title = "Gentle"\n\n[[step]]\nstretch = "leg-dangle"\nhold_secs = 25\n')
        driver.get(url + "/routines")
        driver.find_element(By.ID, "routine").send_keys(str(bad))
        driver.find_element(By.ID, "upload").click()
        problems = wait_for(lambda: driver.find_elements(By.ID, "problems"), "the line error")[0].text
        assert "gentle.toml:5: step[1]/hold_secs: unknown key (did you mean 'hold_seconds'?)" in problems
        assert not (runner.state_dir / "routines").exists()

        # The export and a backup, downloaded by the browser.
        driver.get(url + "/data")
        driver.find_element(By.ID, "export-csv").click()
        csv = wait_for(lambda: downloaded(downloads, "psoas-nights.csv"), "the CSV download")[0]
        assert csv.read_text().startswith("kind,date,started_at,ended_at,routine,outcome")
        driver.find_element(By.ID, "backup").click()
        backup = wait_for(lambda: downloaded(downloads, "psoas-backup-*.zip"), "the backup download")[0]

        # Change Monday again, then restore the backup: the 21:30 comes back, the journal is kept aside.
        phone_settings.write(runner.state_dir, {("bedtime", "monday"): "20:45"})
        driver.get(url + "/data")
        driver.find_element(By.ID, "restore-file").send_keys(str(backup))
        driver.find_element(By.ID, "restore").click()
        done = wait_for(lambda: driver.find_elements(By.ID, "done"), "Restored")[0].text
        assert "restored the journal" in done and "restored the phone settings" in done
        assert 'monday = "21:30"' in (runner.state_dir / "settings.toml").read_text()
        assert list(runner.state_dir.glob("journal.sqlite3.before-restore-*"))
        wait_for_message(runner)
        drive(daemon, runner.wall, lambda: runner.config.bedtime.monday == "21:30")
    finally:
        close(driver)
        runner.close()
