"""Helpers for the live page tests: a real ``imurep demo --web`` and headless Chromium.

The page is driven with selenium and Debian's ``chromium-driver`` (``.ci/run`` installs both).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

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
_URL = re.compile(r"imurep live page: (http://\S+)")


@dataclass
class Demo:
    """A running ``imurep demo --web``: its process, the page's address, its output so far."""

    proc: subprocess.Popen[str]
    url: str
    stderr: list[str] = field(default_factory=list)
    stdout: str = ""

    def wait(self, timeout_s: float = 240.0) -> dict[str, Any]:
        """Wait for the session to end; its ``--json`` result."""
        out, _ = self.proc.communicate(timeout=timeout_s)
        self.stdout = out
        assert self.proc.returncode == 0, "".join(self.stderr)[-2000:]
        result: dict[str, Any] = json.loads(out)
        return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_demo(*args: str) -> Demo:
    """Start ``imurep demo --web --json ARGS`` and return once it has printed the page's address."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "imurep.cli.main", "demo", "--web", "--json", "--no-browser", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stderr is not None
    lines: list[str] = []
    found = threading.Event()
    url: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        try:
            for line in proc.stderr:
                lines.append(line)
                m = _URL.search(line)
                if m and not url:
                    url.append(m.group(1))
                    found.set()
        except (ValueError, OSError):
            pass  # the test closed the pipe (stop_demo) while this thread was still reading it
        found.set()

    threading.Thread(target=read, daemon=True).start()
    if not found.wait(120) or not url:
        proc.kill()
        pytest.fail("imurep demo --web printed no address: " + "".join(lines)[-2000:])
    return Demo(proc, url[0], lines)


def stop_demo(demo: Demo) -> None:
    if demo.proc.poll() is None:
        demo.proc.send_signal(signal.SIGINT)
        try:
            demo.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            demo.proc.kill()
            demo.proc.communicate()


def _chromedriver() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        pytest.fail(
            "headless Chromium and its driver are required to test the live page in a real browser: "
            "install them with `apt-get install -y chromium chromium-driver` (Debian)"
        )
    return browser, driver


@pytest.fixture
def new_browser(tmp_path: Path) -> Iterator[Any]:
    """A factory of headless Chromium sessions (each with a fresh profile), closed afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = _chromedriver()
    made: list[Any] = []

    def make(window: str = "1280,800") -> Any:
        opts = webdriver.ChromeOptions()
        opts.binary_location = browser
        for flag in [
            *_FLAGS,
            f"--user-data-dir={tmp_path / f'profile{len(made)}'}",
            f"--window-size={window}",
        ]:
            opts.add_argument(flag)
        d = webdriver.Chrome(service=Service(driver), options=opts)
        made.append(d)
        return d

    yield make
    for d in made:
        d.quit()


def wait_for(predicate: Any, timeout_s: float, what: str, poll_s: float = 0.05) -> Any:
    """Poll ``predicate()`` until it returns something truthy (returned) or fail naming ``what``."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(poll_s)
    pytest.fail(f"timed out after {timeout_s} s waiting for {what}")
