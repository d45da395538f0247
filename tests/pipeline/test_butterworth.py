"""butter_sos / step_zi: the filters scipy.signal designs, to a few units in the last place."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from scipy.signal import butter, sosfilt, sosfilt_zi

from imurep.pipeline.butterworth import butter_sos, step_zi

_RATES_HZ = [12.5, 25.0, 50.0, 52.0, 100.0, 104.0, 200.0, 400.0, 1000.0, 1666.0]


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("kind", ["lowpass", "highpass"])
def test_coefficients_equal_scipy_butter(order: int, kind: str) -> None:
    for rate_hz in _RATES_HZ:
        for cutoff_hz in (0.5, 1.0, 2.5, 5.0, 0.4 * rate_hz):
            want = np.asarray(butter(order, cutoff_hz, btype=kind, fs=rate_hz, output="sos"))
            got = butter_sos(order, cutoff_hz, rate_hz, kind)  # type: ignore[arg-type]
            assert got.shape == (1, 6)
            # scipy pads a first-order section with zeros: the same layout.
            np.testing.assert_allclose(got, want.reshape(1, 6), rtol=4e-15, atol=1e-17)


def _exact_step_zi(section: np.ndarray) -> list[float]:
    b0, b1, b2, _, a1, a2 = (Fraction(float(v)) for v in section)
    y = (b0 + b1 + b2) / (1 + a1 + a2)
    z1 = b2 - a2 * y
    return [float(b1 - a1 * y + z1), float(z1)]


def test_step_state_is_exact_to_rounding_and_agrees_with_sosfilt_zi() -> None:
    for rate_hz in _RATES_HZ:
        for order, cutoff_hz, kind in ((2, 2.5, "lowpass"), (2, 5.0, "highpass"), (1, 1.0, "lowpass")):
            sos = butter_sos(order, min(cutoff_hz, 0.4 * rate_hz), rate_hz, kind)  # type: ignore[arg-type]
            zi = step_zi(sos)
            np.testing.assert_allclose(zi[0], _exact_step_zi(sos[0]), rtol=0, atol=1e-15)
            # scipy solves a linear system: less exact (seen: 5e-13), so a looser bound.
            np.testing.assert_allclose(zi, sosfilt_zi(sos), rtol=0, atol=1e-11)


def test_a_settled_filter_stays_settled_through_a_cascade() -> None:
    sos = np.vstack(
        [butter_sos(2, 2.5, 100.0), butter_sos(1, 1.0, 100.0), butter_sos(2, 5.0, 100.0, "highpass")]
    )
    zi = step_zi(sos) * 3.0
    y, _ = sosfilt(sos, np.full(500, 3.0), zi=zi)
    np.testing.assert_allclose(y, 0.0, atol=1e-13)  # the high-pass at the end removes the level
    zi = step_zi(sos[:2]) * 3.0
    y, _ = sosfilt(sos[:2], np.full(500, 3.0), zi=zi)
    np.testing.assert_allclose(y, 3.0, rtol=1e-14)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((3, 2.5, 100.0, "lowpass"), "order must be 1 or 2"),
        ((2, 50.0, 100.0, "lowpass"), r"cut-off must be in \(0, 50\)"),
        ((2, 0.0, 100.0, "lowpass"), "cut-off must be in"),
        ((2, 2.5, 100.0, "bandpass"), "kind must be"),
    ],
)
def test_refuses_what_it_cannot_design(args: tuple[int, float, float, str], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        butter_sos(*args)  # type: ignore[arg-type]


def test_step_zi_refuses_unnormalised_sections() -> None:
    with pytest.raises(ValueError, match="a0 must be 1"):
        step_zi(np.array([[1.0, 0.0, 0.0, 2.0, 0.5, 0.0]]))
