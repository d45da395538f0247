"""What the pipeline accepts: finite, strictly increasing sample times and possible values.

The readers refuse or drop bad samples in files before they get here; this guards the pipeline's
own entry (live sources, library callers): anything else is an :class:`~imurep.errors.InputError`
naming the first bad sample and the rule, never a crash, a warning or a wrong answer.
"""

from __future__ import annotations

import numpy as np

from imurep.errors import InputError
from imurep.samples import MAX_ACC_M_S2, MAX_GYR_RAD_S, SampleBlock, impossible_samples

__all__ = ["MAX_ABS_TIME_S", "SampleCheck"]

#: Sample times beyond this (about 31 700 years) are not seconds of a recording, s.
MAX_ABS_TIME_S = 1e12


class SampleCheck:
    """Checks each block, and that it follows the previous one in time."""

    def __init__(self) -> None:
        self.last_t_s: float | None = None

    def check(self, block: SampleBlock) -> None:
        """Raise :class:`InputError` for the first sample that breaks a rule."""
        t = block.time_s
        if t.size == 0:
            return
        with np.errstate(invalid="ignore"):
            far = ~(np.abs(t) <= MAX_ABS_TIME_S)
        if far.any():
            k = int(np.argmax(far))
            raise InputError(
                f"sample {k} of the block: time {t[k]!r} s is not finite or beyond ±{MAX_ABS_TIME_S:g} s "
                "(times must be seconds; convert or drop it)"
            )
        steps = np.diff(t, prepend=-np.inf if self.last_t_s is None else self.last_t_s)
        if not (steps > 0).all():
            k = int(np.argmax(~(steps > 0)))
            before = t[k - 1] if k else self.last_t_s
            raise InputError(
                f"sample {k} of the block: time {t[k]!r} s does not follow {before!r} s "
                "(times must be strictly increasing: sort the samples and drop repeats)"
            )
        bad = impossible_samples(block)
        if bad.any():
            k = int(np.argmax(bad))
            raise InputError(
                f"sample {k} of the block (time {t[k]!r} s): a value is not finite or beyond "
                f"|acc| {MAX_ACC_M_S2:g} m/s² / |gyr| {MAX_GYR_RAD_S:g} rad/s, which no body-worn "
                "sensor reads (drop the faulty samples or fix the units)"
            )
        self.last_t_s = float(t[-1])
