"""The phone's Tonight page shows tonight's plan and why; Progress says what the rules see."""

from __future__ import annotations

from datetime import timedelta

from web_helpers import make_site, paired_client

from device.journal import streaks
from device.journal.writer import Journal


def test_tonight_shows_the_routine_a_rule_puts_first_and_why(tmp_path):
    site, _ = make_site(tmp_path)
    text = paired_client(site).get("/").get_data(as_text=True)
    assert "<p>Quick, about 2 min</p>" in text  # a new person: the first week starts small
    assert '<p id="plan-why">First week: two stretches</p>' in text
    assert "Quick (two stretches) first; Full routine is one hold away." in text


def test_tonight_without_a_rule_applying_is_the_routine_as_set(tmp_path):
    site, _ = make_site(tmp_path, "[coaching]\nfirst_week = false\n")
    text = paired_client(site).get("/").get_data(as_text=True)
    assert "<p>Full routine, about 13 min</p>" in text and 'id="plan-why"' not in text
    assert 'id="plan-rules"' not in text  # no rule applies: nothing to explain


def test_progress_says_stiffer_mornings_in_a_full_sentence_with_the_numbers(tmp_path):
    site, _ = make_site(tmp_path)
    today = streaks.night_date(site.local_now())
    with Journal(site.state_dir) as journal:
        for back in range(21):
            journal.save_morning(today - timedelta(days=back), 7 if back < 5 else 3)
    text = paired_client(site).get("/progress").get_data(as_text=True)
    assert ('<p class="coaching">Mornings have been stiffer for 4 mornings in a row: the last 7 average '
            '5.9, against 3.0 the same week 2 weeks before (+2.9 points, +95 %).') in text
    (tmp_path / "config.toml").write_text("[coaching]\nsee_someone = false\n")
    assert 'class="coaching"' not in paired_client(site).get("/progress").get_data(as_text=True)
