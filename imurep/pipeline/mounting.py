"""How the sensor sits: known (a rotation to body axes) or unknown — one strategy object.

With a known mounting the posture is read from *up* in body axes, a set is the exercise of its
posture, the angle is signed about the exercise's axis and reps carry a side. With an unknown one
(``--mount auto``: a thigh sensor, a strap put on anyhow) the posture cannot be read: a set starts
after a calm spell, the rotation axis is learnt from the movement, and only what the movement's
pattern shows can be counted — an alternating exercise. A one-way exercise (the heels stretch)
cannot be told from a bridge, a clam or a superman lift without knowing how the sensor sits, so
it is counted only when the user names it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from imurep.exercises.spec import ExerciseSpec, RepLimits, Vec
from imurep.pipeline.set_evidence import EvidenceSettings
from imurep.samples import FloatArray

__all__ = ["UNKNOWN_MOUNT_LIMITS", "KnownMounting", "Mounting", "UnknownMounting"]


@dataclass(frozen=True)
class KnownMounting:
    """A sensor whose rotation to body axes is known.

    Attributes
    ----------
    body_from_sensor
        (3, 3) rotation taking sensor-frame vectors to the body frame.
    """

    body_from_sensor: FloatArray
    known: bool = True

    def limits(self, spec: ExerciseSpec) -> RepLimits:
        return spec.limits

    def evidence(self, spec: ExerciseSpec, chosen: bool) -> EvidenceSettings:
        return EvidenceSettings(
            pattern=spec.pattern, confirm_reps=2, confident_peak_deg=spec.limits.confident_peak_deg
        )

    def sign_axis(self, spec: ExerciseSpec) -> Vec | None:
        return spec.sign_axis_up_body

    def sided(self, spec: ExerciseSpec) -> bool:
        return spec.sided


# A sensor of unknown orientation may sit on the thigh (MEx), which swings further and shakes more
# than the pelvis; without the posture, only clearly exercise-sized movements are candidates.
UNKNOWN_MOUNT_LIMITS = RepLimits(
    onset_deg=6.0,
    min_peak_deg=15.0,
    confident_peak_deg=15.0,
    abort_deg=95.0,
    max_motion_m_s2=0.8,
    max_speed_deg_s=200.0,
    min_move_s=0.4,
)


@dataclass(frozen=True)
class UnknownMounting:
    """A sensor of unknown orientation (``--mount auto``)."""

    known: bool = False
    limits_override: RepLimits = UNKNOWN_MOUNT_LIMITS

    def limits(self, spec: ExerciseSpec) -> RepLimits:
        own = self.limits_override
        # An exercise that cannot time its movements from gravity (the heels stretch) keeps that.
        return own if spec.limits.min_move_s > 0.0 else replace(own, min_move_s=0.0)

    def evidence(self, spec: ExerciseSpec, chosen: bool) -> EvidenceSettings:
        return EvidenceSettings(
            pattern=spec.pattern if chosen else "alternating",
            confirm_reps=4,
            confident_peak_deg=self.limits_override.confident_peak_deg,
            max_gap_s=10.0,
            same_axis_cos=0.819,  # 35°
            max_side_duration_ratio=1.8,
            strict_alternation=True,
        )

    def sign_axis(self, spec: ExerciseSpec) -> Vec | None:
        return None

    def sided(self, spec: ExerciseSpec) -> bool:
        return False


Mounting = KnownMounting | UnknownMounting
