"""Rule 3, worse, not better: suggest seeing someone.

Source, the article's bottom line: "If you have ongoing pain, or if things feel worse instead of
better, loop in a healthcare professional like a physical therapist for personalized guidance."
Worse is measured as the stats trend measures it (`routines.coaching.farrar`): the average of
the last 7 mornings is meaningfully higher (Farrar: `see_someone_points` points, or
`see_someone_percent` %) than the same 7 mornings `see_someone_weeks` weeks before, and has been
so for `see_someone_mornings` mornings in a row. The screens then show one short line, on at
most one day in `see_someone_every_days`; stats say it in a full sentence while it lasts. It is
a suggestion, never a diagnosis, and it goes away when the trend does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from routines.coaching import farrar
from routines.coaching.rules import CoachRules, Finding, turned_off
from routines.morning import SCALE_MAX, average_text
from routines.wording import counted

RULE = "see_someone"
SOURCE = ("If you have ongoing pain, or if things feel worse instead of better, loop in a healthcare "
          "professional like a physical therapist for personalized guidance.")


@dataclass(frozen=True)
class Stiffer:
    """Mornings meaningfully stiffer as of `day`: the 7-day averages now and `weeks` weeks
    before, for `mornings` mornings in a row; `due`: the screens show the line on `day`."""

    day: date
    now: float
    before: float
    weeks: int
    mornings: int
    due: bool

    @property
    def points(self) -> float:
        return self.now - self.before

    @property
    def percent(self) -> float | None:
        return 100.0 * self.points / self.before if self.before else None

    @property
    def line(self) -> str:
        """The screens' short line, e.g. "Stiffer 2 weeks: a physio?"."""
        return f"Stiffer {counted(self.weeks, 'week')}: a physio?"

    @property
    def sentence(self) -> str:
        """The full sentence with the numbers, for stats and the phone."""
        percent = "" if self.percent is None else f", {self.percent:+.0f} %"
        return (f"Mornings have been stiffer for {self.mornings} mornings in a row: the last 7 average "
                f"{average_text(self.now)}, against {average_text(self.before)} the same week "
                f"{counted(self.weeks, 'week')} before ({self.points:+.1f} points{percent}). When things feel "
                "worse instead of better, the article suggests a physical therapist: a suggestion, "
                "not a diagnosis.")


def is_stiffer(answers: Mapping[date, int], day: date, rules: CoachRules) -> tuple[float, float] | None:
    """(now, before): the 7-day averages ending `day` and `see_someone_weeks` weeks earlier, when
    now is meaningfully higher (the Farrar rule with the config's thresholds); else None."""
    now = farrar.week_average(answers, day).average
    before = farrar.week_average(answers, day - timedelta(weeks=rules.see_someone_weeks)).average
    if now is None or before is None or now <= before:
        return None
    if not farrar.is_meaningful(before, now, rules.see_someone_points, rules.see_someone_percent / 100):
        return None
    return now, before


def _step(answers: Mapping[date, int], current: date, rules: CoachRules,
          run: int, last_due: date | None) -> tuple[Stiffer | None, int, date | None]:
    """One day of the scan: the rule's state on `current`, given the run of stiffer mornings and
    the last day due before it; returns (state, run, last due) after it."""
    averages = is_stiffer(answers, current, rules)
    run = run + 1 if averages else 0
    if not averages or run < rules.see_someone_mornings:
        return None, run, last_due
    due = last_due is None or (current - last_due).days >= rules.see_someone_every_days
    last_due = current if due else last_due
    return Stiffer(current, *averages, rules.see_someone_weeks, run, due), run, last_due


def _scan(answers: Mapping[date, int], until: date, rules: CoachRules):
    """(day, `Stiffer` or None, run, last due) for each day from the first answer to `until`:
    the days the line is due follow from the whole history, in one pass."""
    if not rules.see_someone or not answers:
        return
    run, last_due, current = 0, None, min(answers)
    while current <= until:
        found, run, last_due = _step(answers, current, rules, run, last_due)
        yield current, found, run, last_due
        current += timedelta(days=1)


def stiffer_as_of(answers: Mapping[date, int], day: date, rules: CoachRules) -> Stiffer | None:
    """The rule's state on `day` (a morning date): None unless mornings have been stiffer for
    `see_someone_mornings` mornings in a row up to `day` (or the rule is off)."""
    found = None
    for _, found, _, _ in _scan(answers, day, rules):
        pass
    return found if found is not None and found.day == day else None


def due_days(answers: Mapping[date, int], until: date, rules: CoachRules) -> list[date]:
    """Every day up to `until` on which the screens show the line (at most one in every
    `see_someone_every_days`)."""
    return [day for day, found, _, _ in _scan(answers, until, rules) if found is not None and found.due]


def see_someone(answers: Mapping[date, int], day: date, rules: CoachRules) -> Finding:
    """The finding on `day`: applies while mornings have been stiffer long enough; its `line` only
    on the days the screens show it."""
    if not rules.see_someone:
        return turned_off(RULE, SOURCE)
    found = stiffer_as_of(answers, day, rules)
    if found is None:
        return Finding(RULE, False, f"mornings not meaningfully stiffer than {counted(rules.see_someone_weeks, 'week')} "
                                    f"before for {rules.see_someone_mornings} mornings in a row.", SOURCE)
    shown = "shown on the screens today" if found.due else \
        f"already shown in the last {rules.see_someone_every_days} days"
    return Finding(RULE, True, f"{found.sentence} ({shown})", SOURCE, line=found.line if found.due else "")


def notes_by_answer(answers: Mapping[date, int], day: date, rules: CoachRules) -> tuple[str, ...]:
    """For each answer 0–10 the morning of `day` might get, the line to show under it once
    saved ("" for none): `MorningOffer.notes`. The answer is part of the trend, so each is tried."""
    if not rules.see_someone:
        return ()
    before = {when: value for when, value in answers.items() if when < day}
    run, last_due = 0, None
    for _, _, run, last_due in _scan(before, day - timedelta(days=1), rules):
        pass  # the days before do not depend on today's answer: scanned once
    notes = []
    for answer in range(SCALE_MAX + 1):
        found, _, _ = _step({**before, day: answer}, day, rules, run, last_due)
        notes.append(found.line if found is not None and found.due else "")
    return tuple(notes) if any(notes) else ()
