"""What an exercise is, as the counter needs to know it: one frozen record per exercise.

Everything that differs between exercises lives in an :class:`ExerciseSpec`: the posture a set
starts in, the body axis the pelvis turns about and its sign, whether reps have a side and
alternate, the hold the exercise asks for, the limits a movement must stay within to count (each
with its reason), and the words people read. The pipeline, the live view, the reports and the
simulator's labels read the registry (:mod:`imurep.exercises.registry`) instead of naming exercises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ExercisePattern", "ExerciseSpec", "Posture", "RepLimits", "Vec"]

Vec = tuple[float, float, float]
# The postures the pipeline tells apart (:mod:`imurep.pipeline.posture`); ``unknown`` between them.
Posture = Literal["standing", "supine", "all_fours", "side_lying", "unknown"]
# ``alternating``: reps go to both sides of neutral and alternate (knee rolls); ``one_way``: every
# rep goes the same way and a movement the other way is not one (the heels stretch).
ExercisePattern = Literal["alternating", "one_way"]


@dataclass(frozen=True)
class RepLimits:
    """Limits a candidate movement must meet to be a rep (see :mod:`imurep.pipeline.rep_gate`).

    Attributes
    ----------
    onset_deg
        Rotation from neutral that starts a candidate movement. Breathing moves the pelvis about
        1°; the smallest reps of people in pain peak at 5°, so candidates start below that.
    min_peak_deg
        Smallest peak a rep can have, however well the set supports it: below it a movement is a
        fidget or a weight shift (up to 5°).
    confident_peak_deg
        A peak from which a movement counts on its own evidence; a smaller one (a small mover's
        rep, 5–8.5°) counts only where the set around it shows reps of its size.
    abort_deg
        A rotation beyond this is not a rep but a change of posture (rolling over, getting up).
    return_fraction
        The movement is back once the angle falls below this fraction of its peak.
    min_duration_s
        Shortest movement (onset to return) that can be a rep.
    max_out_s
        A movement that does not come back within this time ends the set (a new posture).
    max_dynamic_m_s2
        The low-passed acceleration magnitude may depart from 1 g by at most this during a rep
        (walking, sitting down and standing up exceed it).
    max_motion_m_s2
        Mean accelerometer content above the low-pass band allowed during a rep (steps, knocks, a
        phone handled). A belt on the pelvis moves smoothly; a sensor on the thigh shakes more.
    max_speed_deg_s
        Fastest turn a rep may have (gyroscope, or the angle's own rate without one). A 50° roll in
        1 s, the fastest the exercises allow, peaks near 95 deg/s.
    min_move_s
        Shortest movement out or back (a knock or a slipping strap is quicker; each movement of
        these exercises takes 1–3 s).
    min_gyro_agreement
        With a gyroscope: its peak rate must be at least this share of the rate the gravity
        direction implies (a tilt the gyroscope does not see is an acceleration, not a turn).
    max_gyro_excess, gyro_excess_margin_deg_s
        ... and at most ``max_gyro_excess`` times that rate plus the margin (turning about the
        vertical, as when a phone is handled, the gyroscope sees what gravity does not).
    min_axis_cos
        With a known mounting, a rep turns about the exercise's axis: the cosine between the
        movement's axis and it is at least this (25° of strap misalignment leaves 0.9).
    """

    onset_deg: float = 4.0
    min_peak_deg: float = 5.0
    confident_peak_deg: float = 6.5
    abort_deg: float = 75.0
    return_fraction: float = 0.3
    min_duration_s: float = 0.6
    max_out_s: float = 15.0
    max_dynamic_m_s2: float = 2.0
    max_motion_m_s2: float = 0.2
    max_speed_deg_s: float = 150.0
    min_move_s: float = 0.3
    min_gyro_agreement: float = 0.3
    max_gyro_excess: float = 2.5
    gyro_excess_margin_deg_s: float = 20.0
    min_axis_cos: float = 0.766


@dataclass(frozen=True)
class ExerciseSpec:
    """One exercise.

    Attributes
    ----------
    name
        Identifier used in events, files and the API (``knee_rolls``).
    cli_name
        Spelling on the command line (``knee-rolls``).
    display_name
        What people read (``Knee rolls``).
    start_postures
        Postures a set of this exercise starts in (held still for ``min_posture_s``).
    foreign_postures
        Postures the exercise never passes through: holding one ends the set.
    sign_axis_up_body
        Unit vector in body axes (x anterior, y left, z superior): the angle of a movement is
        positive when *up*, seen from the body, turns about this axis. Knee rolls to the left turn
        the pelvis positively about z, so up turns about −z; rocking back turns up about +y.
    pattern
        ``alternating`` or ``one_way`` (see :data:`ExercisePattern`).
    sided
        Whether each rep has a side (``left`` for a positive angle, ``right`` for a negative one).
    hold_s
        The hold the exercise asks for at the far position (one breath), s.
    limits
        What a movement must meet to be a rep.
    angle_name
        What the angle measures, for tables and plots (``pelvis roll``, ``pelvis pitch``).
    target_wording
        How a target of N reps reads (``{n} per side``).
    """

    name: str
    cli_name: str
    display_name: str
    start_postures: tuple[Posture, ...]
    foreign_postures: tuple[Posture, ...]
    sign_axis_up_body: Vec
    pattern: ExercisePattern
    sided: bool
    hold_s: float
    limits: RepLimits
    angle_name: str
    target_wording: str = "{n} reps"

    def __post_init__(self) -> None:
        x, y, z = self.sign_axis_up_body
        if abs(x * x + y * y + z * z - 1.0) > 1e-9:
            raise ValueError(f"exercise {self.name!r}: sign_axis_up_body must be a unit vector")
        if self.sided and self.pattern != "alternating":
            raise ValueError(f"exercise {self.name!r}: a sided exercise goes to both sides (alternating)")
        if not self.start_postures:
            raise ValueError(f"exercise {self.name!r}: needs at least one start posture")
        if set(self.start_postures) & set(self.foreign_postures):
            raise ValueError(f"exercise {self.name!r}: a start posture cannot also end the set")
