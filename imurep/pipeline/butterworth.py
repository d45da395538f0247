"""Butterworth low- and high-pass filters of order 1 and 2, designed in closed form.

``scipy.signal.butter`` designs the same filters, but ``import scipy.signal`` costs 0.45-0.7 s
(it imports scipy.stats, interpolate, optimize and more), more than analysing a 10-minute
recording. One section is simple enough to write down: the analogue prototype through the
bilinear transform, pre-warped so the cut-off lands where asked. Coefficients agree with scipy's
to a few units in the last place (the tests compare them).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from imurep.samples import FloatArray

__all__ = ["butter_sos", "step_zi"]

FilterKind = Literal["lowpass", "highpass"]


def butter_sos(order: int, cutoff_hz: float, rate_hz: float, kind: FilterKind = "lowpass") -> FloatArray:
    """One second-order section ``[b0, b1, b2, 1, a1, a2]`` of a digital Butterworth filter.

    Parameters
    ----------
    order
        1 or 2.
    cutoff_hz
        −3 dB frequency, Hz; 0 < ``cutoff_hz`` < ``rate_hz`` / 2.
    rate_hz
        Sample rate, Hz.
    kind
        ``lowpass`` or ``highpass``.

    Returns
    -------
    (1, 6) sections, the layout of ``scipy.signal.butter(..., output="sos")``.
    """
    if order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order}")
    if not 0.0 < cutoff_hz < rate_hz / 2.0:
        raise ValueError(f"cut-off must be in (0, {rate_hz / 2.0:g}) Hz at {rate_hz:g} Hz, got {cutoff_hz:g}")
    if kind not in ("lowpass", "highpass"):
        raise ValueError(f"kind must be lowpass or highpass, got {kind!r}")
    k = math.tan(math.pi * cutoff_hz / rate_hz)  # pre-warped analogue cut-off (bilinear, T = 2)
    if order == 1:
        # H(s) = 1 / (1 + s) at the normalised cut-off, s = (1 - z⁻¹) / (k (1 + z⁻¹)).
        norm = 1.0 / (1.0 + k)
        b = [k * norm, k * norm, 0.0] if kind == "lowpass" else [norm, -norm, 0.0]
        a = [1.0, (k - 1.0) * norm, 0.0]
    else:
        # H(s) = 1 / (1 + √2 s + s²).
        k2 = k * k
        norm = 1.0 / (1.0 + math.sqrt(2.0) * k + k2)
        b = [k2 * norm, 2.0 * k2 * norm, k2 * norm] if kind == "lowpass" else [norm, -2.0 * norm, norm]
        a = [1.0, 2.0 * (k2 - 1.0) * norm, (1.0 - math.sqrt(2.0) * k + k2) * norm]
    return np.array([b + a], dtype=np.float64)


def step_zi(sos: FloatArray) -> FloatArray:
    """(S, 2) state of ``sos`` after a unit step has settled (``scipy.signal.sosfilt_zi``).

    For the transposed direct form II each section computes ``y = b0 x + z0``,
    ``z0 ← b1 x − a1 y + z1``, ``z1 ← b2 x − a2 y``; at rest with input ``x`` its output is
    ``g x``, ``g = Σb / Σa``, which feeds the next section.
    """
    sos = np.asarray(sos, dtype=np.float64)
    zi = np.empty((sos.shape[0], 2))
    x = 1.0
    for s, (b0, b1, b2, a0, a1, a2) in enumerate(sos.tolist()):
        if a0 != 1.0:
            raise ValueError(f"section {s}: a0 must be 1, got {a0}")
        y = x * (b0 + b1 + b2) / (1.0 + a1 + a2)
        z1 = b2 * x - a2 * y
        zi[s] = (b1 * x - a1 * y + z1, z1)
        x = y
    return zi
