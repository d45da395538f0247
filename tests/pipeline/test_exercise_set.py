"""ExerciseSet internals that must not change results: lazily computed arrays are bit-identical."""

from __future__ import annotations

import numpy as np

from imurep.exercises import exercise
from imurep.pipeline.exercise_set import ExerciseSet, _Window
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
        neutral=(0.0, 0.0, 1.0),
        delay_s=0.0,
        centre_tracking=tracking,
    )


def _window(rng: np.random.Generator, n: int, s: ExerciseSet) -> _Window:
    t = np.arange(n) / 25.0
    dt = np.full(n, 1 / 25.0)
    z = np.zeros(n)
    w = _Window(t, dt, _unit_rows(rng, n), z, z, z)
    w.tracking = True
    w.start_centre = s._centre_vec
    w.start_sum = s._centre_sum
    w.start_elapsed_s = s._elapsed_s
    return w


def test_centre_prefix_is_bit_identical_to_the_whole_window() -> None:
    # 400 steps at 25 Hz = 16 s: the running mean turns into the exponential average at 8 s.
    rng = np.random.default_rng(3)
    s = _set()
    s._elapsed_s = 2.0
    s._centre_sum = np.array([0.1, 0.2, 1.9])
    s._centre_vec = s._centre_sum / 2.0
    whole = _window(rng, 400, s)
    s._track_centre(whole, 400)
    assert whole.centre_before is not None and whole.centre_after is not None
    assert whole.elapsed_after is not None
    for m in (1, 2, 7, 149, 150, 151, 256, 399):
        part = _Window(whole.t, whole.dt, whole.up, whole.dyn, whole.motion, whole.rate)
        part.tracking, part.start_centre = True, whole.start_centre
        part.start_sum, part.start_elapsed_s = whole.start_sum, whole.start_elapsed_s
        s._track_centre(part, m)
        assert part.centre_before is not None and part.centre_after is not None
        assert part.elapsed_after is not None
        assert part.centre_n == m
        assert np.array_equal(part.centre_before, whole.centre_before[:m])
        assert np.array_equal(part.centre_after, whole.centre_after[:m])
        assert np.array_equal(part.elapsed_after, whole.elapsed_after[:m])


def test_centre_is_computed_on_demand() -> None:
    rng = np.random.default_rng(4)
    s = _set()
    w = _window(rng, 5000, s)
    s._centre_before(w, 10)
    first = w.centre_n
    assert 10 <= first < 5000
    s._centre_before(w, first + 1)
    assert first < w.centre_n <= 5000
    s._centre_before(w, 5000)
    assert w.centre_n == 5000


def _reference_angles(
    s: ExerciseSet, w: _Window, k: int, j: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The angles computed over exactly steps k..j-1 (as before the window cache)."""
    u = w.up[k:j]
    if w.tracking and not s._anchored:
        assert w.centre_before is not None
        nb = w.centre_before[k:j]
        n0, n1, n2 = nb[:, 0], nb[:, 1], nb[:, 2]
        d = np.einsum("ij,ij->i", nb, u)
    else:
        n0, n1, n2 = s.neutral
        d = np.einsum("j,ij->i", np.asarray(s.neutral), u)
    mag = np.degrees(np.arccos(np.clip(d, -1.0, 1.0)))
    cross = np.empty_like(u)
    cross[:, 0] = n1 * u[:, 2] - n2 * u[:, 1]
    cross[:, 1] = n2 * u[:, 0] - n0 * u[:, 2]
    cross[:, 2] = n0 * u[:, 1] - n1 * u[:, 0]
    axis = s.sign_axis if s.sign_axis is not None else s._learnt_axis
    angle = mag.copy() if axis is None else np.where(cross @ np.asarray(axis) >= 0.0, mag, -mag)
    return mag, angle, cross


def test_cached_angles_are_bit_identical_to_angles_over_the_slice() -> None:
    rng = np.random.default_rng(5)
    for tracking, axis in ((False, (1.0, 0.0, 0.0)), (True, None), (True, (0.6, 0.8, 0.0))):
        s = _set(tracking)
        s.sign_axis = axis
        s.neutral = (0.0, 0.6, 0.8)
        w = _window(rng, 3000, s)
        w.tracking = tracking
        for i in range(200):
            if i % 50 == 49:  # a new anchor: the cache must not serve the old neutral
                v = _unit_rows(rng, 1)[0]
                s.neutral = (float(v[0]), float(v[1]), float(v[2]))
                s._anchored = True
            k = int(rng.integers(0, 2990))
            j = int(rng.integers(k + 1, min(3000, k + 300) + 1))
            got = s._angles(w, k, j)
            s._centre_before(w, j)
            for a, b in zip(got, _reference_angles(s, w, k, j), strict=True):
                assert np.array_equal(a, b)


def _reference_centre(s: ExerciseSet, w: _Window) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The centre computed over the whole window as before (running mean, then lfilter)."""
    from scipy.signal import lfilter

    assert w.start_centre is not None and w.start_sum is not None
    u, dt = w.up, w.dt
    elapsed = w.start_elapsed_s + np.cumsum(dt)
    centre = (w.start_sum + np.cumsum(u * dt[:, np.newaxis], axis=0)) / elapsed[:, np.newaxis]
    late = elapsed > 8.0
    if np.any(late):
        i0 = int(np.argmax(late))
        alpha = 1.0 / (8.0 * s.control_rate_hz)
        start = centre[i0 - 1] if i0 > 0 else w.start_centre
        zi = (start * (1.0 - alpha))[np.newaxis, :]
        centre[i0:], _ = lfilter([alpha], [1.0, -(1.0 - alpha)], u[i0:], axis=0, zi=zi)
    before = np.vstack([w.start_centre[np.newaxis], centre[:-1]])
    norms = np.linalg.norm(before, axis=1, keepdims=True)
    return before / np.where(norms == 0.0, 1.0, norms), centre, elapsed


def test_centre_matches_the_running_mean_then_lfilter() -> None:
    rng = np.random.default_rng(7)
    for start_elapsed_s in (0.0, 2.0, 7.99, 8.0, 8.01, 300.0):
        for n in (1, 2, 6, 400):
            s = _set()
            if start_elapsed_s:
                s._elapsed_s = start_elapsed_s
                s._centre_vec = np.array([0.1, -0.2, 0.97])
                s._centre_sum = s._centre_vec * start_elapsed_s
            w = _window(rng, n, s)
            s._track_centre(w, n)
            got = (w.centre_before, w.centre_after, w.elapsed_after)
            for a, b in zip(got, _reference_centre(s, w), strict=True):
                assert a is not None and np.array_equal(a, b)
