"""`psoas plan` and `psoas routines show` end to end: a real journal in, tonight's plan and why out."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fakes import FakeWallClock

from device.cli import main as cli
from device.cli import plan as plan_cli
from device.cli import routines as routines_cli
from device.journal.writer import Journal
from routines.events import Event, StepRecord
from routines.outcomes import Outcome, Side

BERLIN = ZoneInfo("Europe/Berlin")
FIRST = datetime(2026, 3, 2, 22, 20, tzinfo=BERLIN)  # night 1, a Monday
NIGHTS = 8
TONIGHT = FIRST + timedelta(days=NIGHTS)


def write_nights(state_dir, mornings: dict[date, int]) -> None:
    """`NIGHTS` nights of the full routine, every leg dangle and knee hug held to the end."""
    wall = FakeWallClock(FIRST)
    with Journal(state_dir, wall) as journal:
        for night in range(NIGHTS):
            wall.set(FIRST + timedelta(days=night))
            journal.record(Event(at=0, started="full"))
            for stretch, seconds in (("leg-dangle", 30), ("knee-hug", 25)):
                for side in (Side.LEFT, Side.RIGHT):
                    journal.record(Event(at=1, record=StepRecord(stretch, side, seconds, seconds, 0, False)))
            journal.mark_tighter(Side.LEFT, "leg-dangle")
            journal.record(Event(at=2, outcome=Outcome.FINISHED))
        for day, value in mornings.items():
            journal.save_morning(day, value)


@pytest.fixture
def setup(tmp_path, monkeypatch):
    for module in (plan_cli, routines_cli):
        monkeypatch.setattr(module, "local_now", lambda config: TONIGHT)
    config = tmp_path / "config.toml"
    config.write_text("")
    return tmp_path / "state", ["--config", str(config), "--state-dir", str(tmp_path / "state")]


def test_plan_after_a_stiff_morning_offers_the_gentle_routine_and_says_why(setup, capsys):
    state_dir, options = setup
    write_nights(state_dir, {TONIGHT.date() - timedelta(days=n): 3 for n in range(1, 8)} | {TONIGHT.date(): 8})
    assert cli.main(["plan", *options]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Tonight, Tue 10 Mar 2026: High-pain day, about 12 min\n")
    assert "  first on the prompt; Full routine (as set) is one hold away\n" in out
    assert '  the prompt says why: "Stiff morning: go gently"\n' in out
    assert "  Stiff morning  yes  this morning 8, 7 or more: High-pain day first" in out
    assert "  First week     no   8 nights practised: past the first 7" in out
    assert "  Sides          yes  Left tighter 7 of 7 nights; holds keep left first" in out
    assert 'from the article: "Adding a second pillow under your knees on high-pain days' in out


def test_plan_for_a_date_and_with_a_rule_turned_off(setup, capsys, tmp_path):
    state_dir, options = setup
    write_nights(state_dir, {})
    assert cli.main(["plan", *options, "--date", "2026-03-05"]) == 0  # night 4: still the first week
    out = capsys.readouterr().out
    assert out.startswith("Tonight, Thu 5 Mar 2026: Quick, about 2 min\n")
    assert '"First week: two stretches"' in out
    (tmp_path / "config.toml").write_text("[coaching]\nfirst_week = false\n")
    assert cli.main(["plan", *options, "--date", "2026-03-05"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Tonight, Thu 5 Mar 2026: Full routine") and "off ([coaching] first_week = false)" in out


def test_plan_refuses_a_date_that_is_not_one(setup, capsys):
    _, options = setup
    assert cli.main(["plan", *options, "--date", "5 March"]) == 2
    assert "--date: must be a date like 2026-03-04, not '5 March'" in capsys.readouterr().err


def test_routines_show_explains_tonights_holds(setup, capsys):
    state_dir, options = setup
    write_nights(state_dir, {})
    assert cli.main(["routines", "show", "full", *options]) == 0
    out = capsys.readouterr().out
    assert out.endswith("\nTonight (see `psoas plan`):\n"
                        "   Leg dangle: tonight 33 s: held to the end 8 nights (written 30 s)\n"
                        "   Knee hug: tonight 28 s: held to the end 8 nights (written 25 s)\n")
    assert cli.main(["routines", "show", "full", "--json", *options]) == 0
    assert json.loads(capsys.readouterr().out)["tonight"] == [
        {"stretch_id": "leg-dangle", "hold_seconds": 33.0, "why": "held to the end 8 nights"},
        {"stretch_id": "knee-hug", "hold_seconds": 28.0, "why": "held to the end 8 nights"}]
