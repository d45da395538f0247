"""``imurep live`` at its edges: one loss figure, messages on their own line, numbers checked where
they are parsed, a stop before any data."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from imurep.cli.main import main
from imurep.pipeline.timebase import loss_percent

_LIVE = [sys.executable, "-m", "imurep.cli.main", "live", "--device", "virtual"]


def test_the_panel_and_the_json_give_the_same_loss() -> None:
    # No backlog: the link drop 10 s in loses the samples of the outage.
    args = ["--speed", "20", "--drop-link-at", "10", "--no-backlog", "--duration", "8", "--json"]
    proc = subprocess.run([*_LIVE, *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    quality = json.loads(proc.stdout)["data_quality"]
    assert quality["lost_samples"] > 0
    expected = loss_percent(quality["lost_samples"], quality["n_samples"])
    shown = re.findall(r"loss ([0-9.]+) %", proc.stderr)
    assert shown, proc.stderr[-2000:]
    assert float(shown[-1]) == round(expected, 1)  # the last frame shows the figure the analysis gives
    warned = [w for w in quality["warnings"] if "of samples lost" in w]
    if expected > 5.0:
        assert warned and warned[0].startswith(f"{expected:.1f} % of samples lost")


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_messages_after_the_view_start_on_their_own_line(json_flag: list[str], tmp_path: Path) -> None:
    out_csv = tmp_path / "rec.csv"
    log = tmp_path / "both.log"
    # One file for both streams, as a terminal shows them.
    with log.open("wb") as both:
        proc = subprocess.Popen(
            [*_LIVE, "--speed", "5", "-o", str(out_csv), *json_flag], stdout=both, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 90
            while not (out_csv.exists() and out_csv.read_bytes().count(b"\n") > 20):  # samples arrive
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    out = log.read_text()
    assert proc.returncode == 0, out[-2000:]
    assert re.search(r"^imurep live: stopped by SIGTERM after \d+ samples", out, re.MULTILINE), out[-2000:]
    assert "╯imurep" not in out


@pytest.mark.parametrize(
    ("option", "value", "rule"),
    [
        ("--speed", "nan", "must be a finite number"),
        ("--speed", "inf", "must be a finite number"),
        ("--speed", "0", "must be a finite number > 0"),
        ("--speed", "-2", "must be a finite number > 0"),
        ("--drop-link-at", "-5", "must be a finite number >= 0"),
        ("--drop-link-at", "nan", "must be a finite number"),
        ("--duration", "inf", "must be a finite number"),
    ],
)
def test_number_options_are_checked_where_they_are_parsed(
    option: str, value: str, rule: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["live", "--device", "virtual", option, value])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err == f"imurep live: error: argument {option}: {rule}, got {value!r} (see imurep live --help)\n"


@pytest.mark.parametrize("option", ["--speed", "--duration", "--rate"])
def test_record_number_options_too(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["record", "--device", "virtual", "-o", "x.csv", option, "nan"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
