"""The phone page in a real browser (Debian's Chromium, headless, through Selenium), beside the
emulated daemon: pair with the code the daemon shows, change a bedtime and see the daemon use
it, upload a bad routine and see its line error, download the export, restore a backup; see the
device's screen now, skip tonight and start now from the phone, the routines as the device's
screens, the dates under the morning chart."""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime, timedelta

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from browser import chromium_driver, close, missing
from fakes import drive
from test_pairing_screen import hold_then_choose, wait_for_message
from test_run import make_runner

from device.config import effective, phone_settings
from device.config.load import load_config
from device.journal.streaks import night_date
from device.journal.writer import Journal
from device.pairing.code import new_code
from device.pairing_screen import PAIR_ENTRY
from device.web import backup, kept, restore
from device.web.app import Site, create_app
from device.web.server import create_server
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
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 21, 0))  # Monday 21:00; prompt due 22:15
    config_path = tmp_path / "config.toml"
    runner.reload_config = lambda: effective.layered(load_config(config_path), runner.state_dir)
    runner.state_dir.mkdir(parents=True, exist_ok=True)
    server = create_server(create_app(Site(str(config_path), runner.state_dir, runtime=runner.runtime)), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield runner, f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(WAIT_SECONDS)


def wait_for(condition, what: str):
    """Poll `condition` until it is true; an element that the page replaced while it was read
    (a redirect after a POST landing mid-check) counts as "not yet"."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            result = condition()
        except (StaleElementReferenceException, NoSuchElementException):
            result = None
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
        confirm = wait_for(lambda: driver.find_elements(By.ID, "confirm"), "the confirmation")[0].text
        assert "the settings made on the phone" in confirm
        assert 'monday = "20:45"' in (runner.state_dir / "settings.toml").read_text()  # asking changes nothing
        driver.find_element(By.ID, "confirm-button").click()
        done = wait_for(lambda: driver.find_elements(By.ID, "done"), "Restored")[0].text
        assert "Restored the backup" in done and driver.current_url == url + "/data?done=restored"
        assert 'monday = "21:30"' in (runner.state_dir / "settings.toml").read_text()
        assert list(runner.state_dir.glob("kept-aside/restore-*/journal.sqlite3"))
        assert "Put it back" in driver.find_element(By.ID, "kept").text
        wait_for_message(runner)
        drive(daemon, runner.wall, lambda: runner.config.bedtime.monday == "21:30")
    finally:
        close(driver)
        runner.close()


class Pump:
    """Opens the emulated daemon and runs its loop on a thread of its own, as `run()` would (the
    journal's SQLite connection belongs to that thread), on its fake clock standing still: each
    word from the phone page is handled within milliseconds. `stop()` closes it there too."""

    def __init__(self, runner):
        self.runner = runner
        self.ready = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.ready.wait(WAIT_SECONDS), "the daemon did not open"

    def _run(self) -> None:
        runner = self.runner
        runner.open()
        try:
            daemon = runner.daemon
            drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.DARK)
            self.ready.set()
            while not self.stopped.is_set():
                daemon.step()
                daemon.drain()
                time.sleep(0.005)
        finally:
            runner.close()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(WAIT_SECONDS)


LIT_PIXELS = """
const img = arguments[0];
if (!img.complete || !img.naturalWidth) { return -1; }
const canvas = document.createElement("canvas");
canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
const context = canvas.getContext("2d");
context.drawImage(img, 0, 0);
const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
let lit = 0;
for (let i = 0; i < data.length; i += 4) { if (data[i] > 127) { lit += 1; } }
return lit;
"""


def lit_pixels(image) -> int:
    return sum(1 for value in image.convert("1").getdata() if value)


def test_the_device_page_shows_the_screen_now_and_starts_or_skips_from_the_phone(served, tmp_path):
    from selenium.webdriver.common.by import By  # noqa: PLC0415 - selenium only with a browser


    runner, url = served
    today = night_date(datetime.now().astimezone())  # the page's Progress counts from the real today
    with Journal(runner.state_dir, runner.wall) as journal:  # mornings for the chart
        for back in range(1, 22):
            journal.save_morning(today - timedelta(days=back), 3 + back % 4)
    driver = chromium_driver(tmp_path)
    pump = Pump(runner)
    try:
        daemon = runner.daemon
        driver.get(url + "/pair")
        driver.find_element(By.ID, "code").send_keys(new_code(runner.state_dir))
        driver.find_element(By.CSS_SELECTOR, "form.pair button").click()
        wait_for(lambda: driver.current_url == url + "/", "signed in")

        # 13: the screen now (dark), kept current by the static script; since when, the next bedtime.
        driver.get(url + "/device")
        picture = driver.find_element(By.ID, "screen")
        wait_for(lambda: driver.execute_script(LIT_PIXELS, picture) == 0, "the dark screen")
        assert picture.get_property("naturalWidth") == 128
        wait_for(lambda: "?at=" in picture.get_attribute("src"), "live.js refreshing the picture")
        assert driver.find_element(By.ID, "since").text == "Mon 06 May 21:00"
        assert driver.find_element(By.ID, "next-bedtime").text == "Mon 06 May 22:15, Full routine"
        for html, width, height in driver.execute_script(TAP_TARGETS):
            assert width >= 44 and height >= 44, f"/device: {html} is {width}x{height} px"

        # 14: skip tonight, then start now; the daemon's loop decides, the page says what it did.
        driver.find_element(By.ID, "skip-tonight").click()
        wait_for(lambda: "Skipped tonight." in driver.find_element(By.ID, "command").text, "the skip")
        assert driver.find_element(By.ID, "next-bedtime").text.startswith("Tue 07 May 22:15")
        assert not driver.find_element(By.ID, "skip-tonight").is_enabled()
        driver.find_element(By.ID, "start-now").click()
        wait_for(lambda: "Started Full routine." in driver.find_element(By.ID, "command").text, "the start")
        assert daemon.engine.in_routine
        shown = lit_pixels(runner.open_parts().adapter.frames[-1])  # the recording screen: the frame sent last
        assert shown > 0
        picture = driver.find_element(By.ID, "screen")
        wait_for(lambda: driver.execute_script(LIT_PIXELS, picture) == shown, "the routine's first screen")

        # 15: the routine page shows the screens the device draws.
        driver.get(url + "/routines")
        quick = driver.find_element(By.XPATH, "//details[.//summary[contains(., 'quick')]]")
        quick.find_element(By.TAG_NAME, "summary").click()
        pictures = quick.find_elements(By.CSS_SELECTOR, ".screens img")
        assert len(pictures) > 5
        wait_for(lambda: all(p.get_property("naturalWidth") == 128 for p in pictures), "the routine's screens")
        assert all(driver.execute_script(LIT_PIXELS, p) > 0 for p in pictures)

        # 16: the morning chart has dates under its weeks, inside the picture.
        driver.get(url + "/progress")
        chart = driver.find_element(By.CSS_SELECTOR, "svg.mornings")
        dates = chart.find_elements(By.CSS_SELECTOR, "text.date")
        monday = today - timedelta(days=today.weekday())
        assert [d.text for d in dates][-1] == f"{monday.day} {monday.strftime('%b')}" and len(dates) >= 3
        box = chart.rect
        for label in dates:
            assert box["x"] <= label.rect["x"] and label.rect["x"] + label.rect["width"] <= box["x"] + box["width"] + 1
            assert label.rect["y"] + label.rect["height"] <= box["y"] + box["height"] + 1
    finally:
        pump.stop()
        close(driver)


@pytest.fixture
def phone_page(tmp_path, browser_ready):
    """The phone page alone over an empty state dir on 127.0.0.1, and a Chromium paired with it."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415 - selenium only with a browser

    config_path = tmp_path / "config.toml"
    config_path.write_text("")
    state = tmp_path / "state"
    state.mkdir()
    site = Site(str(config_path), state, notify=lambda _dir, _word: False)
    server = create_server(create_app(site), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}"
    driver = chromium_driver(tmp_path)
    try:
        driver.get(url + "/pair")
        code = new_code(state)
        driver.find_element(By.ID, "code").send_keys(f"{code[:3]} {code[3:]}")  # as the screen shows it
        driver.find_element(By.CSS_SELECTOR, "form.pair button").click()
        wait_for(lambda: driver.current_url == url + "/", "signed in")
        yield driver, url, state
    finally:
        close(driver)
        server.close()
        thread.join(WAIT_SECONDS)


TAP_TARGETS = """
return [...document.querySelectorAll('a, button, input, select, summary')]
  .filter(e => e.type !== 'hidden' && e.getClientRects().length)
  .map(e => {
    const target = e.type === 'checkbox' && e.closest('label') ? e.closest('label') : e;
    const box = target.getBoundingClientRect();
    return [e.outerHTML.slice(0, 80), Math.round(box.width), Math.round(box.height)];
  });
"""


def test_every_control_is_at_least_44_px_on_a_phone(phone_page, tmp_path):
    driver, url, state = phone_page
    own = state / "routines"
    own.mkdir()
    (own / "mine.toml").write_text('title = "Mine"\n[[step]]\nstretch = "leg-dangle"\n')
    (own / "gone.toml").write_text('title = "Gone"\n[[step]]\nstretch = "leg-dangle"\n')
    kept.keep_routine(state, own / "gone.toml", datetime(2026, 3, 4, 12, 0))  # listed with "Put it back"
    restore.restore(state, backup.make_backup(state, datetime.now()), datetime.now())  # a keeping on Data
    pages = ["/", "/bedtimes", "/routines", "/progress", "/data", "/device", "/routines/delete?file=mine.toml",
             "/nowhere", "/data/kept/remove?kept=" + next((state / "kept-aside").glob("restore-*")).name]
    measured = 0
    for page in pages:
        driver.get(url + page)
        driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
        for html, width, height in driver.execute_script(TAP_TARGETS):
            assert width >= 44 and height >= 44, f"{page}: {html} is {width}x{height} px"
            measured += 1
    assert measured > 60


def test_number_fields_take_what_the_config_takes(phone_page):
    from selenium.webdriver.common.by import By  # noqa: PLC0415 - selenium only with a browser

    driver, url, state = phone_page
    driver.get(url + "/bedtimes")
    strength = driver.find_element(By.ID, "haptics.strength")
    assert (strength.get_attribute("min"), strength.get_attribute("max"), strength.get_attribute("step")) == \
        ("0", "1", "any")
    strength.clear()
    strength.send_keys("0.35")
    minutes = driver.find_element(By.ID, "bedtime.prompt_minutes")
    minutes.clear()
    minutes.send_keys("999")
    driver.find_element(By.ID, "save").click()  # the browser itself refuses 999 (max 240)
    assert driver.execute_script("return arguments[0].validity.rangeOverflow", minutes)
    assert not (state / "settings.toml").exists()
    minutes.clear()
    minutes.send_keys("45")
    driver.find_element(By.ID, "save").click()
    saved = wait_for(lambda: driver.find_elements(By.ID, "saved"), "Saved")[0].text
    assert "The device is not running now" in saved  # no daemon listens here
    text = (state / "settings.toml").read_text()
    assert "strength = 0.35" in text and "prompt_minutes = 45.0" in text
    assert driver.find_element(By.CSS_SELECTOR, 'nav a[aria-current="page"]').text == "Bedtimes"
