"""The result of analysing one recording or live session, and its JSON form (``FORMAT.md`` §2)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from imurep.events import RepEvent, SetEvent
from imurep.samples import FloatArray

__all__ = [
    "AnalysisResult",
    "AngleTrace",
    "DataQuality",
    "Posture",
    "PostureSpan",
    "json_value",
]

Posture = Literal["standing", "supine", "all_fours", "side_lying", "prone", "moving", "unknown"]


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


@dataclass(frozen=True)
class AnalysisResult:
    """Everything the pipeline found in one recording."""

    source: str
    reps: list[RepEvent]
    sets: list[SetEvent]
    quality: DataQuality
    postures: list[PostureSpan] = field(default_factory=list)
    trace: AngleTrace | None = None
    unavailable_metrics: list[str] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return self.quality.duration_s

    @property
    def sample_rate_hz(self) -> float:
        return self.quality.sample_rate_hz

    def to_json_obj(self) -> dict[str, Any]:
        """The ``FORMAT.md`` §2 object (plus a ``summary`` and ``data_quality``)."""
        return {
            "source": self.source,
            "duration_s": _round(self.duration_s, 3),
            "sample_rate_hz": _round(self.sample_rate_hz, 3),
            "reps": [{k: json_value(v) for k, v in r.to_dict().items()} for r in self.reps],
            "sets": [{k: json_value(v) for k, v in s.to_dict().items()} for s in self.sets],
            "data_quality": {
                "n_samples": self.quality.n_samples,
                "gaps": [[_round(a, 4), _round(b, 4)] for a, b in self.quality.gaps],
                "lost_samples": self.quality.lost_samples,
                "clipped_samples": self.quality.clipped_samples,
                "has_gyr": self.quality.has_gyr,
                "warnings": list(self.quality.warnings),
            },
            "unavailable_metrics": list(self.unavailable_metrics),
        }


def _round(x: float, nd: int) -> float:
    return float(round(x, nd))


def json_value(v: Any) -> Any:
    """A rep or set field as the JSON object holds it: floats rounded to 4 places, NaN as ``None``."""
    if isinstance(v, float | np.floating):
        f = float(v)
        return None if math.isnan(f) else round(f, 4)
    return v
