"""The sample recordings in recordings/: small, documented, with truth the analysis agrees with."""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from imurep.analysis.analyze import analyze_file
from imurep.recording import read_header

RECORDINGS = Path(__file__).parents[2] / "recordings"
SIMULATED = sorted(p for p in RECORDINGS.rglob("*.csv") if "real" not in p.parts)


def _counts(reps: list[dict[str, object]]) -> dict[str, int]:
    return {
        "knee_rolls": sum(r["exercise"] == "knee_rolls" for r in reps),
        "heels_stretch": sum(r["exercise"] == "heels_stretch" for r in reps),
        "left": sum(r["side"] == "left" for r in reps),
        "right": sum(r["side"] == "right" for r in reps),
    }


@functools.cache
def _make_samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", RECORDINGS / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_folder_is_small_and_every_file_is_documented() -> None:
    total = sum(p.stat().st_size for p in RECORDINGS.rglob("*") if p.is_file())
    assert total < 5_000_000, f"recordings/ is {total / 1e6:.1f} MB"
    readme = (RECORDINGS / "README.md").read_text(encoding="utf-8")
    for p in RECORDINGS.rglob("*.csv"):
        assert p.name in readme or p.stem.split("_")[0] in readme, p
    assert "CC BY 4.0" in readme and "MEx" in readme
    kinds = {read_header(p).metadata.get("simulation", "").split()[0] for p in SIMULATED}
    assert {"kind=knee_rolls", "kind=heels_stretch", "kind=session", "kind=distractors"} <= kinds
    mounts = {read_header(p).metadata.get("mount") for p in SIMULATED}
    assert "back-belt" in mounts
    assert any(not read_header(p).has_gyr for p in SIMULATED)


def test_the_script_lists_every_simulated_sample() -> None:
    names = {s.name for s in _make_samples().SAMPLES}
    assert names == {str(p.relative_to(RECORDINGS).with_suffix("")) for p in SIMULATED}


@pytest.mark.parametrize("path", SIMULATED, ids=[p.stem for p in SIMULATED])
def test_analysis_agrees_with_truth(path: Path) -> None:
    truth = json.loads(path.with_suffix(".truth.json").read_text())
    result = analyze_file(path)
    want = _counts(truth["reps"])
    got = _counts([r.to_dict() for r in result.reps])
    for key in want:
        assert abs(got[key] - want[key]) <= 2, (key, got, want)
    t0, t1 = result.quality.start_s, result.quality.start_s + result.duration_s
    assert all(t0 - 1 <= r["start_s"] <= r["end_s"] <= t1 + 1 for r in truth["reps"])


def test_real_recording_counts() -> None:
    result = analyze_file(RECORDINGS / "real" / "mex_s01_knee_rolling.csv", mount="auto")
    assert abs(len(result.reps) - 21) <= 2  # 21 excursions counted by hand


def test_make_samples_writes_a_readable_recording(tmp_path: Path) -> None:
    module = _make_samples()
    (sample,) = [s for s in module.SAMPLES if s.name == "distractors"]
    path = module.make(sample, tmp_path)
    header = read_header(path)
    committed = read_header(RECORDINGS / "distractors.csv")
    assert header.metadata["simulation"] == committed.metadata["simulation"] == "kind=distractors seed=606"
    truth = json.loads(path.with_suffix(".truth.json").read_text())
    assert truth["reps"] == [] and len(analyze_file(path).reps) <= 1


@pytest.mark.parametrize("name", ["knee_rolls_back_belt", "distractors"])
def test_make_samples_reproduces_the_shipped_files_byte_for_byte(tmp_path: Path, name: str) -> None:
    # The simulator grows (populations, negatives) without changing what a kind and seed make.
    module = _make_samples()
    (sample,) = [s for s in module.SAMPLES if s.name == name]
    path = module.make(sample, tmp_path)
    for suffix in (".csv", ".truth.json"):
        assert path.with_suffix(suffix).read_bytes() == (RECORDINGS / f"{name}{suffix}").read_bytes()
