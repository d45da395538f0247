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
    cutoff_hz
        Highest frequency of the spectrum considered, Hz (10 Hz: above any human movement).
    amplitude_threshold
        Normalised magnitude below which the spectrum's tail is cut (the adaptive cut-off).
    padding_level
        Zero padding of the FFT: the length is ``2 ** (ceil(log2(K)) + padding_level)``.

    Returns
    -------
    SPARC value, ≤ 0; a single smooth bell is about −1.4 to −1.6, jerkier movements are more negative.

    Raises
    ------
    ValueError
        ``rate_hz`` is not positive and finite.
    """
    if not 0.0 < rate_hz < math.inf:
        raise ValueError(f"SPARC needs a positive, finite sampling rate, got {rate_hz!r} Hz")
    if speed.size < 4 or not (speed > 0).any():
        return float("nan")
    # 2 ** (ceil(log2(K)) + padding_level): ceil(log2(K)) = bit length of K - 1 for K ≥ 1.
    n_fft = 2 ** ((speed.size - 1).bit_length() + padding_level)
    # The spectrum of a real signal mirrors about n_fft / 2: the real FFT gives its first half.
    mag = np.abs(np.fft.rfft(speed, n_fft))
    peak = mag.max()
    # Bins up to the cutoff (frequencies rise with the bin, so they are a prefix); below 2 cutoff_hz
    # the cutoff lies past n_fft / 2 and the mirrored half is read too.
    n_keep = math.floor(cutoff_hz * n_fft / rate_hz) + 1
    if n_keep > mag.size:
        mag = np.concatenate((mag, mag[-2:0:-1]))
    m_sel = mag[: min(n_keep, n_fft)] / peak
    last = last_true(m_sel >= amplitude_threshold)
    m_sel = m_sel[: max(last, 1) + 1]
    if m_sel.size < 2:
        return float("nan")
    # Frequencies of the bins kept, normalised to span 0..1.
    df = 1.0 / (m_sel.size - 1)
    dm = m_sel[1:] - m_sel[:-1]
    return float(-np.sqrt(df * df + dm * dm).sum())


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
