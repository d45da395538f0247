"""The exercises imurep knows: one registry that every part of the package reads.

Adding an exercise is one :class:`~imurep.exercises.spec.ExerciseSpec` passed to :func:`register`
(plus its simulator motion and tests: ``docs/adding-an-exercise.md``).
"""

from __future__ import annotations

from imurep.errors import InputError
from imurep.exercises.heels_stretch import HEELS_STRETCH
from imurep.exercises.knee_rolls import KNEE_ROLLS
from imurep.exercises.spec import ExerciseSpec, Posture

__all__ = [
    "all_exercises",
    "exercise",
    "exercise_from_cli",
    "exercise_name",
    "exercises_for_posture",
    "register",
    "unregister",
]

_REGISTRY: dict[str, ExerciseSpec] = {}


def register(spec: ExerciseSpec) -> ExerciseSpec:
    """Add an exercise; its name, CLI name and start postures must not clash with one already known."""
    for other in _REGISTRY.values():
        if spec.name in (other.name, other.cli_name) or spec.cli_name in (other.name, other.cli_name):
            raise ValueError(f"exercise {spec.name!r} is already registered")
        shared = set(spec.start_postures) & set(other.start_postures)
        if shared:
            raise ValueError(
                f"exercise {spec.name!r} starts in {sorted(shared)} like {other.name!r}: "
                "exercises sharing a start posture are not supported yet"
            )
    _REGISTRY[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    """Remove an exercise added with :func:`register` (tests register toys and clean up)."""
    _REGISTRY.pop(name, None)


def all_exercises() -> tuple[ExerciseSpec, ...]:
    """Every registered exercise, in registration order."""
    return tuple(_REGISTRY.values())


def exercise(name: str) -> ExerciseSpec:
    """The exercise called ``name`` (API spelling ``knee_rolls`` or CLI spelling ``knee-rolls``)."""
    spec = _REGISTRY.get(name)
    if spec is None:
        for s in _REGISTRY.values():
            if s.cli_name == name:
                return s
        known = ", ".join(s.cli_name for s in _REGISTRY.values())
        raise InputError(f"unknown exercise {name!r}: use auto or one of {known}")
    return spec


def exercise_name(name: str) -> str:
    """How the exercise called ``name`` reads in a sentence: its display name, lower case
    (``knee rolls``, ``bottom-to-heels stretch``).

    Parameters
    ----------
    name
        API or CLI name of a registered exercise.
    """
    return exercise(name).display_name.lower()


def exercise_from_cli(name: str) -> str:
    """``auto`` or the API name of the exercise the command line names."""
    return "auto" if name == "auto" else exercise(name).name


def exercises_for_posture(posture: Posture) -> tuple[ExerciseSpec, ...]:
    """Exercises whose sets start in ``posture``."""
    return tuple(s for s in _REGISTRY.values() if posture in s.start_postures)


register(KNEE_ROLLS)
register(HEELS_STRETCH)
