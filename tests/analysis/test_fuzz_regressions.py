"""Sample blocks on which fuzzing the analysis (``fuzz/fuzz_analysis.py``) once broke it.

Each ``tests/data/fuzz/analysis/*/case.npz`` holds what the pipeline was fed (times, values,
block cuts, exercise and mounting settings). Replayed through the harness' own check: a
documented error (``InputError``) or a sane result whose JSON and reports build, with no warning.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from imurep.analysis.analyze import analyze_blocks
from imurep.errors import InputError
from imurep.samples import SampleBlock

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "fuzz"))
from _analysis_layout import load_case, run_case  # noqa: E402

_CASES = sorted((ROOT / "tests" / "data" / "fuzz" / "analysis").glob("*/case.npz"))


def test_there_are_saved_cases() -> None:
    assert _CASES


@pytest.mark.parametrize("path", _CASES, ids=[p.parent.name for p in _CASES])
def test_saved_case_is_analysed_or_refused_cleanly(path: Path) -> None:
    run_case(load_case(path))


def _block(t: np.ndarray) -> SampleBlock:
    acc = np.tile([0.0, 0.0, 9.81], (t.size, 1))
    return SampleBlock(t, acc, np.zeros((t.size, 3)))


@pytest.mark.parametrize(
    ("times", "rule"),
    [
        (np.array([0.0, 0.02, np.inf, 0.06]), "not finite"),
        (np.array([0.0, 0.02, 0.01, 0.06]), "strictly increasing"),
        (np.array([0.0, 0.02, 0.02, 0.06]), "strictly increasing"),
        (1e15 + np.arange(4) * 0.02, "beyond"),
    ],
)
def test_bad_times_are_an_input_error_naming_the_sample(times: np.ndarray, rule: str) -> None:
    with pytest.raises(InputError, match=rule):
        analyze_blocks([_block(times)], "x")


def test_a_block_going_back_before_the_previous_one_is_an_input_error() -> None:
    t = np.arange(100) * 0.02
    with pytest.raises(InputError, match="does not follow"):
        analyze_blocks([_block(t[50:]), _block(t[:50])], "x")


def test_impossible_values_are_an_input_error() -> None:
    block = _block(np.arange(100) * 0.02)
    block.acc_m_s2[40, 1] = 1e300
    with pytest.raises(InputError, match="no body-worn sensor"):
        analyze_blocks([block], "x")


@pytest.mark.parametrize("rate_hz", [0.05, 1.0, 2.0])
def test_very_low_rates_are_analysed(rate_hz: float) -> None:
    # the 1 Hz smoothing of the motion RMS could not be designed below 2 Hz (ValueError)
    result = analyze_blocks([_block(np.arange(200) / rate_hz)], "x")
    assert result.quality.n_samples == 200 and not result.reps


def test_a_rate_no_imu_streams_at_is_an_input_error() -> None:
    # the low-pass degenerated in float64 (ZeroDivisionError) at ~5e10 Hz
    with pytest.raises(InputError, match="times must be seconds"):
        analyze_blocks([_block(np.arange(200) * 2e-11)], "x")
