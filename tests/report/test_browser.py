"""The HTML report rendered by a real browser (headless Chromium): every figure must load."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread
from report_synthetic import full_session

from imurep.report import render_html

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

# Appended to a copy of the page: after load, count the figures the browser really decoded.
_PROBE = """<script>
window.addEventListener('load', function () {
  var imgs = Array.from(document.images);
  var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
  document.body.setAttribute('data-figures', imgs.length + '/' + ok);
});
</script>"""


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail(
        "headless Chromium is required to check the HTML report in a real browser: "
        "install it with `apt-get install -y chromium` (Debian)"
    )


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_chromium(), *_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def report_page() -> str:
    return render_html([full_session()])


def test_every_figure_loads_in_chromium(report_page: str, tmp_path: Path) -> None:
    page = tmp_path / "probe.html"
    page.write_text(report_page.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    proc = _run(["--virtual-time-budget=5000", "--dump-dom", page.as_uri()], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    n_figures = report_page.count("<img ")
    assert n_figures >= 8
    assert f'data-figures="{n_figures}/{n_figures}"' in proc.stdout, proc.stdout[:500]


def test_screenshot_shows_the_report(report_page: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(report_page, encoding="utf-8")
    shot = tmp_path / "shot.png"
    proc = _run(["--window-size=1200,2400", f"--screenshot={shot}", page.as_uri()], tmp_path)
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    img = imread(str(shot))[..., :3]
    assert img.shape[:2] == (2400, 1200)
    # Not blank: the figures bring the palette's blue and vermillion (left/right reps) to the screen.
    px = (img * 255).round().astype(int).reshape(-1, 3)
    blue = np.all(np.abs(px - [0, 114, 178]) < 40, axis=1).sum()
    vermillion = np.all(np.abs(px - [213, 94, 0]) < 40, axis=1).sum()
    assert blue > 500 and vermillion > 500, (blue, vermillion)
    assert float(img.std()) > 0.05
