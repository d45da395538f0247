"""Gravity direction: a causal low-pass filter on the accelerometer, resampled to the control rate.

The filter state is carried between blocks (``scipy.signal.sosfilt`` with ``zi``), and the
control-rate grid is anchored to the first sample's time, so any chunking of the input gives
bit-identical output.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from imurep.errors import InputError
from imurep.pipeline.butterworth import butter_sos, step_zi
from imurep.pipeline.iir import SosState
from imurep.pipeline.timebase import RATE_ESTIMATE_SAMPLES, estimate_rate_hz
from imurep.samples import FloatArray, SampleBlock, gap_limit_s

__all__ = ["ControlBlock", "GravityStage", "lowpass_delay_s"]

# Accelerometer content above this is not a pelvis exercise movement (those stay below ~2 Hz).
MOTION_BAND_HZ = 5.0
_MOTION_SMOOTH_HZ = 1.0
# The control grid is interpolated across steps up to this long (a short gap, whose filtered
# signal changes little); grid points in a longer step are left out.
_MAX_INTERP_STEP_S = 0.3
# Above this the low-pass (2.5 Hz) cannot be designed in float64: no IMU streams that fast, Hz.
MAX_RATE_HZ = 100_000.0


@dataclass(frozen=True)
class ControlBlock:
    """Low-passed samples on the control-rate grid.

    Attributes
    ----------
    time_s
        (M,) grid times, s, recording time base (already shifted back by the filter delay).
    acc_lp_m_s2
        (M, 3) low-passed specific force, sensor frame, m/s².
    gyr_lp_rad_s
        (M, 3) low-passed angular rate, sensor frame, rad/s, or ``None``.
    motion_rms_m_s2
        (M,) RMS of the accelerometer above :data:`MOTION_BAND_HZ` (steps, impacts, shaking),
        smoothed over about a second, m/s². Whole-body exercise movements are far slower.
    """

    time_s: FloatArray
    acc_lp_m_s2: FloatArray
    gyr_lp_rad_s: FloatArray | None
    motion_rms_m_s2: FloatArray

    def __len__(self) -> int:
        return int(self.time_s.shape[0])


def lowpass_delay_s(cutoff_hz: float) -> float:
    """Low-frequency group delay of a 2nd-order Butterworth low-pass, s (√2 / (2π f_c))."""
    return math.sqrt(2.0) / (2.0 * math.pi * cutoff_hz)


class GravityStage:
    """Stateful: low-pass filter and control-rate resampling.

    Parameters
    ----------
    lowpass_hz
        Filter cut-off, Hz.
    control_rate_hz
        Output grid rate, Hz.
    """

    def __init__(self, lowpass_hz: float, control_rate_hz: float) -> None:
        self.lowpass_hz = lowpass_hz
        self.control_period_s = 1.0 / control_rate_hz
        self.reset()

    def reset(self) -> None:
        self._pending: list[SampleBlock] = []
        self._sos: FloatArray | None = None
        # Low-pass of acc (rows 0-2) and gyr (rows 3-5, when present) through one filter call.
        self._lp: SosState | None = None
        self._hp: SosState | None = None
        self._hp_unit_zi: FloatArray | None = None
        self._smooth: SosState | None = None
        self._last_motion = 0.0
        self._delay_s = 0.0
        self._grid_t0_s = 0.0
        self._next_grid_k = 0
        self._last_t_s: float | None = None
        # Low-passed channels of the last sample (acc, gyr), carried for interpolation.
        self._last_lp: FloatArray | None = None
        self.nominal_rate_hz: float | None = None

    @property
    def delay_s(self) -> float:
        """Delay of the low-pass filter at the stream's rate, s (0 before the first block)."""
        return self._delay_s

    def process(self, block: SampleBlock) -> ControlBlock | None:
        """Filter one block; returns the new control-rate samples (``None`` while warming up)."""
        if self._lp is None:
            self._pending.append(block)
            if sum(len(b) for b in self._pending) < RATE_ESTIMATE_SAMPLES:
                return None
            block = SampleBlock.concat(self._pending)
            self._pending = []
            self._start(block)
        return self._run(block)

    def flush(self) -> ControlBlock | None:
        """Process samples held back for the rate estimate (end of a short stream)."""
        if self._lp is None and self._pending:
            block = SampleBlock.concat(self._pending)
            self._pending = []
            if len(block) < 2:
                return None
            self._start(block)
            return self._run(block)
        return None

    def _start(self, block: SampleBlock) -> None:
        fs = estimate_rate_hz(block.time_s)
        if not fs <= MAX_RATE_HZ:
            raise InputError(
                f"sample rate {fs:.6g} Hz (from the first samples' times) is beyond {MAX_RATE_HZ:g} Hz: "
                "times must be seconds (convert them, or drop the repeated first samples)"
            )
        self.nominal_rate_hz = fs
        cutoff_hz = min(self.lowpass_hz, 0.4 * fs)
        self._delay_s = lowpass_delay_s(cutoff_hz)
        self._sos = butter_sos(2, cutoff_hz, fs)
        # Every filter starts in its steady state for the first sample (no start-up transient).
        first = block.acc_m_s2[0]
        if block.gyr_rad_s is not None:
            first = np.concatenate((first, block.gyr_rad_s[0]))
        self._lp = SosState(self._sos, _steady_zi(self._sos, first))
        hp_hz = min(MOTION_BAND_HZ, 0.4 * fs)
        sos_hp = butter_sos(2, hp_hz, fs, "highpass")
        self._hp = SosState(sos_hp, _steady_zi(sos_hp, block.acc_m_s2[0]))
        self._hp_unit_zi = step_zi(sos_hp)[np.newaxis]
        sos_smooth = butter_sos(1, min(_MOTION_SMOOTH_HZ, 0.4 * fs), fs)
        self._smooth = SosState(sos_smooth, np.zeros((1, sos_smooth.shape[0], 2)))
        self._grid_t0_s = float(block.time_s[0])
        self._next_grid_k = 0

    def _highpass(self, t: FloatArray, acc_cm: FloatArray) -> None:
        """Accelerometer above :data:`MOTION_BAND_HZ`, in place, restarted after each gap in the data.

        A gap (lost packets) is a step in the signal, not a movement: across it the filter starts
        afresh from the first sample after the gap, so lost data never counts as shaking.

        Parameters
        ----------
        t
            (N,) sample times, s.
        acc_cm
            (3, N) C-contiguous accelerometer, channel-major, m/s²; replaced by its high-pass.
        """
        hp, unit = self._hp, self._hp_unit_zi
        assert hp is not None and unit is not None and self.nominal_rate_hz
        gap_s = gap_limit_s(1.0 / self.nominal_rate_hz)
        prev_t = self._last_t_s if self._last_t_s is not None else float(t[0])
        step = np.empty(t.shape[0])
        step[0] = t[0] - prev_t
        np.subtract(t[1:], t[:-1], out=step[1:])
        gaps = step > gap_s
        if not gaps.any():
            hp.filter_inplace(acc_cm)
            return
        starts = np.flatnonzero(gaps).tolist()
        for a, b in itertools.pairwise([0, *starts, t.shape[0]]):
            if b <= a:
                continue
            if a in starts:
                hp.zi = np.ascontiguousarray(unit * acc_cm[:, a, np.newaxis, np.newaxis])
            part = np.ascontiguousarray(acc_cm[:, a:b])
            hp.filter_inplace(part)
            acc_cm[:, a:b] = part

    def _run(self, block: SampleBlock) -> ControlBlock:
        lp, smooth = self._lp, self._smooth
        assert lp is not None and smooth is not None
        t = block.time_s
        n = t.shape[0]
        # Channel-major copies (the filters run in place): row c of x is channel c over time.
        x = np.empty((lp.channels, n))
        x[:3] = block.acc_m_s2.T
        has_gyr = lp.channels == 6
        if has_gyr:
            if block.gyr_rad_s is None:
                raise ValueError("a block without gyroscope after blocks with one")
            x[3:] = block.gyr_rad_s.T
        hf = np.array(x[:3])
        lp.filter_inplace(x)
        self._highpass(t, hf)
        # Summed row by row in order, as hf[0]² + hf[1]² + hf[2]² (the same bits).
        motion_sq = np.add.reduce(hf * hf, axis=0)
        smooth.filter_inplace(motion_sq[np.newaxis])
        motion = np.sqrt(np.maximum(motion_sq, 0.0))
        if self._last_t_s is not None and self._last_lp is not None:
            t = np.concatenate(([self._last_t_s], t))
            x = np.concatenate((self._last_lp[:, np.newaxis], x), axis=1)
            motion = np.concatenate(([self._last_motion], motion))
        # Grid points in (t[0], t[-1]] (or [t[0], t[-1]] for the very first block), beside samples.
        k_last = math.floor((t[-1] - self._grid_t0_s) / self.control_period_s + 1e-9)
        ks = _grid_beside_samples(t, self._grid_t0_s, self.control_period_s, self._next_grid_k, k_last)
        grid_t: FloatArray = self._grid_t0_s + ks.astype(np.float64) * self.control_period_s
        self._next_grid_k = k_last + 1
        if t.shape[0] > 1 and grid_t.size:
            idx = np.minimum(np.maximum(np.searchsorted(t, grid_t, side="left"), 1), t.shape[0] - 1)
            before = idx - 1
            t0 = t[before]
            span = t[idx] - t0
            w = np.minimum(np.maximum((grid_t - t0) / span, 0.0), 1.0)
            out = (x[:, before] * (1.0 - w) + x[:, idx] * w).T
            out_motion = motion[idx]
            keep = span <= _MAX_INTERP_STEP_S
        else:
            out = np.repeat(x[:, -1:].T, grid_t.size, axis=0)
            out_motion = np.repeat(motion[-1:], grid_t.size)
            keep = np.ones(grid_t.size, dtype=bool)
        self._last_t_s = float(t[-1])
        self._last_lp = x[:, -1].copy()
        self._last_motion = float(motion[-1])
        if not keep.all():
            grid_t, out, out_motion = grid_t[keep], out[keep], out_motion[keep]
        return ControlBlock(
            grid_t - self._delay_s,
            np.ascontiguousarray(out[:, :3]),
            np.ascontiguousarray(out[:, 3:]) if has_gyr else None,
            out_motion,
        )


