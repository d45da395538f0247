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

_SQRT3 = 3.0**0.5

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
        if self._plainly_fine(block):
            self.last_t_s = float(t[-1])
            return
        # Something is off: find the first sample that breaks a rule, and name it.
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

    def _plainly_fine(self, block: SampleBlock) -> bool:
        """A few whole-block tests that imply every rule (the usual block, cheaply).

        Strictly increasing times between two finite ends within ±:data:`MAX_ABS_TIME_S` are all
        finite and within it (a NaN fails every comparison); components of at most ``bound / √3``
        keep every row's norm within the bound (and a NaN fails the comparison).
        """
        t = block.time_s
        if not (abs(t[0]) <= MAX_ABS_TIME_S and abs(t[-1]) <= MAX_ABS_TIME_S):
            return False
        if self.last_t_s is not None and not t[0] > self.last_t_s:
            return False
        if t.size > 1 and not bool(np.all(t[1:] > t[:-1])):
            return False
        with np.errstate(invalid="ignore"):
            if not np.abs(block.acc_m_s2).max() <= MAX_ACC_M_S2 / _SQRT3:
                return False
            gyr = block.gyr_rad_s
            return gyr is None or bool(np.abs(gyr).max() <= MAX_GYR_RAD_S / _SQRT3)
