"""The numpy quaternion products against scipy's Rotation (the oracle)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.spatial.transform import Rotation

from imurep.sim.quaternions import quat_from_rotvec, quat_mul

_ROTVECS = arrays(np.float64, (5, 3), elements=st.floats(-3.0, 3.0))


def _same_rotation(q1: np.ndarray, q2: np.ndarray) -> None:
    # q and −q are the same rotation: compare the matrices.
    np.testing.assert_allclose(
        Rotation.from_quat(q1).as_matrix(), Rotation.from_quat(q2).as_matrix(), atol=1e-12
    )


@settings(max_examples=50, deadline=None)
@given(_ROTVECS, _ROTVECS)
def test_product_matches_scipy(a, b):
    ra, rb = Rotation.from_rotvec(a), Rotation.from_rotvec(b)
    _same_rotation(quat_mul(ra.as_quat(), rb.as_quat()), (ra * rb).as_quat())


@settings(max_examples=50, deadline=None)
@given(_ROTVECS)
def test_from_rotvec_matches_scipy(v):
    q = quat_from_rotvec(v)
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-12)
    _same_rotation(q, Rotation.from_rotvec(v).as_quat())


def test_tiny_rotations_stay_exact():
    v = np.array([[1e-9, -2e-9, 3e-10], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(quat_from_rotvec(v), Rotation.from_rotvec(v).as_quat(), atol=1e-15)
