"""The journal plugged into the daemon: each engine event recorded, the tighter marks kept, and
the streak line (with what to expect) added to the done screen.

`JournalLink.hooks` is what the daemon calls; all of it runs on the daemon's loop thread.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from device.clocks.wall import WallClock
from device.daemon import Hooks
from device.journal import streaks, trend
from device.journal.reader import stiffness_by_date
from device.journal.writer import Journal
from routines.state import Phase


class JournalLink:
    """Connects a `Journal` to a daemon: records events and marks, shows the streak when done.

    All callbacks run on the daemon's loop thread. The streak line is worked out once, when
    the night's outcome is recorded, not on every frame. From `trend.EXPECT_AFTER_MORNINGS`
    morning answers on, the what-to-expect words may be the person's own numbers instead.
    """

    def __init__(self, journal: Journal, expect: dict):
        self.journal = journal
        self.expect = expect  # what-to-expect lines by stage (`Cards.expect`)
        self.streak_text = ""
        self.milestone = ""

    @property
    def hooks(self) -> Hooks:
        """What the daemon calls: every event, the tighter marks, the done screen's lines."""
        return Hooks(listeners=[self.on_event], tighter=[self.journal.mark_tighter], decorators=[self.decorate])

    def on_event(self, event) -> None:
        self.journal.record(event)
        if event.outcome is not None:  # read once, when the night ends, not on every frame
            nights, today = self.journal.practised_nights(), self.journal.today()
            self.streak_text = streaks.done_summary(nights, today)
            self.milestone = ""
            if self.streak_text:
                own = trend.own_expect_line(stiffness_by_date(self.journal.mornings()), today)
                self.milestone = own or streaks.milestone_message(nights, today, self.expect)

    def decorate(self, state):
        """On the done screen: the streak line, and tonight's what-to-expect words as heading."""
        if state.phase is Phase.DONE and self.streak_text and not state.streak_text:
            return dataclasses.replace(state, streak_text=self.streak_text, title=self.milestone or state.title)
        return state


def open_journal(state_dir: Path, expect: dict, wall: WallClock | None = None) -> JournalLink:
    """Open the journal in `state_dir`; pass `link.hooks` to the daemon and close it with
    `link.journal.close()`. `expect` is `Catalog.cards.expect`, the what-to-expect lines by stage;
    `wall` the clock its dates are read from (aware, in the device's zone; default: the system's)."""
    return JournalLink(Journal(state_dir, wall), expect)
