"""Simulation settings: every parameter with its range (see ``docs/simulator.md``)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from scipy.spatial.transform import Rotation

from imurep.errors import InputError
from imurep.samples import STANDARD_GRAVITY_M_S2, FloatArray

__all__ = [
    "EXERCISE_KINDS",
    "NEGATIVE_KINDS",
    "POPULATIONS",
    "SIM_KINDS",
    "Population",
    "SensorConfig",
    "SimKind",
    "SimulationConfig",
    "SubjectConfig",
    "random_config",
]

SimKind = Literal[
    "session",
    "knee_rolls",
    "heels_stretch",
    "distractors",
    "pelvic_tilt",
    "bridging",
    "clam",
    "cat_cow",
    "bird_dog",
    "superman",
    "press_up",
    "rolling_over",
]
# Kinds with reps of our two exercises: the only ones a population applies to.
EXERCISE_KINDS: tuple[SimKind, ...] = ("session", "knee_rolls", "heels_stretch")
# Floor exercises that are not ours (``imurep/sim/negatives.py``): no rep, but labelled movements.
NEGATIVE_KINDS: tuple[SimKind, ...] = (
    "pelvic_tilt",
    "bridging",
    "clam",
    "cat_cow",
    "bird_dog",
    "superman",
    "press_up",
    "rolling_over",
)
SIM_KINDS: tuple[SimKind, ...] = (*EXERCISE_KINDS, "distractors", *NEGATIVE_KINDS)

# How a group of people does the exercises (``docs/simulator.md`` "Populations"): ``typical`` is the
# original draw over every range; the others are the people a counter must not miss.
Population = Literal["typical", "small", "slow", "quick", "asymmetric", "continuous", "fidgety"]
POPULATIONS: tuple[Population, ...] = (
    "typical",
    "small",
    "slow",
    "quick",
    "asymmetric",
    "continuous",
    "fidgety",
)


@dataclass(frozen=True)
class SubjectConfig:
    """How one person moves. Ranges in ``docs/simulator.md``."""

    range_deg: float = 30.0  # typical peak pelvis rotation / pitch, 10-50
    range_jitter: float = 0.12  # per-rep relative variation of the range
    left_right_ratio: float = 1.0  # left range / right range (knee rolls), 0.7-1.3
    move_s: float = 1.8  # typical duration of one movement (out or back), 1-3
    move_jitter: float = 0.2
    hold_s: float = 4.0  # typical hold, 1.5-7
    hold_jitter: float = 0.25
    no_hold_share: float = 0.1  # share of reps with no pause at the far position, 0-0.25
    continuous_share: float = 0.2  # knee rolls passing through the middle without stopping, 0-0.4
    pause_s: float = 2.0  # rest between reps, 0.5-4
    reps_per_side: int = 8  # knee rolls per side, 5-10
    heels_reps: int = 8  # heels stretch reps, 5-12
    hip_travel_m: float = 0.25  # heels stretch hip travel along the arc, 0.1-0.4
    thigh_m: float = 0.45  # hip-to-knee length, 0.38-0.52
    breath_deg: float = 0.5  # pelvis tilt with each breath, 0.2-0.8
    breath_hz: float = 0.25  # breaths per second, 0.15-0.35
    fidgets: int = 2  # fidgets and weight shifts per set, 0-4
    # Added with the populations (issue 13). The truth's ``parameters`` list them only when they
    # differ from these defaults, so that recordings made before them stay byte for byte the same.
    population: Population = "typical"
    min_range_deg: float = 10.0  # every rep's peak is clipped to min_range_deg..max_range_deg
    max_range_deg: float = 50.0
    fidget_max_deg: float = 4.0  # fidgets are 1 deg to this
    weight_shifts: int = 0  # held weight shifts at neutral per set (about the exercise axis), 0-4
    weight_shift_max_deg: float = 5.0  # each 2 deg to this, held 0.5-2.5 s


@dataclass(frozen=True)
class SensorConfig:
    """The IMU and its link. Ranges in ``docs/simulator.md``."""

    rate_hz: float = 100.0  # 25-400
    mount: str = "front-belt"
    # Strap misalignment: extrinsic xyz Euler angles (deg) of a rotation about the sensor's own axes,
    # applied after the preset; random_config draws a random axis and a total angle <= 25°.
    misalignment_deg: tuple[float, float, float] = (0.0, 0.0, 0.0)
    # Sensor position from the pelvis centre, m: (outward along the sensor's screen normal, 0.08-0.15;
    # then offsets along body left and body superior, each |.| <= 0.03).
    lever_arm_m: tuple[float, float, float] = (0.12, 0.0, 0.0)
    with_gyr: bool = True
    acc_noise_ug_rthz: float = 200.0  # 80-400 µg/√Hz
    gyr_noise_mdps_rthz: float = 8.0  # 3-15 mdps/√Hz
    acc_bias_m_s2: tuple[float, float, float] = (0.0, 0.0, 0.0)  # each |.| <= 0.2
    gyr_bias_rad_s: tuple[float, float, float] = (0.0, 0.0, 0.0)  # each |.| <= 0.03
    scale_error: tuple[float, float, float] = (0.0, 0.0, 0.0)  # accelerometer, each |.| <= 0.02
    gyr_scale_error: tuple[float, float, float] = (0.0, 0.0, 0.0)  # gyroscope, each |.| <= 0.02
    acc_lsb_m_s2: float = STANDARD_GRAVITY_M_S2 * 16 / 65536  # ±8 g, 16 bit
    gyr_lsb_rad_s: float = np.radians(4000 / 65536)  # ±2000 dps, 16 bit
    jitter_share: float = 0.05  # timestamp jitter, share of the period, 0-0.2
    samples_per_packet: int = 6
    packet_loss: float = 0.005  # probability a burst of lost packets starts at a packet, 0-0.02
    loss_burst_max: int = 5  # longest burst, packets
    clock_origin_s: float = 0.0


@dataclass(frozen=True)
class SimulationConfig:
    """One simulated recording."""

    seed: int = 0
    kind: SimKind = "session"
    subject: SubjectConfig = field(default_factory=SubjectConfig)
    sensor: SensorConfig = field(default_factory=SensorConfig)
    duration_s: float | None = None  # at least this long: the kind's script repeats; None: once

    def __post_init__(self) -> None:
        if self.kind not in SIM_KINDS:
            raise InputError(f"unknown simulation kind {self.kind!r}: use one of {', '.join(SIM_KINDS)}")
        if self.subject.population not in POPULATIONS:
            raise InputError(
                f"unknown population {self.subject.population!r}: use one of {', '.join(POPULATIONS)}"
            )
        if self.subject.population != "typical" and self.kind not in EXERCISE_KINDS:
            raise InputError(
                f"population {self.subject.population!r} applies to {', '.join(EXERCISE_KINDS)}, "
                f"not to {self.kind!r}: leave it typical"
            )
        if not 10.0 <= self.sensor.rate_hz <= 1000.0:
            raise InputError(f"sample rate {self.sensor.rate_hz} Hz is outside 10-1000 Hz")
        if self.duration_s is not None and not 0.0 < self.duration_s <= 48 * 3600.0:
            raise InputError(f"duration {self.duration_s} s is outside 0-48 h")


def random_config(
    seed: int,
    kind: SimKind = "session",
    rate_hz: float | None = None,
    mount: str | None = None,
    max_misalignment_deg: float = 25.0,
    with_gyr: bool | None = None,
    duration_s: float | None = None,
    population: Population = "typical",
) -> SimulationConfig:
    """Draw every parameter over its whole realistic range from ``seed``.

    This is what the evaluation uses: seeds → configs → recordings. Ranges: ``docs/simulator.md``.

    Parameters
    ----------
    seed
        The only source of randomness: the same seed gives the same config.
    kind
        ``session``, ``knee_rolls``, ``heels_stretch`` or ``distractors`` (no rep at all).
    rate_hz
        Sample rate, Hz; ``None``: drawn from the common IMU rates 25-400 Hz.
    mount
        A preset name or a rotation (:func:`imurep.mounting_presets.parse_mount`); ``None``: drawn
        from the presets, ``front-belt`` in 60 % of recordings.
    max_misalignment_deg
        Bound of the strap misalignment: a rotation about a uniformly random axis by an angle drawn
        uniformly from 0 to this, deg.
    with_gyr
        ``None``: a gyroscope in 85 % of recordings.
    duration_s
        ``None``: the kind's script once; else at least this long, s (the script repeats).
    population
        ``typical``: every subject parameter over its whole range (the original draw). Any other
        (:data:`POPULATIONS`) redraws the parameters that make that group of people, from a
        stream of its own (``[seed, 3]``), so the sensor of a seed is the same in every population.

    Returns
    -------
    SimulationConfig
    """
    rng = np.random.default_rng(seed)
    subject = SubjectConfig(
        range_deg=float(rng.uniform(10.0, 50.0)),
        range_jitter=float(rng.uniform(0.05, 0.15)),
        left_right_ratio=float(rng.uniform(0.7, 1.3)),
        move_s=float(rng.uniform(1.0, 3.0)),
        move_jitter=float(rng.uniform(0.05, 0.25)),
        hold_s=float(rng.uniform(1.5, 7.0)),
        hold_jitter=float(rng.uniform(0.1, 0.3)),
        no_hold_share=float(rng.uniform(0.0, 0.25)),
        continuous_share=float(rng.uniform(0.0, 0.4)),
        pause_s=float(rng.uniform(0.5, 4.0)),
        reps_per_side=int(rng.integers(5, 11)),
        heels_reps=int(rng.integers(5, 13)),
        hip_travel_m=float(rng.uniform(0.1, 0.4)),
        thigh_m=float(rng.uniform(0.38, 0.52)),
        breath_deg=float(rng.uniform(0.2, 0.8)),
        breath_hz=float(rng.uniform(0.15, 0.35)),
        fidgets=int(rng.integers(0, 5)),
    )
    rates = (25.0, 50.0, 52.0, 100.0, 104.0, 200.0, 208.0, 400.0)
    mounts = ("front-belt",) * 6 + ("back-belt", "side-left", "side-right", "front-belt-landscape")
    origin_kind = int(rng.integers(0, 3))
    origin = (0.0, float(rng.uniform(10.0, 5e4)), float(rng.uniform(1.6e9, 1.9e9)))[origin_kind]
    sensor = SensorConfig(
        rate_hz=rate_hz if rate_hz is not None else float(rng.choice(rates)),
        mount=mount if mount is not None else str(rng.choice(mounts)),
        misalignment_deg=_misalignment_deg(rng, max_misalignment_deg),
        lever_arm_m=(
            float(rng.uniform(0.08, 0.15)),
            float(rng.uniform(-0.03, 0.03)),
            float(rng.uniform(-0.03, 0.03)),
        ),
        with_gyr=bool(rng.random() < 0.85) if with_gyr is None else with_gyr,
        acc_noise_ug_rthz=float(rng.uniform(80.0, 400.0)),
        gyr_noise_mdps_rthz=float(rng.uniform(3.0, 15.0)),
        acc_bias_m_s2=_triple(rng.uniform(-0.2, 0.2, 3)),
        gyr_bias_rad_s=_triple(rng.uniform(-0.03, 0.03, 3)),
        scale_error=_triple(rng.uniform(-0.02, 0.02, 3)),
        jitter_share=float(rng.uniform(0.0, 0.2)),
        samples_per_packet=int(rng.integers(1, 9)),
        packet_loss=float(rng.uniform(0.0, 0.02)),
        loss_burst_max=int(rng.integers(1, 11)),
        clock_origin_s=origin,
    )
    # Drawn last, so that adding it left every earlier draw of a seed unchanged.
    sensor = replace(sensor, gyr_scale_error=_triple(rng.uniform(-0.02, 0.02, 3)))
    if population != "typical":
        subject = _population_subject(subject, population, np.random.default_rng([seed, 3]))
    return SimulationConfig(seed=seed, kind=kind, subject=subject, sensor=sensor, duration_s=duration_s)


def _population_subject(
    typical: SubjectConfig, population: Population, rng: np.random.Generator
) -> SubjectConfig:
    """The subject of ``population``: the typical draw with the parameters that make the group redrawn.

    People in pain move slower and smaller, so every group but ``quick`` is also a little slower
    and smaller than the typical range. Ranges and why: ``docs/simulator.md`` "Populations".
    """
    s = replace(
        typical,
        population=population,
        range_deg=float(rng.uniform(10.0, 35.0)),
        move_s=float(rng.uniform(1.5, 3.0)),
    )
    if population == "small":
        # Peaks 5-10 deg: the range and its per-rep spread stay inside, both sides alike.
        return replace(
            s,
            range_deg=float(rng.uniform(6.0, 9.0)),
            range_jitter=float(rng.uniform(0.05, 0.12)),
            left_right_ratio=float(rng.uniform(0.9, 1.1)),
            min_range_deg=5.0,
            max_range_deg=10.0,
            move_s=float(rng.uniform(1.5, 3.5)),
        )
    if population == "slow":
        return replace(
            s,
            move_s=float(rng.uniform(3.0, 5.0)),
            hold_s=float(rng.uniform(3.0, 7.0)),
            pause_s=float(rng.uniform(2.0, 5.0)),
        )
    if population == "quick":
        return replace(
            s,
            range_deg=float(rng.uniform(15.0, 45.0)),
            move_s=float(rng.uniform(0.7, 1.1)),
            hip_travel_m=float(rng.uniform(0.1, 0.3)),  # a quick rock does not go as deep
            move_jitter=float(rng.uniform(0.05, 0.15)),
            hold_s=float(rng.uniform(0.8, 2.0)),
            pause_s=float(rng.uniform(0.3, 1.0)),
        )
    if population == "asymmetric":
        # One side 70-85 % of the other (left_right_ratio = left / right range).
        # From 15 deg, so that no rep of the smaller side is clipped to the 10 deg minimum.
        smaller = float(rng.uniform(0.7, 0.85))
        return replace(
            s,
            range_deg=float(rng.uniform(15.0, 35.0)),
            left_right_ratio=smaller if rng.random() < 0.5 else 1.0 / smaller,
        )
    if population == "continuous":
        # Rolls straight through the middle, no hold anywhere, hardly a pause.
        return replace(s, no_hold_share=1.0, continuous_share=1.0, pause_s=float(rng.uniform(0.3, 1.0)))
    # fidgety: fidgets up to 5 deg and held weight shifts at neutral between the reps.
    return replace(
        s,
        fidgets=int(rng.integers(3, 7)),
        fidget_max_deg=5.0,
        weight_shifts=int(rng.integers(2, 5)),
        weight_shift_max_deg=5.0,
    )


def _triple(values: FloatArray) -> tuple[float, float, float]:
    x, y, z = (float(v) for v in values)
    return x, y, z


def _misalignment_deg(rng: np.random.Generator, max_deg: float) -> tuple[float, float, float]:
    """A rotation by at most ``max_deg`` about a random axis, as extrinsic xyz Euler angles (deg)."""
    axis = rng.normal(size=3)
    axis /= np.linalg.norm(axis)
    angle_rad = np.radians(rng.uniform(0.0, max_deg))
    x, y, z = Rotation.from_rotvec(angle_rad * axis).as_euler("xyz", degrees=True)
    return float(x), float(y), float(z)
