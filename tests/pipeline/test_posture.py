"""Posture classification from the direction of up in the body frame."""

from __future__ import annotations

import typing

import numpy as np
import pytest

from imurep.exercises.spec import Posture
from imurep.pipeline.posture import POSTURE_NAMES, classify_posture


def _names(up_body: list[tuple[float, float, float]]) -> list[str]:
    up = np.asarray(up_body, dtype=np.float64)
    up /= np.linalg.norm(up, axis=1, keepdims=True)
    return [POSTURE_NAMES[c] for c in classify_posture(up)]


def _tilted(axis: int, tilt_deg: float, towards: int) -> tuple[float, float, float]:
    v = np.zeros(3)
    v[axis] = np.cos(np.radians(tilt_deg))
    v[towards] = np.sin(np.radians(tilt_deg))
    return (float(v[0]), float(v[1]), float(v[2]))


def test_each_body_axis_up_is_its_posture() -> None:
    up = [(0, 0, 1), (1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, -1)]
    assert _names(up) == ["standing", "supine", "all_fours", "side_lying", "side_lying", "unknown"]


@pytest.mark.parametrize(("axis", "name"), [(2, "standing"), (0, "supine"), (1, "side_lying")])
def test_a_posture_holds_up_to_40_degrees_off_its_axis(axis: int, name: str) -> None:
    towards = (axis + 1) % 3
    assert _names([_tilted(axis, 39.0, towards)]) == [name]
    assert _names([_tilted(axis, 41.0, towards)]) == ["unknown"]  # between postures


def test_halfway_between_two_postures_is_unknown() -> None:
    assert _names([(1, 0, 1), (-1, 0, 1), (1, 1, 0)]) == ["unknown"] * 3


def test_the_code_is_per_sample_int8() -> None:
    codes = classify_posture(np.tile([[0.0, 0.0, 1.0]], (5, 1)))
    assert codes.dtype == np.int8 and codes.shape == (5,)


def test_every_posture_the_type_names_is_one_the_classifier_produces() -> None:
    rng = np.random.default_rng(1)
    up = rng.normal(size=(20000, 3))
    up /= np.linalg.norm(up, axis=1, keepdims=True)
    produced = {POSTURE_NAMES[c] for c in np.unique(classify_posture(up))}
    assert produced == set(POSTURE_NAMES) == set(typing.get_args(Posture))
