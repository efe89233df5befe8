"""The phone page: how fast its pages answer and how much memory `psoas web` holds.

Starts the real `psoas web` (waitress, 4 threads) as its own process on 127.0.0.1 over a state
dir with 8 weeks of nights, pairs with a code as a phone would, then fetches every page and
download `--rounds` times one after another. Prints p50 / p95 per page and overall, and the
web process's resident memory (now and peak) next to the goals (p95 <= 100 ms on this machine,
RSS <= 60 MB).

    python bench/web.py [--rounds 40]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

from _common import VirtualTime, VirtualWall, header, median, note, peak_rss_kib, percentile, result, rss_kib

from device.clocks.wall import LocalWallClock
from device.journal.writer import Journal
from device.pairing.code import new_code
from routines.events import Event, StepRecord
from routines.outcomes import Outcome, Side

PAGES = ["/", "/bedtimes", "/routines", "/progress", "/data", "/device", "/data/export.csv",
         "/data/export.json", "/data/backup", "/static/style.css"]
P95_GOAL_MS = 100.0
RSS_GOAL_MB = 60.0


def fill_journal(state_dir: Path, nights: int = 56) -> None:
    """`nights` evenings up to last night: the full routine, most finished, a few missed; and the
    mornings after them, easing from about 6 to about 3, a few not answered."""
    last = datetime.now().astimezone().replace(hour=22, minute=15, second=0, microsecond=0) - timedelta(days=1)
    days = VirtualTime(0.0)  # simulated seconds since the first evening
    journal = Journal(state_dir, LocalWallClock(VirtualWall(days, last - timedelta(days=nights)), lambda: last.tzinfo))
    for night in range(nights):
        days.advance(86400.0)
        if night % 9 == 4:
            continue  # a missed night
        journal.record(Event(at=0.0, started="full"))
        for stretch, side in (("leg-dangle", Side.LEFT), ("leg-dangle", Side.RIGHT), ("knee-hug", Side.LEFT),
                              ("knee-hug", Side.RIGHT), ("pillow-release", Side.BOTH)):
            held = 30.0 + 60 * (night % 4) * (stretch == "pillow-release")
            journal.record(Event(at=1.0, record=StepRecord(stretch, side, held, held, 0.0, False)))
        journal.record(Event(at=2.0, outcome=Outcome.FINISHED if night % 5 else Outcome.STOPPED))
    for night in range(nights):
        if night % 6 != 2:
            morning = (last - timedelta(days=nights - night - 2)).date()
            journal.save_morning(morning, round(6 - 3 * night / nights + (0, 1, -1, 0, 1)[night % 5]))
    journal.close()


def start_server(state_dir: Path, config: Path) -> tuple[subprocess.Popen, str]:
    psoas = Path(sys.executable).with_name("psoas")
    port = 18000 + (int(time.time() * 1000) % 2000)
    process = subprocess.Popen([str(psoas), "web", "--config", str(config), "--state-dir", str(state_dir),
                                "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/pair", timeout=2).read()
            return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("psoas web did not start")


def paired_opener(url: str, state_dir: Path):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url + "/pair").read().decode()
    csrf = re.search(r'name="csrf" value="(\w+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf": csrf, "code": new_code(state_dir)}).encode()
    request = urllib.request.Request(url + "/pair", data=body, headers={"Origin": url})
    opener.open(request).read()
    return opener


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="fetches of each page (default: 40)")
    args = parser.parse_args(argv)
    header("phone page: psoas web")
    with tempfile.TemporaryDirectory() as scratch:
        state_dir, config = Path(scratch) / "state", Path(scratch) / "config.toml"
        state_dir.mkdir()
        config.write_text("")
        fill_journal(state_dir)
        process, url = start_server(state_dir, config)
        try:
            opener = paired_opener(url, state_dir)
            times: dict[str, list[float]] = {page: [] for page in PAGES}
            for _ in range(args.rounds):
                for page in PAGES:
                    started = time.perf_counter()
                    with opener.open(url + page) as answer:
                        answer.read()
                        assert answer.status == 200 and answer.url.endswith(page), (page, answer.url)
                    times[page].append((time.perf_counter() - started) * 1000)
            rss, peak = rss_kib(process.pid) / 1024, peak_rss_kib(process.pid) / 1024
        finally:
            process.terminate()
            process.wait(10)
    for page, values in times.items():
        note(f"{page:<18} p50 {median(values):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms")
    everything = [value for values in times.values() for value in values]
    p95 = percentile(everything, 0.95)
    result(f"page response, {len(everything)} requests over {len(PAGES)} pages",
           f"p50 {median(everything):.1f} ms, p95 {p95:.1f} ms", f"p95 <= {P95_GOAL_MS:g} ms", p95 <= P95_GOAL_MS)
    result("psoas web resident memory after the run", f"{rss:.1f} MB now, {peak:.1f} MB peak",
           f"<= {RSS_GOAL_MB:g} MB", peak <= RSS_GOAL_MB)
    return 0


if __name__ == "__main__":
    sys.exit(main())
