"""/routines: the routines on the device, each shown as the screens the device draws for it
(one PNG each); upload the phone's own, delete one (after a confirmation; it is kept aside) and
put a deleted one back.

The screens are `routines.walk.screens` (a walk through the engine: a few milliseconds on a PC,
ten times that on a Pi Zero) drawn by `display.render` at the panel's size. Each routine's
screens are kept once walked (`KEEP_ROUTINES`, for the page and its pictures); a routine file
that changes is a new routine.

An upload is checked exactly like `psoas routines check` (in a scratch folder in the state dir)
and refused when it holds direction controls (`bidi`); then written with
`device.storage.atomic.write_atomically` (temporary file, fsync, rename, folder fsync).
"""

from __future__ import annotations

import logging
import tempfile
import threading
from pathlib import Path

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

import display
from device.assemble import engine_settings
from device.config import phone_settings
from device.config.schema import WEEKDAYS
from device.storage.atomic import write_atomically
from device.web import bidi, kept, security
from device.web.backup import is_routine_file_name
from device.web.pages.outcome import changed, done_text
from device.web.site import current_site
from display.preview import png_bytes, screen_text
from routines.describe import minutes
from routines.loading.catalog import Catalog, check_files, load_catalog
from routines.model import Routine
from routines.state import State
from routines.walk import screens

log = logging.getLogger("psoas.web")
pages = Blueprint("routines", __name__)
KEEP_ROUTINES = 16  # routines whose screens are kept
_kept_screens: dict[tuple, list[State]] = {}  # (routine, engine settings) -> its screens
_kept_lock = threading.Lock()  # waitress serves on several threads
DONE = {
    "uploaded": "Saved {file}.",
    "deleted": "Deleted {file}. It is kept aside below: you can put it back.",
    "put-back": "Put {file} back.",
}


@pages.get("/routines")
def page():
    name = request.args.get("file", "")
    name = name if is_routine_file_name(name) else ""
    warnings = []
    if request.args.get("done") == "uploaded" and name:  # what the check said besides, shown after the redirect
        _, warnings = check_files([phone_settings.own_routines_dir(current_site().state_dir) / name])
    return _page(done=done_text(DONE, file=name) if name else "", warnings=warnings)


@pages.get("/routines/upload")
def upload_page():
    return redirect(url_for("routines.page"))


@pages.get("/routines/<name>/screens/<int:index>.png")
def screen(name: str, index: int):
    """Screen `index` (from 0) of routine `name`, as the device's panel draws it."""
    config = current_site().config()
    catalog = load_catalog(config.routine_dirs())
    routine = catalog.routines.get(name)
    shown = _screens(routine, catalog, config) if routine else []
    if index >= len(shown):
        abort(404, "No such screen.")
    image = display.render(shown[index], (config.display.width, config.display.height))
    return Response(png_bytes(image), mimetype="image/png")


@pages.post("/routines/upload")
def upload():
    upload = request.files.get("routine")
    if upload is None or not upload.filename:
        return _page(problems=["Choose a routine file (.toml) first."], status=400)
    name = Path(upload.filename.replace("\\", "/")).name
    if name != upload.filename or not is_routine_file_name(name):
        return _page(status=400, problems=[
            f"{upload.filename!r}: the file name must be like gentle.toml (letters, digits, - and _ only)"])
    data = upload.read(security.ROUTINE_LIMIT + 1)
    if len(data) > security.ROUTINE_LIMIT:
        abort(413)
    problems, warnings = _check(name, data)
    if problems:
        return _page(problems=problems, warnings=warnings, status=400)
    site = current_site()
    own = phone_settings.own_routines_dir(site.state_dir)
    own.mkdir(mode=0o700, exist_ok=True)
    write_atomically(own / name, data)
    log.info("routine file uploaded: %s", name)
    return changed("routines.page", "uploaded", site.tell_daemon(), file=name)


