"""PipelineConfig is validated once, at construction: a bad setting is an InputError naming it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from imurep.errors import InputError
from imurep.mounting_presets import MOUNT_PRESETS
from imurep.pipeline.config import PipelineConfig
from imurep.pipeline.mounting import KnownMounting, UnknownMounting


def test_defaults_are_valid_and_front_belt() -> None:
    cfg = PipelineConfig()
    assert cfg.exercise == "auto" and cfg.keep_trace
    assert cfg.body_from_sensor is not None
    assert np.array_equal(cfg.body_from_sensor, MOUNT_PRESETS["front-belt"])
    assert isinstance(cfg.mounting, KnownMounting)


def test_each_config_has_its_own_default_rotation() -> None:
    a, b = PipelineConfig(), PipelineConfig()
    assert a.body_from_sensor is not None and b.body_from_sensor is not None
    a.body_from_sensor[0, 0] = 5.0
    assert np.array_equal(b.body_from_sensor, MOUNT_PRESETS["front-belt"])
    assert np.array_equal(PipelineConfig().body_from_sensor, MOUNT_PRESETS["front-belt"])  # type: ignore[arg-type]


def test_no_rotation_is_an_unknown_mounting() -> None:
    assert isinstance(PipelineConfig(body_from_sensor=None).mounting, UnknownMounting)


@pytest.mark.parametrize("name", ["knee_rolls", "knee-rolls"])
def test_the_exercise_is_kept_by_its_api_name(name: str) -> None:
    assert PipelineConfig(exercise=name).exercise == "knee_rolls"


def test_an_unknown_exercise_is_refused_with_the_choices() -> None:
    with pytest.raises(InputError, match="unknown exercise 'squats': use auto or one of knee-rolls"):
        PipelineConfig(exercise="squats")


@pytest.mark.parametrize(
    "matrix",
    [
        np.eye(2),
        2.0 * np.eye(3),
        np.full((3, 3), math.nan),
        np.diag([1.0, 1.0, -1.0]),  # a mirror: orthonormal but not a rotation (sides swapped)
        -np.eye(3),
    ],
    ids=["2x2", "scaled", "nan", "mirror", "inversion"],
)
def test_a_mounting_that_is_not_a_rotation_is_refused(matrix: np.ndarray) -> None:
    with pytest.raises(InputError, match="mounting rotation must be a 3x3 rotation matrix"):
        PipelineConfig(body_from_sensor=matrix)


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("lowpass_hz", 0.1, "lowpass_hz must be within 0.2-10 Hz, got 0.1"),
        ("lowpass_hz", math.nan, "lowpass_hz must be within 0.2-10 Hz, got nan"),
        ("control_rate_hz", 200.0, "control_rate_hz must be within 5-100 Hz, got 200.0"),
        ("min_posture_s", -1.0, "min_posture_s must be within 0-60 s, got -1.0"),
        ("min_posture_s", math.inf, "min_posture_s must be within 0-60 s, got inf"),
    ],
)
def test_a_setting_out_of_range_is_refused_by_name(setting: str, value: float, message: str) -> None:
    with pytest.raises(InputError, match=message.replace(".", r"\.")) as caught:
        PipelineConfig(**{setting: value})  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)


def test_edges_of_the_ranges_are_accepted() -> None:
    PipelineConfig(lowpass_hz=0.2, control_rate_hz=100.0, min_posture_s=0.0)
    PipelineConfig(lowpass_hz=10.0, control_rate_hz=5.0, min_posture_s=60.0)
