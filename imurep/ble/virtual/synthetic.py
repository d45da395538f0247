"""Plain synthetic knee rolls for the virtual band where no simulated session is needed.

Lying supine with the band at the front of the belt, knee rolls alternating left and right (30°,
2 s out, 3 s hold, 2 s back, 2 s rest): what the band ``imurep devices --virtual`` starts would
stream. ``--device virtual`` plays a simulated session instead
(:func:`imurep.sources.open_source.simulated_session_blocks`).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from imurep.samples import STANDARD_GRAVITY_M_S2, SampleBlock

__all__ = ["synthetic_knee_rolls"]


def synthetic_knee_rolls(
    rate_hz: float = 100.0, reps: int = 1000, block_s: float = 1.0, seed: int = 0
) -> Iterator[SampleBlock]:
    """Supine knee rolls seen by a front-belt sensor (x left, y superior, z anterior), block by block.

    Parameters
    ----------
    rate_hz
        Sample rate, Hz.
    reps
        Repetitions (alternating sides), each 9 s long.
    block_s
        Length of each yielded block, s.
    seed
        Seed for the small sensor noise.
    """
    rng = np.random.default_rng(seed)
    rep_s = 9.0
    total = int(reps * rep_s * rate_hz)
    step = max(1, int(block_s * rate_hz))
    amplitude_rad = np.deg2rad(30.0)
    for start in range(0, total, step):
        t = np.arange(start, min(start + step, total)) / rate_hz
        phase = t % rep_s
        side = np.where((t // rep_s) % 2 == 0, 1.0, -1.0)
        # out 0-2 s, hold 2-5 s, back 5-7 s, rest 7-9 s (cosine ramps)
        out = np.clip(phase / 2.0, 0.0, 1.0)
        back = np.clip((phase - 5.0) / 2.0, 0.0, 1.0)
        shape = 0.5 * (1 - np.cos(np.pi * out)) - 0.5 * (1 - np.cos(np.pi * back))
        moving_out = phase < 2.0
        moving_back = (phase >= 5.0) & (phase < 7.0)
        rate = (np.pi / 4.0) * (np.sin(np.pi * out) * moving_out - np.sin(np.pi * back) * moving_back)
        angle = side * amplitude_rad * shape
        angle_rate = side * amplitude_rad * rate
        # rotation about the body's long axis = the sensor's y axis
        zero = np.zeros_like(t)
        acc = np.column_stack(
            [STANDARD_GRAVITY_M_S2 * np.sin(angle), zero, STANDARD_GRAVITY_M_S2 * np.cos(angle)]
        )
        gyr = np.column_stack([np.zeros_like(t), angle_rate, np.zeros_like(t)])
        acc += rng.normal(0.0, 0.02, acc.shape)
        gyr += rng.normal(0.0, 0.002, gyr.shape)
        yield SampleBlock(t, acc, gyr)
