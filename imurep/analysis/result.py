"""The result of analysing one recording or live session, and its JSON form (``FORMAT.md`` §2)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from imurep.events import RepEvent, SetEvent
from imurep.exercises.spec import Posture
from imurep.pipeline.records import AngleTrace, DataQuality, PostureSpan
from imurep.pipeline.set_evidence import CandidateVerdict

__all__ = [
    "AnalysisResult",
    "AngleTrace",
    "CandidateVerdict",
    "DataQuality",
    "Posture",
    "PostureSpan",
    "json_value",
]


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
    candidates: list[CandidateVerdict] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return self.quality.duration_s

    def with_input_warnings(self, warnings: Sequence[str]) -> AnalysisResult:
        """This result with what reading the input said (units decided, samples dropped) first.

        Parameters
        ----------
        warnings
            What the reader said, in order; they come before the analysis' own warnings.
        """
        if not warnings:
            return self
        quality = dataclasses.replace(self.quality, warnings=[*warnings, *self.quality.warnings])
        return dataclasses.replace(self, quality=quality)

    @property
    def mount_known(self) -> bool:
        """Whether the analysis knew how the sensor sat (postures read; not with ``--mount auto``)."""
        return any(p.posture != "unknown" for p in self.postures)

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
