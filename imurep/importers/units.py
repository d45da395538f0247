"""Sanity checks on imported samples: units, gravity, clipping, rate and gaps, read from the data.

Apps label units unreliably (or not at all), so the data is asked too:

- acceleration in g, mg or m/s²: the median of ``|acc|`` is near 1, 1000 or 9.81 when gravity is
  included (a person lying or standing still most of the time);
- acceleration without gravity (linear acceleration): the median of ``|acc|`` is near 0;
- angular rate in deg/s or rad/s: the gyroscope must agree with how fast the gravity direction
  seen by the accelerometer turns; a rate 57 times too large is deg/s read as rad/s. Without
  enough motion to compare, implausibly large rates (> 12 "rad/s" at the 99th percentile) still
  give deg/s away;
- clipping (values stuck at full scale), an unreliable rate (< 20 Hz) and gaps.

Nothing is guessed silently: every unit taken from the data is returned as a warning, and the
importers record it in the metadata.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from imurep.samples import STANDARD_GRAVITY_M_S2, FloatArray, SampleBlock, gap_limit_s

__all__ = [
    "ACC_UNITS",
    "DEG_TO_RAD",
    "GYR_UNITS",
    "TIME_UNITS",
    "AccUnit",
    "AccVerdict",
    "GyrUnit",
    "GyrVerdict",
    "TimeUnit",
    "acc_scale_to_m_s2",
    "check_samples",
    "classify_acc",
    "classify_gyr",
    "gravity_included",
    "gyr_scale_to_rad_s",
    "time_scale_to_s",
]

AccUnit = Literal["m/s2", "g", "mg"]
GyrUnit = Literal["rad/s", "deg/s"]
TimeUnit = Literal["s", "ms", "us", "ns"]
ACC_UNITS: tuple[AccUnit, ...] = ("m/s2", "g", "mg")
GYR_UNITS: tuple[GyrUnit, ...] = ("rad/s", "deg/s")
TIME_UNITS: tuple[TimeUnit, ...] = ("s", "ms", "us", "ns")

DEG_TO_RAD = float(np.pi / 180.0)

# |acc| medians that identify the unit when gravity is included (gravity 9.81 m/s² = 1 g = 1000 mg).
_G_MEDIAN_RANGE = (0.6, 1.6)
_MG_MEDIAN_RANGE = (600.0, 1600.0)
_M_S2_MEDIAN_RANGE = (6.0, 14.0)
# Below this median |acc| (in m/s²) the gravity component is missing.
_GRAVITY_MIN_MEDIAN_M_S2 = 4.0
# Gyroscope/tilt-rate ratio above which the gyroscope is in deg/s (1 for rad/s, 57.3 for deg/s).
_DEG_RATIO_THRESHOLD = 8.0
_TILT_MOVING_RAD_S = 0.3
_MIN_MOVING_S = 1.0
_IMPLAUSIBLE_P99_RAD_S = 12.0
_MIN_RATE_HZ = 20.0
_CLIP_ACC_MIN_M_S2 = 1.9 * STANDARD_GRAVITY_M_S2
_CLIP_GYR_MIN_RAD_S = 2.0
_CLIP_MIN_SAMPLES = 3


def acc_scale_to_m_s2(unit: AccUnit) -> float:
    """Factor that turns acceleration in ``unit`` into m/s²."""
    return {"m/s2": 1.0, "g": STANDARD_GRAVITY_M_S2, "mg": STANDARD_GRAVITY_M_S2 / 1000.0}[unit]


def gyr_scale_to_rad_s(unit: GyrUnit) -> float:
    """Factor that turns angular rate in ``unit`` into rad/s."""
    return {"rad/s": 1.0, "deg/s": DEG_TO_RAD}[unit]


def time_scale_to_s(unit: TimeUnit) -> float:
    """Factor that turns a time in ``unit`` into seconds."""
    return {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}[unit]


@dataclass(frozen=True)
class AccVerdict:
    """What the accelerometer data says about its unit.

    Attributes
    ----------
    unit
        ``"g"``, ``"mg"`` or ``"m/s2"`` when gravity is included and the magnitude fits one of
        them; ``None`` otherwise.
    gravity
        ``False`` when the median magnitude is near 0 in either unit (no gravity component).
    median_norm
        Median of ``|acc|``, in the data's own unit.
    """

    unit: AccUnit | None
    gravity: bool
    median_norm: float

    def describe(self) -> str:
        return f"median |acc| = {self.median_norm:.3g}"


def classify_acc(acc: FloatArray) -> AccVerdict:
    """Tell g, mg and m/s² apart, and gravity-included from linear acceleration.

    Parameters
    ----------
    acc
        (N, 3) acceleration in an unknown unit (g, mg or m/s²).
    """
    finite = acc[np.all(np.isfinite(acc), axis=1)]
    if finite.shape[0] == 0:
        return AccVerdict(None, False, float("nan"))
    norm = np.linalg.norm(finite, axis=1)
    median = float(np.median(norm))
    p10 = float(np.percentile(norm, 10))
    if _G_MEDIAN_RANGE[0] <= median <= _G_MEDIAN_RANGE[1] and p10 >= 0.3:
        return AccVerdict("g", True, median)
    if _M_S2_MEDIAN_RANGE[0] <= median <= _M_S2_MEDIAN_RANGE[1]:
        return AccVerdict("m/s2", True, median)
    if _MG_MEDIAN_RANGE[0] <= median <= _MG_MEDIAN_RANGE[1] and p10 >= 300.0:
        return AccVerdict("mg", True, median)
    if median < _G_MEDIAN_RANGE[0] or (median < _GRAVITY_MIN_MEDIAN_M_S2 and p10 < 0.3):
        return AccVerdict(None, False, median)
    return AccVerdict(None, True, median)


def gravity_included(acc_m_s2: FloatArray) -> bool:
    """Whether (N, 3) acceleration in m/s² includes gravity (median ``|acc|`` ≥ 4 m/s²)."""
    finite = acc_m_s2[np.all(np.isfinite(acc_m_s2), axis=1)]
    if finite.shape[0] == 0:
        return False
    return float(np.median(np.linalg.norm(finite, axis=1))) >= _GRAVITY_MIN_MEDIAN_M_S2


@dataclass(frozen=True)
class GyrVerdict:
    """What the gyroscope data says about its unit.

    Attributes
    ----------
    unit
        ``"rad/s"``, ``"deg/s"``, or ``None`` when the data cannot tell.
    reason
        The evidence, for warnings.
    """

    unit: GyrUnit | None
    reason: str


def classify_gyr(time_s: FloatArray, acc_m_s2: FloatArray, gyr: FloatArray) -> GyrVerdict:
    """Tell deg/s from rad/s by comparing the gyroscope with the turning of gravity.

    Parameters
    ----------
    time_s
        (N,) sample times, s, increasing.
    acc_m_s2
        (N, 3) acceleration including gravity, m/s² (any constant scale works).
    gyr
        (N, 3) angular rate in an unknown unit (rad/s or deg/s), same times.
    """
    norm = np.linalg.norm(gyr, axis=1)
    finite = np.isfinite(norm)
    if not finite.any():
        return GyrVerdict(None, "no finite gyroscope values")
    p99 = float(np.percentile(norm[finite], 99))
    ratio, moving_s = _gyr_tilt_ratio(time_s, acc_m_s2, norm)
    if moving_s >= _MIN_MOVING_S and np.isfinite(ratio):
        unit: GyrUnit = "deg/s" if ratio > _DEG_RATIO_THRESHOLD else "rad/s"
        return GyrVerdict(
            unit,
            f"|gyro| is {ratio:.3g} times the turning rate of gravity over {moving_s:.1f} s of motion "
            f"(about 1 for rad/s, 57 for deg/s)",
        )
    if p99 > _IMPLAUSIBLE_P99_RAD_S:
        return GyrVerdict("deg/s", f"99th percentile |gyro| = {p99:.3g}, implausible in rad/s")
    return GyrVerdict(None, f"too little motion to compare (99th percentile |gyro| = {p99:.3g})")


def _gyr_tilt_ratio(time_s: FloatArray, acc: FloatArray, gyr_norm: FloatArray) -> tuple[float, float]:
    """Sum of |gyro| over sum of the gravity-direction turning rate, where the sensor turns."""
    n = time_s.shape[0]
    if n < 10:
        return float("nan"), 0.0
    dt = float(np.median(np.diff(time_s)))
    if not np.isfinite(dt) or dt <= 0:
        return float("nan"), 0.0
    k = max(1, round(0.1 / dt))
    # Smooth over ~0.1 s so sensor noise does not look like turning.
    kernel = np.ones(k) / k
    smooth = np.column_stack([np.convolve(acc[:, j], kernel, mode="valid") for j in range(3)])
    length = np.linalg.norm(smooth, axis=1)
    ok = length > 1e-9
    unit_vec = np.where(ok[:, None], smooth / np.where(ok, length, 1.0)[:, None], np.nan)
    t_mid = np.convolve(time_s, kernel, mode="valid")
    g_mid = np.convolve(gyr_norm, kernel, mode="valid")
    if unit_vec.shape[0] <= k:
        return float("nan"), 0.0
    a, b = unit_vec[:-k], unit_vec[k:]
    cos = np.clip(np.sum(a * b, axis=1), -1.0, 1.0)
    span = t_mid[k:] - t_mid[:-k]
    with np.errstate(invalid="ignore", divide="ignore"):
        tilt_rate = np.arccos(cos) / span
    g_avg = 0.5 * (g_mid[k:] + g_mid[:-k])
    moving = np.isfinite(tilt_rate) & np.isfinite(g_avg) & (tilt_rate > _TILT_MOVING_RAD_S) & (span > 0)
    if not moving.any():
        return float("nan"), 0.0
    moving_s = float(np.count_nonzero(moving)) * dt
    return float(np.sum(g_avg[moving]) / np.sum(tilt_rate[moving])), moving_s


def check_samples(block: SampleBlock) -> list[str]:
    """Warnings about a converted block: rate, gaps, clipping, missing gravity.

    Parameters
    ----------
    block
        Samples in SI units (m/s², rad/s).

    Returns
    -------
    One line per problem found (empty when none).
    """
    warnings: list[str] = []
    n = len(block)
    if n < 2:
        return [f"only {n} sample(s)"]
    dt = np.diff(block.time_s)
    median_dt = float(np.median(dt))
    rate_hz = 1.0 / median_dt if median_dt > 0 else float("inf")
    if rate_hz < _MIN_RATE_HZ:
        warnings.append(f"sampling rate {rate_hz:.3g} Hz is below {_MIN_RATE_HZ:.0f} Hz: timings unreliable")
    gap_s = gap_limit_s(median_dt)
    gaps = np.flatnonzero(dt > gap_s)
    if gaps.size:
        worst = int(gaps[np.argmax(dt[gaps])])
        warnings.append(
            f"{gaps.size} gap(s) longer than {gap_s:.3g} s, the longest {dt[worst]:.3g} s "
            f"after t = {block.time_s[worst]:.3f} s"
        )
    p10, p90 = np.percentile(dt, [10, 90])
    if p10 > 0 and p90 / p10 > 2.0:
        warnings.append(
            f"uneven sampling: intervals range {p10 * 1e3:.3g}-{p90 * 1e3:.3g} ms (10th-90th percentile)"
        )
    if not gravity_included(block.acc_m_s2):
        warnings.append("acceleration seems to lack gravity (median |acc| below 4 m/s²)")
    warnings += _clipping(block.acc_m_s2, "acc", "m/s²", _CLIP_ACC_MIN_M_S2)
    if block.gyr_rad_s is not None:
        warnings += _clipping(block.gyr_rad_s, "gyr", "rad/s", _CLIP_GYR_MIN_RAD_S)
    return warnings


def _clipping(values: FloatArray, name: str, unit: str, min_full_scale: float) -> list[str]:
    out: list[str] = []
    for j, axis in enumerate("xyz"):
        col = np.abs(values[:, j])
        peak = float(np.max(col)) if col.size else 0.0
        if peak < min_full_scale:
            continue
        at_peak = col >= peak * (1.0 - 1e-6)
        # Stuck: two or more consecutive samples at the extreme value.
        stuck = at_peak[1:] & at_peak[:-1]
        count = int(np.count_nonzero(at_peak)) if stuck.any() else 0
        if count >= _CLIP_MIN_SAMPLES:
            out.append(
                f"{name}_{axis} stays at ±{peak:.4g} {unit} in {count} samples: the sensor's full "
                f"scale was reached (clipped), peaks there are cut off"
            )
    return out
