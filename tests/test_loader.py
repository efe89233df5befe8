"""Routine files: overrides, every problem at once with its line, warnings, user directories."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from routines.errors import PsoasError, RoutineError
from routines.loading.catalog import built_in_stretches, check_files, load_catalog
from routines.loading.routine_file import read_routine
from routines.model import Breathing, HoldStart, Sides, StepKind

STRETCHES = built_in_stretches()


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(RoutineError) as caught:
        read_routine(path, STRETCHES)
    return caught.value.problems


def test_a_step_overrides_hold_sides_setup_cues_and_breathing(tmp_path):
    path = write(tmp_path, "evening.toml", """
        title = "Evening"
        hold_start = "countdown"
        get_ready_seconds = 5
        breathing = { inhale_seconds = 5, exhale_seconds = 7 }

        [[step]]
        stretch = "leg-dangle"
        hold_seconds = 35
        sides = "both"
        setup = ["Only one page."]
        cues = ["My own cue."]
        breathing = { exhale_seconds = 9 }

        [[step]]
        kind = "rest"
        text = "Lie still."
        seconds = 20

        [[step]]
        stretch = "pillow-release"
        breathing = false
        fade_out = true
    """)
    routine, warnings = read_routine(path, STRETCHES)
    assert warnings == []
    assert routine.name == "evening" and routine.source == str(path)
    assert routine.hold_start is HoldStart.COUNTDOWN and routine.get_ready_seconds == 5
    dangle, rest, release = routine.steps
    assert (dangle.hold_seconds, dangle.sides, dangle.pages, dangle.cues) == (
        35, Sides.BOTH, ("Only one page.",), ("My own cue.",))
    assert dangle.breathing == Breathing(5, 9)  # inhale inherited from the routine
    assert (rest.kind, rest.title, rest.pages, rest.seconds) == (StepKind.REST, "Rest", ("Lie still.",), 20)
    assert release.breathing is None and release.fade_out
    assert release.hold_seconds == STRETCHES["pillow-release"].hold_seconds
    assert release.pages == STRETCHES["pillow-release"].setup_pages


def test_every_problem_is_reported_at_once_with_its_line_and_a_did_you_mean(tmp_path):
    path = write(tmp_path, "broken.toml", """
        title = "Broken"
        hold_strat = "press"

        [[step]]
        stretch = "leg-dangel"
        hold_seconds = 2

        [[step]]
        kind = "info"
        title = "Hi"
        text = "Hello."
        seconds = 10

        [[step]]
        stretch = "knee-hug"
        cuse = ["x"]
        [step.breathing]
        inhale_seconds = 50
    """)
    assert problems_of(path) == [
        f"{path}:2: hold_strat: unknown key (did you mean 'hold_start'?)",
        f"{path}:5: step[1]/stretch: no stretch called 'leg-dangel' (did you mean 'leg-dangle'?)",
        f"{path}:6: step[1]/hold_seconds: 2 s is outside 5-1800 s",
        f"{path}:12: step[2]/seconds: not used by info steps (this step has kind = 'info')",
        f"{path}:16: step[3]/cuse: unknown key (did you mean 'cues'?)",
        f"{path}:18: step[3]/breathing/inhale_seconds: 50 s is outside 1-20 s",
    ]


@pytest.mark.parametrize("hold, ok", [(4, False), (5, True), (1800, True), (1801, False)])
def test_holds_outside_5_seconds_to_30_minutes_are_errors(tmp_path, hold, ok):
    path = write(tmp_path, "r.toml", f"""
        title = "R"
        [[step]]
        stretch = "pillow-release"
        hold_seconds = {hold}
        outside_range_ok = true
    """)
    if ok:
        assert read_routine(path, STRETCHES)[0].steps[0].hold_seconds == hold
    else:
        assert problems_of(path) == [f"{path}:4: step[1]/hold_seconds: {hold} s is outside 5-1800 s"]


def test_a_hold_outside_the_seed_range_is_only_a_warning_unless_acknowledged(tmp_path):
    text = """
        title = "R"
        [[step]]
        stretch = "leg-dangle"
        hold_seconds = 60
    """
    routine, warnings = read_routine(write(tmp_path, "a.toml", text), STRETCHES)
    assert routine.steps[0].hold_seconds == 60
    assert len(warnings) == 1 and warnings[0].startswith(f"{tmp_path / 'a.toml'}:4: step[1]/hold_seconds: warning:")
    assert "20-40 s" in warnings[0] and "outside_range_ok" in warnings[0]
    _, warnings = read_routine(write(tmp_path, "b.toml", text + "outside_range_ok = true\n"), STRETCHES)
    assert warnings == []


@pytest.mark.parametrize("text, message", [
    ('title = "R"\n[step]\nstretch = "knee-hug"\n', "step: write each step as [[step]] (double brackets)"),
    ('title = "R"\n', "step: a routine needs at least one [[step]]"),
    ('title = "R"\n[[step]]\nstretch = "knee-hug"\nsides = "left"\n',
     "step[1]/sides: must be one of 'both', 'each', not 'left'"),
    ('title = "R"\n[[step]]\nstretch = "knee-hug"\nbreathing = 4\n', "step[1]/breathing: must be false or a table"),
    ('title = "R"\nhold_start = "soon"\n[[step]]\nstretch = "knee-hug"\n',
     "hold_start: must be one of 'press', 'countdown', not 'soon'"),
    ('[[step]]\nstretch = "knee-hug"\n', "title: missing"),
    ('title = "R"\n[[step]]\nkind = "rest"\ntext = "x"\n', "step[1]/seconds: missing"),
    ('title = "R"\n[[step]]\nkind = "rest"\nseconds = 9\ntext = "x"\nhold_seconds = 9\n',
     "step[1]/hold_seconds: not used by rest steps"),
    ('title = "R"\n[[step]]\nstretch = "knee-hug"\nfade_out = "yes"\n', "step[1]/fade_out: must be true or false"),
])
def test_each_mistake_gets_one_clear_line_naming_the_key(tmp_path, text, message):
    path = write(tmp_path, "r.toml", text)
    found = problems_of(path)
    assert len(found) == 1 and found[0].startswith(str(path)) and message in found[0]


def test_bad_toml_and_bad_bytes_name_the_file_and_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('title = "x"\n[[step]\n')
    assert problems_of(path) == [f"{path}:2: invalid TOML: Expected ']]' at the end of an array declaration"]
    path.write_bytes(b'title = "\xff"\n')
    assert problems_of(path) == [f"{path}:1: not UTF-8 text (byte 9): save it as UTF-8"]


def test_built_in_routines_are_valid_without_warnings():
    catalog = load_catalog(strict=True)
    assert set(catalog.routines) >= {"full", "quick", "high-pain-day", "fall-asleep"}
    assert catalog.warnings == () and catalog.problems == ()
    assert all(r.source == "built-in" for r in catalog.routines.values())


def test_a_user_file_overrides_a_built_in_and_the_earlier_directory_wins(tmp_path):
    first, second = tmp_path / "home", tmp_path / "etc"
    first.mkdir(), second.mkdir()
    mine = write(first, "quick.toml", 'title = "My quick"\n[[step]]\nstretch = "knee-hug"\n')
    write(second, "quick.toml", 'title = "System quick"\n[[step]]\nstretch = "knee-hug"\n')
    write(second, "extra.toml", 'name = "extra"\ntitle = "Extra"\n[[step]]\nstretch = "knee-hug"\n')
    catalog = load_catalog([first, second, tmp_path / "missing"])
    assert catalog.routine("quick").title == "My quick" and catalog.routine("quick").source == str(mine)
    assert catalog.routine("extra").title == "Extra"
    assert catalog.routine("full").source == "built-in"
    assert any("also in" in w and str(mine) in w for w in catalog.warnings)


def test_a_broken_user_file_is_skipped_and_reported_not_fatal(tmp_path):
    write(tmp_path, "good.toml", 'title = "Good"\n[[step]]\nstretch = "knee-hug"\n')
    bad = write(tmp_path, "full.toml", 'title = "Bad"\n[[step]]\nstretch = "nope"\nhold_seconds = "long"\n')
    catalog = load_catalog([tmp_path])
    assert catalog.routine("good").title == "Good"
    assert catalog.routine("full").source == "built-in"  # the broken override is left out
    assert catalog.skipped == (bad,)
    assert len(catalog.problems) == 2 and all(p.startswith(f"{bad}:") for p in catalog.problems)
    with pytest.raises(RoutineError) as caught:
        load_catalog([tmp_path], strict=True)
    assert caught.value.problems == list(catalog.problems)
    with pytest.raises(PsoasError, match="routines check"):
        catalog.routine("bad")


def test_check_files_takes_files_and_directories(tmp_path):
    good = write(tmp_path, "good.toml", 'title = "Good"\n[[step]]\nstretch = "leg-dangle"\nhold_seconds = 45\n')
    problems, warnings = check_files([good, tmp_path / "missing.toml"])
    assert problems == [f"{tmp_path / 'missing.toml'}: cannot read: not found"]
    assert len(warnings) == 1 and "45 s is outside the usual 20-40 s" in warnings[0]
    assert check_files([tmp_path]) == ([], warnings)


@pytest.mark.parametrize(("steps", "expected"), [
    ('[[step]]\nstretch = "pillow-release"\nfade_out = true\n[[step]]\nstretch = "knee-hug"\n',
     "what follows it (1 step) is never reached (make it the last step)"),
    ('[[step]]\nstretch = "knee-hug"\nsides = "each"\nfade_out = true\n',
     'the second side is never reached (use sides = "both")'),
])
def test_a_fade_out_hold_that_leaves_steps_or_a_side_unreached_is_a_warning(tmp_path, steps, expected):
    path = tmp_path / "sleepy.toml"
    path.write_text('title = "Sleepy"\n' + steps)
    problems, warnings = check_files([path])
    assert problems == []
    assert any(f"{path}:" in line and "fade_out" in line and expected in line for line in warnings), warnings
