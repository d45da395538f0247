"""Events the pipeline reports: repetitions and sets.

Times are in the recording's own time base (the ``time_s`` column), seconds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["Exercise", "RepEvent", "SetEvent", "Side"]

# The name of a registered exercise (:mod:`imurep.exercises`): ``knee_rolls``, ``heels_stretch``, ….
Exercise = str
Side = Literal["left", "right"]


@dataclass(frozen=True)
class RepEvent:
    """One repetition (``FORMAT.md`` §2), with per-rep quality beside the required fields.

    Attributes
    ----------
    exercise, side, index
        ``side`` is ``None`` for the heels stretch and when the mounting is unknown.
        ``index`` counts from 1 within the recording.
    start_s, hold_start_s, hold_end_s, end_s
        Movement onset, still phase at the far position begins / ends, back at neutral.
    hold_s
        ``hold_end_s - hold_start_s``.
    peak_angle_deg
        Peak pelvis rotation (knee rolls) or pitch (heels stretch) from neutral, degrees.
    emitted_at_s
        Time of the last sample the detector had seen when it reported the rep.
    out_s, back_s
        Duration of the movement out to the far position and back, s.
    smoothness_sparc
        Spectral arc length of the angular-speed profile (unitless, ≤ 0; closer to 0 is smoother).
    hold_steadiness_deg
        Standard deviation of the angle during the hold, degrees.
    peak_speed_deg_s
        Peak angular speed of the movement, deg/s.

    A measure that could not be taken is ``None``, never NaN (``null`` in the JSON, an empty cell
    in CSV): ``out_s``, ``back_s``, ``smoothness_sparc`` and ``peak_speed_deg_s`` when samples
    were lost during the movement, ``hold_steadiness_deg`` for a hold under 0.3 s
    (:data:`imurep.pipeline.rep_metrics.MIN_STEADY_HOLD_S`) or with samples lost in it.
    """

    exercise: Exercise
    side: Side | None
    index: int
    start_s: float
    hold_start_s: float
    hold_end_s: float
    end_s: float
    hold_s: float
    peak_angle_deg: float
    emitted_at_s: float
    out_s: float | None = None
    back_s: float | None = None
    smoothness_sparc: float | None = None
    hold_steadiness_deg: float | None = None
    peak_speed_deg_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SetEvent:
    """A set: a run of reps of one exercise in one posture (``FORMAT.md`` §2)."""

    exercise: Exercise
    start_s: float
    end_s: float
    reps: int
    left: int
    right: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
