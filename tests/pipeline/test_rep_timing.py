"""The rep-timing kernel on exact minimum-jerk movements, where the answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from imurep.pipeline.rep_timing import estimate_rep_timing


def _min_jerk(tau: np.ndarray) -> np.ndarray:
    tau = np.clip(tau, 0.0, 1.0)
    return 10 * tau**3 - 15 * tau**4 + 6 * tau**5


def _rep(start: float, out_s: float, hold_s: float, back_s: float, peak: float, rate: float = 25.0):
    t = np.arange(start - 2.0, start + out_s + hold_s + back_s * 0.7, 1.0 / rate)
    a = peak * _min_jerk((t - start) / out_s)
    back_t0 = start + out_s + hold_s
    a = a - peak * _min_jerk((t - back_t0) / back_s)
    return t, a


@pytest.mark.parametrize(
    ("out_s", "hold_s", "back_s", "peak"),
    [(1.0, 2.0, 1.0, 10.0), (2.5, 5.0, 1.5, 45.0), (1.5, 0.0, 1.5, 30.0), (3.0, 7.0, 3.0, 12.0)],
)
def test_recovers_phases_of_a_minimum_jerk_rep(out_s, hold_s, back_s, peak):
    start = 100.0
    t, a = _rep(start, out_s, hold_s, back_s, peak)
    r = estimate_rep_timing(t, a)
    assert r.start_s == pytest.approx(start, abs=0.05)
    assert r.hold_start_s == pytest.approx(start + out_s, abs=0.05)
    assert r.hold_end_s == pytest.approx(start + out_s + hold_s, abs=0.05)
    assert r.end_s == pytest.approx(start + out_s + hold_s + back_s, abs=0.05)
    assert r.peak_deg == pytest.approx(peak, rel=0.02)
    assert r.out_peak_speed_deg_s == pytest.approx(1.875 * peak / out_s, rel=0.05)


def test_noise_moves_the_hold_little():
    rng = np.random.default_rng(1)
    t, a = _rep(10.0, 1.5, 4.0, 1.5, 15.0)
    a = a + rng.normal(0.0, 0.3, a.shape)
    r = estimate_rep_timing(t, a)
    assert r.hold_end_s - r.hold_start_s == pytest.approx(4.0, abs=0.3)
