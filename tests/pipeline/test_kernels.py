"""The private kernels of ``imurep.pipeline._kernels``: each against the library function it replaces,
and the fallback where the kernel is missing."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import butter, sosfilt

from imurep.pipeline.iir import SosState


def test_the_kernel_is_the_library_sosfilt() -> None:
    from imurep.pipeline import _kernels

    assert _kernels.SOSFILT is not None
    rng = np.random.default_rng(11)
    sos = np.asarray(butter(4, [0.5, 8.0], btype="bandpass", fs=100.0, output="sos"))
    x = rng.normal(0.0, 1.0, (4, 1234))
    zi = rng.normal(0.0, 0.1, (4, sos.shape[0], 2))
    expected, zf = sosfilt(sos, x, axis=1, zi=np.transpose(zi, (1, 0, 2)))
    got, state = x.copy(), zi.copy()
    _kernels.SOSFILT(np.ascontiguousarray(sos), got, state)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(state, np.transpose(zf, (1, 0, 2)), rtol=1e-12, atol=1e-12)


def test_without_the_kernel_the_public_sosfilt_gives_the_same_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    from imurep.pipeline import _kernels

    rng = np.random.default_rng(5)
    x = rng.normal(0.0, 1.0, (3, 777))
    sos = np.asarray(butter(2, 5.0, btype="highpass", fs=100.0, output="sos"))
    zi = rng.normal(0.0, 0.1, (3, 1, 2))
    fast, slow = SosState(sos, zi.copy()), SosState(sos, zi.copy())
    a, b = x.copy(), x.copy()
    fast.filter_inplace(a)
    monkeypatch.setattr(_kernels, "SOSFILT", None)
    slow.filter_inplace(b)
    assert np.array_equal(a, b) and np.array_equal(fast.zi, slow.zi)


_IMPORT_PROBE = """
import sys
import imurep.analysis.analyze, imurep.cli.analyze, imurep.pipeline._kernels as kernels
slow = sorted(m for m in ("scipy.signal", "scipy.spatial", "scipy.stats", "matplotlib") if m in sys.modules)
print(kernels.SOSFILT is not None, ",".join(slow) or "-")
import numpy, scipy.signal
print(sys.modules["scipy.signal._sosfilt"]._sosfilt is kernels.SOSFILT)
print(scipy.signal.sosfilt([[1.0, 0.0, 0.0, 1.0, -0.5, 0.0]], numpy.ones(3)).tolist())
"""


def test_analysis_imports_the_kernel_without_scipy_signal() -> None:
    """The analysis path must not pull in ``import scipy.signal`` (the start-up cost the private kernel
    avoids) or other heavy packages, and a later ``import scipy.signal`` reuses the kernel's module."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE], check=True, capture_output=True, text=True
    ).stdout.split()
    assert out == ["True", "-", "True", "[1.0,", "1.5,", "1.75]"]


def test_a_kernel_file_that_is_not_there_gives_none() -> None:
    from imurep.pipeline._kernels import load_extension

    assert load_extension("scipy.signal._no_such_kernel") is None


def test_no_private_numpy_or_scipy_outside_the_kernels_module() -> None:
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "imurep"
    private = re.compile(r"""(numpy|scipy)(\.[A-Za-z]\w*)*\._(?!_)\w+""")
    found = [
        f"{p.relative_to(package)}:{i}"
        for p in package.rglob("*.py")
        if p.name != "_kernels.py"
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if private.search(line)
    ]
    assert found == []
