"""Debian's Chromium, headless, through Selenium: for the browser tests and the README's phone pictures.

`chromium_driver(downloads, width, height)` starts `/usr/bin/chromium` with
`/usr/bin/chromedriver` (Debian's `chromium` and `chromium-driver` packages; `.ci/run`
installs them), sized like a phone, with a fresh profile, nothing fetched from the internet,
and downloads saved into `downloads`. `missing()` says what is not installed, or "".
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE = (390, 844)  # CSS pixels: a common phone in portrait


def missing() -> str:
    """What is missing to drive a real browser ("" when all is there)."""
    gone = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    try:
        import selenium  # noqa: F401, PLC0415 - only to say whether it is installed
    except ImportError:
        gone.append("selenium (pip install -e '.[test]')")
    return ", ".join(gone)


def chromium_driver(downloads: Path, width: int = PHONE[0], height: int = PHONE[1], scale: float = 1.0):
    """A headless Chromium WebDriver; `quit()` it, then remove `driver.profile_dir`."""
    from selenium import webdriver  # noqa: PLC0415 - selenium only where a browser is wanted
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    profile = tempfile.mkdtemp(prefix="psoas-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}",
                 f"--window-size={width},{height}", f"--force-device-scale-factor={scale}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "safebrowsing.enabled": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.profile_dir = profile
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {  # headless windows are at least 500 wide
        "width": width, "height": height, "deviceScaleFactor": scale, "mobile": True})
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


def close(driver) -> None:
    driver.quit()
    shutil.rmtree(driver.profile_dir, ignore_errors=True)
