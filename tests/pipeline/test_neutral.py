"""The set's neutral: the followed centre (computed lazily, the same whatever the window) and anchoring."""

from __future__ import annotations

import numpy as np

from imurep.pipeline.neutral import CENTRE_TAU_S, CentreWindow, NeutralTracker


def _unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    v = np.array([0.0, 0.0, 1.0]) + 0.3 * rng.normal(size=(n, 3))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _centre(rng: np.random.Generator, n: int, elapsed_s: float = 0.0) -> CentreWindow:
    start = np.array([0.1, -0.2, 0.97]) if elapsed_s else np.array([0.0, 0.0, 1.0])
    dt = np.full(n, 1 / 25.0)
    return CentreWindow(_unit_rows(rng, n), dt, start, start * elapsed_s, elapsed_s, 25.0)


def test_a_prefix_of_the_centre_equals_the_whole_window_computed_at_once() -> None:
    # 400 steps at 25 Hz = 16 s: the running mean turns into the exponential average at 8 s.
    rng = np.random.default_rng(3)
    whole = _centre(rng, 400, elapsed_s=2.0)
    whole.compute(400)
    assert whole.before is not None and whole.after is not None and whole.elapsed_after is not None
    for m in (1, 2, 7, 149, 150, 151, 256, 399):
        part = CentreWindow(whole.up, whole.dt_s, whole.start_centre, whole.start_sum, 2.0, 25.0)
        part.compute(m)
        assert part.before is not None and part.after is not None and part.elapsed_after is not None
        assert part.n == m
        np.testing.assert_allclose(part.before, whole.before[:m], atol=1e-12)
        np.testing.assert_allclose(part.after, whole.after[:m], atol=1e-12)
        np.testing.assert_allclose(part.elapsed_after, whole.elapsed_after[:m], atol=1e-12)


def test_the_centre_is_computed_on_demand() -> None:
    w = _centre(np.random.default_rng(4), 5000)
    w.before_steps(10)
    first = w.n
    assert 10 <= first < 5000
    w.before_steps(first + 1)
    assert first < w.n <= 5000
    w.before_steps(5000)
    assert w.n == 5000


def _reference(w: CentreWindow) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The centre over the whole window as first written (running mean, then lfilter)."""
    from scipy.signal import lfilter

    u, dt = w.up, w.dt_s
    elapsed = w.start_elapsed_s + np.cumsum(dt)
    centre = (w.start_sum + np.cumsum(u * dt[:, np.newaxis], axis=0)) / elapsed[:, np.newaxis]
    late = elapsed > CENTRE_TAU_S
    if np.any(late):
        i0 = int(np.argmax(late))
        alpha = 1.0 / (CENTRE_TAU_S * w.control_rate_hz)
        start = centre[i0 - 1] if i0 > 0 else w.start_centre
        zi = (start * (1.0 - alpha))[np.newaxis, :]
        centre[i0:], _ = lfilter([alpha], [1.0, -(1.0 - alpha)], u[i0:], axis=0, zi=zi)
    before = np.vstack([w.start_centre[np.newaxis], centre[:-1]])
    norms = np.linalg.norm(before, axis=1, keepdims=True)
    return before / np.where(norms == 0.0, 1.0, norms), centre, elapsed


def test_the_centre_is_the_running_mean_then_an_exponential_average() -> None:
    rng = np.random.default_rng(7)
    for start_elapsed_s in (0.0, 2.0, 7.99, 8.0, 8.01, 300.0):
        for n in (1, 2, 6, 400):
            w = _centre(rng, n, start_elapsed_s)
            w.compute(n)
            for got, want in zip((w.before, w.after, w.elapsed_after), _reference(w), strict=True):
                assert got is not None
                np.testing.assert_allclose(got, want, atol=1e-12)


def test_only_an_unknown_mounting_follows_the_centre_and_only_until_anchored() -> None:
    up, dt = np.tile([0.0, 0.0, 1.0], (10, 1)), np.full(10, 0.04)
    assert NeutralTracker((0.0, 0.0, 1.0)).window(up, dt) is None
    follows = NeutralTracker((0.0, 0.0, 1.0), follow_centre=True)
    assert follows.following and follows.window(up, dt) is not None
    follows.anchor(np.ones(10, dtype=bool), up)
    assert not follows.following and follows.window(up, dt) is None


def test_an_anchor_is_the_mean_pose_of_the_still_spell_carried_across_windows() -> None:
    tracker = NeutralTracker((0.0, 0.0, 1.0))
    tilted = np.tile([0.0, np.sin(0.1), np.cos(0.1)], (20, 1))
    still, dt = np.ones(20, dtype=bool), np.full(20, 0.04)
    run = tracker.still_run_s(still, dt)
    assert np.isclose(run[-1], 0.8)
    tracker.carry_still(still, run, tilted)  # the window ended at rest
    # The next window: 5 more still steps, then the anchor.
    run2 = tracker.still_run_s(still[:5], dt[:5])
    assert np.isclose(run2[-1], 1.0)
    tracker.anchor(still[:5], tilted[:5])
    np.testing.assert_allclose(tracker.neutral, tilted[0], atol=1e-12)
    assert tracker.anchored


def test_after_the_first_anchor_of_a_rest_a_longer_spell_is_needed() -> None:
    tracker = NeutralTracker((0.0, 0.0, 1.0))
    first = tracker.anchor_after_s
    up = np.tile([0.0, 0.0, 1.0], (3, 1))
    tracker.anchor(np.ones(3, dtype=bool), up)
    assert tracker.anchor_after_s > first
    tracker.back_at_rest()
    assert tracker.anchor_after_s == first
