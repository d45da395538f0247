"""The exercises: what each one is (:class:`ExerciseSpec`) and the registry every part reads."""

from imurep.exercises.registry import (
    all_exercises,
    exercise,
    exercise_from_cli,
    exercise_name,
    exercises_for_posture,
    register,
    unregister,
)
from imurep.exercises.spec import ExercisePattern, ExerciseSpec, Posture, RepLimits

__all__ = [
    "ExercisePattern",
    "ExerciseSpec",
    "Posture",
    "RepLimits",
    "all_exercises",
    "exercise",
    "exercise_from_cli",
    "exercise_name",
    "exercises_for_posture",
    "register",
    "unregister",
]
