"""``imurep demo``: the README's main job, through the real entry point and the virtual band."""

from __future__ import annotations

import json
import subprocess
import sys

from imurep.sim import random_config, simulate


def test_demo_counts_the_simulated_session_live():
    proc = subprocess.run(
        [sys.executable, "-m", "imurep.cli.main", "demo", "--speed", "60", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    obj = json.loads(proc.stdout)
    truth = simulate(random_config(7, kind="session", rate_hz=100.0, mount="front-belt")).truth.to_json_obj()
    assert len(obj["reps"]) == len(truth["reps"])
    assert [s["exercise"] for s in obj["sets"]] == ["knee_rolls", "heels_stretch"]
    assert "imurep live" in proc.stderr  # the live view went to stderr, the JSON to stdout


def test_demo_sound_rings_the_bell_once_a_rep():
    proc = subprocess.run(
        [sys.executable, "-m", "imurep.cli.main", "demo", "--speed", "60", "--json", "--sound"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    reps = json.loads(proc.stdout)["reps"]
    assert reps and proc.stderr.count("\a") == len(reps)  # the view (and its bell) on stderr with --json


def test_web_options_are_checked_before_anything_starts():
    for args, message in (
        (["--port", "70000"], "--port must be 0-65535, got 70000"),
        (["--web", "--token", "short"], "--token must be 16 or more letters"),
        (["--wait-for-page"], "--wait-for-page works with --web only"),
        (["--web", "--host", "no-such-host.invalid"], "--host 'no-such-host.invalid' is no address"),
        (["--web", "--host", "192.0.2.77"], "--host '192.0.2.77' is not an address of this machine"),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "imurep.cli.main", "demo", "--no-browser", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1 and message in proc.stderr, proc.stderr


def test_demo_web_on_all_addresses_prints_the_network_address_and_its_qr_code():
    web = ["--web", "--no-browser", "--host", "0.0.0.0", "--port", "0"]
    proc = subprocess.run(
        [sys.executable, "-m", "imurep.cli.main", "demo", *web, "--duration", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    urls = [
        line.split(": ", 1)[1] for line in proc.stderr.splitlines() if line.startswith("imurep live page: ")
    ]
    assert urls and urls[-1].startswith("http://127.0.0.1:")
    token = urls[-1].rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 16 and all(u.endswith(f"/{token}/") for u in urls)
    assert "█▀" in proc.stderr or "▀█" in proc.stderr  # the QR code, drawn in block characters
    json.loads(proc.stdout)  # the session still ends with its result
