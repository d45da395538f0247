"""The rep gate: each named reason on its own, with a movement that passes every other rule."""

from __future__ import annotations

from dataclasses import replace

import pytest

from imurep.exercises.spec import RepLimits
from imurep.pipeline.rep_gate import GATE_REASONS, MovementMeasures, gate

LIMITS = RepLimits()
GOOD = MovementMeasures(
    peak_deg=20.0,
    duration_s=5.0,
    dynamic_max_m_s2=0.5,
    motion_mean_m_s2=0.05,
    pace_deg_s=30.0,
    peak_speed_deg_s=35.0,
    gyro_max_deg_s=32.0,
    min_move_s=1.2,
    gapped=False,
    axis_cos=0.98,
    has_gyroscope=True,
)


def test_a_normal_rep_passes() -> None:
    assert gate(GOOD, LIMITS) is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"peak_deg": 4.0}, "too_small"),
        ({"peak_deg": float("nan")}, "too_small"),
        ({"duration_s": 0.4}, "too_short"),
        ({"dynamic_max_m_s2": 3.0}, "accelerating"),
        ({"motion_mean_m_s2": 0.5}, "shaking"),
        ({"pace_deg_s": 160.0, "peak_speed_deg_s": 170.0, "gyro_max_deg_s": 160.0}, "too_fast"),
        ({"gyro_max_deg_s": 151.0, "peak_speed_deg_s": 140.0}, "too_fast"),
        ({"min_move_s": 0.2}, "too_abrupt"),
        ({"axis_cos": 0.5}, "off_axis"),
        ({"gyro_max_deg_s": 5.0}, "gyro_disagrees"),
        ({"gyro_max_deg_s": 120.0}, "gyro_disagrees"),
    ],
)
def test_each_rule_names_its_reason(change: dict[str, float], reason: str) -> None:
    assert gate(replace(GOOD, **change), LIMITS) == reason
    assert reason in GATE_REASONS


def test_lost_samples_excuse_pace_and_movement_time_but_not_size() -> None:
    gapped = replace(GOOD, gapped=True, pace_deg_s=400.0, min_move_s=0.0, gyro_max_deg_s=0.0)
    assert gate(gapped, LIMITS) is None
    assert gate(replace(gapped, peak_deg=3.0), LIMITS) == "too_small"


def test_without_gyroscope_or_known_axis_those_rules_do_not_apply() -> None:
    m = replace(GOOD, has_gyroscope=False, gyro_max_deg_s=0.0, axis_cos=None)
    assert gate(m, LIMITS) is None


def test_a_small_movers_rep_passes_the_gate() -> None:
    """5–8.5° reps are candidates; the set decides whether they count."""
    assert gate(replace(GOOD, peak_deg=6.0), LIMITS) is None
