"""Records the pipeline produces besides events: posture spans, the angle trace, data quality."""

from __future__ import annotations

from dataclasses import dataclass, field

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

    Attributes
    ----------
    time_s
        (M,) times, s, recording time base.
    knee_roll_deg
        (M,) pelvis rotation about the superior axis from neutral, degrees, positive = knees
        to the left; NaN outside knee-roll sets.
    heels_pitch_deg
        (M,) pelvis pitch from the all-fours neutral, degrees, positive = rocking back;
        NaN outside heels-stretch sets.
    """

    time_s: FloatArray
    knee_roll_deg: FloatArray
    heels_pitch_deg: FloatArray


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
