"""The phone page's pages and what they change: settings over the config file (and never half
saved), routine uploads checked like `psoas routines check`, export, backup and restore."""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from argparse import Namespace
from datetime import datetime, timedelta

import pytest
from web_helpers import csrf_of, make_site, paired_client, restore_through_page

from device.cli import config as config_cli
from device.config import phone_settings
from device.config.load import load_config
from device.journal import streaks
from device.journal.reader import read_history
from device.journal.writer import Journal
from device.web import backup, restore
from routines.events import Event
from routines.outcomes import Outcome

BAD_ROUTINE = b'title = "Gentle"\n\n[[step]]\nstretch = "leg-dangle"\nhold_secs = 25\n'
GOOD_ROUTINE = b'title = "Gentle"\n\n[[step]]\nstretch = "leg-dangle"\nhold_seconds = 25\n'


def form_of(page) -> dict:
    """Every field of the Bedtimes form as the browser would send it (checkboxes as checked)."""
    text = page.get_data(as_text=True)
    form = dict(re.findall(r'<input id="([\w.]+)" name="[\w.]+" type="(?:time|number|text)" value="([^"]*)"', text))
    for name in re.findall(r'<input type="checkbox" id="([\w.]+)" name="[\w.]+" value="on" checked>', text):
        form[name] = "on"
    for name, body in re.findall(r'<select id="([\w.]+)" name="[\w.]+"[^>]*>(.*?)</select>', text, re.S):
        chosen = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)', body)
        form[name] = chosen.group(1) if chosen.group(1) is not None else chosen.group(2)
    form["csrf"] = csrf_of(page)
    return form


def test_a_bedtime_saved_on_the_phone_wins_over_the_file_and_says_so(tmp_path):
    site, told = make_site(tmp_path, '[bedtime]\nfriday = "22:00"\nmonday = "21:30"\n')
    client = paired_client(site)
    form = form_of(client.get("/bedtimes")) | {"bedtime.friday": "23:30"}
    answer = client.post("/bedtimes", data=form)
    assert answer.status_code == 302 and answer.headers["Location"] == "/bedtimes?done=saved"
    assert "Saved. The device uses it within seconds." in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert told[-1] == "settings"
    saved = (site.state_dir / "settings.toml").read_text()
    assert 'friday = "23:30"' in saved and "monday" not in saved  # only what changed
    config = phone_settings.with_phone(load_config(site.config_path), site.state_dir)
    assert (config.bedtime.friday, config.bedtime.monday) == ("23:30", "21:30")
    out = io.StringIO()
    config_cli.run(Namespace(config=site.config_path, state_dir=str(site.state_dir), check=None), out=out)
    lines = out.getvalue().splitlines()
    assert any(re.match(rf'friday += "23:30" +# {re.escape(str(site.state_dir))}/settings.toml \(phone\)', line)
               for line in lines), lines
    assert any(re.match(r'monday += "21:30" +# .*config.toml:3', line) for line in lines), lines


def test_a_bad_field_is_shown_beside_it_and_nothing_is_saved(tmp_path):
    site, told = make_site(tmp_path)
    client = paired_client(site)
    form = form_of(client.get("/bedtimes")) | {"bedtime.friday": "23:30", "display.night_contrast": "300",
                                                "haptics.strength": "loud"}
    answer = client.post("/bedtimes", data=form)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "Nothing was saved" in text
    assert 'id="display.night_contrast-problem">300 is outside 0-255' in text
    assert 'id="haptics.strength-problem">must be a number from 0 to 1' in text
    assert 'value="23:30"' in text  # what was typed stays in the form
    assert not (site.state_dir / "settings.toml").exists() and told == ["paired"]


def test_a_clash_between_keys_is_refused_whole(tmp_path):
    site, _ = make_site(tmp_path, "[haptics]\npin = 17\n")  # the button's pin: fine while haptics is off
    client = paired_client(site)
    form = form_of(client.get("/bedtimes")) | {"haptics.enabled": "on", "bedtime.friday": "23:30"}
    answer = client.post("/bedtimes", data=form)
    assert answer.status_code == 400 and not (site.state_dir / "settings.toml").exists()
    assert "haptics/pin: GPIO17 is already button/pin" in answer.get_data(as_text=True)


