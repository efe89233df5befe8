"""/routines: the routines on the device, each shown as the screens the device draws for it
(`device.web.screens`, one PNG each); upload and delete the phone's own."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request

from device.app import engine_settings
from device.cli.routines import minutes
from device.config import phone
from device.config.schema import WEEKDAYS
from device.web import backup, security
from device.web.screens import alt_text, routine_screens, screen_png
from device.web.site import current_site
from routines.loading.catalog import check_files, load_catalog

log = logging.getLogger("psoas.web")
pages = Blueprint("routines", __name__)


@pages.get("/routines")
def page():
    return _page()


@pages.get("/routines/<name>/screens/<int:index>.png")
def screen(name: str, index: int):
    """Screen `index` (from 0) of routine `name`, as the device's panel draws it."""
    config = current_site().config()
    catalog = load_catalog(config.routine_dirs())
    routine = catalog.routines.get(name)
    shown = routine_screens(routine, catalog.cards, engine_settings(config)) if routine else []
    if index >= len(shown):
        abort(404, "No such screen.")
    response = Response(screen_png(shown[index], (config.display.width, config.display.height)),
                        mimetype="image/png")
    return response


@pages.post("/routines/upload")
def upload():
    site = current_site()
    upload = request.files.get("routine")
    if upload is None or not upload.filename:
        return _page(problems=["Choose a routine file (.toml) first."], status=400)
    name = Path(upload.filename.replace("\\", "/")).name if upload.filename else ""
    if name != upload.filename or not backup.is_routine_file_name(name):
        return _page(status=400, problems=[
            f"{upload.filename!r}: the file name must be like gentle.toml (letters, digits, - and _ only)"])
    data = upload.read(security.ROUTINE_LIMIT + 1)
    if len(data) > security.ROUTINE_LIMIT:
        abort(413)
    with tempfile.TemporaryDirectory(dir=site.state_dir, prefix=".upload-") as scratch:
        path = Path(scratch) / name
        path.write_bytes(data)
        problems, warnings = check_files([path])  # exactly `psoas routines check`
        problems = [line.replace(f"{scratch}/", "") for line in problems]
        warnings = [line.replace(f"{scratch}/", "") for line in warnings]
        if problems:
            return _page(problems=problems, warnings=warnings, status=400)
        own = phone.own_routines_dir(site.state_dir)
        own.mkdir(mode=0o700, exist_ok=True)
        path.chmod(0o600)
        path.replace(own / name)
    log.info("routine file uploaded: %s", name)
    site.tell_daemon()
    return _page(done=f"Saved {name}.", warnings=warnings)


@pages.post("/routines/delete")
def delete():
    site = current_site()
    name = request.form.get("file", "")
    own = phone.own_routines_dir(site.state_dir)
    if not backup.is_routine_file_name(name) or not (own / name).is_file():
        return _page(problems=[f"{name!r}: no such routine of your own"], status=400)
    config = site.config()
    stem = name.removesuffix(".toml")
    users = [f"{day.title()}" for day in WEEKDAYS if getattr(config.bedtime, f"{day}_routine") == stem]
    if users:
        return _page(status=400, problems=[
            f"{stem} is the routine for {', '.join(users)}: choose another one on Bedtimes first"])
    (own / name).unlink()
    log.info("routine file deleted: %s", name)
    site.tell_daemon()
    return _page(done=f"Deleted {name}.")


def _page(problems=(), warnings=(), done: str = "", status: int = 200):
    site = current_site()
    config = site.config()
    catalog = load_catalog(config.routine_dirs())
    own = phone.own_routines_dir(site.state_dir)
    settings = engine_settings(config)
    rows = []
    for name in sorted(catalog.routines):
        routine = catalog.routines[name]
        source = Path(str(routine.source))
        mine = source.parent == own and source.is_file()
        rows.append({"name": name, "title": routine.title, "minutes": minutes(routine, config.routine),
                     "own": source.name if mine else "", "built_in": routine.source == "built-in",
                     "description": routine.description,
                     "screens": [alt_text(state) for state in routine_screens(routine, catalog.cards, settings)]})
    return render_template("routines.html", rows=rows, problems=list(problems), warnings=list(warnings),
                           done=done, limit_kib=security.ROUTINE_LIMIT // 1024), status
