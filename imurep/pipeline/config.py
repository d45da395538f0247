"""Settings of the analysis pipeline (validated once, kept apart from state)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from imurep.errors import InputError
from imurep.exercises.registry import exercise as exercise_spec
from imurep.mounting_presets import DEFAULT_MOUNT, MOUNT_PRESETS
from imurep.pipeline.mounting import KnownMounting, Mounting, UnknownMounting
from imurep.samples import FloatArray

__all__ = ["ExerciseChoice", "PipelineConfig"]

# ``auto`` or the name of a registered exercise (:mod:`imurep.exercises`).
ExerciseChoice = str


@dataclass(frozen=True)
class PipelineConfig:
    """Settings of :class:`~imurep.pipeline.pipeline.Pipeline`.

    Attributes
    ----------
    exercise
        ``auto`` recognises every registered exercise from the posture; otherwise only that exercise
        is counted (its API or CLI name).
    body_from_sensor
        (3, 3) rotation matrix taking sensor-frame vectors to the body frame (x anterior, y left,
        z superior); default: the ``front-belt`` preset; ``None`` for an unknown mounting
        (``--mount auto``): the rotation axis is then found from the data and sides are
        reported as unknown.
    lowpass_hz
        Cut-off of the causal low-pass filter on the accelerometer (gravity direction), Hz (0.2-10).
    control_rate_hz
        Rate at which the detectors run (the low-passed signal is resampled to it), Hz (5-100).
    min_posture_s
        A posture must hold this long before a set can start in it, s (0-60).
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
        if self.exercise != "auto":
            object.__setattr__(self, "exercise", exercise_spec(self.exercise).name)
        if self.body_from_sensor is not None:
            r = np.asarray(self.body_from_sensor, dtype=np.float64)
            # Orthonormal with det +1: a mirror (det -1) would swap left and right silently.
            if r.shape != (3, 3) or not np.allclose(r @ r.T, np.eye(3), atol=1e-6) or np.linalg.det(r) < 0:
                raise InputError("mounting rotation must be a 3x3 rotation matrix")
        if not 0.2 <= self.lowpass_hz <= 10.0:
            raise InputError(f"lowpass_hz must be within 0.2-10 Hz, got {self.lowpass_hz}")
        if not 5.0 <= self.control_rate_hz <= 100.0:
            raise InputError(f"control_rate_hz must be within 5-100 Hz, got {self.control_rate_hz}")
        if not 0.0 <= self.min_posture_s <= 60.0:
            raise InputError(f"min_posture_s must be within 0-60 s, got {self.min_posture_s}")

    @property
    def mounting(self) -> Mounting:
        """The mounting as a strategy (known rotation, or unknown)."""
        if self.body_from_sensor is None:
            return UnknownMounting()
        return KnownMounting(np.asarray(self.body_from_sensor, dtype=np.float64))
