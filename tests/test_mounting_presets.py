"""Mounting presets and user rotations, checked against scipy's Rotation as the oracle."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from imurep.errors import InputError
from imurep.mounting_presets import MOUNT_PRESETS, parse_mount


@pytest.mark.parametrize("name", list(MOUNT_PRESETS))
def test_presets_are_proper_rotations(name):
    r = MOUNT_PRESETS[name]
    np.testing.assert_allclose(r @ r.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(r) == pytest.approx(1.0)


def test_front_belt_axes_follow_exercises_md():
    r = parse_mount("front-belt")
    # sensor x = wearer's left (body +y), sensor y = superior (+z), sensor z = anterior (+x)
    np.testing.assert_allclose(r @ [1, 0, 0], [0, 1, 0])
    np.testing.assert_allclose(r @ [0, 1, 0], [0, 0, 1])
    np.testing.assert_allclose(r @ [0, 0, 1], [1, 0, 0])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(min_value=-180, max_value=180), min_size=3, max_size=3))
def test_euler_matches_scipy(angles):
    text = "euler:zyx:" + ",".join(repr(a) for a in angles)
    np.testing.assert_allclose(
        parse_mount(text), Rotation.from_euler("zyx", angles, degrees=True).as_matrix(), atol=1e-12
    )


def test_preset_plus_misalignment_composes_in_sensor_frame():
    r = parse_mount("front-belt+euler:x:20")
    np.testing.assert_allclose(
        r, MOUNT_PRESETS["front-belt"] @ Rotation.from_euler("x", 20, degrees=True).as_matrix()
    )


def test_matrix_form_round_trips():
    m = Rotation.from_euler("xyz", [10, 20, 30], degrees=True).as_matrix()
    np.testing.assert_allclose(
        parse_mount("matrix:" + ",".join(str(float(v)) for v in m.ravel())), m, atol=1e-12
    )


@pytest.mark.parametrize(
    "bad",
    ["sideways", "euler:zyx:1,2", "euler:zyx:a,b,c", "matrix:1,0,0,0,1,0,0,0", "matrix:1,0,0,0,1,0,0,0,-1"],
)
def test_bad_mountings_are_refused_with_a_clear_message(bad):
    with pytest.raises(InputError, match="mounting"):
        parse_mount(bad)


@pytest.mark.parametrize(
    ("name", "sensor_axes_in_body"),
    [
        # back of the belt: x = wearer's right, y = superior, z = posterior
        ("back-belt", [[0, -1, 0], [0, 0, 1], [-1, 0, 0]]),
        # on a hip, upright, screen facing out: z = the wearer's left / right
        ("side-left", [[-1, 0, 0], [0, 0, 1], [0, 1, 0]]),
        ("side-right", [[1, 0, 0], [0, 0, 1], [0, -1, 0]]),
        ("front-belt-landscape", [[0, 0, 1], [0, -1, 0], [1, 0, 0]]),
        ("body", [[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
    ],
)
def test_preset_axes(name, sensor_axes_in_body):
    r = parse_mount(name)
    for k, axis in enumerate(sensor_axes_in_body):
        np.testing.assert_allclose(r[:, k], axis, atol=1e-12)


def test_parse_returns_a_copy_and_trims_spaces():
    r = parse_mount("  front-belt ")
    r[0, 0] = 5.0
    assert MOUNT_PRESETS["front-belt"][0, 0] == 0.0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(min_value=-90, max_value=90), min_size=3, max_size=3))
def test_intrinsic_upper_case_and_matrix_forms_match_scipy(angles):
    expected = Rotation.from_euler("XYZ", angles, degrees=True).as_matrix()
    np.testing.assert_allclose(
        parse_mount("euler:XYZ:" + ",".join(repr(a) for a in angles)), expected, atol=1e-12
    )
    text = "matrix:" + ",".join(repr(float(v)) for v in expected.ravel())
    np.testing.assert_allclose(parse_mount(text), expected, atol=1e-12)
    # A preset then a rotation about the sensor's own axes.
    np.testing.assert_allclose(
        parse_mount("back-belt+euler:XYZ:" + ",".join(repr(a) for a in angles)),
        MOUNT_PRESETS["back-belt"] @ expected,
        atol=1e-12,
    )
