"""The labelled simulator: the project's ground truth for tests, demos and the evaluation.

A rigid pelvis moves through a session (``session.py``, ``timeline.py``), a sensor on it records
what a real IMU on a belt would (``sensor.py``), and the truth (``truth.py``) says what happened, in
the schema of ``imurep analyze --json``. Every parameter and its range: ``docs/simulator.md``.

>>> from imurep.sim import random_config, simulate
>>> sim = simulate(random_config(seed=3, kind="knee_rolls"))
>>> len(sim.truth.to_json_obj()["reps"]) > 0
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from imurep.samples import SampleBlock
from imurep.sim.config import (
    NEGATIVE_KINDS,
    POPULATIONS,
    SIM_KINDS,
    SensorConfig,
    SimulationConfig,
    SubjectConfig,
    random_config,
)
from imurep.sim.sensor import body_from_sensor, sense
from imurep.sim.session import build_timeline
from imurep.sim.truth import NegativeSetTruth, PostureSpan, SetTruth, Truth, TruthMovement, TruthRep

__all__ = [
    "NEGATIVE_KINDS",
    "POPULATIONS",
    "SIM_KINDS",
    "NegativeSetTruth",
    "PostureSpan",
    "SensorConfig",
    "SetTruth",
    "SimulatedRecording",
    "SimulationConfig",
    "SubjectConfig",
    "Truth",
    "TruthMovement",
    "TruthRep",
    "body_from_sensor",
    "random_config",
    "simulate",
]


@dataclass(frozen=True)
class SimulatedRecording:
    """A simulated recording.

    Attributes
    ----------
    block
        The samples as the device delivered them: ``time_s`` (N,) in the recording's time base
        (clock origin, jitter, gaps from lost packets), ``acc_m_s2`` (N, 3) specific force in sensor
        axes, ``gyr_rad_s`` (N, 3) in sensor axes or ``None`` for an accelerometer-only device.
    metadata
        ``# key: value`` header lines for the recording CSV (``FORMAT.md`` §1), ``mount`` included.
    truth
        What happened, in the recording's time base once serialised (:meth:`Truth.to_json_obj`).
    config
        The configuration that produced it.
    """

    block: SampleBlock
    metadata: dict[str, str]
    truth: Truth
    config: SimulationConfig


def simulate(config: SimulationConfig) -> SimulatedRecording:
    """Simulate one recording; the same ``config`` (seed included) always gives the same result.

    Parameters
    ----------
    config
        What happens (``kind``, ``subject``, ``duration_s``) and the sensor that records it.

    Returns
    -------
    SimulatedRecording
        Samples, CSV metadata, truth and the config.

    Raises
    ------
    InputError
        The configured mounting cannot be read (see :func:`imurep.mounting_presets.parse_mount`).
    """
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
    params = {"seed": config.seed, "kind": config.kind, **_config_parameters(config), **link}
    truth = Truth.from_timeline(timeline, sensor.clock_origin_s, float(t_fine[-1]), params)
    return SimulatedRecording(block, metadata, truth, config)


def _config_parameters(config: SimulationConfig) -> dict[str, Any]:
    """The whole configuration; the subject fields added with the populations only where they
    differ from their defaults, so that a recording made before them keeps its truth file."""
    params = asdict(config)
    defaults = asdict(SubjectConfig())
    for key in _ADDED_SUBJECT_FIELDS:
        if params["subject"][key] == defaults[key]:
            del params["subject"][key]
    return params


_ADDED_SUBJECT_FIELDS = (
    "population",
    "min_range_deg",
    "max_range_deg",
    "fidget_max_deg",
    "weight_shifts",
    "weight_shift_max_deg",
)
