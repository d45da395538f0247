"""The gravity stage: chunking never changes its output, and it reports the filter delay honestly."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from imurep.pipeline.gravity import GravityStage, _grid_beside_samples, lowpass_delay_s
from imurep.samples import SampleBlock


def _block(n: int = 3000, seed: int = 0) -> SampleBlock:
    rng = np.random.default_rng(seed)
    t = 1000.0 + np.cumsum(rng.uniform(0.008, 0.012, n))
    return SampleBlock(t, rng.normal(0, 1, (n, 3)) + np.array([0, 0, 9.81]), rng.normal(0, 0.1, (n, 3)))


def _run(block: SampleBlock, cuts: list[int]) -> tuple[np.ndarray, ...]:
    stage = GravityStage(2.5, 25.0)
    outs = []
    edges = [0, *sorted(set(cuts)), len(block)]
    for a, b in itertools.pairwise(edges):
        out = stage.process(block.slice(a, b))
        if out is not None:
            outs.append(out)
    return (
        np.concatenate([o.time_s for o in outs]),
        np.concatenate([o.acc_lp_m_s2 for o in outs]),
        np.concatenate([o.motion_rms_m_s2 for o in outs]),
    )


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=2999), max_size=40))
def test_any_chunking_gives_identical_output(cuts):
    block = _block()
    whole = _run(block, [])
    chunked = _run(block, cuts)
    for x, y in zip(whole, chunked, strict=True):
        np.testing.assert_array_equal(x, y)


def test_a_step_is_reported_at_its_true_time():
    # A tilt step at t = 5 s: the delay-corrected output crosses half-way within 40 ms of it.
    t = np.arange(0, 10, 0.01)
    acc = np.zeros((t.size, 3))
    acc[:, 2] = np.where(t < 5.0, 9.81, 8.0)
    out = GravityStage(2.5, 25.0).process(SampleBlock(t, acc))
    assert out is not None
    z = out.acc_lp_m_s2[:, 2]
    half = out.time_s[np.argmax(z < (9.81 + 8.0) / 2)]
    assert abs(half - 5.0) < 0.04
    assert lowpass_delay_s(2.5) > 0.05


def _jumped(block: SampleBlock, at: int, jump_s: float) -> SampleBlock:
    t = block.time_s.copy()
    t[at:] += jump_s
    return SampleBlock(t, block.acc_m_s2, block.gyr_rad_s)


def test_a_jump_in_time_costs_nothing_and_changes_nothing_but_the_times() -> None:
    # The control grid used to be built across the gap and thinned afterwards: a 10^9 s jump
    # asked for 2.5e10 grid points (186 GiB). Grid points now exist only beside samples. The jump
    # is a whole number of grid periods, so the grid falls on the same points after it.
    block = _block()
    plain = _run(block, [700, 1500])
    for jump_s in (86_400.0, 1e9):
        t, acc, motion = _run(_jumped(block, 1500, jump_s), [700, 1500])
        after = t > block.time_s[-1] + 1.0  # grid points past the jump
        assert t.size == plain[0].size and 0 < np.count_nonzero(after) < t.size
        np.testing.assert_allclose(t[after] - jump_s, plain[0][after], rtol=0, atol=1e-6)
        np.testing.assert_array_equal(t[~after], plain[0][~after])
        # (interpolation weights at 10^9 s carry the float rounding of the times, 1e-7 s)
        np.testing.assert_allclose(acc, plain[1], rtol=0, atol=1e-4)
        # the high-pass restarts after a gap: the motion differs only for a moment after it
        np.testing.assert_array_equal(motion[~after], plain[2][~after])
        np.testing.assert_allclose(motion[after][100:], plain[2][after][100:], rtol=0, atol=1e-6)


def test_grid_points_only_beside_runs_of_samples() -> None:
    # 100 samples at 100 Hz, 10^7 s of nothing, 100 more: the candidate grid points are the ~2 × 25
    # beside the samples (and one of margin at each end of a run), not 2.5e8
    t = np.concatenate([np.arange(100) * 0.01, 1e7 + np.arange(100) * 0.01])
    k_last = int(np.floor(t[-1] / 0.04 + 1e-9))
    ks = _grid_beside_samples(t, 0.0, 0.04, 0, k_last)
    assert np.all(np.diff(ks) > 0) and ks[0] == 0 and ks[-1] == k_last
    assert 50 <= ks.size <= 56
    near = np.minimum(np.abs(ks * 0.04 - t[99]), np.abs(ks * 0.04 - 1e7)) < 1.1
    assert np.all((ks * 0.04 <= t[99] + 0.1) | (ks * 0.04 >= 1e7 - 0.1)) and near.all()
