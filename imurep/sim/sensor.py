"""The sensor: specific force and angular rate at the sensor, then the IMU's and the link's flaws."""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from imurep.mounting_presets import parse_mount
from imurep.samples import STANDARD_GRAVITY_M_S2, FloatArray, SampleBlock
from imurep.sim.config import SensorConfig
from imurep.sim.quaternions import quat_mul

__all__ = ["body_from_sensor", "sense"]

_ACC_FULL_SCALE_M_S2 = 8 * STANDARD_GRAVITY_M_S2
_GYR_FULL_SCALE_RAD_S = np.radians(2000.0)


def body_from_sensor(sensor: SensorConfig) -> FloatArray:
    """The true mounting: the preset, then the strap's misalignment about the sensor's own axes.

    Returns
    -------
    (3, 3) ``R_body_from_sensor`` (body vector = R @ sensor vector).
    """
    mis = Rotation.from_euler("xyz", sensor.misalignment_deg, degrees=True).as_matrix()
    return np.asarray(parse_mount(sensor.mount) @ mis)


def sense(
    t_fine_s: FloatArray,
    world_from_body: Rotation,
    pelvis_pos_m: FloatArray,
    sensor: SensorConfig,
    rng: np.random.Generator,
) -> tuple[SampleBlock, dict[str, float]]:
    """Sample the moving pelvis with the sensor described by ``sensor``.

    Specific force = R_sensor←world · (d²p_sensor/dt² + g·up), where p_sensor is the pelvis centre
    plus the lever arm (the sensor sits on the belt, off the pelvis centre). Angular rate = the
    body's rate, in sensor axes. Then: scale error, bias, white noise, quantisation, clipping, at
    regular true sampling instants whose reported timestamps jitter; packets lost in bursts.

    Parameters
    ----------
    t_fine_s
        (M,) the fine time grid, s from 0, evenly spaced (1 kHz in the simulator).
    world_from_body
        M pelvis orientations on that grid.
    pelvis_pos_m
        (M, 3) pelvis-centre position in world axes (z up), m.
    sensor
        The IMU, its mounting and its link.
    rng
        Noise, jitter and loss draws.

    Returns
    -------
    block
        The delivered samples (:class:`~imurep.samples.SampleBlock`), clock origin added.
    link
        ``lost_samples`` and ``lost_packets``.
    """
    p = body_from_sensor(sensor)
    dt = float(t_fine_s[1] - t_fine_s[0])
    # Lever arm: outward from the pelvis centre along the sensor's screen normal (its z axis), plus
    # small offsets along body left and superior (where on the belt it sits).
    lever_x, lever_y, lever_z = sensor.lever_arm_m
    lever_b = lever_x * p[:, 2] + np.array([0.0, lever_y, lever_z])
    p_sensor = pelvis_pos_m + world_from_body.apply(lever_b)
    acc_w = np.gradient(np.gradient(p_sensor, dt, axis=0), dt, axis=0)
    f_w = acc_w + np.array([0.0, 0.0, STANDARD_GRAVITY_M_S2])
    # Specific force in body axes, then sensor axes: f_s = Pᵀ R_bodyᵀ f_w.
    f_s = world_from_body.apply(f_w, inverse=True) @ p
    # Body rate from consecutive orientations: R_i^T R_{i+1} = exp(ω dt), at the midpoints.
    q = world_from_body.as_quat()
    q_inv = q * np.array([-1.0, -1.0, -1.0, 1.0])
    rel = Rotation.from_quat(quat_mul(q_inv[:-1], q[1:])).as_rotvec() / dt
    w_b = np.vstack([rel[:1], 0.5 * (rel[1:] + rel[:-1]), rel[-1:]])
    w_s = w_b @ p  # (p^T ω)^T

    period = 1.0 / sensor.rate_hz
    t_true = np.arange(0.0, t_fine_s[-1], period)
    acc = np.column_stack([np.interp(t_true, t_fine_s, f_s[:, k]) for k in range(3)])
    gyr = np.column_stack([np.interp(t_true, t_fine_s, w_s[:, k]) for k in range(3)])

    n = t_true.size
    acc_sigma = sensor.acc_noise_ug_rthz * 1e-6 * STANDARD_GRAVITY_M_S2 * np.sqrt(sensor.rate_hz / 2)
    gyr_sigma = np.radians(sensor.gyr_noise_mdps_rthz * 1e-3) * np.sqrt(sensor.rate_hz / 2)
    acc = (
        acc * (1.0 + np.asarray(sensor.scale_error))
        + sensor.acc_bias_m_s2
        + rng.normal(0.0, acc_sigma, (n, 3))
    )
    gyr = (
        gyr * (1.0 + np.asarray(sensor.gyr_scale_error))
        + sensor.gyr_bias_rad_s
        + rng.normal(0.0, gyr_sigma, (n, 3))
    )
    acc = np.clip(
        np.round(acc / sensor.acc_lsb_m_s2) * sensor.acc_lsb_m_s2, -_ACC_FULL_SCALE_M_S2, _ACC_FULL_SCALE_M_S2
    )
    gyr = np.clip(
        np.round(gyr / sensor.gyr_lsb_rad_s) * sensor.gyr_lsb_rad_s,
        -_GYR_FULL_SCALE_RAD_S,
        _GYR_FULL_SCALE_RAD_S,
    )

    # Reported timestamps jitter around the true instants (less than half a period: still increasing).
    jitter = rng.uniform(-0.5, 0.5, n) * min(sensor.jitter_share, 0.45) * period
    t_rep = t_true + jitter
    # Lost packets, in bursts.
    keep = np.ones(n, dtype=bool)
    k = sensor.samples_per_packet
    n_packets = (n + k - 1) // k
    i = 0
    lost_packets = 0
    while i < n_packets:
        if rng.random() < sensor.packet_loss:
            burst = int(rng.integers(1, sensor.loss_burst_max + 1))
            keep[i * k : (i + burst) * k] = False
            lost_packets += burst
            i += burst
        else:
            i += 1
    keep[:k] = True  # the recording starts with its first packet
    block = SampleBlock(
        t_rep[keep] + sensor.clock_origin_s,
        acc[keep],
        gyr[keep] if sensor.with_gyr else None,
    )
    return block, {"lost_samples": float(n - int(keep.sum())), "lost_packets": float(lost_packets)}
