"""/device: the checks of `psoas doctor` that make sense from a phone, whether the daemon is
listening, the version, the paired phones (forget one, after a confirmation).

The live status of the device (what the screen shows, start or skip from the phone) belongs
here too: add its routes to `pages`.
"""

from __future__ import annotations

import logging
from importlib import metadata

from flask import Blueprint, g, redirect, render_template, request, url_for

from device import control
from device.health.checks import check_config, check_packages, check_pin_clashes, check_python
from device.web import security
from device.web.pages.outcome import changed, done_text
from device.web.site import current_site

log = logging.getLogger("psoas.web")
pages = Blueprint("device", __name__)
DONE = {"forgotten": "Forgotten: that phone is signed out."}


@pages.get("/device")
def page():
    return _page(done=done_text(DONE))


@pages.route("/device/forget", methods=["GET", "POST"])
def forget():
    site = current_site()
    phone_id = request.values.get("phone", "")
    phone = next((p for p in site.phones.all() if p.id == phone_id), None)
    if phone is None:
        return _page(problem="No such phone."), 400
    if request.method == "GET":
        this_one = phone.id == g.phone.id
        return render_template("confirm.html", title=f"Forget {'this phone' if this_one else phone.label}?",
                               lines=[f"{phone.label}, paired {phone.paired_at[:10]}"],
                               note="It is signed out at once; to use the page again it must be paired anew "
                                    "with a code from the device." if this_one else
                                    "It is signed out at once; it can be paired again with a code from the device.",
                               action=url_for("device.forget"), fields={"phone": phone.id}, button="Forget",
                               cancel=url_for("device.page"))
    if not site.phones.forget(phone_id):
        return _page(problem="No such phone."), 400
    log.info("a phone was forgotten (id %s)", phone_id)
    if phone_id == g.phone.id:
        response = redirect(url_for("pair.pair", why="forgotten"))
        response.delete_cookie(security.SESSION_COOKIE, path="/")
        return response
    return changed("device.page", "forgotten")


def _page(problem: str = "", done: str = ""):
    site = current_site()
    checks = [check_python(), check_packages()]
    result, config = check_config(site.config_path)
    checks.append(result)
    if config is not None:
        checks.append(check_pin_clashes(site.config()))  # with haptics as set on the phone
    try:
        version = metadata.version("psoas-companion")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return render_template("device.html", checks=checks, version=version, phones=site.phones.all(),
                           this_phone=g.phone.id, running=control.listening(site.state_dir), problem=problem,
                           done=done, state_dir=site.state_dir)
