"""Settings of the analysis pipeline (validated once, kept apart from state)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from imurep.errors import InputError
from imurep.mounting_presets import DEFAULT_MOUNT, MOUNT_PRESETS
from imurep.samples import FloatArray

__all__ = ["ExerciseChoice", "ExerciseThresholds", "PipelineConfig"]

ExerciseChoice = Literal["auto", "knee_rolls", "heels_stretch"]


@dataclass(frozen=True)
class ExerciseThresholds:
    """Angle and time limits of one exercise's excursion detector.

    Attributes
    ----------
    onset_deg
        Rotation from neutral that starts a candidate rep. Fidgets and weight shifts stay below it
        (a few degrees); the smallest real reps (10°) pass it.
    min_peak_deg
        Smallest peak that counts as a rep.
    abort_deg
        A rotation beyond this is not a rep but a change of posture (rolling over, getting up).
    return_fraction
        The rep is reported once the angle is back below this fraction of its peak.
    min_duration_s
        Shortest excursion (onset to return) that can be a rep.
    max_out_s
        An excursion that does not come back within this time ends the set (a new posture).
    max_dynamic_m_s2
        A candidate rep is rejected if the low-passed acceleration magnitude departs from 1 g by more
        than this during it (walking, sitting down, standing up).
    max_motion_m_s2
        ... or if the accelerometer's content above the low-pass band (steps, impacts, a phone being
        handled) averages more than this over it. A belt on the pelvis moves smoothly in these
        exercises; a sensor elsewhere (the thigh) shakes more.
    max_speed_deg_s
        ... or if it turns faster than this (gyroscope, or the angle's own rate when there is none).
        A 50° roll in 1 s, the fastest the exercises allow, peaks near 95 deg/s.
    min_move_s
        ... or if its movement out or back is shorter than this (a knock or a slip of the strap,
        not a rep: each movement of these exercises takes 1-3 s).
    min_gyro_agreement
        ... or, with a gyroscope, if the gyroscope's peak rate is below this share of the rate the
        gravity direction implies: a tilt the gyroscope does not see is an acceleration, not a turn.
    max_gyro_excess, gyro_excess_margin_deg_s
        ... or if the gyroscope turns faster than ``max_gyro_excess`` times that rate plus the margin:
        the exercises turn the pelvis about a horizontal axis, so the gyroscope and the gravity
        direction agree; turning about the vertical (a phone handled or carried) they do not.
    """

    onset_deg: float
    min_peak_deg: float
    abort_deg: float
    return_fraction: float = 0.3
    min_duration_s: float = 0.6
    max_out_s: float = 15.0
    max_dynamic_m_s2: float = 2.0
    max_motion_m_s2: float = 0.2
    max_speed_deg_s: float = 150.0
    min_move_s: float = 0.4
    min_gyro_agreement: float = 0.3
    max_gyro_excess: float = 2.5
    gyro_excess_margin_deg_s: float = 20.0


KNEE_ROLLS = ExerciseThresholds(onset_deg=6.0, min_peak_deg=8.5, abort_deg=75.0)
# Rocking back moves the hips 0.1-0.4 m along an arc: that acceleration bends the gravity direction
# during the movement, so its duration cannot be read from it (a 15° rep can look 0.3 s long).
HEELS_STRETCH = ExerciseThresholds(onset_deg=6.0, min_peak_deg=8.5, abort_deg=75.0, min_move_s=0.0)
# With an unknown mounting the sensor may sit on the thigh (MEx), which swings further than the pelvis.
AUTO_MOUNT = ExerciseThresholds(
    onset_deg=6.0, min_peak_deg=15.0, abort_deg=95.0, max_motion_m_s2=0.8, max_speed_deg_s=200.0
)


@dataclass(frozen=True)
class PipelineConfig:
    """Settings of :class:`~imurep.pipeline.pipeline.Pipeline`.

    Attributes
    ----------
    exercise
        ``auto`` recognises both exercises from the posture; otherwise only that exercise is counted.
    body_from_sensor
        (3, 3) rotation matrix taking sensor-frame vectors to the body frame (x anterior, y left,
        z superior); default: the ``front-belt`` preset; ``None`` for an unknown mounting
        (``--mount auto``): the rotation axis is then found from the data and sides are
        reported as unknown.
    lowpass_hz
        Cut-off of the causal low-pass filter on the accelerometer (gravity direction).
    control_rate_hz
        Rate at which the detectors run (the low-passed signal is resampled to it).
    min_posture_s
        A posture must hold this long before a set can start in it.
    keep_trace
        Keep the angle trace at the control rate for plots (600 bytes per recorded second); off,
        memory no longer grows with the recording's length (``imurep analyze``, ``batch``).
    """

    exercise: ExerciseChoice = "auto"
    body_from_sensor: FloatArray | None = field(default_factory=lambda: MOUNT_PRESETS[DEFAULT_MOUNT].copy())
    lowpass_hz: float = 2.5
    control_rate_hz: float = 25.0
    min_posture_s: float = 1.0
    keep_trace: bool = True

    def __post_init__(self) -> None:
        if self.exercise not in ("auto", "knee_rolls", "heels_stretch"):
            raise InputError(f"unknown exercise {self.exercise!r}: use auto, knee_rolls or heels_stretch")
        if self.body_from_sensor is not None:
            r = np.asarray(self.body_from_sensor, dtype=np.float64)
            if r.shape != (3, 3) or not np.allclose(r @ r.T, np.eye(3), atol=1e-6):
                raise InputError("mounting rotation must be a 3x3 rotation matrix")
        if not 0.2 <= self.lowpass_hz <= 10.0:
            raise InputError(f"lowpass_hz must be within 0.2-10 Hz, got {self.lowpass_hz}")
        if not 5.0 <= self.control_rate_hz <= 100.0:
            raise InputError(f"control_rate_hz must be within 5-100 Hz, got {self.control_rate_hz}")

    @property
    def auto_mount(self) -> bool:
        return self.body_from_sensor is None

    def thresholds(self, exercise: Literal["knee_rolls", "heels_stretch"]) -> ExerciseThresholds:
        if self.auto_mount:
            return AUTO_MOUNT
        return KNEE_ROLLS if exercise == "knee_rolls" else HEELS_STRETCH