def _check(name: str, data: bytes) -> tuple[list[str], list[str]]:
    """(problems, warnings) of an uploaded routine, as `psoas routines check` says them."""
    found = bidi.problems(name, data)
    if found:
        return found, []
    with tempfile.TemporaryDirectory(dir=current_site().state_dir, prefix=".upload-",
                                     ignore_cleanup_errors=True) as scratch:
        path = Path(scratch) / name
        write_atomically(path, data)
        problems, warnings = check_files([path])
    return ([line.replace(f"{scratch}/", "") for line in problems],
            [line.replace(f"{scratch}/", "") for line in warnings])


@pages.route("/routines/delete", methods=["GET", "POST"])
def delete():
    site = current_site()
    name = request.values.get("file", "")
    own = phone_settings.own_routines_dir(site.state_dir)
    if not is_routine_file_name(name) or not (own / name).is_file():
        return _page(problems=[f"{name!r}: no such routine of your own"], status=400)
    stem = name.removesuffix(".toml")
    users = [day.title() for day in WEEKDAYS if getattr(site.config().bedtime, f"{day}_routine") == stem]
    if users:
        return _page(status=400, problems=[
            f"{stem} is the routine for {', '.join(users)}: choose another one on Bedtimes first"])
    if request.method == "GET":
        return render_template("confirm.html", title=f"Delete {name}?", lines=[],
                               note="It is kept aside on the device: you can put it back on this page.",
                               action=url_for("routines.delete"), fields={"file": name}, button="Delete",
                               cancel=url_for("routines.page"))
    kept.keep_routine(site.state_dir, own / name, site.local_now())
    log.info("routine file deleted (kept aside): %s", name)
    return changed("routines.page", "deleted", site.tell_daemon(), file=name)


@pages.post("/routines/put-back")
def put_back():
    site = current_site()
    keeping = kept.find(site.state_dir, kept.ROUTINE, request.form.get("kept", ""))
    if keeping is None:
        return _page(problems=["That routine is no longer kept aside."], status=400)
    try:
        name = kept.put_back_routine(site.state_dir, keeping)
    except FileExistsError:
        file = keeping.routine_file
        return _page(status=400, problems=[
            f"{file.name if file else 'That routine'}: a routine file of that name is there now; delete it first"])
    if name is None:
        return _page(problems=["That routine is no longer kept aside."], status=400)
    log.info("routine file put back: %s", name)
    return changed("routines.page", "put-back", site.tell_daemon(), file=name)


def _page(problems=(), warnings=(), done: str = "", status: int = 200):
    site = current_site()
    config = site.config()
    catalog = load_catalog(config.routine_dirs())
    own = phone_settings.own_routines_dir(site.state_dir)
    rows = []
    for name in sorted(catalog.routines):
        routine = catalog.routines[name]
        source = Path(str(routine.source))
        mine = source.parent == own and source.is_file()
        length = minutes(routine, config.routine)
        rows.append({"name": name, "title": bidi.stripped(routine.title), "minutes": length,
                     "own": source.name if mine else "", "built_in": routine.source == "built-in",
                     "description": bidi.stripped(routine.description),
                     "screens": [bidi.stripped(screen_text(state)) for state in _screens(routine, catalog, config)]})
    deleted = [{"id": k.id, "when": k.when.strftime("%d %b %H:%M"), "file": k.routine_file.name}
               for k in kept.listing(site.state_dir, kept.ROUTINE) if k.routine_file is not None]
    return render_template("routines.html", rows=rows, problems=list(problems), warnings=list(warnings),
                           done=done, deleted=deleted, limit_kib=security.ROUTINE_LIMIT // 1024,
                           panel=(config.display.width, config.display.height)), status


def _screens(routine: Routine, catalog: Catalog, config) -> list[State]:
    """The screens a person meets in `routine` with `config`'s timings (kept once walked)."""
    key = (routine, engine_settings(config))
    with _kept_lock:
        shown = _kept_screens.get(key)
    if shown is None:
        shown = screens(routine, catalog.cards, key[1])
        with _kept_lock:
            while len(_kept_screens) >= KEEP_ROUTINES:
                del _kept_screens[next(iter(_kept_screens))]  # the oldest
            _kept_screens[key] = shown
    return shown