def test_a_phone_setting_that_no_longer_fits_is_left_out_not_fatal(tmp_path):
    site, _ = make_site(tmp_path)
    phone_settings.write(site.state_dir, {("bedtime", "friday_routine"): "gone", ("bedtime", "friday"): "23:45"})
    (site.state_dir / "settings.toml").write_text((site.state_dir / "settings.toml").read_text()
                                                  + "[button]\npin = 4\n")
    config = phone_settings.with_phone(load_config(site.config_path), site.state_dir)
    assert (config.bedtime.friday, config.bedtime.friday_routine, config.button.pin) == ("23:45", "", 17)


def test_a_bad_routine_upload_shows_its_line_error_and_is_not_saved(tmp_path):
    site, told = make_site(tmp_path)
    client = paired_client(site)
    answer = client.post("/routines/upload", content_type="multipart/form-data", data={
        "csrf": csrf_of(client.get("/routines")), "routine": (io.BytesIO(BAD_ROUTINE), "gentle.toml")})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "gentle.toml:5: step[1]/hold_secs: unknown key (did you mean &#39;hold_seconds&#39;?)" in text
    assert not (site.state_dir / "routines").exists() and told == ["paired"]


def test_an_own_routine_is_uploaded_offered_and_deleted(tmp_path):
    site, told = make_site(tmp_path)
    client = paired_client(site)
    answer = client.post("/routines/upload", content_type="multipart/form-data", data={
        "csrf": csrf_of(client.get("/routines")), "routine": (io.BytesIO(GOOD_ROUTINE), "gentle.toml")},
        follow_redirects=True)
    assert answer.status_code == 200 and "Saved gentle.toml" in answer.get_data(as_text=True)
    assert told[-1] == "settings" and (site.state_dir / "routines" / "gentle.toml").read_bytes() == GOOD_ROUTINE
    form = form_of(client.get("/bedtimes")) | {"bedtime.friday_routine": "gentle"}
    assert client.post("/bedtimes", data=form).status_code == 302
    refused = client.get("/routines/delete?file=gentle.toml")
    assert refused.status_code == 400 and "routine for Friday" in refused.get_data(as_text=True)
    form = form_of(client.get("/bedtimes")) | {"bedtime.friday_routine": ""}
    client.post("/bedtimes", data=form)
    confirm = client.get("/routines/delete?file=gentle.toml")
    assert confirm.status_code == 200 and "Delete gentle.toml?" in confirm.get_data(as_text=True)
    assert (site.state_dir / "routines" / "gentle.toml").exists()  # asking deletes nothing
    deleted = client.post("/routines/delete", data={"csrf": csrf_of(confirm), "file": "gentle.toml"},
                          follow_redirects=True)
    text = deleted.get_data(as_text=True)
    assert deleted.status_code == 200 and not (site.state_dir / "routines" / "gentle.toml").exists()
    assert "Deleted gentle.toml" in text and 'name="kept" value="routine-' in text
    kept_id = re.search(r'name="kept" value="(routine-[\w-]+)"', text).group(1)
    back = client.post("/routines/put-back", data={"csrf": csrf_of(deleted), "kept": kept_id}, follow_redirects=True)
    assert "Put gentle.toml back." in back.get_data(as_text=True)
    assert (site.state_dir / "routines" / "gentle.toml").read_bytes() == GOOD_ROUTINE
    assert 'name="kept"' not in back.get_data(as_text=True)


def record_night(state_dir, routine="full"):
    journal = Journal(state_dir)
    journal.record(Event(at=0.0, started=routine))
    journal.record(Event(at=1.0, outcome=Outcome.FINISHED))
    journal.close()


def test_export_downloads_the_journal(tmp_path):
    site, _ = make_site(tmp_path)
    record_night(site.state_dir)
    client = paired_client(site)
    csv = client.get("/data/export.csv")
    assert csv.status_code == 200 and "attachment" in csv.headers["Content-Disposition"]
    assert csv.get_data(as_text=True).splitlines()[0].startswith("kind,date,started_at")
    assert ",full,finished," in csv.get_data(as_text=True)
    assert client.get("/data/export.json").get_json()["nights"][0]["routine"] == "full"


