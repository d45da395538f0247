"""The gravity stage: chunking never changes its output, and it reports the filter delay honestly."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from imurep.pipeline.gravity import GravityStage, lowpass_delay_s
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
