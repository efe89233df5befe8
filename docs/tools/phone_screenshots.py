"""The README's phone pictures: every page of `psoas web`, in Debian's headless Chromium at phone size.

    python docs/tools/phone_screenshots.py docs/phone

Serves the real phone page (waitress, 127.0.0.1) over a scratch state dir holding 8 weeks of
example nights and one own routine, pairs as a phone would, and saves one PNG per page
(390 x 844 CSS pixels) into the folder given. Needs `chromium` and `chromium-driver`.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from browser import PHONE, chromium_driver, close, missing

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from web import fill_journal  # noqa: E402 - bench/web.py's example nights

from device.config import phone_settings  # noqa: E402 - after the path is set
from device.web.app import Site, create_app  # noqa: E402
from device.pairing.code import new_code  # noqa: E402

PAGES = (("tonight", "/"), ("bedtimes", "/bedtimes"), ("routines", "/routines"), ("progress", "/progress"),
         ("data", "/data"), ("device", "/device"))
OWN_ROUTINE = """title = "Gentle"
[[step]]
stretch = "leg-dangle"
hold_seconds = 25
"""


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
        server = waitress.create_server(create_app(Site(str(config), state)), host="127.0.0.1", port=0)
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
                driver.save_screenshot(str(out / f"{name}.png"))
                print(f"phone_screenshots: {out / (name + '.png')}")
        finally:
            close(driver)
            server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
