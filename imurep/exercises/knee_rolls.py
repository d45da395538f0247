"""Knee rolls: lying on the back, knees bent and together, roll them to one side, hold one breath,
back to the middle, then the other side (the article asks for 10 each side, alternately)."""

from __future__ import annotations

from imurep.exercises.spec import ExerciseSpec, RepLimits

__all__ = ["KNEE_ROLLS"]

KNEE_ROLLS = ExerciseSpec(
    name="knee_rolls",
    cli_name="knee-rolls",
    display_name="Knee rolls",
    start_postures=("supine",),
    # Standing up or going onto all fours ends a set of knee rolls; lying on the side does not
    # (a deep roll passes close to it).
    foreign_postures=("standing", "all_fours"),
    sign_axis_up_body=(0.0, 0.0, -1.0),
    pattern="alternating",
    sided=True,
    hold_s=4.0,
    limits=RepLimits(),
    angle_name="pelvis roll",
    target_wording="{n} per side",
)
