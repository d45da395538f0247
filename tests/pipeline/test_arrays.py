"""The pipeline's shared array primitives."""

from __future__ import annotations

import numpy as np

from imurep.pipeline.arrays import row_dots, run_seconds


def _reference_run_seconds(mask: np.ndarray, dt: np.ndarray, carried_s: float) -> np.ndarray:
    csum = np.cumsum(np.where(mask, dt, 0.0))
    base = np.maximum.accumulate(np.where(~mask, csum, 0.0))
    run = csum - base
    if mask.size and mask[0]:
        run = np.where((base == 0.0) & mask, run + carried_s, run)
    return np.where(mask, run, 0.0)


def test_run_seconds_shortcuts_are_bit_identical() -> None:
    rng = np.random.default_rng(6)
    for n in (0, 1, 2, 6, 50, 3000):
        dt = rng.uniform(0.03, 0.05, n)
        for mask in (np.ones(n, bool), np.zeros(n, bool), rng.random(n) < 0.7, rng.random(n) < 0.01):
            for carried_s in (0.0, 1.37):
                got = run_seconds(mask, dt, carried_s)
                want = _reference_run_seconds(mask, dt, carried_s)
                assert got.dtype == want.dtype and got.shape == want.shape
                assert np.array_equal(got, want)


def test_row_dots_are_einsums_row_products() -> None:
    rng = np.random.default_rng(3)
    for k in (0, 1, 5, 300):
        a, b = rng.normal(size=(k, 3)), rng.normal(size=(k, 3))
        np.testing.assert_allclose(row_dots(a, b), np.einsum("ij,ij->i", a, b), rtol=1e-14, atol=1e-15)
