"""Per-rep movement quality: smoothness (SPARC) and steadiness of the hold."""

from __future__ import annotations

import numpy as np

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
    if speed.size < 4 or not np.any(speed > 0):
        return float("nan")
    n_fft = int(2 ** (np.ceil(np.log2(speed.size)) + padding_level))
    # Only the bins up to the cutoff are used: the same per-bin arithmetic, on that prefix only.
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


def hold_steadiness_deg(angle_deg: FloatArray) -> float:
    """Standard deviation of the angle during a hold, degrees (``nan`` for fewer than 3 samples)."""
    if angle_deg.size < 3:
        return float("nan")
    return float(np.std(angle_deg))
