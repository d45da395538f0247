"""The block of IMU samples that flows from every source through the pipeline."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "GAP_PERIODS",
    "MAX_ACC_M_S2",
    "MAX_GYR_RAD_S",
    "MIN_GAP_S",
    "STANDARD_GRAVITY_M_S2",
    "FloatArray",
    "SampleBlock",
    "gap_limit_s",
    "impossible_samples",
]

FloatArray = NDArray[np.float64]

#: Standard gravity, m/s² (1 g): the one definition, for every unit conversion and gravity model.
STANDARD_GRAVITY_M_S2 = 9.80665

#: A step between samples longer than this many sample periods, and than ``MIN_GAP_S``, is a gap in
#: the data (lost packets): the one definition, for the data-quality report, the filters (which
#: restart after a gap), the reps (whose timing a gap blurs) and the importers' warnings.
GAP_PERIODS = 3.0
MIN_GAP_S = 0.1


def gap_limit_s(period_s: float) -> float:
    """The longest step between samples ``period_s`` apart that is not a gap, s."""
    return max(GAP_PERIODS * period_s, MIN_GAP_S)


#: Beyond these no body-worn sensor reads (shocks of 200 g, 5700 °/s): such a value is a fault.
MAX_ACC_M_S2 = 2000.0
MAX_GYR_RAD_S = 100.0


@dataclass(frozen=True)
class SampleBlock:
    """A run of consecutive samples in the sensor frame.

    Attributes
    ----------
    time_s
        (N,) sample times, s, strictly increasing, in the recording's own time base.
    acc_m_s2
        (N, 3) specific force in the sensor frame, m/s², gravity included.
    gyr_rad_s
        (N, 3) angular rate in the sensor frame, rad/s, right-handed; ``None`` for
        accelerometer-only devices.
    """

    time_s: FloatArray
    acc_m_s2: FloatArray
    gyr_rad_s: FloatArray | None = None

    def __post_init__(self) -> None:
        n = self.time_s.shape[0]
        if self.time_s.ndim != 1:
            raise ValueError(f"time_s must be (N,), got shape {self.time_s.shape}")
        if self.acc_m_s2.shape != (n, 3):
            raise ValueError(f"acc_m_s2 must be ({n}, 3), got shape {self.acc_m_s2.shape}")
        if self.gyr_rad_s is not None and self.gyr_rad_s.shape != (n, 3):
            raise ValueError(f"gyr_rad_s must be ({n}, 3), got shape {self.gyr_rad_s.shape}")

    def __len__(self) -> int:
        return int(self.time_s.shape[0])

    @property
    def has_gyr(self) -> bool:
        return self.gyr_rad_s is not None

    def slice(self, start: int, stop: int) -> SampleBlock:
        """Samples ``start:stop`` as a new block (views, no copy).

        Parameters
        ----------
        start, stop
            Sample indices, as a Python slice takes them (``stop`` excluded).
        """
        gyr = None if self.gyr_rad_s is None else self.gyr_rad_s[start:stop]
        return SampleBlock(self.time_s[start:stop], self.acc_m_s2[start:stop], gyr)

    @staticmethod
    def concat(blocks: list[SampleBlock]) -> SampleBlock:
        """Join blocks in order; all must agree on whether they carry a gyroscope."""
        if not blocks:
            return SampleBlock.empty()
        with_gyr = {b.has_gyr for b in blocks}
        if len(with_gyr) != 1:
            raise ValueError("cannot join blocks with and without gyroscope")
        gyr = (
            np.concatenate([b.gyr_rad_s for b in blocks if b.gyr_rad_s is not None])
            if blocks[0].has_gyr
            else None
        )
        return SampleBlock(
            np.concatenate([b.time_s for b in blocks]),
            np.concatenate([b.acc_m_s2 for b in blocks]),
            gyr,
        )

    @staticmethod
    def empty(with_gyr: bool = False) -> SampleBlock:
        return SampleBlock(np.empty(0), np.empty((0, 3)), np.empty((0, 3)) if with_gyr else None)


def impossible_samples(block: SampleBlock) -> NDArray[np.bool_]:
    """(N,) mask of the samples with a non-finite value, ``|acc|`` > 2000 m/s² or ``|gyr|`` > 100 rad/s."""
    with np.errstate(over="ignore", invalid="ignore"):
        bad: NDArray[np.bool_] = ~(np.linalg.norm(block.acc_m_s2, axis=1) <= MAX_ACC_M_S2) | ~np.isfinite(
            block.time_s
        )
        if block.gyr_rad_s is not None:
            bad |= ~(np.linalg.norm(block.gyr_rad_s, axis=1) <= MAX_GYR_RAD_S)
    return bad