def test_backup_then_restore_keeps_the_current_journal_aside(tmp_path):
    site, told = make_site(tmp_path)
    record_night(site.state_dir, "full")
    client = paired_client(site)
    form = form_of(client.get("/bedtimes")) | {"bedtime.friday": "23:30"}
    client.post("/bedtimes", data=form)
    saved = client.get("/data/backup").data
    assert zipfile.ZipFile(io.BytesIO(saved)).namelist()[:3] == ["manifest.json", "journal.sqlite3", "settings.toml"]
    record_night(site.state_dir, "quick")  # after the backup
    form = form_of(client.get("/bedtimes")) | {"bedtime.friday": "21:00"}
    client.post("/bedtimes", data=form)
    writer = Journal(site.state_dir)  # the daemon's connection stays open through the restore
    answer = restore_through_page(client, saved)
    assert answer.status_code == 200 and "Restored the backup" in answer.get_data(as_text=True)
    assert [n.routine for n in read_history(site.state_dir).nights] == ["full"]
    writer.record(Event(at=2.0, started="quick"))  # the open connection writes into the restored file
    writer.close()
    assert [n.routine for n in read_history(site.state_dir).nights] == ["full", "quick"]
    kept = list(site.state_dir.glob("kept-aside/restore-*/journal.sqlite3"))
    assert len(kept) == 1 and "2 nights, the settings" in answer.get_data(as_text=True)
    rows = sqlite3.connect(kept[0]).execute("SELECT routine FROM nights ORDER BY id").fetchall()
    assert rows == [("full",), ("quick",)]
    assert 'friday = "23:30"' in (site.state_dir / "settings.toml").read_text() and told[-1] == "settings"


def test_a_corrupt_or_foreign_backup_changes_nothing(tmp_path):
    site, _ = make_site(tmp_path)
    record_night(site.state_dir)
    client = paired_client(site)
    good = client.get("/data/backup").data
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data[:100] + b"\0" * 200 + data[300:] if name == "journal.sqlite3" else data)
    foreign = io.BytesIO()
    with zipfile.ZipFile(foreign, "w") as z:
        z.writestr("manifest.json", '{"format": "something else"}')
    before = (site.state_dir / "journal.sqlite3").read_bytes()
    for data, words in ((b"PNG not a zip", "not a ZIP"), (foreign.getvalue(), "manifest"),
                        (broken.getvalue(), "journal in the backup")):
        answer = restore_through_page(client, data)
        assert answer.status_code == 400 and words in answer.get_data(as_text=True)
        assert "nothing was changed" in answer.get_data(as_text=True)
    assert (site.state_dir / "journal.sqlite3").read_bytes() == before
    assert not list(site.state_dir.glob("kept-aside/*"))


def test_progress_draws_its_own_heatmap(tmp_path):
    site, _ = make_site(tmp_path)
    record_night(site.state_dir)
    text = paired_client(site).get("/progress").get_data(as_text=True)
    assert text.count('<rect class="l') >= 1 and '<svg class="heatmap"' in text and "style=" not in text


def test_device_page_lists_checks_and_phones(tmp_path):
    site, _ = make_site(tmp_path)
    text = paired_client(site).get("/device").get_data(as_text=True)
    assert "python" in text and "(this one)" in text and "daemon" in text


def test_backup_member_names_are_plain_routine_files():
    assert backup.is_routine_file_name("gentle-2_b.toml")
    assert not any(backup.is_routine_file_name(n) for n in ("a/b.toml", ".x.toml", "x.TOML", "x.toml.bak", ".toml"))


