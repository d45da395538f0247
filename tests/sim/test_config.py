"""``random_config``: every parameter drawn over its documented range (docs/simulator.md), from the
seed alone; bad settings refused clearly."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from imurep.errors import InputError
from imurep.sim import SensorConfig, SimulationConfig, random_config, simulate
from imurep.sim.sensor import body_from_sensor

# field: (low, high) as in docs/simulator.md; tuples are checked per component.
SUBJECT_RANGES = {
    "range_deg": (10.0, 50.0),
    "range_jitter": (0.05, 0.15),
    "left_right_ratio": (0.7, 1.3),
    "move_s": (1.0, 3.0),
    "move_jitter": (0.05, 0.25),
    "hold_s": (1.5, 7.0),
    "hold_jitter": (0.1, 0.3),
    "no_hold_share": (0.0, 0.25),
    "continuous_share": (0.0, 0.4),
    "pause_s": (0.5, 4.0),
    "reps_per_side": (5, 10),
    "heels_reps": (5, 12),
    "hip_travel_m": (0.1, 0.4),
    "thigh_m": (0.38, 0.52),
    "breath_deg": (0.2, 0.8),
    "breath_hz": (0.15, 0.35),
    "fidgets": (0, 4),
}
SENSOR_RANGES = {
    "rate_hz": (25.0, 400.0),
    "acc_noise_ug_rthz": (80.0, 400.0),
    "gyr_noise_mdps_rthz": (3.0, 15.0),
    "acc_bias_m_s2": (-0.2, 0.2),
    "gyr_bias_rad_s": (-0.03, 0.03),
    "scale_error": (-0.02, 0.02),
    "gyr_scale_error": (-0.02, 0.02),
    "jitter_share": (0.0, 0.2),
    "samples_per_packet": (1, 8),
    "packet_loss": (0.0, 0.02),
    "loss_burst_max": (1, 10),
}
N_SEEDS = 400
# Fixed in the typical draw; a population draws its own (POPULATION_RANGES, docs "Populations").
TYPICAL_FIXED = {
    "population": "typical",
    "min_range_deg": 10.0,
    "max_range_deg": 50.0,
    "fidget_max_deg": 4.0,
    "weight_shifts": 0,
    "weight_shift_max_deg": 5.0,
}
POPULATION_RANGES = {
    "small": {
        "range_deg": (6.0, 9.0),
        "range_jitter": (0.05, 0.12),
        "left_right_ratio": (0.9, 1.1),
        "move_s": (1.5, 3.5),
        "min_range_deg": (5.0, 5.0),
        "max_range_deg": (10.0, 10.0),
    },
    "slow": {"range_deg": (10.0, 35.0), "move_s": (3.0, 5.0), "hold_s": (3.0, 7.0), "pause_s": (2.0, 5.0)},
    "quick": {
        "range_deg": (15.0, 45.0),
        "move_s": (0.7, 1.1),
        "move_jitter": (0.05, 0.15),
        "hold_s": (0.8, 2.0),
        "pause_s": (0.3, 1.0),
        "hip_travel_m": (0.1, 0.3),
    },
    "asymmetric": {"range_deg": (15.0, 35.0), "move_s": (1.5, 3.0)},
    "continuous": {
        "range_deg": (10.0, 35.0),
        "no_hold_share": (1.0, 1.0),
        "continuous_share": (1.0, 1.0),
        "pause_s": (0.3, 1.0),
    },
    "fidgety": {
        "range_deg": (10.0, 35.0),
        "fidgets": (3, 6),
        "fidget_max_deg": (5.0, 5.0),
        "weight_shifts": (2, 4),
        "weight_shift_max_deg": (5.0, 5.0),
    },
}


@pytest.fixture(scope="module")
def configs() -> list[SimulationConfig]:
    return [random_config(seed) for seed in range(N_SEEDS)]


def _values(objs: list[object], name: str) -> np.ndarray:
    return np.array([getattr(o, name) for o in objs], dtype=np.float64)


@pytest.mark.parametrize(("name", "bounds"), [*SUBJECT_RANGES.items(), *SENSOR_RANGES.items()])
def test_every_parameter_spans_its_documented_range(configs, name, bounds):
    part = "subject" if name in SUBJECT_RANGES else "sensor"
    v = _values([getattr(c, part) for c in configs], name)
    lo, hi = bounds
    assert v.min() >= lo and v.max() <= hi
    margin = 0.05 * (hi - lo)
    assert v.min() <= lo + margin and v.max() >= hi - margin  # both ends are reached


def test_every_parameter_is_covered_by_the_table():
    from imurep.sim import SubjectConfig

    subject = {f.name for f in dataclasses.fields(SubjectConfig)}
    sensor = {f.name for f in dataclasses.fields(SensorConfig)}
    assert subject == set(SUBJECT_RANGES) | set(TYPICAL_FIXED)
    # Checked in the tests below, or fixed by the IMU configuration (quantisation steps).
    assert sensor - set(SENSOR_RANGES) == {
        "mount",
        "misalignment_deg",
        "lever_arm_m",
        "with_gyr",
        "clock_origin_s",
        "acc_lsb_m_s2",
        "gyr_lsb_rad_s",
    }


def test_the_typical_draw_leaves_the_population_fields_at_their_defaults(configs):
    for c in configs:
        assert {k: getattr(c.subject, k) for k in TYPICAL_FIXED} == TYPICAL_FIXED


@pytest.mark.parametrize("population", POPULATION_RANGES)
def test_every_population_spans_its_documented_ranges(population):
    subjects = [random_config(seed, kind="knee_rolls", population=population).subject for seed in range(200)]
    assert {s.population for s in subjects} == {population}
    for name, (lo, hi) in POPULATION_RANGES[population].items():
        v = _values(subjects, name)  # type: ignore[arg-type]
        assert v.min() >= lo and v.max() <= hi, name
        margin = 0.05 * (hi - lo)
        assert v.min() <= lo + margin and v.max() >= hi - margin, name  # both ends are reached


def test_mounting_misalignment_lever_arm_gyroscope_and_clock(configs):
    sensors = [c.sensor for c in configs]
    mounts = [s.mount for s in sensors]
    assert set(mounts) == {"front-belt", "back-belt", "side-left", "side-right", "front-belt-landscape"}
    assert 0.5 < mounts.count("front-belt") / len(mounts) < 0.7
    angles = np.array(
        [Rotation.from_euler("xyz", s.misalignment_deg, degrees=True).magnitude() for s in sensors]
    )
    assert np.degrees(angles).max() <= 25.0 + 1e-9 and np.degrees(angles).max() > 24.0
    axes = np.array([Rotation.from_euler("xyz", s.misalignment_deg).as_rotvec() for s in sensors])
    assert np.all(axes.max(axis=0) > 0) and np.all(axes.min(axis=0) < 0)  # every direction
    lever = np.array([s.lever_arm_m for s in sensors])
    assert lever[:, 0].min() >= 0.08 and lever[:, 0].max() <= 0.15
    assert np.abs(lever[:, 1:]).max() <= 0.03
    gyr_share = np.mean([s.with_gyr for s in sensors])
    assert 0.78 < gyr_share < 0.92
    origins = np.array([s.clock_origin_s for s in sensors])
    assert np.any(origins == 0.0) and np.any((origins > 10) & (origins < 5e4)) and np.any(origins > 1.6e9)


def test_forced_parameters_and_misalignment_bound():
    c = random_config(5, kind="heels_stretch", rate_hz=52.0, mount="side-left", max_misalignment_deg=0.0)
    assert c.kind == "heels_stretch" and c.sensor.rate_hz == 52.0 and c.sensor.mount == "side-left"
    np.testing.assert_allclose(body_from_sensor(c.sensor), body_from_sensor(SensorConfig(mount="side-left")))
    for seed in range(50):
        mis = random_config(seed, max_misalignment_deg=10.0).sensor.misalignment_deg
        assert Rotation.from_euler("xyz", mis, degrees=True).magnitude() <= np.radians(10.0) + 1e-12
    assert not random_config(1, with_gyr=False).sensor.with_gyr


def test_determinism_by_seed():
    assert random_config(42, kind="knee_rolls") == random_config(42, kind="knee_rolls")
    assert random_config(42) != random_config(43)
    a, b = (simulate(random_config(42, kind="knee_rolls")) for _ in range(2))
    np.testing.assert_array_equal(a.block.time_s, b.block.time_s)
    np.testing.assert_array_equal(a.block.acc_m_s2, b.block.acc_m_s2)
    assert a.truth.to_json_obj() == b.truth.to_json_obj()
    assert a.metadata == b.metadata


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "yoga"}, "unknown simulation kind"),
        ({"sensor": SensorConfig(rate_hz=5.0)}, "sample rate"),
        ({"duration_s": -1.0}, "duration"),
    ],
)
def test_bad_configs_are_refused(kwargs, message):
    with pytest.raises(InputError, match=message):
        SimulationConfig(**kwargs)


def test_bad_mounting_is_refused_when_simulating():
    with pytest.raises(InputError, match="mounting"):
        simulate(SimulationConfig(kind="knee_rolls", sensor=SensorConfig(mount="upside-down")))
