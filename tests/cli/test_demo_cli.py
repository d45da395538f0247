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
