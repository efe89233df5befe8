"""Sixty simulated nights: the bedtime prompt comes exactly once each night, whatever the clock does.

A fake wall clock runs through both daylight-saving changes (Europe/Berlin, March and
October), with ±3-day clock steps (a stale boot time fixed by NTP, a clock set wrong and back),
and restarts before, inside and after the prompt window.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from bedtime_sim import SimDevice, utc, week_plan

ZONE = "Europe/Berlin"
DAY = 86400.0
NIGHTS = 60


def bedtime_of(day: date) -> time:
    return time(22, 15) if day.weekday() < 5 else time(23, 0)


def night_events(day: date, index: int) -> list[tuple[datetime, str, float]]:
    """(local time, action, argument) for one day; every pattern recurs across the 60 nights."""
    at = datetime.combine(day, bedtime_of(day))
    events = []
    if index % 5 == 0:  # reboot with a stale clock three days behind; NTP fixes it five minutes later
        events += [(at.replace(hour=19, minute=0), "restart", -3 * DAY), (at.replace(hour=19, minute=5), "step", 3 * DAY)]
    if index % 7 == 3:  # someone sets the clock three days ahead at noon, then back
        events += [(at.replace(hour=12, minute=0), "step", 3 * DAY), (at.replace(hour=12, minute=10), "step", -3 * DAY)]
    if index % 4 == 1:  # restart inside the window, after the prompt
        events.append((at + timedelta(minutes=5), "restart", 0.0))
    if index % 6 == 2:  # down from just before bedtime until inside the window
        events += [(at - timedelta(minutes=2), "stop", 0.0), (at + timedelta(minutes=3), "start", 0.0)]
    if index % 9 == 4:  # restart seconds before bedtime
        events.append((at - timedelta(seconds=10), "restart", 0.0))
    return sorted(events)


@pytest.mark.parametrize("first_day", [date(2024, 3, 1), date(2024, 9, 20)], ids=["spring-forward", "fall-back"])
def test_sixty_nights_each_prompted_exactly_once_at_bedtime(tmp_path, first_day):
    device = SimDevice(week_plan(), tmp_path, ZONE, datetime.combine(first_day, time(12, 0)))
    origin = (device.clock.now(), device.clock.monotonic())
    device.start()
    late = {}
    for index in range(NIGHTS):
        day = first_day + timedelta(days=index)
        for local, action, argument in night_events(day, index):
            device.run_until_true(utc(local, ZONE), origin)
            if action in ("restart", "stop"):
                device.stop()
            if action == "step" or (action == "restart" and argument):
                device.step(argument)
            if action in ("restart", "start"):
                device.start()
            if action == "start":
                late[day] = local
    device.run_until_true(utc(datetime.combine(first_day + timedelta(days=NIGHTS), time(12, 0)), ZONE), origin)

    counts = Counter(night for night, _ in device.prompts)
    expected = [first_day + timedelta(days=i) for i in range(NIGHTS)]
    assert sorted(counts) == expected
    assert set(counts.values()) == {1}
    for night, shown in device.prompts:
        wanted = late.get(night, datetime.combine(night, bedtime_of(night)))
        assert shown.replace(tzinfo=None) - wanted < timedelta(seconds=1), (night, shown)
        assert shown.replace(tzinfo=None) >= wanted
    dst_nights = [n for n, shown in device.prompts if shown.dst() != device.prompts[0][1].dst()]
    assert dst_nights, "the run must cross a daylight-saving change"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_clock_steps_never_repeat_a_night_or_show_a_skipped_one(tmp_path, seed):
    rng = random.Random(seed)
    device = SimDevice(week_plan(), tmp_path, ZONE, datetime(2024, 10, 1, 8, 0))
    device.start()
    for _ in range(NIGHTS):
        for _ in range(rng.randint(0, 3)):
            device.run_for(rng.uniform(0, 8 * 3600))
            choice = rng.random()
            if choice < 0.5:
                device.step(rng.choice((-3, 3)) * DAY + rng.uniform(-600, 600))
            elif choice < 0.8:
                device.stop()
                device.run_for(rng.uniform(0, 1800))
                device.start()
            else:
                device.step(rng.uniform(-1800, 1800))
        device.run_for(DAY - (device.clock.monotonic() % DAY))

    counts = Counter(night for night, _ in device.prompts)
    assert set(counts.values()) == {1}, "no night is prompted twice"
    assert set(counts) <= device.windows_seen(), "only nights whose window the clock was in"
    assert device.starts_crossed() <= set(counts), "every bedtime the running clock reached"
    assert len(counts) > NIGHTS / 3
    for night, shown in device.prompts:
        window = device.plan.window_of(night, device.zone)
        assert window.start <= shown < window.end
