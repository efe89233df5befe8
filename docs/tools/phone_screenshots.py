"""The README's phone pictures: every page of `psoas web`, in Debian's headless Chromium at phone size.

    python docs/tools/phone_screenshots.py docs/phone

Serves the real phone page (waitress, 127.0.0.1) over a scratch state dir holding 8 weeks of
example nights and one own routine, pairs as a phone would, and saves one PNG per page
(390 x 844 CSS pixels) into the folder given; on Routines the first routine is opened to show
its screens. A stand-in daemon answers the Device page: its screen is a real hold screen drawn
by `display.render`, its status one the daemon could write (`device.live.files`). Needs
`chromium` and `chromium-driver`.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from datetime import datetime, timedelta
from pathlib import Path

from browser import PHONE, chromium_driver, close, missing

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from web import fill_journal  # noqa: E402 - bench/web.py's example nights

import display  # noqa: E402 - after the path is set
from device import control  # noqa: E402
from device.config import phone_settings  # noqa: E402
from device.live import files  # noqa: E402
from device.web.app import Site, create_app  # noqa: E402
from device.pairing.code import new_code  # noqa: E402
from display.preview import png_bytes  # noqa: E402
from display.samples import sample_states  # noqa: E402

PAGES = (("tonight", "/"), ("bedtimes", "/bedtimes"), ("routines", "/routines"), ("progress", "/progress"),
         ("data", "/data"), ("device", "/device"))
OWN_ROUTINE = """title = "Gentle"
[[step]]
stretch = "leg-dangle"
hold_seconds = 25
"""


class StandInDaemon:
    """Answers the page's control words as the daemon would this evening, a routine on."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir()

    def __call__(self, _state_dir: Path, word: str) -> bool:
        if word == control.WATCH:
            now = datetime.now().astimezone().replace(hour=22, minute=5, second=0, microsecond=0)  # this evening
            tomorrow = (now + timedelta(days=1)).replace(hour=22, minute=15, second=0)
            files.write_file(files.frame_path(self.folder),
                             png_bytes(display.render(sample_states()["hold"], (128, 64))))
            files.write_status(self.folder, {
                "since": (now - timedelta(days=2, hours=15, minutes=7)).isoformat(), "screen": "on",
                "in_routine": True, "start_routine": "Full routine", "tonight_had": True,
                "next_bedtime": {"at": tomorrow.isoformat(timespec="minutes"), "routine": "Full routine"},
                "last_command": {"word": "start", "text": "Started Full routine.",
                                 "at": (now - timedelta(minutes=3)).isoformat()},
                "warnings": [{"at": (now - timedelta(days=1, hours=19)).isoformat(), "level": "warning",
                              "text": "display: no answer at I2C address 0x3c on /dev/i2c-1; trying again in 5 s"}]})
        return True


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out = Path(argv[0])
    gone = missing()
    if gone:
        print(f"phone_screenshots: {gone} missing: apt-get install chromium chromium-driver", file=sys.stderr)
        return 1
    import waitress  # noqa: PLC0415 - the server only here
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        state, config = Path(scratch) / "state", Path(scratch) / "config.toml"
        state.mkdir()
        config.write_text('[bedtime]\nsaturday = "23:30"\n')
        fill_journal(state)
        (state / "routines").mkdir()
        (state / "routines" / "gentle.toml").write_text(OWN_ROUTINE)
        phone_settings.write(state, {("bedtime", "friday"): "23:00", ("bedtime", "friday_routine"): "gentle"})
        site = Site(str(config), state, notify=StandInDaemon(Path(scratch) / "run"), runtime=Path(scratch) / "run")
        server = waitress.create_server(create_app(site), host="127.0.0.1", port=0)
        threading.Thread(target=server.run, daemon=True).start()
        url = f"http://127.0.0.1:{server.effective_port}"
        driver = chromium_driver(Path(scratch), *PHONE)
        try:
            driver.get(url + "/pair")
            driver.save_screenshot(str(out / "pair.png"))
            driver.find_element(By.ID, "code").send_keys(new_code(state))
            driver.find_element(By.CSS_SELECTOR, "form.pair button").click()
            for name, path in PAGES:
                driver.get(url + path)
                if name == "routines":
                    driver.find_element(By.XPATH, "//details[.//summary[contains(., 'full')]]/summary").click()
                    driver.execute_script("""return Promise.all([...document.querySelectorAll('details[open] img')]
                        .map(img => { img.loading = 'eager'; return img.decode().catch(() => null); }))""")
                driver.save_screenshot(str(out / f"{name}.png"))
                print(f"phone_screenshots: {out / (name + '.png')}")
        finally:
            close(driver)
            server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
