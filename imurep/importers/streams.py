"""One sensor's samples as an export holds them, and the merge of two sensors onto one timebase.

Phones and loggers write the accelerometer and the gyroscope as separate streams with their own
timestamps and rates. The accelerometer's timestamps become the timebase; the gyroscope is
linearly interpolated onto them and only the time range both cover is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from imurep.errors import InputError
from imurep.samples import FloatArray

__all__ = ["MergeResult", "Stream", "clean_stream", "merge_onto_acc"]

# No IMU reports 1e9 of anything (in mg, deg/s or m/s²), and no clock reads beyond year 30000.
_MAX_ABS_VALUE = 1e9
_MAX_ABS_TIME_S = 1e12


@dataclass(frozen=True)
class Stream:
    """Samples of one sensor, in the file's own unit.

    Attributes
    ----------
    time_s
        (N,) sample times, s.
    values
        (N, 3) x, y, z in the file's unit.
    source
        File the samples came from (for messages).
    first_line
        1-based file line of row 0 (rows are consecutive lines after it).
    """

    time_s: FloatArray
    values: FloatArray
    source: str
    first_line: int

    def __len__(self) -> int:
        return int(self.time_s.shape[0])


def clean_stream(stream: Stream, what: str) -> tuple[Stream, list[str]]:
    """Check a stream's times and values; drop exact repeats and trailing padding.

    Trailing rows that are all ``NaN`` (phyphox pads short columns so) are dropped. A repeated
    timestamp (loggers with millisecond clocks) keeps its first sample, with a warning.

    Raises
    ------
    InputError
        ``NaN`` or infinite values before the end, time going backwards, or fewer than 2 samples.
    """
    t, v = stream.time_s, stream.values
    row_ok = np.isfinite(t) & np.all(np.isfinite(v), axis=1)
    if not row_ok.all():
        last_ok = int(np.flatnonzero(row_ok)[-1]) if row_ok.any() else -1
        bad_before_end = np.flatnonzero(~row_ok[: last_ok + 1])
        if bad_before_end.size:
            i = int(bad_before_end[0])
            raise InputError(
                f"{what}: a time or value is missing (NaN or infinite); every row needs all of them",
                stream.source,
                stream.first_line + i,
            )
        t, v = t[: last_ok + 1], v[: last_ok + 1]
    huge = np.flatnonzero(np.any(np.abs(v) > _MAX_ABS_VALUE, axis=1) | (np.abs(t) > _MAX_ABS_TIME_S))
    if huge.size:
        i = int(huge[0])
        raise InputError(
            f"{what}: time {t[i]:.6g} or values {v[i].tolist()} are implausibly large (not sensor data)",
            stream.source,
            stream.first_line + i,
        )
    warnings: list[str] = []
    if t.shape[0] < 2:
        raise InputError(f"{what}: expected at least 2 samples, found {t.shape[0]}", stream.source)
    dt = np.diff(t)
    back = np.flatnonzero(dt < 0)
    if back.size:
        i = int(back[0]) + 1
        raise InputError(
            f"{what}: time goes backwards ({t[i]:.6f} s after {t[i - 1]:.6f} s); times must increase",
            stream.source,
            stream.first_line + i,
        )
    repeat = np.flatnonzero(dt == 0) + 1
    if repeat.size:
        keep = np.ones(t.shape[0], dtype=bool)
        keep[repeat] = False
        t, v = t[keep], v[keep]
        warnings.append(
            f"{what}: {repeat.size} sample(s) repeat the previous timestamp; kept the first of each"
        )
        if t.shape[0] < 2:
            raise InputError(f"{what}: all samples share one timestamp", stream.source)
    return Stream(t, v, stream.source, stream.first_line), warnings


@dataclass(frozen=True)
class MergeResult:
    """Accelerometer and gyroscope on the accelerometer's timebase.

    Attributes
    ----------
    time_s
        (M,) accelerometer times inside the overlap, s.
    acc
        (M, 3) accelerometer values (unit unchanged).
    gyr
        (M, 3) gyroscope values interpolated onto ``time_s`` (unit unchanged).
    note
        One line for the metadata: what was interpolated and what was kept.
    warnings
        Gyroscope gaps bridged by the interpolation.
    """

    time_s: FloatArray
    acc: FloatArray
    gyr: FloatArray
    note: str
    warnings: list[str]


def merge_onto_acc(acc: Stream, gyr: Stream, max_gap_s: float = 0.25) -> MergeResult:
    """Interpolate the gyroscope onto the accelerometer's times, keeping only the overlap.

    Raises
    ------
    InputError
        The two streams do not overlap in time (different clocks, or different recordings).
    """
    ta, tg = acc.time_s, gyr.time_s
    if ta.shape == tg.shape and np.array_equal(ta, tg):
        return MergeResult(ta, acc.values, gyr.values, "accelerometer and gyroscope share timestamps", [])
    lo, hi = max(ta[0], tg[0]), min(ta[-1], tg[-1])
    if hi <= lo:
        raise InputError(
            f"accelerometer ({ta[0]:.3f} to {ta[-1]:.3f} s) and gyroscope ({gyr.source}: "
            f"{tg[0]:.3f} to {tg[-1]:.3f} s) do not overlap in time: not one recording, or "
            "different clocks",
            acc.source,
        )
    keep = (ta >= lo) & (ta <= hi)
    t = ta[keep]
    if t.shape[0] < 2:
        raise InputError("accelerometer and gyroscope overlap for fewer than 2 samples", acc.source)
    g = np.column_stack([np.interp(t, tg, gyr.values[:, j]) for j in range(3)])
    rate_a = 1.0 / float(np.median(np.diff(ta)))
    rate_g = 1.0 / float(np.median(np.diff(tg)))
    dropped = int(ta.shape[0] - t.shape[0])
    note = (
        f"gyroscope ({rate_g:.4g} Hz) linearly interpolated onto accelerometer times ({rate_a:.4g} Hz); "
        f"kept the overlap {lo:.3f} to {hi:.3f} s, dropped {dropped} accelerometer sample(s) outside it"
    )
    warnings: list[str] = []
    inside = (tg >= lo) & (tg <= hi)
    gaps = np.diff(tg[inside]) if inside.sum() > 1 else np.empty(0)
    big = gaps > max(max_gap_s, 5.0 / rate_g)
    if big.any():
        warnings.append(
            f"gyroscope has {int(big.sum())} gap(s) up to {float(gaps.max()):.3g} s, bridged by "
            "straight-line interpolation"
        )
    return MergeResult(t, acc.values[keep], g, note, warnings)
