"""Per-rep movement quality: smoothness (SPARC) and steadiness of the hold."""

from __future__ import annotations

import math

import numpy as np

from imurep.pipeline.arrays import last_true
from imurep.samples import FloatArray

__all__ = ["hold_steadiness_deg", "sparc"]


def sparc(
    speed: FloatArray,
    rate_hz: float,
    cutoff_hz: float = 10.0,
    amplitude_threshold: float = 0.05,
    padding_level: int = 4,
) -> float:
    """Spectral arc length of a speed profile (Balasubramanian et al. 2015).

    Parameters
    ----------
    speed
        (K,) movement speed sampled at ``rate_hz`` (any unit; the metric is unitless).
    rate_hz
        Sampling rate, Hz.

    Returns
    -------
    SPARC value, ≤ 0; a single smooth bell is about −1.4 to −1.6, jerkier movements are more negative.
    """
    if speed.size < 4 or not (speed > 0).any():
        return float("nan")
    # 2 ** (ceil(log2(K)) + padding_level): ceil(log2(K)) = bit length of K - 1 for K ≥ 1.
    n_fft = int(2.0 ** ((speed.size - 1).bit_length() + padding_level))
    # Only the bins up to the cutoff are used: the same per-bin arithmetic, on that prefix only.
    n_bins = min(n_fft, int(cutoff_hz * n_fft / rate_hz) + 2)
    freq = np.arange(n_bins) * rate_hz / n_fft
    mag = np.abs(np.fft.fft(speed, n_fft))
    keep = freq <= cutoff_hz
    if 0.0 < rate_hz < math.inf:
        # Frequencies rise with the bin: the bins kept are a prefix (a slice, not a mask).
        n_keep = int(np.count_nonzero(keep))
        f_sel, m_sel = freq[:n_keep], mag[:n_keep] / mag.max()
    else:
        f_sel, m_sel = freq[keep], mag[:n_bins][keep] / mag.max()
    last = last_true(m_sel >= amplitude_threshold)
    if last < 0:
        last = 1
    f_sel, m_sel = f_sel[: last + 1], m_sel[: last + 1]
    if f_sel.size < 2:
        return float("nan")
    # The differences as np.diff computes them (a[1:] - a[:-1]).
    df = (f_sel[1:] - f_sel[:-1]) / (f_sel[-1] - f_sel[0])
    dm = m_sel[1:] - m_sel[:-1]
    return float(-np.sqrt(df**2 + dm**2).sum())


def hold_steadiness_deg(angle_deg: FloatArray) -> float:
    """Standard deviation of the angle during a hold, degrees (``nan`` for fewer than 3 samples)."""
    n = angle_deg.size
    if n < 3:
        return float("nan")
    if angle_deg.ndim != 1 or angle_deg.dtype != np.float64:
        return float(np.std(angle_deg))
    # np.std's own arithmetic (numpy's _methods._var) without its per-call set-up: the sum over
    # the count, the squared deviations summed by the same reduction, over the count, the root.
    deviation = angle_deg - angle_deg.sum() / n
    np.square(deviation, out=deviation)
    return math.sqrt(deviation.sum() / n)
