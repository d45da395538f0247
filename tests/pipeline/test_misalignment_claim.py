"""The README's promise: a preset mounting counts exactly with the strap up to 25° off, no calibration.

For every preset and a 25° turn about each of the sensor's own axes, both ways, a whole simulated
session (knee rolls, then the heels stretch) is counted with the preset alone: every rep, on its side.
"""

from __future__ import annotations

import pytest

from imurep.analysis.analyze import analyze_blocks
from imurep.mounting_presets import MOUNT_PRESETS
from imurep.pipeline.config import PipelineConfig
from imurep.sim import SensorConfig, SimulationConfig, simulate

PROMISED_OFF_DEG = 25.0
PRESETS = [name for name in MOUNT_PRESETS if name != "body"]
TURNS = [
    tuple(sign * PROMISED_OFF_DEG if i == axis else 0.0 for i in range(3))
    for axis in range(3)
    for sign in (1.0, -1.0)
]


@pytest.mark.parametrize("mount", PRESETS)
@pytest.mark.parametrize(
    "turn_deg", TURNS, ids=lambda t: "xyz"[next(i for i, v in enumerate(t) if v)] + f"{sum(t):+.0f}"
)
def test_a_preset_counts_exactly_with_the_strap_25_deg_off(mount: str, turn_deg: tuple[float, float, float]):
    sensor = SensorConfig(mount=mount, misalignment_deg=turn_deg, rate_hz=50.0, packet_loss=0.0)
    sim = simulate(SimulationConfig(seed=11, kind="session", sensor=sensor))
    truth = sim.truth.to_json_obj()["reps"]
    config = PipelineConfig(body_from_sensor=MOUNT_PRESETS[mount], keep_trace=False)
    result = analyze_blocks([sim.block], "sim", config)
    assert [(r.exercise, r.side) for r in result.reps] == [(r["exercise"], r["side"]) for r in truth]
