"""Delay from the pipeline's rep event to the live page showing it, in headless Chromium.

    python benchmarks/bench_live_page.py [--speed 5] [--duration 60]

Runs ``imurep demo --web`` (the virtual band over the in-process BLE stack, a simulated session
played ``--speed`` times faster than real time) and opens the page in headless Chromium (Debian's
``chromium`` and ``chromium-driver``, driven by selenium). For each rep the server stamps the
wall-clock time the live runner handed it the pipeline's update (``event_unix_ms``, right after
the pipeline returned the rep); the page stamps the time the frame showing that rep had been
painted (two animation frames later: an upper bound, up to one frame, ~17 ms, late). Both clocks
are this machine's. Target: every rep shown within 100 ms.

What it does not include: the wait before the pipeline sees the samples (the runner gathers
0.25 s of samples before each analysis call, ``DEFAULT_FEED_INTERVAL_S``; ``bench_live.py``
measures from a notification to the event).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from _recordings import machine, summary

TARGET_MS = 100.0
_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--speed", type=float, default=5.0, help="virtual band speed (default 5)")
    ap.add_argument("--duration", type=float, default=60.0, help="host seconds of the session (default 60)")
    args = ap.parse_args()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if browser is None or driver is None:
        sys.exit(
            "bench_live_page: needs chromium and chromedriver (apt-get install -y chromium chromium-driver)"
        )
    print(machine())
    cmd = [
        sys.executable,
        "-m",
        "imurep.cli.main",
        "demo",
        "--web",
        "--wait-for-page",
        "--no-browser",
        "--json",
    ]
    cmd += ["--port", "0", "--speed", str(args.speed), "--duration", str(args.duration)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            m = re.search(r"imurep live page: (http://\S+)", line)
            if m and not url:
                url.append(m.group(1))
                found.set()
        found.set()

    threading.Thread(target=read, daemon=True).start()
    if not found.wait(120) or not url:
        proc.kill()
        sys.exit("bench_live_page: imurep demo --web printed no address")
    with tempfile.TemporaryDirectory() as profile:
        opts = webdriver.ChromeOptions()
        opts.binary_location = browser
        for flag in [*_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,800"]:
            opts.add_argument(flag)
        d = webdriver.Chrome(service=Service(driver), options=opts)
        try:
            d.get(url[0])
            out, _ = proc.communicate(timeout=args.duration + 300)
            time.sleep(0.5)
            shown = d.execute_script("return window.imurepShown")
        finally:
            d.quit()
    reps = json.loads(out)["reps"]
    delays_ms = sorted(s["shown_unix_ms"] - s["event_unix_ms"] for s in shown)
    if not delays_ms:
        sys.exit("bench_live_page: the page showed no rep")
    p95 = delays_ms[min(len(delays_ms) - 1, round(0.95 * (len(delays_ms) - 1)))]
    received_ms = sorted(s["received_unix_ms"] - s["event_unix_ms"] for s in shown)
    print(f"speed {args.speed:g}, {len(reps)} reps in the session, {len(delays_ms)} shown on the page")
    print(
        f"rep event -> page painted: median {statistics.median(delays_ms):.1f} ms, "
        f"p95 {p95:.1f} ms, max {delays_ms[-1]:.1f} ms (target <= {TARGET_MS:.0f} ms each)"
    )
    print(
        "  of which rep event -> message received by the page: "
        f"median {statistics.median(received_ms):.1f} ms, max {received_ms[-1]:.1f} ms"
    )
    print("  each (ms):", " ".join(f"{x:.0f}" for x in delays_ms))
    summary(
        "live page: rep event -> painted (max)",
        f"{delays_ms[-1]:.1f} ms",
        f"median {statistics.median(delays_ms):.1f} ms",
        f"<= {TARGET_MS:.0f} ms",
        delays_ms[-1] <= TARGET_MS and len(delays_ms) == len(reps),
    )


if __name__ == "__main__":
    main()
