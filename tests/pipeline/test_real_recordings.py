"""Real people: MEx knee rolls (thigh, accelerometer only, unknown mounting) and HAPT daily living."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from imurep.analysis.analyze import analyze_blocks
from imurep.mounting_presets import mount_choice
from imurep.pipeline import PipelineConfig
from imurep.recording import iter_recording

DATA = Path(__file__).parents[1] / "data"
SHARED_REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
MEX = DATA / "real" / "mex-knee-rolling"
HAPT = DATA / "real" / "hapt-waist"


def _reps(path: Path, mount: str | None) -> int:
    cfg = PipelineConfig(body_from_sensor=mount_choice(mount).for_file(None))
    return len(analyze_blocks(iter_recording(path), path.name, cfg).reps)


def test_mex_counts_within_two_for_at_least_13_of_15_files():
    counts = json.loads((MEX / "counts.json").read_text())
    within = {}
    for name, c in sorted(counts.items()):
        n = _reps(MEX / name, "auto")
        within[name] = (n, c["excursions"])
    good = sum(abs(n - e) <= 2 for n, e in within.values())
    assert good >= 13, within


@pytest.mark.parametrize("mount", ["front-belt", "auto"])
@pytest.mark.parametrize("path", sorted(HAPT.glob("*.csv")), ids=lambda p: p.stem)
def test_daily_living_has_no_reps(path, mount):
    assert _reps(path, mount) == 0


@pytest.mark.slow
@pytest.mark.parametrize("mount", ["front-belt", "auto"])
def test_all_hapt_files_have_no_reps(mount):
    files = sorted((SHARED_REAL / "hapt-waist").glob("*.csv"))
    if not files:
        pytest.fail(f"the full HAPT set is expected at {SHARED_REAL / 'hapt-waist'}")
    found = {p.name: _reps(p, mount) for p in files}
    assert all(v == 0 for v in found.values()), {k: v for k, v in found.items() if v}


def test_mex_sides_unknown_with_auto_mount():
    cfg = PipelineConfig(body_from_sensor=None)
    res = analyze_blocks(iter_recording(MEX / "mex_s01_knee_rolling.csv"), "s01", cfg)
    assert res.reps and all(r.side is None for r in res.reps)
    assert all(r.exercise == "knee_rolls" for r in res.reps)
    peaks = np.array([r.peak_angle_deg for r in res.reps])
    assert np.all((peaks > 15) & (peaks < 95))
