"""Synthetic sample blocks for BLE tests: smooth, distinct values well inside the band's ranges."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from imurep.samples import SampleBlock


def synthetic_arrays(n: int, rate_hz: float = 100.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t = np.arange(n) / rate_hz
    acc = np.column_stack([2.0 * np.sin(1.3 * t), 1.5 * np.cos(0.7 * t), 9.81 + 0.5 * np.sin(3.1 * t)])
    gyr = np.column_stack([0.8 * np.sin(2.0 * t), -0.5 * np.cos(1.1 * t), 0.3 * np.sin(0.4 * t)])
    return t, acc, gyr


def synthetic_blocks(n: int, rate_hz: float = 100.0, chunk: int = 37) -> Iterator[SampleBlock]:
    """``n`` samples at ``rate_hz`` in blocks of ``chunk`` (not a multiple of any packet size)."""
    t, acc, gyr = synthetic_arrays(n, rate_hz)
    for i in range(0, n, chunk):
        yield SampleBlock(t[i : i + chunk], acc[i : i + chunk], gyr[i : i + chunk])
