"""Bottom-to-heels stretch: on all fours, rock the bottom back towards the heels keeping the
spine's natural curve, hold one breath, come back (the article: at least 10)."""

from __future__ import annotations

from imurep.exercises.spec import ExerciseSpec, RepLimits

__all__ = ["HEELS_STRETCH"]

HEELS_STRETCH = ExerciseSpec(
    name="heels_stretch",
    cli_name="heels-stretch",
    display_name="Bottom-to-heels stretch",
    start_postures=("all_fours",),
    foreign_postures=("supine", "side_lying"),
    sign_axis_up_body=(0.0, 1.0, 0.0),
    pattern="one_way",
    sided=False,
    hold_s=4.0,
    # Rocking back moves the hips 0.1–0.4 m along an arc: that acceleration bends the gravity
    # direction during the movement, so the duration of the movement cannot be read from it (a 15°
    # rep can look 0.3 s long): no minimum movement time.
    limits=RepLimits(min_move_s=0.0),
    angle_name="pelvis pitch",
    target_wording="{n} reps",
)
