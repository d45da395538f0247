"""SPARC and hold steadiness against straightforward reference code (kept here as the oracle)."""

from __future__ import annotations

import numpy as np
import pytest

from imurep.pipeline.quality import hold_steadiness_deg, sparc
from imurep.samples import FloatArray


def _sparc_reference(speed: FloatArray, rate_hz: float) -> float:
    """SPARC as first written (np.fft.fft, boolean masks, np.diff); defaults of ``sparc``."""
    cutoff_hz, amplitude_threshold, padding_level = 10.0, 0.05, 4
    if speed.size < 4 or not np.any(speed > 0):
        return float("nan")
    n_fft = int(2 ** (np.ceil(np.log2(speed.size)) + padding_level))
    n_bins = min(n_fft, int(cutoff_hz * n_fft / rate_hz) + 2)
    freq = np.arange(n_bins) * rate_hz / n_fft
    mag = np.abs(np.fft.fft(speed, n_fft))
    keep = freq <= cutoff_hz
    f_sel, m_sel = freq[keep], mag[:n_bins][keep] / mag.max()
    above = np.flatnonzero(m_sel >= amplitude_threshold)
    last = int(above[-1]) if above.size else 1
    f_sel, m_sel = f_sel[: last + 1], m_sel[: last + 1]
    if f_sel.size < 2:
        return float("nan")
    df = np.diff(f_sel) / (f_sel[-1] - f_sel[0])
    dm = np.diff(m_sel)
    return float(-np.sum(np.sqrt(df**2 + dm**2)))


def _bits(x: float) -> bytes:
    return np.float64(x).tobytes()


@pytest.mark.parametrize("rate_hz", [25.0, 24.987, 100.0, 7.0, 1.0, np.float64(25.03)])
def test_sparc_matches_reference(rate_hz: float) -> None:
    rng = np.random.default_rng(int(rate_hz * 1000))
    for i in range(400):
        k = int(rng.integers(0, 320))
        kind = i % 5
        if kind == 0:
            x = np.abs(rng.normal(size=k))
        elif kind == 1:
            x = rng.normal(size=k)
        elif kind == 2:
            x = np.abs(np.diff(np.cumsum(rng.normal(size=k + 1)))) * 25.0
        elif kind == 3:
            x = np.zeros(k)
            if k:
                x[rng.integers(0, k)] = rng.random()
        else:
            x = np.sin(np.linspace(0.0, np.pi, k)) ** 2 + rng.normal(scale=0.01, size=k)
        got, want = sparc(x, rate_hz), _sparc_reference(x, rate_hz)
        # The real FFT rounds differently from the complex one: equal to far below any meaning.
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12, nan_ok=True)


@pytest.mark.parametrize("rate_hz", [0.0, np.float64(0.0), -25.0, np.inf, np.nan])
def test_sparc_refuses_a_rate_that_is_no_rate(rate_hz: float) -> None:
    x = np.abs(np.random.default_rng(0).normal(size=60))
    with pytest.raises(ValueError, match="positive, finite sampling rate"):
        sparc(x, rate_hz)


def test_hold_steadiness_is_np_std_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    for i in range(600):
        k = int(rng.integers(3, 2500 if i % 10 == 0 else 300))
        x = rng.normal(loc=rng.choice([0.0, 30.0, -45.0, 1e6]), scale=rng.choice([1e-6, 0.1, 3.0]), size=k)
        if i % 3 == 0:
            x = x[::2]
        if i % 5 == 0:
            x = np.round(x, 1)
        if x.size >= 3:
            assert _bits(hold_steadiness_deg(x)) == _bits(float(np.std(x)))
    with np.errstate(invalid="ignore"):
        with_nan = np.array([1.0, np.nan, 2.0, 3.0])
        assert np.isnan(hold_steadiness_deg(with_nan)) and np.isnan(np.std(with_nan))
    x32 = rng.normal(size=40).astype(np.float32)
    assert _bits(hold_steadiness_deg(x32)) == _bits(float(np.std(x32)))  # type: ignore[arg-type]
    assert np.isnan(hold_steadiness_deg(np.array([1.0, 2.0])))
