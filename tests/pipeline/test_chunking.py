"""Any chunking of the input gives the same reps (STYLE.md §5): live and offline agree."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imurep.analysis.analyze import resolve_mount
from imurep.events import RepEvent
from imurep.pipeline import Pipeline, PipelineConfig
from imurep.recording import read_recording
from imurep.samples import SampleBlock

DATA = Path(__file__).parents[1] / "data" / "real"
MEX = read_recording(DATA / "mex-knee-rolling" / "mex_s02_knee_rolling.csv").samples
HAPT = read_recording(DATA / "hapt-waist" / "user07_seq0.csv").samples.slice(0, 6000)


def _run(block: SampleBlock, cuts: list[int], config: PipelineConfig) -> tuple[list[RepEvent], list]:
    p = Pipeline(config)
    edges = [0, *sorted(set(cuts)), len(block)]
    out = []
    for a, b in itertools.pairwise(edges):
        out.extend(p.process(block.slice(a, b)))
    out.extend(p.finish())
    return p.reps, out


def _same(a: list[RepEvent], b: list[RepEvent]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert (x.exercise, x.side, x.index) == (y.exercise, y.side, y.index)
        for name in (
            "start_s",
            "hold_start_s",
            "hold_end_s",
            "end_s",
            "hold_s",
            "peak_angle_deg",
            "emitted_at_s",
        ):
            assert getattr(x, name) == pytest.approx(getattr(y, name), abs=1e-6), name


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=1, max_value=len(MEX) - 1), max_size=60))
def test_unknown_mount_reps_do_not_depend_on_chunking(cuts):
    cfg = PipelineConfig(body_from_sensor=None)
    whole, _ = _run(MEX, [], cfg)
    assert len(whole) >= 15
    chunked, _ = _run(MEX, cuts, cfg)
    _same(whole, chunked)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=1, max_value=len(HAPT) - 1), max_size=60))
def test_known_mount_state_does_not_depend_on_chunking(cuts):
    cfg = PipelineConfig(body_from_sensor=resolve_mount("front-belt", None))
    whole = Pipeline(cfg)
    whole.process(HAPT)
    whole.finish()
    chunked = Pipeline(cfg)
    edges = [0, *sorted(set(cuts)), len(HAPT)]
    for a, b in itertools.pairwise(edges):
        chunked.process(HAPT.slice(a, b))
    chunked.finish()
    _same(whole.reps, chunked.reps)
    np.testing.assert_allclose(whole.trace().angle_deg, chunked.trace().angle_deg, atol=1e-6)
    assert np.array_equal(whole.trace().exercise, chunked.trace().exercise)
    assert [p.posture for p in whole.postures] == [p.posture for p in chunked.postures]


def test_single_samples_equal_one_block():
    cfg = PipelineConfig(body_from_sensor=None)
    block = MEX.slice(0, 3000)
    whole, _ = _run(block, [], cfg)
    single, _ = _run(block, list(range(1, len(block))), cfg)
    assert whole
    _same(whole, single)
