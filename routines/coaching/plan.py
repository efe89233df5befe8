"""Tonight's plan: every rule over the journal's rows and tonight's date, in one place.

`plan_tonight` is what the bedtime prompt, `psoas plan` and the phone's Tonight page show:
the routines in the order offered (the first with the one line why), tonight's holds, and each
rule's finding. The rules run in order: start small (rule 1), then a stiff morning (rule 2:
never a longer routine first), then, for every routine offered, the holds (rule 5) and the
side order (rule 4). Worse mornings (rule 3) and the tighter side (rule 4) also add a line to
the screens after a routine and after the morning answer (`see_someone`, `sides`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from routines.coaching import gentle, holds, see_someone, sides, start_small
from routines.coaching.history import NightLike, practised_before
from routines.coaching.holds import HoldChange
from routines.coaching.rules import CoachRules, Finding
from routines.model import Routine


@dataclass(frozen=True)
class Plan:
    """Tonight's plan. `offered` are the routines in the prompt's order, each with tonight's
    holds: the first is tonight's, the one the person set (`chosen`) next, one hold away.
    `line` says in one line why the first is first ("" when it is the chosen one as set);
    `holds` are the first routine's hold changes; `findings` one per rule, in rule order."""

    night: date
    chosen: str
    offered: tuple[Routine, ...]
    line: str
    holds: tuple[HoldChange, ...]
    findings: tuple[Finding, ...]

    @property
    def first(self) -> Routine:
        return self.offered[0]


def tonight(routine: Routine, nights: Sequence[NightLike], night: date,
            rules: CoachRules) -> tuple[Routine, tuple[HoldChange, ...]]:
    """`routine` as it runs tonight: its holds (rule 5) and side order (rule 4), with the changes."""
    adjusted, changes = holds.adjust_holds(routine, nights, night, rules)
    return sides.order_sides(adjusted, nights, night, rules), changes


def plan_tonight(nights: Sequence[NightLike], answers: Mapping[date, int], night: date, chosen: Routine,
                 routines: Mapping[str, Routine], rules: CoachRules,
                 pauses: tuple[float, float] = (0.0, 0.0)) -> Plan:
    """The plan for the night dated `night`. `nights` are the journal's nights, `answers` its
    morning answers by date ("not today" left out), `chosen` tonight's routine as set,
    `routines` every routine by name, `pauses` the (switch, transition) pauses in seconds that
    routine lengths are compared with."""
    practised = len(practised_before(nights, night))
    small = start_small.start_small(practised, chosen, routines.get(rules.first_week_routine), rules)
    first = routines[rules.first_week_routine] if small.applies else chosen
    stiff = gentle.stiff_morning(answers, night, first, routines.get(rules.gentle_routine), rules, pauses)
    if stiff.applies:
        first = routines[rules.gentle_routine]
    line = stiff.line or small.line
    ordered = sorted(routines.values(), key=lambda r: (r.name != first.name, r.name != chosen.name))
    offered = [tonight(routine, nights, night, rules) for routine in ordered]
    changes = offered[0][1]
    findings = (small, stiff, see_someone.see_someone(answers, night, rules), sides.sides(nights, night, rules),
                holds.holds(changes, rules))
    return Plan(night, chosen.name, tuple(routine for routine, _ in offered), line, changes, findings)


def done_heading(nights: Sequence[NightLike], answers: Mapping[date, int], night: date, rules: CoachRules) -> str:
    """The done screen's coaching heading after the night `night` ("" for none): "Stiffer 2
    weeks: a physio?" on a day it is due (rule 3), else the tighter side (rule 4)."""
    stiffer = see_someone.stiffer_as_of(answers, night, rules)
    if stiffer is not None and stiffer.due:
        return stiffer.line
    tighter = sides.tighter_side(nights, night, rules)
    return tighter.line if tighter is not None else ""


def progress_sentences(nights: Sequence[NightLike], answers: Mapping[date, int], day: date,
                       rules: CoachRules) -> tuple[str, ...]:
    """What `psoas stats`, its picture and the phone's Progress page say in full, as of `day`:
    stiffer mornings with their numbers (rule 3, every day it lasts), the tighter side (rule 4)."""
    found = []
    stiffer = see_someone.stiffer_as_of(answers, day, rules)
    if stiffer is not None:
        found.append(stiffer.sentence)
    tighter = sides.tighter_side(nights, day, rules)
    if tighter is not None:
        found.append(f"The {tighter.side.value} side was marked tighter on {tighter.nights} of the last "
                     f"{tighter.of_nights} nights: normal, the article says; "
                     + ("one-sided holds start on it." if rules.tighter_side_first
                        else "holds keep left first ([coaching] tighter_side_first)."))
    return tuple(found)
