"""SosState: what scipy.signal.sosfilt gives, for any chunking."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.signal import butter, sosfilt, sosfilt_zi

from imurep.pipeline.iir import SosState


@pytest.mark.parametrize("btype", ["lowpass", "highpass"])
def test_equals_sosfilt_in_any_chunks(btype: str) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(9.81, 2.0, (5000, 6))  # time-major, as sosfilt(axis=0) takes it
    sos = np.asarray(butter(2, 2.5, btype=btype, fs=100.0, output="sos"))
    zi0 = np.asarray(sosfilt_zi(sos))[:, :, np.newaxis] * x[0]  # (S, 2, channels)
    expected, _ = sosfilt(sos, x, axis=0, zi=zi0)
    state = SosState(sos, np.ascontiguousarray(np.transpose(zi0, (2, 0, 1))))
    out = np.empty_like(x)
    cuts = [0, 1, 9, 10, 700, 701, 4096, 5000]
    for a, b in itertools.pairwise(cuts):
        part = np.ascontiguousarray(x[a:b].T)
        state.filter_inplace(part)
        out[a:b] = part.T
    assert np.array_equal(out, expected)


def test_refuses_a_state_of_the_wrong_shape() -> None:
    sos = np.asarray(butter(2, 2.5, fs=100.0, output="sos"))
    with pytest.raises(ValueError, match="zi must be"):
        SosState(sos, np.zeros((3, 2, 2)))
