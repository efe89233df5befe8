"""/bedtimes: the settings a person changes from bed, saved as phone settings over the config file."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from device.config import phone_settings
from device.config.schema import WEEKDAYS, kind_of
from device.web import forms
from device.web.pages.outcome import changed, done_text
from device.web.site import current_site
from routines.loading.catalog import load_catalog

pages = Blueprint("settings", __name__)


DONE = {"saved": "Saved. The device uses it within seconds.",
        "unchanged": "Nothing changed: these were the settings already."}


@pages.route("/bedtimes", methods=["GET", "POST"])
def bedtimes():
    site = current_site()
    base = site.base_config()
    problems, status, submitted = {}, 200, None
    if request.method == "POST":
        changes, problems = _save(base, request.form)
        if not problems:
            return changed("settings.bedtimes", "saved", site.tell_daemon()) if changes else \
                changed("settings.bedtimes", "unchanged")
        submitted, status = request.form, 400
    config = phone_settings.with_phone(base, site.state_dir)
    catalog = load_catalog(config.routine_dirs())
    others = [f"{section}/{key}: {message}" for (section, key), message in problems.items()
              if (section, key) not in phone_settings.PHONE_KEYS]  # a clash with a key of the config file
    return render_template("bedtimes.html", field=_fields(config, problems, submitted), days=WEEKDAYS,
                           done="" if problems else done_text(DONE), others=others,
                           routines=sorted(catalog.routines.values(), key=lambda r: r.name),
                           default_routine=config.routine.default, problem_count=len(problems)), status


def _save(base, form) -> tuple[dict, dict]:
    """Check the submitted form whole and save what differs: (what changed, the problems by
    (section, key)); nothing is written when nothing changed or anything is wrong."""
    values, problems = forms.parse_form(form)
    if problems:
        return {}, problems
    site = current_site()  # only what differs is a phone setting: the file's others stay in charge
    effective = phone_settings.with_phone(base, site.state_dir)
    changes = {(section, key): value for (section, key), value in values.items()
               if getattr(getattr(effective, section), key) != value}
    if not changes:
        return {}, {}
    return changes, phone_settings.save(site.state_dir, base, changes)


def _fields(config, problems: dict, submitted):
    """The template's `field(section, key)`: a field's name, shown value, problem and origin."""

    def field(section, key):
        name = f"{section}.{key}"
        value = submitted.get(name, "") if submitted is not None else forms.shown(
            getattr(getattr(config, section), key))
        where = config.where(section, key)
        origin = ("set here" if where.endswith("(phone)") else
                  "default" if where == "defaults" else f"config file {where.rsplit('/', 1)[-1]}")
        return {"name": name, "value": value, "problem": problems.get((section, key)), "origin": origin,
                "attributes": forms.attributes(kind_of(section, key))}

    return field