def _grid_beside_samples(
    t: FloatArray, t0_s: float, period_s: float, k_first: int, k_last: int
) -> NDArray[np.int64]:
    """Indices ``k`` in ``[k_first, k_last]`` of grid points ``t0_s + k period_s`` beside samples.

    Only grid points within a run of samples (steps of at most :data:`_MAX_INTERP_STEP_S`) can be
    kept, so only those are made, with one point of margin at each end of a run (the caller
    decides exactly): a gap of any length costs nothing, and the count is bounded by the samples
    (at most ``_MAX_INTERP_STEP_S / period_s + 1`` points per step, plus 3 per run).

    Parameters
    ----------
    t
        (N,) sample times, s, increasing, N >= 1.
    t0_s, period_s
        The grid: its first point and its period, s.
    k_first, k_last
        The range of indices wanted.
    """
    if k_last < k_first:
        return np.empty(0, dtype=np.int64)
    n = t.shape[0]
    if n < 2:
        return np.arange(k_first, k_last + 1)
    ok = t[1:] - t[:-1] <= _MAX_INTERP_STEP_S
    if ok.all():  # one run of samples (the usual block): every point in range
        return np.arange(k_first, k_last + 1)
    edges = np.diff(np.concatenate(([0], ok.view(np.int8), [0])))
    first = np.flatnonzero(edges == 1)  # first interval of each run
    last = np.flatnonzero(edges == -1) - 1  # last interval of each run
    if first.size == 0:
        return np.empty(0, dtype=np.int64)
    lo = np.floor((t[first] - t0_s) / period_s) - 1.0
    hi = np.floor((t[last + 1] - t0_s) / period_s) + 1.0
    if first[0] == 0:
        lo[0] = k_first  # the first interval also takes the points at or before t[0]
    if last[-1] == n - 2:
        hi[-1] = k_last  # the last interval also takes the points just after t[-1]
    lo = np.maximum(lo, float(k_first)).astype(np.int64)
    hi = np.minimum(hi, float(k_last)).astype(np.int64)
    counts = np.maximum(hi - lo + 1, 0)
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    ks = np.repeat(lo - starts, counts) + np.arange(total)
    return np.unique(ks)


def _steady_zi(sos: FloatArray, first: FloatArray) -> FloatArray:
    """(channels, S, 2) state of ``sos`` at rest at ``first`` (one value per channel)."""
    unit = step_zi(sos)  # (S, 2): the state for a unit step
    return unit[np.newaxis] * first[:, np.newaxis, np.newaxis]
