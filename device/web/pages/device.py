"""/device: the checks of `psoas doctor` that make sense from a phone, the version, the paired
phones (forget one here). The live status of the device (what the screen shows, start or skip
from the phone) belongs here too: add its routes to `pages`."""

from __future__ import annotations

import logging
from importlib import metadata

from flask import Blueprint, g, redirect, render_template, request, url_for

from device import control
from device.cli.doctor import check_config, check_packages, check_pin_clashes, check_python
from device.web import security
from device.web.site import current_site

log = logging.getLogger("psoas.web")
pages = Blueprint("device", __name__)


@pages.get("/device")
def page():
    return _page()


@pages.post("/device/forget")
def forget():
    site = current_site()
    phone_id = request.form.get("phone", "")
    if not site.phones.forget(phone_id):
        return _page(problem="No such phone."), 400
    log.info("a phone was forgotten (id %s)", phone_id)
    if phone_id == g.phone.id:
        response = redirect(url_for("pair.pair"))
        response.delete_cookie(security.SESSION_COOKIE, path="/")
        return response
    return _page(done="Forgotten.")


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
    running = control.socket_path(site.state_dir).exists()
    return render_template("device.html", checks=checks, version=version, phones=site.phones.all(),
                           this_phone=g.phone.id, running=running, problem=problem, done=done,
                           state_dir=site.state_dir)