def test_progress_shows_the_morning_trend_above_the_nights(tmp_path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    assert "No answers yet" in client.get("/progress").get_data(as_text=True)
    today = streaks.night_date(site.local_now())
    with Journal(site.state_dir) as journal:
        for back in range(7):
            journal.save_morning(today - timedelta(days=back), 3)
            journal.save_morning(today - timedelta(weeks=4, days=back), 6)
    text = client.get("/progress").get_data(as_text=True)
    assert '<svg class="mornings"' in text and '<polyline class="average"' in text and "style=" not in text
    assert text.index('<svg class="mornings"') < text.index('<svg class="heatmap"')
    assert '<dd id="mornings-now">3.0 · ' in text
    assert '<dd id="mornings-change">-3.0 points (-50 %): mornings are clearly easier</dd>' in text


def test_the_morning_check_in_is_set_on_the_phone_and_its_window_checked(tmp_path):
    site, told = make_site(tmp_path)
    client = paired_client(site)
    form = form_of(client.get("/bedtimes"))
    assert form["morning.enabled"] == "on" and (form["morning.starts"], form["morning.ends"]) == ("05:00", "11:00")
    answer = client.post("/bedtimes", data=form | {"morning.starts": "10:00", "morning.ends": "07:00"})
    assert answer.status_code == 400 and not (site.state_dir / "settings.toml").exists()
    assert "must be later than morning/starts (10:00) on the same day" in answer.get_data(as_text=True)
    form = form_of(client.get("/bedtimes"))
    del form["morning.enabled"]  # an unticked box is not sent
    assert client.post("/bedtimes", data=form | {"morning.ends": "09:30"}).status_code == 302
    config = phone_settings.with_phone(load_config(site.config_path), site.state_dir)
    assert (config.morning.enabled, config.morning.ends) == (False, "09:30") and told[-1] == "settings"


@pytest.mark.parametrize("count", [1, 2])
def test_a_restore_counts_the_own_routines_in_words(tmp_path, count):
    state = tmp_path / "state"
    own = phone_settings.own_routines_dir(state)
    own.mkdir(parents=True)
    for number in range(count):
        (own / f"mine{number}.toml").write_text('title = "Mine"\n[[step]]\nstretch = "leg-dangle"\n')
    saved = backup.make_backup(state, datetime(2026, 3, 4, 12, 0))
    done = restore.restore(state, saved, datetime(2026, 3, 4, 12, 5))
    assert f"restored {count} own routine{'s' if count > 1 else ''}" in done and not any("(s)" in d for d in done)


def test_the_daemon_is_running_only_when_it_listens(tmp_path):
    import socket  # noqa: PLC0415 - only here

    site, _ = make_site(tmp_path)
    client = paired_client(site)
    (site.state_dir / "control.sock").write_text("")  # a stale plain file
    assert "daemon: not running" in client.get("/device").get_data(as_text=True)
    (site.state_dir / "control.sock").unlink()
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listening:
        listening.bind(str(site.state_dir / "control.sock"))
        assert "daemon: running" in client.get("/device").get_data(as_text=True)
    assert "daemon: not running" in client.get("/device").get_data(as_text=True)  # bound once, nobody now


def test_saving_what_is_there_already_says_nothing_changed(tmp_path):
    site, told = make_site(tmp_path)
    client = paired_client(site)
    answer = client.post("/bedtimes", data=form_of(client.get("/bedtimes")), follow_redirects=True)
    text = answer.get_data(as_text=True)
    assert "Nothing changed" in text and "Saved" not in text
    assert told == ["paired"] and not (site.state_dir / "settings.toml").exists()
    site.notify = lambda _dir, _word: False  # no daemon listens
    form = form_of(client.get("/bedtimes")) | {"bedtime.friday": "23:30"}
    text = client.post("/bedtimes", data=form, follow_redirects=True).get_data(as_text=True)
    assert "Saved." in text and "The device is not running now" in text


def test_numbers_are_said_as_typed_and_the_form_knows_the_ranges(tmp_path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    page = client.get("/bedtimes").get_data(as_text=True)
    assert 'id="haptics.strength" name="haptics.strength" type="number" value="0.5" min="0" max="1" step="any"' in page
    assert 'id="bedtime.prompt_minutes" name="bedtime.prompt_minutes" type="number" value="30" min="1" max="240"' in page
    assert "&#34;" not in page
    form = form_of(client.get("/bedtimes")) | {"bedtime.prompt_minutes": "999", "haptics.strength": "0.35"}
    text = client.post("/bedtimes", data=form).get_data(as_text=True)
    assert "999 is outside 1-240" in text and "999.0" not in text
    form |= {"bedtime.prompt_minutes": "45"}
    assert client.post("/bedtimes", data=form).status_code == 302
    config = phone_settings.with_phone(load_config(site.config_path), site.state_dir)
    assert (config.haptics.strength, config.bedtime.prompt_minutes) == (0.35, 45.0)


def test_change_addresses_opened_directly_go_to_their_page_and_the_tab_stays_marked(tmp_path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    assert client.get("/routines/upload").headers["Location"] == "/routines"
    assert client.get("/data/restore").headers["Location"] == "/data"
    assert client.get("/data/restore?token=nothing").headers["Location"] == "/data"
    refused = client.post("/routines/upload", content_type="multipart/form-data", data={
        "csrf": csrf_of(client.get("/routines")), "routine": (io.BytesIO(BAD_ROUTINE), "gentle.toml")})
    assert refused.status_code == 400
    assert re.search(r'<a href="/routines" aria-current="page">Routines</a>', refused.get_data(as_text=True))
    confirm = client.get("/device/forget?phone=" + site.phones.all()[0].id).get_data(as_text=True)
    assert re.search(r'<a href="/device" aria-current="page">Device</a>', confirm)
