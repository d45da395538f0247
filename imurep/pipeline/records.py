"""Records the pipeline produces besides events: posture spans, the angle trace, data quality."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from imurep.exercises.spec import Posture
from imurep.samples import FloatArray

__all__ = ["AngleTrace", "DataQuality", "PostureSpan"]


@dataclass(frozen=True)
class PostureSpan:
    """A stretch of time in one posture."""

    posture: Posture
    start_s: float
    end_s: float


@dataclass(frozen=True)
class AngleTrace:
    """The exercise angle over time, for plots (downsampled to at most ~20 Hz).

    One angle column whatever the exercise: each step carries the exercise whose set it is in.

    Attributes
    ----------
    time_s
        (M,) times, s, recording time base.
    angle_deg
        (M,) the set's exercise angle from its neutral, degrees, signed as the exercise defines
        it (knee rolls: positive = knees to the left; heels stretch: positive = rocking back);
        NaN outside sets.
    exercise
        (M,) the exercise of each step's set (a registry name), ``""`` outside sets.
    """

    time_s: FloatArray
    angle_deg: FloatArray
    exercise: NDArray[np.str_]

    def exercises(self) -> list[str]:
        """The exercises the trace shows, in order of first appearance."""
        names, first = np.unique(self.exercise[self.exercise != ""], return_index=True)
        return [str(names[i]) for i in np.argsort(first)]

    def angle_of(self, exercise: str) -> FloatArray:
        """``angle_deg`` where the step is in a set of ``exercise``, NaN elsewhere."""
        return np.where(self.exercise == exercise, self.angle_deg, np.nan)

    @staticmethod
    def empty() -> AngleTrace:
        return AngleTrace(np.empty(0), np.empty(0), np.empty(0, dtype=np.str_))


@dataclass(frozen=True)
class DataQuality:
    """How trustworthy the input was."""

    sample_rate_hz: float
    n_samples: int
    duration_s: float
    gaps: list[tuple[float, float]] = field(default_factory=list)
    lost_samples: int = 0
    clipped_samples: int = 0
    has_gyr: bool = True
    warnings: list[str] = field(default_factory=list)
    start_s: float = 0.0
