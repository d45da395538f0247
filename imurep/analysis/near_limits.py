"""Reps that were counted close to a limit: where a doubting user or clinician should look first.

A rep counts when it stays within its exercise's :class:`~imurep.exercises.spec.RepLimits`; one
that only just did (a small peak counted on the set's support, a movement nearly too short or too
fast, a peak nearly a change of posture) is named with the limit it came near, so the report can mark it.
"""

from __future__ import annotations

from imurep.analysis.result import AnalysisResult
from imurep.events import RepEvent
from imurep.exercises.registry import exercise
from imurep.exercises.spec import RepLimits
from imurep.pipeline.mounting import UnknownMounting

__all__ = ["NEAR_SHARE", "near_limits", "rep_limits"]

#: A measure within this share of a limit is near it (20 %: 6.0° against a 5° floor).
NEAR_SHARE = 0.2


def rep_limits(result: AnalysisResult, exercise_name: str) -> RepLimits:
    """The limits the reps of ``exercise_name`` were judged by in this analysis."""
    spec = exercise(exercise_name)
    return spec.limits if result.mount_known else UnknownMounting().limits(spec)


def near_limits(rep: RepEvent, limits: RepLimits) -> list[str]:
    """What a counted rep came near, in words (empty: comfortably within every limit)."""
    notes: list[str] = []
    peak = rep.peak_angle_deg
    if peak < limits.confident_peak_deg:
        notes.append(
            f"peak {peak:.1f}° is below the {limits.confident_peak_deg:g}° a movement needs on its own: "
            "counted because the set's reps are this size"
        )
    if peak > limits.abort_deg * (1.0 - NEAR_SHARE):
        notes.append(f"peak {peak:.0f}° near the {limits.abort_deg:g}° of a change of posture")
    duration_s = rep.end_s - rep.start_s
    if limits.min_duration_s <= duration_s < limits.min_duration_s * (1.0 + NEAR_SHARE):
        notes.append(f"{duration_s:.2f} s in all, near the {limits.min_duration_s:g} s shortest")
    speed = rep.peak_speed_deg_s
    if speed is not None and speed > limits.max_speed_deg_s * (1.0 - NEAR_SHARE):
        notes.append(f"peak speed {speed:.0f}°/s near the {limits.max_speed_deg_s:g}°/s fastest")
    return notes
