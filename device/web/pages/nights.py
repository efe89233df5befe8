"""/ (Tonight: the next bedtime, last night, the streak) and /progress (the weeks and mornings):
the pages that read the journal."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, render_template
from markupsafe import Markup

from device.bedtime.memory import PromptedNights
from device.bedtime.plan import BedtimePlan
from device.clocks.zones import zone_source
from device.journal import streaks
from device.journal.coaching import coach_rules, plan_for
from device.journal.report import build_report, change_text, duration_text, streak_text, tighter_text, week_text
from device.web.heatmap_svg import heatmap_svg, morning_svg
from device.web.site import current_site
from routines.coaching.plan import Plan
from routines.describe import minutes
from routines.loading.catalog import load_catalog
from routines.morning import average_text
from routines.outcomes import Outcome

ENDINGS = {Outcome.FINISHED: "finished", Outcome.STOPPED: "stopped early", Outcome.SKIPPED: "skipped",
           None: "cut off"}  # how "Last night" on the Tonight page says it ended
pages = Blueprint("nights", __name__)


@pages.get("/")
def tonight():
    site = current_site()
    config = site.config()
    history, problem = site.history()
    report = build_report(history, streaks.night_date(site.local_now()))
    last = history.nights[-1] if history.nights else None
    upcoming, coaching = _upcoming(config, site.state_dir, history)
    return render_template("tonight.html", upcoming=upcoming, enabled=config.bedtime.enabled,
                           last=last, last_ending=ENDINGS[last.outcome] if last else "",
                           last_minutes=round(last.held_seconds / 60) if last else 0,
                           streak=streak_text(report), problem=problem, coaching=coaching)


def _upcoming(config, state_dir, history) -> tuple[dict | None, Plan | None]:
    """The next bedtime prompt still to come (not one the device showed or the phone skipped):
    when, which routine, about how many minutes; None if none is set. With it, the coaching
    plan for that night (what the prompt offers first may be a coaching rule's choice)."""
    zone = zone_source(config.bedtime.time_zone)()
    had = PromptedNights(state_dir)  # the daemon's memory of the nights prompted or skipped
    window = BedtimePlan.from_config(config).next_to_come(datetime.now(timezone.utc), zone, had)
    if window is None:
        return None, None
    catalog = load_catalog(config.routine_dirs())
    routine = catalog.routines.get(window.plan.routine)
    coaching = plan_for(config, catalog, history, window.night) if routine else None
    if coaching is not None:
        routine = coaching.first
    return ({"when": window.start.astimezone(zone).strftime("%A %H:%M"),
             "routine": routine.title if routine else window.plan.routine,
             "minutes": round(minutes(routine, config.routine)) if routine else None}, coaching)


@pages.get("/progress")
def progress():
    site = current_site()
    history, problem = site.history()
    report = build_report(history, streaks.night_date(site.local_now()), rules=coach_rules(site.config()))
    mornings = {"now": _week(report.mornings.now), "before": _week(report.mornings.before),
                "change": change_text(report.mornings)}
    return render_template("progress.html", report=report, svg=Markup(heatmap_svg(report)),
                           mornings_svg=Markup(morning_svg(report)), mornings=mornings,
                           streak=streak_text(report), tighter=tighter_text(report),
                           held=duration_text(report.total_minutes), problem=problem)


def _week(week) -> str:
    """A week of mornings for the page: its 7-day average (or "–"), then `week_text`."""
    return f"{'–' if week.average is None else average_text(week.average)} · {week_text(week)}"
