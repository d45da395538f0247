"""The sensor model against first principles and scipy's Rotation (the oracle)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from imurep.mounting_presets import MOUNT_PRESETS
from imurep.samples import STANDARD_GRAVITY_M_S2
from imurep.sim import SensorConfig, SimulationConfig, simulate
from imurep.sim.sensor import body_from_sensor, sense
from imurep.sim.session import build_timeline
from imurep.sim.timeline import POSTURE_ROTATIONS

QUIET = dict(
    acc_noise_ug_rthz=0.0,
    gyr_noise_mdps_rthz=0.0,
    packet_loss=0.0,
    jitter_share=0.0,
    acc_lsb_m_s2=1e-9,
    gyr_lsb_rad_s=1e-9,
)
UP_W = np.array([0.0, 0.0, 1.0])


def _still(posture: str, seconds: float = 1.0) -> tuple[np.ndarray, Rotation, np.ndarray]:
    t = np.arange(0.0, seconds, 0.001)
    r = Rotation.from_quat(np.tile(POSTURE_ROTATIONS[posture].as_quat(), (t.size, 1)))
    return t, r, np.tile([0.0, 0.0, 0.5], (t.size, 1))


@pytest.mark.parametrize("mount", list(MOUNT_PRESETS))
@pytest.mark.parametrize("posture", list(POSTURE_ROTATIONS))
def test_still_pose_reads_gravity_along_up_in_the_sensor_frame(posture, mount):
    mis = tuple(float(x) for x in np.random.default_rng(len(posture) + len(mount)).uniform(-15, 15, 3))
    cfg = SensorConfig(mount=mount, misalignment_deg=mis, **QUIET)  # type: ignore[arg-type]
    block, _ = sense(*_still(posture), cfg, np.random.default_rng(0))
    world_from_sensor = (
        POSTURE_ROTATIONS[posture]
        * Rotation.from_matrix(MOUNT_PRESETS[mount])
        * (Rotation.from_euler("xyz", mis, degrees=True))
    )
    expected = world_from_sensor.inv().apply(UP_W) * STANDARD_GRAVITY_M_S2
    np.testing.assert_allclose(block.acc_m_s2, np.tile(expected, (len(block), 1)), atol=1e-6)
    assert block.gyr_rad_s is not None
    np.testing.assert_allclose(block.gyr_rad_s, 0.0, atol=1e-9)


def test_front_belt_axes_at_rest_follow_exercises_md():
    cases = {"standing": (1, 1.0), "supine": (2, 1.0), "all_fours": (2, -1.0)}
    for posture, (axis, sign) in cases.items():
        block, _ = sense(*_still(posture), SensorConfig(**QUIET), np.random.default_rng(0))  # type: ignore[arg-type]
        assert block.acc_m_s2[0, axis] == pytest.approx(sign * STANDARD_GRAVITY_M_S2, abs=1e-6)


def _quiet_session(seed: int, rate_hz: float = 100.0) -> tuple[SimulationConfig, object]:
    sensor = SensorConfig(rate_hz=rate_hz, misalignment_deg=(10.0, -20.0, 5.0), **QUIET)  # type: ignore[arg-type]
    return SimulationConfig(seed=seed, kind="session", sensor=sensor), sensor


def test_gyroscope_is_the_derivative_of_the_orientation():
    cfg, _ = _quiet_session(4)
    sim = simulate(cfg)
    t_fine, world_from_body, _ = build_timeline(cfg).arrays()
    gyr = sim.block.gyr_rad_s
    assert gyr is not None
    # Independent derivative: central difference over ±2 ms of the fine orientation, via scipy.
    k = np.round(sim.block.time_s * 1000.0).astype(int)
    k = k[(k >= 2) & (k < t_fine.size - 2)]
    rel = (world_from_body[k - 2].inv() * world_from_body[k + 2]).as_rotvec() / 0.004
    expected = rel @ body_from_sensor(cfg.sensor)  # body rate in sensor axes
    got = gyr[np.searchsorted(np.round(sim.block.time_s * 1000.0).astype(int), k)]
    assert np.abs(expected).max() > 1.0  # the session really turns (lying down, rolling over)
    np.testing.assert_allclose(got, expected, atol=0.01)


@pytest.mark.parametrize("kind", ["knee_rolls", "heels_stretch"])
def test_gyroscope_integrates_to_the_truth_angle(kind):
    sensor = SensorConfig(rate_hz=200.0, misalignment_deg=(12.0, 8.0, -15.0), **QUIET)  # type: ignore[arg-type]
    sim = simulate(SimulationConfig(seed=11, kind=kind, sensor=sensor))
    b = sim.block
    assert b.gyr_rad_s is not None
    # Knee roll: about body +z (left = positive). Rock-back: the superior axis tilts up, about −y.
    axis_b = [0.0, 0.0, 1.0] if kind == "knee_rolls" else [0.0, -1.0, 0.0]
    rate = b.gyr_rad_s @ (body_from_sensor(sensor).T @ axis_b)
    angle = np.degrees(np.concatenate([[0.0], np.cumsum(0.5 * (rate[1:] + rate[:-1]) * np.diff(b.time_s))]))
    reps = sim.truth.to_json_obj()["reps"]
    assert len(reps) >= 5
    for rep in reps:
        i0, i1 = np.searchsorted(b.time_s, [rep["start_s"], rep["hold_start_s"]])
        swing = angle[i1] - angle[i0]
        sign = -1.0 if rep["side"] == "right" else 1.0
        assert sign * swing == pytest.approx(rep["peak_angle_deg"], abs=1.0)


def test_knee_roll_to_the_left_turns_the_front_of_the_pelvis_left():
    sensor = SensorConfig(mount="body", **QUIET)  # type: ignore[arg-type]
    sim = simulate(SimulationConfig(seed=2, kind="knee_rolls", sensor=sensor))
    rep = next(r for r in sim.truth.to_json_obj()["reps"] if r["side"] == "left")
    b = sim.block
    assert b.gyr_rad_s is not None
    m = (b.time_s > rep["start_s"]) & (b.time_s < rep["hold_start_s"])
    assert b.gyr_rad_s[m, 2].mean() > 0.05  # positive about body z
    # Supine, anterior points up: rolled left, gravity (up) shows along the body's right, −y.
    i = np.searchsorted(b.time_s, 0.5 * (rep["hold_start_s"] + rep["hold_end_s"]))
    up_b = b.acc_m_s2[i] / np.linalg.norm(b.acc_m_s2[i])
    assert np.degrees(np.arctan2(-up_b[1], up_b[0])) == pytest.approx(rep["peak_angle_deg"], abs=1.0)


def test_lever_arm_adds_the_tangential_term():
    # Supine, the pelvis starts to turn about its superior axis with angular acceleration α: a sensor
    # 0.15 m out along the anterior axis feels α r along the body's left axis.
    t = np.arange(0.0, 2.0, 0.001)
    alpha = 3.0  # rad/s²
    angle = 0.5 * alpha * t**2
    r = POSTURE_ROTATIONS["supine"] * Rotation.from_rotvec(np.outer(angle, [0.0, 0.0, 1.0]))
    pos = np.tile([0.0, 0.0, 0.12], (t.size, 1))
    # Front belt: the screen normal (sensor z) is the anterior axis, so the sensor sits 0.15 m in front.
    cfg = SensorConfig(mount="front-belt", lever_arm_m=(0.15, 0.0, 0.0), **QUIET)  # type: ignore[arg-type]
    block, _ = sense(t, r, pos, cfg, np.random.default_rng(0))
    for t_s in (0.3, 1.0):
        i = np.searchsorted(block.time_s, t_s)
        w = alpha * block.time_s[i]
        g_b = r[int(np.rint(block.time_s[i] * 1000))].inv().apply(UP_W) * STANDARD_GRAVITY_M_S2
        expected_b = g_b + np.array([-(w**2) * 0.15, alpha * 0.15, 0.0])  # centripetal, tangential
        np.testing.assert_allclose(block.acc_m_s2[i], MOUNT_PRESETS["front-belt"].T @ expected_b, atol=2e-3)


def test_noise_bias_scale_and_quantisation():
    cfg = SensorConfig(
        rate_hz=200.0,
        mount="body",
        acc_noise_ug_rthz=300.0,
        gyr_noise_mdps_rthz=10.0,
        acc_bias_m_s2=(0.1, -0.15, 0.05),
        gyr_bias_rad_s=(0.02, 0.0, -0.01),
        scale_error=(0.0, 0.0, 0.02),
        gyr_scale_error=(0.0, 0.0, -0.02),
        packet_loss=0.0,
        jitter_share=0.0,
    )
    block, _ = sense(*_still("standing", 60.0), cfg, np.random.default_rng(1))
    acc_sigma = 300e-6 * STANDARD_GRAVITY_M_S2 * np.sqrt(100.0)  # density × √(rate/2)
    gyr_sigma = np.radians(10e-3) * np.sqrt(100.0)
    assert block.gyr_rad_s is not None
    np.testing.assert_allclose(block.acc_m_s2.std(axis=0), acc_sigma, rtol=0.05)
    np.testing.assert_allclose(block.gyr_rad_s.std(axis=0), gyr_sigma, rtol=0.05)
    np.testing.assert_allclose(
        block.acc_m_s2.mean(axis=0), [0.1, -0.15, 0.05 + 1.02 * STANDARD_GRAVITY_M_S2], atol=0.005
    )
    np.testing.assert_allclose(block.gyr_rad_s.mean(axis=0), [0.02, 0.0, -0.01], atol=5e-4)
    for values, lsb in ((block.acc_m_s2, cfg.acc_lsb_m_s2), (block.gyr_rad_s, cfg.gyr_lsb_rad_s)):
        steps = values / lsb
        np.testing.assert_allclose(steps, np.round(steps), atol=1e-6)


def test_timestamps_jitter_losses_and_clock_origin():
    cfg = SensorConfig(
        rate_hz=50.0,
        jitter_share=0.2,
        samples_per_packet=4,
        packet_loss=0.02,
        loss_burst_max=6,
        clock_origin_s=1.7e9,
        with_gyr=False,
    )
    block, link = sense(*_still("supine", 300.0), cfg, np.random.default_rng(3))
    assert block.gyr_rad_s is None
    t = block.time_s - 1.7e9
    assert abs(t[0]) <= 0.1 * 0.02 + 1e-6  # the clock origin is not zero; jitter ≤ ±10 % of the period
    assert np.all(np.diff(block.time_s) > 0)
    slot = np.round(t * 50.0).astype(int)
    np.testing.assert_allclose(t - slot / 50.0, 0.0, atol=0.1 * 0.02 + 1e-6)
    assert np.abs(t - slot / 50.0).max() > 0.09 * 0.02  # jitter reaches its bound
    # Samples are lost in whole packets of 4, in bursts; the link report counts them.
    n_slots = 300 * 50
    missing = np.setdiff1d(np.arange(n_slots), slot)
    packets = np.unique(missing // 4)
    np.testing.assert_array_equal(missing, (packets[:, np.newaxis] * 4 + np.arange(4)).ravel())
    assert missing.size == link["lost_samples"] > 0
    assert np.diff(slot).max() > 4 + 1  # at least one burst of more than one packet


def test_gyroscope_scale_error_is_its_own():
    t = np.arange(0.0, 2.0, 0.001)
    r = Rotation.from_euler("z", (1.5 * t)[:, np.newaxis])  # standing, turning at 1.5 rad/s
    pos = np.tile([0.0, 0.0, 1.0], (t.size, 1))
    cfg = SensorConfig(
        mount="body",
        lever_arm_m=(0.0, 0.0, 0.0),
        scale_error=(0.0, 0.0, 0.02),
        gyr_scale_error=(0.0, 0.0, -0.01),
        **QUIET,
    )  # type: ignore[arg-type]
    block, _ = sense(t, r, pos, cfg, np.random.default_rng(0))
    assert block.gyr_rad_s is not None
    np.testing.assert_allclose(block.gyr_rad_s[10:-10, 2], 1.5 * 0.99, atol=1e-6)
    np.testing.assert_allclose(block.acc_m_s2[10:-10, 2], STANDARD_GRAVITY_M_S2 * 1.02, atol=1e-6)
