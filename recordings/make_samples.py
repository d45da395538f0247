"""Regenerate the sample recordings in this folder from the simulator, with fixed seeds.

Run from the repository root::

    .venv/bin/python recordings/make_samples.py

Each sample is ``<name>.csv`` (FORMAT.md §1) plus ``<name>.truth.json`` (the simulator's truth: the
FORMAT.md §2 reps and sets, the posture timeline and the simulation parameters). The seeds and
settings below are the whole recipe: the same simulator version gives the same files. The real
recording in ``real/`` is copied from ``tests/data/real`` (see README.md), not generated.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imurep.recording import write_recording
from imurep.sim import random_config, simulate
from imurep.sim.config import SimKind

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sample:
    """One sample recording.

    Attributes
    ----------
    name
        File stem.
    kind, seed
        Passed to ``random_config``: every parameter not forced below is drawn from the seed.
    options
        Keyword arguments of ``random_config`` (``rate_hz``, ``mount``, ``with_gyr``, ...).
    sensor
        Sensor settings forced after the draw (e.g. ``clock_origin_s``).
    """

    name: str
    kind: SimKind
    seed: int
    options: dict[str, Any] = field(default_factory=dict)
    sensor: dict[str, Any] = field(default_factory=dict)


_DAY_S = 86_400.0
_MONDAY_0900_UTC_S = 1_767_603_600.0  # 2026-01-05 09:00 UTC

SAMPLES: tuple[Sample, ...] = (
    Sample("knee_rolls", "knee_rolls", 101, {"rate_hz": 50.0, "mount": "front-belt", "with_gyr": True}),
    Sample("heels_stretch", "heels_stretch", 202, {"rate_hz": 50.0, "mount": "front-belt", "with_gyr": True}),
    Sample(
        "session",
        "session",
        303,
        {"rate_hz": 50.0, "mount": "front-belt", "with_gyr": True},
        {"clock_origin_s": _MONDAY_0900_UTC_S},
    ),
    Sample(
        "knee_rolls_back_belt", "knee_rolls", 404, {"rate_hz": 25.0, "mount": "back-belt", "with_gyr": True}
    ),
    Sample("session_acc_only", "session", 505, {"rate_hz": 25.0, "mount": "front-belt", "with_gyr": False}),
    Sample("distractors", "distractors", 606, {"rate_hz": 25.0, "mount": "front-belt", "with_gyr": True}),
    # Three sessions of knee rolls a few days apart, with Unix time bases, for `imurep compare`.
    *(
        Sample(
            f"progress/day{i + 1}_knee_rolls",
            "knee_rolls",
            700 + i,
            {"rate_hz": 25.0, "mount": "front-belt", "with_gyr": True},
            {"clock_origin_s": _MONDAY_0900_UTC_S + days * _DAY_S},
        )
        for i, days in enumerate((0, 2, 5))
    ),
)


def make(sample: Sample, out_dir: Path = HERE) -> Path:
    """Simulate one sample into ``out_dir``; returns the CSV path."""
    config = random_config(sample.seed, kind=sample.kind, **sample.options)
    if sample.sensor:
        config = dataclasses.replace(config, sensor=dataclasses.replace(config.sensor, **sample.sensor))
    sim = simulate(config)
    path = out_dir / f"{sample.name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_recording(path, sim.block, sim.metadata, overwrite=True)
    path.with_suffix(".truth.json").write_text(json.dumps(sim.truth.to_json_obj(), indent=1) + "\n")
    return path


def main(argv: list[str]) -> int:
    wanted = set(argv) or {s.name for s in SAMPLES}
    for sample in SAMPLES:
        if sample.name in wanted:
            path = make(sample)
            print(f"{path.relative_to(HERE)}: {path.stat().st_size / 1e3:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
