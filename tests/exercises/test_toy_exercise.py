"""A third exercise registered from the test suite is counted end to end, without editing the package.

The toy, a side-lying hip hitch: lying on the side, the pelvis tips about its anterior axis, one
way, holds, comes back. It reaches the pipeline through the registry alone: the pipeline, the
``--exercise`` choices and the explanation read it from there.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from imurep.analysis.analyze import analyze_blocks
from imurep.analysis.explain import format_candidates
from imurep.exercises import ExerciseSpec, RepLimits, all_exercises, exercise, register, unregister
from imurep.mounting_presets import MOUNT_PRESETS
from imurep.pipeline import PipelineConfig
from imurep.samples import SampleBlock

TOY = ExerciseSpec(
    name="hip_hitch",
    cli_name="hip-hitch",
    display_name="Side-lying hip hitch",
    start_postures=("side_lying",),
    foreign_postures=("standing",),
    sign_axis_up_body=(1.0, 0.0, 0.0),
    pattern="one_way",
    sided=False,
    hold_s=3.0,
    limits=RepLimits(),
    angle_name="pelvis tip",
)


@pytest.fixture
def toy() -> Iterator[ExerciseSpec]:
    register(TOY)
    try:
        yield TOY
    finally:
        unregister(TOY.name)


def _bell(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return 10 * x**3 - 15 * x**4 + 6 * x**5


def _side_lying_reps(n_reps: int, peak_deg: float, rate_hz: float = 100.0) -> SampleBlock:
    """Lying on the side (up = body +y), reps of ``peak_deg`` tipping about the body's anterior
    axis: 2 s out, 3 s hold, 2 s back, 3 s rest, after 5 s of lying still."""
    t = np.arange(0.0, 5.0 + 10.0 * n_reps + 5.0, 1.0 / rate_hz)
    angle = np.zeros_like(t)
    for i in range(n_reps):
        t0 = 5.0 + 10.0 * i
        angle += peak_deg * (_bell((t - t0) / 2.0) - _bell((t - t0 - 5.0) / 2.0))
    th = np.radians(angle)
    # Lying on the side: up is the body's +y. Up turns positively about +x by the angle.
    up_body = np.stack([np.zeros_like(th), np.cos(th), np.sin(th)], axis=1)
    rng = np.random.default_rng(3)
    acc_body = 9.80665 * up_body + 0.02 * rng.normal(size=up_body.shape)
    body_from_sensor = MOUNT_PRESETS["front-belt"]
    acc_sensor = acc_body @ body_from_sensor  # rows: sensor = Rᵀ body
    return SampleBlock(t, acc_sensor)


def test_a_registered_exercise_is_counted_end_to_end(toy: ExerciseSpec) -> None:
    assert exercise("hip-hitch") is toy and toy in all_exercises()
    block = _side_lying_reps(6, 20.0)
    result = analyze_blocks([block], "toy", PipelineConfig())
    assert [r.exercise for r in result.reps] == ["hip_hitch"] * 6
    assert all(r.side is None for r in result.reps)
    peaks = np.array([r.peak_angle_deg for r in result.reps])
    assert np.all(np.abs(peaks - 20.0) < 2.0)
    holds = np.array([r.hold_s for r in result.reps])
    assert np.all(np.abs(holds - 3.0) < 0.8)
    assert [s.exercise for s in result.sets] == ["hip_hitch"]
    assert "hip_hitch" in format_candidates(result)


def test_choosing_the_exercise_counts_only_it(toy: ExerciseSpec) -> None:
    block = _side_lying_reps(5, 20.0)
    assert len(analyze_blocks([block], "toy", PipelineConfig(exercise="hip-hitch")).reps) == 5
    assert analyze_blocks([block], "toy", PipelineConfig(exercise="knee_rolls")).reps == []


def test_without_registering_it_nothing_is_counted() -> None:
    assert "hip_hitch" not in [s.name for s in all_exercises()]
    assert analyze_blocks([_side_lying_reps(5, 20.0)], "toy", PipelineConfig()).reps == []


def test_a_clashing_exercise_is_refused(toy: ExerciseSpec) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register(toy)


def test_a_registered_exercise_is_named_from_its_spec_in_plots(toy: ExerciseSpec) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from imurep.exercises import exercise_name
    from imurep.plots import plot_posture_timeline

    assert (
        exercise_name("knee_rolls") == "knee rolls" and exercise_name("hip_hitch") == "side-lying hip hitch"
    )
    result = analyze_blocks([_side_lying_reps(3, 20.0)], "toy", PipelineConfig())
    ax = plot_posture_timeline(result)
    assert "set: side-lying hip hitch" in [t.get_text() for t in ax.get_legend().get_texts()]
