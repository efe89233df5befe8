"""Bedtime planning: the windows, DST edges, time-zone changes, busy screens, the saved nights."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from bedtime_sim import SimDevice, utc, week_plan
from fakes import FakeWallClock

from device.bedtime.memory import PromptedNights
from device.bedtime.plan import BedtimePlan
from device.bedtime.prompt import Bedtime
from device.bedtime.schedule_clock import schedule_reads_clock
from device.clocks.zones import SystemZone
from device.config.load import load_config

BERLIN = ZoneInfo("Europe/Berlin")


def test_plan_from_config_reads_each_weekday_and_its_routine(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[bedtime]\nsunday = ""\nfriday = "00:30"\nfriday_routine = "quick"\nprompt_minutes = 20\n')
    plan = BedtimePlan.from_config(load_config(path))
    assert plan.nights[0].at == time(22, 15) and plan.nights[0].routine == "full"
    assert plan.nights[4].at == time(0, 30) and plan.nights[4].routine == "quick"
    assert plan.nights[6] is None
    assert plan.prompt_seconds == 1200


def test_disabled_bedtime_plans_nothing(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[bedtime]\nenabled = false\n")
    plan = BedtimePlan.from_config(load_config(path))
    assert plan.is_empty
    clock = FakeWallClock(datetime(2024, 5, 6, 22, 0, tzinfo=BERLIN))
    bedtime = Bedtime(plan, PromptedNights(tmp_path), lambda w: None, wall=clock, monotonic=clock.monotonic,
                      zone=lambda: BERLIN)
    assert bedtime.tick() is None


def test_window_is_real_time_across_the_fall_back_hour():
    plan = week_plan(weekdays="02:30", weekends="02:30", prompt_minutes=90)
    window = plan.window_of(date(2024, 10, 27), BERLIN)  # 02:00-03:00 happens twice
    assert window.start == datetime(2024, 10, 27, 0, 30, tzinfo=timezone.utc)  # the first 02:30
    assert window.end - window.start == timedelta(minutes=90)


def test_bedtime_inside_the_spring_forward_gap_still_comes_once(tmp_path):
    device = SimDevice(week_plan(weekdays="02:30", weekends="02:30"), tmp_path, "Europe/Berlin",
                       datetime(2024, 3, 30, 12, 0))
    device.start()
    device.run_for(2 * 86400)
    nights = [night for night, _ in device.prompts]
    assert nights == [date(2024, 3, 31), date(2024, 4, 1)]
    gap_night = device.prompts[0][1]
    assert gap_night.strftime("%H:%M") == "03:00"  # 02:30 does not exist: the jump


def test_bedtime_in_the_repeated_hour_comes_once(tmp_path):
    device = SimDevice(week_plan(weekdays="02:30", weekends="02:30", prompt_minutes=120), tmp_path,
                       "Europe/Berlin", datetime(2024, 10, 26, 12, 0))
    device.start()
    device.run_for(86400)
    assert [(n, s.strftime("%H:%M %Z")) for n, s in device.prompts] == [(date(2024, 10, 27), "02:30 CEST")]


def test_time_zone_change_moves_the_prompt_to_the_new_local_bedtime(tmp_path, caplog):
    device = SimDevice(week_plan(), tmp_path, "Europe/Berlin", datetime(2024, 5, 6, 12, 0))  # a Monday
    device.start()
    device.run_for(3600)
    device.zone = ZoneInfo("America/New_York")  # 07:00 there
    with caplog.at_level(logging.INFO, logger="psoas.bedtime"):
        device.run_for(20 * 3600)
    assert "time zone is now America/New_York" in caplog.text
    (night, shown), = device.prompts
    assert night == date(2024, 5, 6) and shown.strftime("%H:%M:%S") == "22:15:00"
    assert shown.utcoffset() == timedelta(hours=-4)


def test_clock_step_is_logged_and_replans(tmp_path, caplog):
    device = SimDevice(week_plan(), tmp_path, "Europe/Berlin", datetime(2024, 5, 6, 12, 0))
    device.start()
    with caplog.at_level(logging.INFO, logger="psoas.bedtime"):
        device.step(-3 * 86400)
        device.run_for(60)
    assert "the clock stepped by -3 d 0 h 0 min; re-planning" in caplog.text
    assert device.bedtime.replans == 2


def test_busy_screen_postpones_the_prompt_inside_its_window(tmp_path):
    clock = FakeWallClock(datetime(2024, 5, 6, 22, 14, tzinfo=BERLIN))
    shown, idle = [], [False]
    bedtime = Bedtime(week_plan(), PromptedNights(tmp_path), shown.append, is_idle=lambda: idle[0],
                      wall=clock, monotonic=clock.monotonic, zone=lambda: BERLIN)
    assert bedtime.tick() == pytest.approx(60)
    clock.advance(60)
    bedtime.tick()
    assert shown == [] and bedtime.pending is not None
    clock.advance(600)
    idle[0] = True
    bedtime.tick()
    assert [w.night for w in shown] == [date(2024, 5, 6)]
    assert date(2024, 5, 6) in PromptedNights(tmp_path)


def test_busy_through_the_whole_window_drops_the_prompt(tmp_path):
    clock = FakeWallClock(datetime(2024, 5, 6, 22, 15, tzinfo=BERLIN))
    shown = []
    bedtime = Bedtime(week_plan(), PromptedNights(tmp_path), shown.append, is_idle=lambda: False,
                      wall=clock, monotonic=clock.monotonic, zone=lambda: BERLIN)
    for _ in range(70):
        bedtime.tick()
        clock.advance(30)
    assert shown == [] and bedtime.pending is None


def test_damaged_store_is_replaced_with_a_log_line(tmp_path, caplog):
    (tmp_path / "bedtime.json").write_text("{not json")
    with caplog.at_level(logging.WARNING, logger="psoas.bedtime"):
        nights = PromptedNights(tmp_path)
    assert "is damaged" in caplog.text
    nights.add(date(2024, 5, 6), datetime(2024, 5, 6, 22, 15, tzinfo=BERLIN))
    assert date(2024, 5, 6) in PromptedNights(tmp_path)


def test_store_keeps_only_recent_nights(tmp_path):
    nights = PromptedNights(tmp_path, keep=3)
    for day in range(1, 6):
        nights.add(date(2024, 5, day), datetime(2024, 5, day, 22, 15, tzinfo=BERLIN))
    assert PromptedNights(tmp_path).nights() == [date(2024, 5, 3), date(2024, 5, 4), date(2024, 5, 5)]


def test_unwritable_state_dir_logs_once_and_remembers_in_memory(tmp_path, caplog):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the state dir should be")  # fails for root too
    nights = PromptedNights(blocked)
    with caplog.at_level(logging.WARNING, logger="psoas.bedtime"):
        nights.add(date(2024, 5, 6), datetime(2024, 5, 6, 22, 15, tzinfo=BERLIN))
        nights.add(date(2024, 5, 7), datetime(2024, 5, 7, 22, 15, tzinfo=BERLIN))
    assert caplog.text.count("cannot save") == 1
    assert date(2024, 5, 7) in nights and date(2024, 5, 6) in nights


def test_system_zone_follows_etc_localtime(tmp_path):
    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/Europe/Berlin")
    zone = SystemZone(link, environ={})
    assert zone().key == "Europe/Berlin"
    assert zone() is zone()
    link.unlink()
    link.symlink_to("/usr/share/zoneinfo/Asia/Tokyo")
    assert zone().key == "Asia/Tokyo"
    assert SystemZone(link, environ={"TZ": ":America/Chicago"})().key == "America/Chicago"
    assert SystemZone(tmp_path / "missing", environ={})() is timezone.utc


def test_schedule_sees_the_injected_clock_only_inside_the_block():
    import schedule

    fake = datetime(2001, 1, 1, 12, 0)
    with schedule_reads_clock(lambda: fake):
        assert schedule.datetime.datetime.now() == fake
    assert abs(schedule.datetime.datetime.now() - datetime.now()) < timedelta(seconds=5)


def test_prompt_due_at_start_inside_the_window_is_shown_at_once(tmp_path):
    device = SimDevice(week_plan(), tmp_path, "Europe/Berlin", datetime(2024, 5, 6, 22, 40))
    device.start()
    assert [n for n, _ in device.prompts] == [date(2024, 5, 6)]
    device.stop()
    device.start()  # a restart a moment later does not repeat it
    assert len(device.prompts) == 1
    assert utc(datetime(2024, 5, 6, 22, 40), "Europe/Berlin") == device.prompts[0][1]
