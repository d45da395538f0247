"""Make docs/live-web.png and docs/live-web-phone.png from the real page in headless Chromium.

    .venv/bin/python docs/live_web_screenshot.py

Runs ``imurep demo --web`` (virtual band, simulated session) and takes each screenshot while a
knee roll is held, part way to one breath. Needs ``chromium`` and ``chromium-driver``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

DOCS = Path(__file__).resolve().parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
# A moment worth showing: knee rolls under way, a hold part way to one breath.
MOMENT = """var s = window.imurepState; return !!s && s.exercise === 'knee rolls' && s.session_reps >= 5
  && s.last_rep !== null && s.hold_s >= 1.5 && s.hold_s <= 3.2;"""


def shot(url: str, size: tuple[int, int], mobile: bool, out: Path, profile: str) -> None:
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in [*FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1] + 200}"]:
        opts.add_argument(flag)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    try:
        # The viewport of a laptop screen or a phone held upright, exactly.
        metrics = {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": mobile}
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        d.get(url)
        end = time.monotonic() + 300
        while not d.execute_script(MOMENT):
            if time.monotonic() > end:
                sys.exit("no moment to show came")
            time.sleep(0.02)
        d.save_screenshot(str(out))
    finally:
        d.quit()


def main() -> None:
    cmd = [sys.executable, "-m", "imurep.cli.main", "demo", "--web", "--no-browser", "--json", "--port", "0"]
    proc = subprocess.Popen([*cmd, "--speed", "2", "--wait-for-page"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    url: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            m = re.search(r"imurep live page: (http://\S+)", line)
            if m and not url:
                url.append(m.group(1))
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    ready.wait(120)
    try:
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            threads = [
                threading.Thread(target=shot, args=(url[0], (1280, 720), False, DOCS / "live-web.png", a)),
                threading.Thread(
                    target=shot, args=(url[0], (412, 860), True, DOCS / "live-web-phone.png", b)
                ),
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        proc.terminate()
        proc.wait(30)


if __name__ == "__main__":
    main()
