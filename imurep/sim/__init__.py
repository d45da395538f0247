"""The labelled simulator: the project's ground truth for tests, demos and the evaluation.

>>> from imurep.sim import random_config, simulate
>>> sim = simulate(random_config(seed=3, kind="knee_rolls"))
>>> len(sim.truth.to_json_obj()["reps"]) > 0
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from imurep.samples import SampleBlock
from imurep.sim.config import SIM_KINDS, SensorConfig, SimulationConfig, SubjectConfig, random_config
from imurep.sim.sensor import body_from_sensor, sense
from imurep.sim.session import build_timeline
from imurep.sim.truth import Truth

__all__ = [
    "SIM_KINDS",
    "SensorConfig",
    "SimulatedRecording",
    "SimulationConfig",
    "SubjectConfig",
    "Truth",
    "body_from_sensor",
    "random_config",
    "simulate",
]


@dataclass(frozen=True)
class SimulatedRecording:
    """A simulated recording: samples, the CSV header metadata, and the truth."""

    block: SampleBlock
    metadata: dict[str, str]
    truth: Truth
    config: SimulationConfig


def simulate(config: SimulationConfig) -> SimulatedRecording:
    """Simulate one recording (deterministic for a given config, seed included)."""
    timeline = build_timeline(config)
    t_fine, world_from_body, pos = timeline.arrays()
    rng = np.random.default_rng([config.seed, 2])
    block, link = sense(t_fine, world_from_body, pos, config.sensor, rng)
    sensor = config.sensor
    metadata = {
        "device": "imurep simulator",
        "mount": sensor.mount,
        "simulation": f"kind={config.kind} seed={config.seed}",
        "misalignment_deg": ",".join(f"{v:.1f}" for v in sensor.misalignment_deg),
        "rate_hz": f"{sensor.rate_hz:g}",
    }
    params = {"seed": config.seed, "kind": config.kind, **asdict(config), **link}
    truth = Truth(timeline.sets, timeline.spans, sensor.clock_origin_s, float(t_fine[-1]), params)
    return SimulatedRecording(block, metadata, truth, config)
