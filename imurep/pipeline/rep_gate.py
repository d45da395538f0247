"""The rep gate: whether one candidate movement, judged alone, can be a rep, and if not, why.

A pure function of the movement's measures and the exercise's limits. It returns ``None`` for a
movement that passes, otherwise the *named* reason (:data:`GateReason`) that the explanation
(``imurep analyze --explain``) shows. Whether a passing movement then counts depends on the set
around it (:mod:`imurep.pipeline.set_evidence`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from imurep.exercises.spec import RepLimits

__all__ = ["GATE_REASONS", "GateReason", "MovementMeasures", "gate"]

GateReason = Literal[
    "too_small",
    "too_short",
    "accelerating",
    "shaking",
    "too_fast",
    "too_abrupt",
    "off_axis",
    "gyro_disagrees",
]

GATE_REASONS: dict[GateReason, str] = {
    "too_small": "peak below the smallest rep",
    "too_short": "over too quickly to be a rep",
    "accelerating": "the body was accelerating (walking, sitting down, standing up)",
    "shaking": "the sensor shook (steps, knocks, a phone handled)",
    "too_fast": "turned faster than the exercise allows",
    "too_abrupt": "the movement out or back was too abrupt (a knock or a slipping strap)",
    "off_axis": "turned about another axis than the exercise's",
    "gyro_disagrees": "the gyroscope did not see the turn the accelerometer implies",
}


@dataclass(frozen=True)
class MovementMeasures:
    """What the gate looks at, for one movement from onset back to neutral.

    Attributes
    ----------
    peak_deg
        Peak angle from neutral (plateau level), degrees.
    duration_s
        Onset to return, s.
    dynamic_max_m_s2
        Largest departure of the low-passed acceleration magnitude from 1 g, m/s².
    motion_mean_m_s2
        Mean high-frequency acceleration (above the low-pass band), m/s².
    pace_deg_s
        The slower of the peak speeds out and back (from the angle), deg/s.
    peak_speed_deg_s
        The faster of them, deg/s.
    gyro_max_deg_s
        Peak low-passed gyroscope rate, deg/s (0 without a gyroscope).
    min_move_s
        The shorter of the durations out and back, s.
    gapped
        Lost samples inside the movement: its pace and duration cannot be judged.
    axis_cos
        |cos| between the movement's axis and the exercise's; ``None`` with an unknown mounting.
    has_gyroscope
        Whether ``gyro_max_deg_s`` is measured.
    """

    peak_deg: float
    duration_s: float
    dynamic_max_m_s2: float
    motion_mean_m_s2: float
    pace_deg_s: float
    peak_speed_deg_s: float
    gyro_max_deg_s: float
    min_move_s: float
    gapped: bool
    axis_cos: float | None
    has_gyroscope: bool


def gate(m: MovementMeasures, limits: RepLimits) -> GateReason | None:
    """The first rule ``m`` breaks, or ``None`` if it can be a rep."""
    if not m.peak_deg >= limits.min_peak_deg:
        return "too_small"
    if m.duration_s < limits.min_duration_s:
        return "too_short"
    if m.dynamic_max_m_s2 > limits.max_dynamic_m_s2:
        return "accelerating"
    if m.motion_mean_m_s2 > limits.max_motion_m_s2:
        return "shaking"
    if max(0.0 if m.gapped else m.pace_deg_s, m.gyro_max_deg_s) > limits.max_speed_deg_s:
        return "too_fast"
    if not m.gapped and m.min_move_s < limits.min_move_s:
        return "too_abrupt"
    if m.axis_cos is not None and m.axis_cos < limits.min_axis_cos:
        return "off_axis"
    if (
        m.has_gyroscope
        and not m.gapped
        and not (
            limits.min_gyro_agreement * m.pace_deg_s
            <= m.gyro_max_deg_s
            <= limits.max_gyro_excess * m.peak_speed_deg_s + limits.gyro_excess_margin_deg_s
        )
    ):
        return "gyro_disagrees"
    return None
