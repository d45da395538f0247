"""SosState: the same bits as scipy.signal.sosfilt, for any chunking."""

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


def test_without_the_kernel_the_public_sosfilt_gives_the_same_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    import imurep.pipeline.iir as iir

    rng = np.random.default_rng(5)
    x = rng.normal(0.0, 1.0, (3, 777))
    sos = np.asarray(butter(2, 5.0, btype="highpass", fs=100.0, output="sos"))
    zi = rng.normal(0.0, 0.1, (3, 1, 2))
    fast, slow = SosState(sos, zi.copy()), SosState(sos, zi.copy())
    a, b = x.copy(), x.copy()
    fast.filter_inplace(a)
    monkeypatch.setattr(iir, "_KERNEL", None)
    slow.filter_inplace(b)
    assert np.array_equal(a, b) and np.array_equal(fast.zi, slow.zi)


_IMPORT_PROBE = """
import sys
import imurep.analysis.analyze, imurep.cli.analyze, imurep.pipeline.iir as iir
slow = sorted(m for m in ("scipy.signal", "scipy.spatial", "scipy.stats", "matplotlib") if m in sys.modules)
print(iir._KERNEL is not None, ",".join(slow) or "-")
import numpy, scipy.signal
print(sys.modules["scipy.signal._sosfilt"]._sosfilt is iir._KERNEL)
print(scipy.signal.sosfilt([[1.0, 0.0, 0.0, 1.0, -0.5, 0.0]], numpy.ones(3)).tolist())
"""


def test_analysis_imports_the_kernel_without_scipy_signal() -> None:
    """``import scipy.signal`` costs 0.45-0.7 s: the analysis path must not pull it (or other
    heavy packages) in, and a later ``import scipy.signal`` must reuse the kernel's module."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE], check=True, capture_output=True, text=True
    ).stdout.split()
    assert out == ["True", "-", "True", "[1.0,", "1.5,", "1.75]"]


def test_a_kernel_file_that_is_not_there_gives_none() -> None:
    from imurep.pipeline.iir import _load_extension

    assert _load_extension("scipy.signal._no_such_kernel") is None
