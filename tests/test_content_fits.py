"""Every page, cue, tip and heading of the built-in content fits every supported panel in full.

The screens come from `display.fit` (the same check `psoas routines check` runs on a
person's files); `display.overflows` reports any text that would be cut off or that would
light more of a night screen than allowed, at 128x64, 128x32 and 128x128.
"""

from __future__ import annotations

from dataclasses import replace

from display import fit
from display.fit import PANEL_SIZES, Screen, Source, card_screens, file_warnings, misfits, routine_screens
from routines.loading.catalog import built_in_stretches, load_catalog
from routines.loading.loader import load_routine
from routines.loading.toml_source import TomlSource
from routines.state import Phase

CATALOG = load_catalog(strict=True)


def built_in_screens() -> list[tuple[str, Screen]]:
    screens = [("cards", screen) for screen in card_screens(CATALOG.cards)]
    for routine in CATALOG.routines.values():
        screens += [(routine.name, screen) for screen in routine_screens(routine)]
    return screens


def test_every_built_in_text_is_shown_in_full_at_every_panel_size():
    screens = built_in_screens()
    assert len(screens) > 200  # every routine, stretch, page, cue and tip is in there
    assert set(PANEL_SIZES) == {(128, 64), (128, 32), (128, 128)}
    groups: dict[str, list[Screen]] = {}
    for name, screen in screens:
        groups.setdefault(name, []).append(screen)
    problems = [f"{name}: {misfit}" for name, group in groups.items() for misfit in misfits(group)]
    assert problems == [], "\n".join(problems)


def test_every_page_cue_and_tip_is_checked():
    states = [screen.state for _, screen in built_in_screens()]
    shown = {line for state in states for line in state.lines} | {state.cue for state in states}
    cards = CATALOG.cards
    for routine in CATALOG.routines.values():
        for step in routine.steps:
            assert set(step.pages) | set(step.cues) <= shown, (routine.name, step.title)
    tips = {tip for position in cards.sleep_tips.values() for tip in position}
    assert set(cards.safety_pages) | tips <= shown
    headings = {state.title for state in states if state.phase is Phase.DONE}
    assert set(cards.kind_words) | {line for lines in cards.expect.values() for line in lines} <= headings


def test_a_page_that_is_too_long_names_its_source_at_each_size_it_misses():
    screen = next(routine_screens(CATALOG.routine("full")))
    page = Screen(replace(screen.state, phase=Phase.INFO, title="Go gently",
                          lines=("Only what feels easy tonight, and a little less. Stop on sharp pain.",)),
                  Source(("step", 0, "pages"), 2, "step 1 (Go gently), page 2"))
    found = misfits([page])
    assert {misfit.source.item for misfit in found} == {2}
    assert any("at 128x32: needs 3 lines" in misfit.problem for misfit in found)
    assert str(found[0]).startswith("step 1 (Go gently), page 2: info text at 128x")


def test_a_heading_that_does_not_fit_is_blamed_on_the_heading():
    screen = next(s for s in routine_screens(CATALOG.routine("quick")) if s.state.phase is Phase.SETUP)
    long_title = replace(screen, state=replace(screen.state, title="A stretch name far too long to fit in two lines"))
    found = misfits([long_title])
    titles = [misfit for misfit in found if " title at 128x" in misfit.problem]
    assert titles and {misfit.source for misfit in titles} == {screen.heading}
    assert str(titles[0]).startswith("step 1 title: setup title at 128x")


def test_file_warnings_name_the_line_and_blame_a_crowding_title_once():
    src = TomlSource.parse(
        'title = "A routine title much too long for the prompt"\n[[step]]\nstretch = "knee-hug"\n'
        'title = "A long title for this stretch of mine, it wraps"\n', "mine.toml")
    routine = load_routine(src, "mine", CATALOG.stretches, "mine.toml")
    assert src.problems == []
    first, *others = file_warnings(src, routine)
    assert first.startswith("mine.toml:1: title: warning: does not fit at 128x64, 128x32, 128x128: ")
    assert first.endswith("; shorten it")
    assert others and all(line.startswith("mine.toml:4: step 1 title: warning: does not fit at ") for line in others)
    assert any("of the stretch's own texts no longer fit under it" in line for line in others)


def test_file_warnings_are_quiet_for_a_routine_of_built_in_texts():
    src = TomlSource.parse('title = "Mine"\n[[step]]\nstretch = "leg-dangle"\n[[step]]\nstretch = "knee-hug"\n',
                           "mine.toml")
    assert file_warnings(src, load_routine(src, "mine", CATALOG.stretches, "mine.toml")) == []


def test_file_warnings_find_a_card_page_written_as_text():
    src = TomlSource.parse('title = "Mine"\n[[step]]\nkind = "rest"\nseconds = 20\n'
                           'text = "Lie still for a moment and let the whole body go heavy and soft, slowly."\n',
                           "mine.toml")
    (warning,) = file_warnings(src, load_routine(src, "mine", CATALOG.stretches, "mine.toml"))
    assert warning.startswith("mine.toml:5: step 1 (Rest), text: warning: does not fit at 128x")
    assert warning.endswith("; shorten it")


def test_a_text_no_screen_shows_in_full_is_reported_at_each_size_it_misses():
    hold, paused = [screen for screen in routine_screens(CATALOG.routine("quick"))
                    if screen.state.phase in (Phase.HOLD, Phase.PAUSED)][-2:]
    name = paused.body  # the paused screen names the stretch only as "Paused"
    found = misfits([paused])
    assert {misfit.source for misfit in found} == {name}
    assert sorted(misfit.problem.split(": ")[0] for misfit in found) == [
        "paused text at 128x128", "paused text at 128x32", "paused text at 128x64"]
    assert "never shown in full: 'Knee hug'" in found[0].problem
    assert misfits([paused, hold]) == []  # the hold screen shows it, in turn on small panels


def test_file_warnings_name_a_cue_too_long_for_its_line():
    src = TomlSource.parse('title = "Mine"\n[[step]]\nstretch = "knee-hug"\n'
                           'cues = ["Short one.", "Let the long leg hang heavy, and let the hip soften."]\n',
                           "mine.toml")
    (warning,) = file_warnings(src, load_routine(src, "mine", CATALOG.stretches, "mine.toml"))
    assert warning.startswith("mine.toml:4: step 1 (Knee hug), cue 2: warning: does not fit at 128x64, 128x32")


def test_each_different_screen_is_drawn_once_however_often_a_routine_repeats_it(tmp_path, monkeypatch):
    drawn = []
    real_check = fit.check
    monkeypatch.setattr(fit, "check", lambda state, size: drawn.append((state, size)) or real_check(state, size))
    counts = []
    for steps in (2, 20):
        text = 'title = "Again"\n' + '[[step]]\nstretch = "leg-dangle"\n[[step]]\nstretch = "knee-hug"\n' * (steps // 2)
        src = TomlSource.parse(text, "again.toml")
        drawn.clear()
        assert file_warnings(src, load_routine(src, "again", built_in_stretches(), "again.toml")) == []
        counts.append(len(drawn))
        assert len(set(drawn)) == len(drawn)  # no state drawn twice at one size
    assert counts[0] == counts[1] > 0
