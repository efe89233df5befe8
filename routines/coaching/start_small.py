"""Rule 1, the first nights: start small.

Source, the article's bottom line: "Start with just one or two of the stretches above, listen
to your body, and give it a week or two to respond." Until the person has practised
`first_week_nights` nights, the two-stretch routine (`first_week_routine`) is offered first at
the bedtime prompt; the routine they chose stays one hold away, and comes back by itself after
the first week. A routine that is already as small is left as it is.
"""

from __future__ import annotations

from routines.coaching.rules import CoachRules, Finding, number_word, turned_off
from routines.model import Routine
from routines.wording import plural

RULE = "first_week"
SOURCE = ("Start with just one or two of the stretches above, listen to your body, and give it "
          "a week or two to respond.")


def start_small(practised: int, chosen: Routine, small: Routine | None, rules: CoachRules) -> Finding:
    """The finding for a person with `practised` nights before tonight, who chose `chosen`;
    `small` is the routine called `rules.first_week_routine` (None: there is none)."""
    if not rules.first_week:
        return turned_off(RULE, SOURCE)
    limit = rules.first_week_nights
    if practised >= limit:
        return Finding(RULE, False, f"{practised} nights practised: past the first {limit}, "
                                    f"{chosen.title} as chosen.", SOURCE)
    if small is None:
        return Finding(RULE, False, f"no routine called {rules.first_week_routine!r} to start with.", SOURCE)
    count = len(small.stretch_steps)
    if count >= len(chosen.stretch_steps):
        return Finding(RULE, False, f"night {practised + 1} of the first {limit}: {chosen.title} is "
                                    "already small.", SOURCE)
    stretches = f"{number_word(count)} {plural(count, 'stretch')}"
    return Finding(RULE, True, f"night {practised + 1} of the first {limit}: {small.title} "
                               f"({stretches}) first; {chosen.title} is one hold away.", SOURCE,
                   line=f"First week: {stretches}")
