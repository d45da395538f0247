"""Gravity-direction estimators compared on simulated recordings with known orientation.

    python benchmarks/bench_gravity.py [--recordings 6]

For each recording (gyroscope present), the true direction of *up* in the sensor frame is known
from the simulator. Compared, in the same process:

- ``lowpass``: the pipeline's causal 2nd-order Butterworth low-pass of the accelerometer
  (imurep.pipeline.gravity), accelerometer only;
- ``imufusion``: the AHRS of xioTechnologies' Fusion (imufusion), accelerometer + gyroscope,
  updated per sample.

Printed: the angle error of each against the truth (median and 95th percentile over all samples,
and during movement only), and the time per hour of 100 Hz data. The pipeline keeps the measured
winner for its purpose (counting and timing reps under the speed budget); see the README.
"""

from __future__ import annotations

import argparse
import sys
import time

try:
    import imufusion
except ImportError:  # a benchmark-only dependency, not installed with the package
    sys.exit("bench_gravity.py needs imufusion: .venv/bin/pip install -e '.[bench]'")
import numpy as np

from imurep.pipeline.gravity import GravityStage
from imurep.samples import STANDARD_GRAVITY_M_S2
from imurep.sim import random_config, simulate
from imurep.sim.sensor import body_from_sensor
from imurep.sim.session import build_timeline


def true_up_sensor(seed: int, kind: str, t_s: np.ndarray, origin_s: float, cfg) -> np.ndarray:  # type: ignore[no-untyped-def]
    tl = build_timeline(cfg)
    t_fine, world_from_body, _ = tl.arrays()
    p = body_from_sensor(cfg.sensor)
    up_body = world_from_body.inv().apply(np.tile([0.0, 0.0, 1.0], (len(t_fine), 1)))
    up_sensor = up_body @ p  # p^T applied to each row
    tt = t_s - origin_s
    return np.column_stack([np.interp(tt, t_fine, up_sensor[:, k]) for k in range(3)])


def angle_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return np.degrees(np.arccos(np.clip(np.sum(a * b, axis=1), -1.0, 1.0)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--recordings", type=int, default=6)
    args = ap.parse_args()
    errs: dict[str, list[np.ndarray]] = {"lowpass": [], "imufusion": []}
    moving: list[np.ndarray] = []
    moving_lp: list[np.ndarray] = []
    times = {"lowpass": 0.0, "imufusion": 0.0}
    samples = 0
    for i in range(args.recordings):
        seed = 500 + i
        kind = ("knee_rolls", "heels_stretch", "session")[i % 3]
        cfg = random_config(seed, kind=kind, with_gyr=True)  # type: ignore[arg-type]
        sim = simulate(cfg)
        b = sim.block
        assert b.gyr_rad_s is not None
        truth = true_up_sensor(seed, kind, b.time_s, cfg.sensor.clock_origin_s, cfg)
        samples += len(b)

        t0 = time.perf_counter()
        stage = GravityStage(2.5, 25.0)
        out = stage.process(b)
        times["lowpass"] += time.perf_counter() - t0
        assert out is not None
        # Compare on the control grid (delay-corrected times).
        tr = np.column_stack([np.interp(out.time_s, b.time_s, truth[:, k]) for k in range(3)])
        errs["lowpass"].append(angle_deg(out.acc_lp_m_s2, tr))
        speed_b = np.degrees(np.linalg.norm(b.gyr_rad_s, axis=1))
        moving_lp.append(np.interp(out.time_s, b.time_s, speed_b) > 15.0)

        t0 = time.perf_counter()
        ahrs = imufusion.Ahrs()
        settings = imufusion.AhrsSettings()
        settings.convention = imufusion.CONVENTION_NWU
        settings.gain = 0.5
        settings.gyroscope_range = 2000
        settings.acceleration_rejection = 10
        settings.magnetic_rejection = 0
        settings.sample_rate = int(cfg.sensor.rate_hz)
        settings.rejection_timeout = int(5 * cfg.sensor.rate_hz)
        ahrs.set_settings(settings)
        # Fusion's gyroscope bias estimator (learns the offset whenever the sensor is still).
        bias = imufusion.Bias()
        bias_settings = imufusion.BiasSettings()
        bias_settings.sample_rate = int(cfg.sensor.rate_hz)
        bias.set_settings(bias_settings)
        est = np.empty((len(b), 3))
        dts = np.diff(b.time_s, prepend=b.time_s[0] - 1.0 / cfg.sensor.rate_hz)
        gyr_dps = np.degrees(b.gyr_rad_s)
        acc_g = b.acc_m_s2 / STANDARD_GRAVITY_M_S2
        for k in range(len(b)):
            ahrs.set_sample_period(float(dts[k]))  # per-sample period: jittery timestamps
            ahrs.update_no_magnetometer(bias.update(gyr_dps[k]), acc_g[k])
            est[k] = ahrs.get_gravity()  # direction of up (gravity reaction) in sensor axes
        times["imufusion"] += time.perf_counter() - t0
        errs["imufusion"].append(angle_deg(est, truth))
        speed = np.degrees(np.linalg.norm(b.gyr_rad_s, axis=1))
        moving.append(speed > 15.0)

    hour = 360_000 / samples
    print(f"{args.recordings} simulated recordings with gyroscope, {samples} samples")
    print(f"{'estimator':10s} {'median':>8s} {'p95':>8s} {'moving p95':>11s} {'s per 100 Hz hour':>18s}")
    mv = np.concatenate(moving)
    for name in ("lowpass", "imufusion"):
        e = np.concatenate(errs[name])
        e_mv = e[mv] if name == "imufusion" else e[np.concatenate(moving_lp)]
        print(
            f"{name:10s} {np.median(e):8.2f} {np.percentile(e, 95):8.2f} {np.percentile(e_mv, 95):11.2f} "
            f"{times[name] * hour:18.2f}"
        )
    print(f"ratio of times imufusion/lowpass: {times['imufusion'] / times['lowpass']:.1f}")


if __name__ == "__main__":
    main()
