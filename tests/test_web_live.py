"""The phone page's Device "Now" card, start now / skip tonight, the routines drawn as the
device's screens, and the dates under the morning chart (Flask's test client; the real
browser and daemon are in test_web_browser.py)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

from PIL import Image, ImageChops
from web_helpers import csrf_of, make_site, paired_client

import display
from device import control
from device.assemble import engine_settings
from device.bedtime.memory import PromptedNights
from device.config.load import load_config
from device.journal.reader import History, MorningRow
from device.journal.report import build_report
from device.live import files
from device.web.heatmap_svg import morning_svg
from display.preview import png_bytes
from display.samples import sample_states
from routines.loading.catalog import load_catalog
from routines.state import Phase
from routines.walk import screens, walk

FRAME = png_bytes(display.render(sample_states()["hold"], (128, 64)))


class StandIn:
    """A daemon as the page meets it: answers `watch` by writing the screen and its status, and
    `start` / `skip` with its last command; `running=False`: no daemon listens."""

    def __init__(self, folder, running: bool = True):
        self.folder, self.running, self.words = folder, running, []
        folder.mkdir(exist_ok=True)

    def __call__(self, _state_dir, word: str) -> bool:
        self.words.append(word)
        if not self.running:
            return False
        command = {"word": word, "text": f"did {word}", "at": "2024-05-06T21:03:00+02:00"}
        if word == control.WATCH:
            files.write_file(files.frame_path(self.folder), FRAME)
            command = (files.read_status(self.folder) or {}).get("last_command")
        if word in (control.WATCH, control.START, control.SKIP):
            files.write_status(self.folder, {
                "since": "2024-05-06T20:00:00+02:00", "screen": "on", "last_command": command,
                "next_bedtime": {"at": "2024-05-06T22:15+02:00", "routine": "Full routine"},
                "start_routine": "Full routine", "in_routine": False, "tonight_had": False,
                "warnings": [{"at": "2024-05-06T20:30:00+02:00", "level": "warning", "text": "<b>disk</b> trouble"}]})
        return True


def site_with(tmp_path, running: bool = True):
    site, _ = make_site(tmp_path)
    site.notify = StandIn(site.runtime, running)
    return site, site.notify


def test_the_now_card_shows_the_screen_and_what_the_daemon_says(tmp_path):
    site, daemon = site_with(tmp_path)
    client = paired_client(site)
    text = client.get("/device").get_data(as_text=True)
    assert '<img class="screen" id="screen" src="/device/screen.png"' in text
    assert '<script src="/static/live.js" defer></script>' in text  # a static file: the CSP has no unsafe-inline
    assert '<dd id="since">Mon 06 May 20:00</dd>' in text
    assert '<dd id="next-bedtime">Mon 06 May 22:15, Full routine</dd>' in text
    assert "&lt;b&gt;disk&lt;/b&gt; trouble" in text  # the log's words are escaped
    assert "Start now: Full routine" in text
    picture = client.get("/device/screen.png")
    assert picture.status_code == 200 and picture.mimetype == "image/png" and picture.data == FRAME
    assert picture.headers["Cache-Control"] == "no-store"
    assert daemon.words.count(control.WATCH) == 1  # asked once; the picture within RENEW_SECONDS does not ask


def test_start_and_skip_go_to_the_daemon_and_its_answer_shows(tmp_path):
    site, daemon = site_with(tmp_path)
    client = paired_client(site)
    page = client.get("/device")
    answer = client.post("/device/start", data={"csrf": csrf_of(page)})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/device")
    assert control.START in daemon.words
    assert '<p class="done" id="command">21:03: did start</p>' in client.get("/device").get_data(as_text=True)
    client.post("/device/skip", data={"csrf": csrf_of(page)})
    assert daemon.words[-1] == control.SKIP
    assert client.post("/device/skip", data={}).status_code == 403  # no CSRF token: refused


def test_without_a_daemon_the_card_says_so_and_nothing_is_claimed(tmp_path):
    site, _ = site_with(tmp_path, running=False)
    client = paired_client(site)
    text = client.get("/device").get_data(as_text=True)
    assert 'id="not-running"' in text and 'id="screen"' not in text
    assert client.get("/device/screen.png").status_code == 404
    answer = client.post("/device/start", data={"csrf": csrf_of(client.get("/bedtimes"))})
    assert answer.status_code == 503 and "nothing was started" in answer.get_data(as_text=True)


def test_routines_are_shown_as_the_screens_the_device_draws(tmp_path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    text = client.get("/routines").get_data(as_text=True)
    config = load_config(site.config_path)
    catalog = load_catalog(config.routine_dirs())
    shown = screens(catalog.routines["quick"], catalog.cards, engine_settings(config))
    sources = re.findall(r'<img src="(/routines/quick/screens/\d+\.png)" width="128" height="64" loading="lazy"', text)
    assert len(sources) == len(shown) > 5
    for index in (0, len(shown) - 1):
        picture = Image.open(io.BytesIO(client.get(sources[index]).data))
        drawn = display.render(shown[index], (128, 64))
        assert picture.size == (128, 64)
        assert ImageChops.difference(picture.convert("L"), drawn.convert("L")).getbbox() is None
    assert client.get(f"/routines/quick/screens/{len(shown)}.png").status_code == 404
    assert client.get("/routines/nothing/screens/0.png").status_code == 404
    phases = [state.phase.value for state in shown]
    assert phases[0] == "safety" and "hold" in phases and "switch" in phases and phases[-1] == "done"


def test_the_morning_chart_has_dates_under_its_weeks():
    today = date(2024, 5, 8)  # a Wednesday
    mornings = tuple(MorningRow(today - timedelta(days=back), 4, "", "button") for back in range(20))
    report = build_report(History(mornings=mornings), today)
    svg = morning_svg(report)
    labels = re.findall(r'<text class="axis date"[^>]*>([^<]+)</text>', svg)
    mondays = [week.days[0].day for week in report.weeks][::-1][::2][::-1]
    assert labels == [f"{day.day} {day.strftime('%b')}" for day in mondays]
    assert labels[-1] == "6 May" and len(labels) == len(report.weeks) // 2


def test_a_routines_screens_are_every_screen_of_a_whole_walk_once():
    catalog = load_catalog([])
    for routine in catalog.routines.values():
        every, last = [], None
        for _, state in walk(routine, catalog.cards, read_pages=True):  # each second of each countdown
            key = (state.phase, state.step_number, state.title, state.side, state.lines, state.page_index)
            if state.phase not in (Phase.BEDTIME, Phase.DARK) and key != last:
                every.append(key)
                last = key
        shown = screens(routine, catalog.cards)  # countdowns jumped over whole
        assert [(s.phase, s.step_number, s.title, s.side, s.lines, s.page_index) for s in shown] == every
        assert all(s.remaining_seconds == s.total_seconds and not s.clock_text for s in shown)


def test_tonight_page_passes_over_a_night_the_phone_skipped(tmp_path):
    days = "".join(f'{day} = "23:59"\n' for day in ("monday", "tuesday", "wednesday", "thursday", "friday",
                                                    "saturday", "sunday"))
    site, _ = make_site(tmp_path, "[bedtime]\n" + days)
    client = paired_client(site)
    today = datetime.now().astimezone()
    had = PromptedNights(site.state_dir)  # what the daemon saves when the phone skips tonight
    for night in (today.date() - timedelta(days=1), today.date()):
        had.add(night, today)
    text = client.get("/").get_data(as_text=True)
    tomorrow = (today + timedelta(days=1)).strftime("%A")
    assert f'<p class="big" id="next-bedtime">{tomorrow} 23:59</p>' in text
