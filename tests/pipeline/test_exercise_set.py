"""ExerciseSet: the cached angles from neutral equal the angles computed over exactly the steps asked."""

from __future__ import annotations

import numpy as np

from imurep.exercises import exercise
from imurep.pipeline.exercise_set import ExerciseSet, _Window
from imurep.pipeline.neutral import NeutralTracker
from imurep.pipeline.set_evidence import EvidenceSettings, SetEvidence


def _unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    v = np.array([0.0, 0.0, 1.0]) + 0.3 * rng.normal(size=(n, 3))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _set(tracking: bool = True) -> ExerciseSet:
    return ExerciseSet(
        exercise="knee_rolls",
        limits=exercise("knee_rolls").limits,
        evidence=SetEvidence(EvidenceSettings(pattern="alternating"), "knee_rolls"),
        sign_axis=None,
        start_s=0.0,
        neutral=NeutralTracker((0.0, 0.0, 1.0), follow_centre=tracking),
        delay_s=0.0,
    )


def _window(rng: np.random.Generator, n: int, s: ExerciseSet) -> _Window:
    t = np.arange(n) / 25.0
    dt = np.full(n, 1 / 25.0)
    z = np.zeros(n)
    w = _Window(t, dt, _unit_rows(rng, n), z, z, z)
    w.centre = s.neutral.window(w.up, dt)
    return w


def _reference_angles(
    s: ExerciseSet, w: _Window, k: int, j: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The angles computed over exactly steps k..j-1 (as before the window cache)."""
    u = w.up[k:j]
    if w.centre is not None and not s.neutral.anchored:
        assert w.centre.before is not None
        nb = w.centre.before[k:j]
        n0, n1, n2 = nb[:, 0], nb[:, 1], nb[:, 2]
        d = np.einsum("ij,ij->i", nb, u)
    else:
        n0, n1, n2 = s.neutral.neutral
        d = np.einsum("j,ij->i", np.asarray(s.neutral.neutral), u)
    mag = np.degrees(np.arccos(np.clip(d, -1.0, 1.0)))
    cross = np.empty_like(u)
    cross[:, 0] = n1 * u[:, 2] - n2 * u[:, 1]
    cross[:, 1] = n2 * u[:, 0] - n0 * u[:, 2]
    cross[:, 2] = n0 * u[:, 1] - n1 * u[:, 0]
    axis = s.sign_axis if s.sign_axis is not None else s._learnt_axis
    angle = mag.copy() if axis is None else np.where(cross @ np.asarray(axis) >= 0.0, mag, -mag)
    return mag, angle, cross


def test_cached_angles_match_angles_over_the_slice() -> None:
    rng = np.random.default_rng(5)
    for tracking, axis in ((False, (1.0, 0.0, 0.0)), (True, None), (True, (0.6, 0.8, 0.0))):
        s = _set(tracking)
        s.sign_axis = axis
        s.neutral.neutral = (0.0, 0.6, 0.8)
        w = _window(rng, 3000, s)
        for i in range(200):
            if i % 50 == 49:  # a new anchor: the cache must not serve the old neutral
                v = _unit_rows(rng, 1)[0]
                s.neutral.neutral = (float(v[0]), float(v[1]), float(v[2]))
                s.neutral.anchored = True
            k = int(rng.integers(0, 2990))
            j = int(rng.integers(k + 1, min(3000, k + 300) + 1))
            got = s._angles(w, k, j)
            if w.centre is not None:
                w.centre.before_steps(j)
            for a, b in zip(got, _reference_angles(s, w, k, j), strict=True):
                # Matrix products round differently from einsum: equal to far below a sample's worth
                # (an angle near 0 from an arccos near 1 moves most: 1e-16 in the cosine, 1e-6°).
                np.testing.assert_allclose(a, b, rtol=0.0, atol=1e-5)
