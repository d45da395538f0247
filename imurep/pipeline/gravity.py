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
from scipy.signal import butter, sosfilt, sosfilt_zi

from imurep.samples import FloatArray, SampleBlock

__all__ = ["ControlBlock", "GravityStage", "lowpass_delay_s"]

_RATE_ESTIMATE_SAMPLES = 32
# Accelerometer content above this is not a pelvis exercise movement (those stay below ~2 Hz).
MOTION_BAND_HZ = 5.0
_MOTION_SMOOTH_HZ = 1.0
# A step longer than this many nominal periods is a gap in the data (lost packets).
_GAP_PERIODS = 3.0
# Grid points farther than this from a real sample are not interpolated across (a gap).
_MAX_INTERP_GAP_S = 0.3


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
        self._zi_acc: FloatArray | None = None
        self._zi_gyr: FloatArray | None = None
        self._zi_motion: FloatArray | None = None
        self._last_motion = 0.0
        self._delay_s = 0.0
        self._grid_t0_s = 0.0
        self._next_grid_k = 0
        self._last_t_s: float | None = None
        self._last_acc: FloatArray | None = None
        self._last_gyr: FloatArray | None = None
        self.nominal_rate_hz: float | None = None

    def process(self, block: SampleBlock) -> ControlBlock | None:
        """Filter one block; returns the new control-rate samples (``None`` while warming up)."""
        if self._sos is None:
            self._pending.append(block)
            if sum(len(b) for b in self._pending) < _RATE_ESTIMATE_SAMPLES:
                return None
            block = SampleBlock.concat(self._pending)
            self._pending = []
            self._start(block)
        return self._run(block)

    def flush(self) -> ControlBlock | None:
        """Process samples held back for the rate estimate (end of a short stream)."""
        if self._sos is None and self._pending:
            block = SampleBlock.concat(self._pending)
            self._pending = []
            if len(block) < 2:
                return None
            self._start(block)
            return self._run(block)
        return None

    def _start(self, block: SampleBlock) -> None:
        dt = np.diff(block.time_s[:_RATE_ESTIMATE_SAMPLES])
        self.nominal_rate_hz = float(1.0 / np.median(dt))
        cutoff_hz = min(self.lowpass_hz, 0.4 * self.nominal_rate_hz)
        self._delay_s = lowpass_delay_s(cutoff_hz)
        self._sos = np.asarray(butter(2, cutoff_hz, fs=self.nominal_rate_hz, output="sos"))
        zi = np.asarray(sosfilt_zi(self._sos))  # (sections, 2), unit step steady state
        self._zi_acc = zi[:, np.newaxis, :] * block.acc_m_s2[0][np.newaxis, :, np.newaxis]
        self._zi_acc = np.ascontiguousarray(np.transpose(self._zi_acc, (0, 2, 1)))
        if block.gyr_rad_s is not None:
            z = zi[:, :, np.newaxis] * block.gyr_rad_s[0][np.newaxis, np.newaxis, :]
            self._zi_gyr = np.ascontiguousarray(z)
        fs = self.nominal_rate_hz
        hp_hz = min(MOTION_BAND_HZ, 0.4 * fs)
        self._sos_hp = np.asarray(butter(2, hp_hz, btype="highpass", fs=fs, output="sos"))
        self._sos_smooth = np.asarray(butter(1, _MOTION_SMOOTH_HZ, fs=fs, output="sos"))
        self._zi_hp = np.zeros((self._sos_hp.shape[0], 2, 3))
        self._zi_hp[:] = (
            np.asarray(sosfilt_zi(self._sos_hp))[:, :, np.newaxis]
            * block.acc_m_s2[0][np.newaxis, np.newaxis, :]
        )
        self._zi_hp_unit = np.asarray(sosfilt_zi(self._sos_hp))[:, :, np.newaxis]
        self._zi_motion = np.zeros((self._sos_smooth.shape[0], 2))
        self._grid_t0_s = float(block.time_s[0])
        self._next_grid_k = 0

    def _highpass(self, block: SampleBlock) -> FloatArray:
        """Accelerometer above :data:`MOTION_BAND_HZ`, restarted after each gap in the data.

        A gap (lost packets) is a step in the signal, not a movement: across it the filter starts
        afresh from the first sample after the gap, so lost data never counts as shaking.
        """
        assert self._sos_hp is not None and self._zi_hp is not None and self.nominal_rate_hz
        acc = block.acc_m_s2
        prev_t = self._last_t_s if self._last_t_s is not None else float(block.time_s[0])
        dt = np.diff(block.time_s, prepend=prev_t)
        starts = np.flatnonzero(dt > _GAP_PERIODS / self.nominal_rate_hz).tolist()
        out = np.empty_like(acc)
        edges = [0, *starts, len(acc)]
        for a, b in itertools.pairwise(edges):
            if b <= a:
                continue
            if a in starts:
                self._zi_hp = self._zi_hp_unit * acc[a][np.newaxis, np.newaxis, :]
            out[a:b], self._zi_hp = sosfilt(self._sos_hp, acc[a:b], axis=0, zi=self._zi_hp)
        return out

    def _run(self, block: SampleBlock) -> ControlBlock:
        assert self._sos is not None and self._zi_acc is not None
        acc_lp, self._zi_acc = sosfilt(self._sos, block.acc_m_s2, axis=0, zi=self._zi_acc)
        gyr_lp: FloatArray | None = None
        if block.gyr_rad_s is not None and self._zi_gyr is not None:
            gyr_lp, self._zi_gyr = sosfilt(self._sos, block.gyr_rad_s, axis=0, zi=self._zi_gyr)
        t = block.time_s
        acc_lp = np.asarray(acc_lp)
        hf = self._highpass(block)
        motion_sq, self._zi_motion = sosfilt(
            self._sos_smooth, np.einsum("ij,ij->i", hf, hf), zi=self._zi_motion
        )
        motion = np.sqrt(np.maximum(np.asarray(motion_sq), 0.0))
        if self._last_t_s is not None and self._last_acc is not None:
            t = np.concatenate(([self._last_t_s], t))
            acc_lp = np.concatenate((self._last_acc[np.newaxis], acc_lp))
            motion = np.concatenate(([self._last_motion], motion))
            if gyr_lp is not None and self._last_gyr is not None:
                gyr_lp = np.concatenate((self._last_gyr[np.newaxis], gyr_lp))
        # Grid points in (t[0], t[-1]] (or [t[0], t[-1]] for the very first block).
        k_last = math.floor((t[-1] - self._grid_t0_s) / self.control_period_s + 1e-9)
        ks = np.arange(self._next_grid_k, k_last + 1)
        grid_t = self._grid_t0_s + ks * self.control_period_s
        self._next_grid_k = k_last + 1
        idx = np.clip(np.searchsorted(t, grid_t, side="left"), 1, len(t) - 1) if len(t) > 1 else None
        if idx is None or grid_t.size == 0:
            out_acc = np.repeat(acc_lp[-1:], grid_t.size, axis=0)
            out_gyr = None if gyr_lp is None else np.repeat(gyr_lp[-1:], grid_t.size, axis=0)
            out_motion = np.repeat(motion[-1:], grid_t.size)
            keep = np.ones(grid_t.size, dtype=bool)
        else:
            t0, t1 = t[idx - 1], t[idx]
            w = np.clip((grid_t - t0) / (t1 - t0), 0.0, 1.0)[:, np.newaxis]
            out_acc = acc_lp[idx - 1] * (1.0 - w) + acc_lp[idx] * w
            out_gyr = None if gyr_lp is None else gyr_lp[idx - 1] * (1.0 - w) + gyr_lp[idx] * w
            out_motion = motion[idx]
            keep = (t1 - t0) <= _MAX_INTERP_GAP_S
        self._last_t_s = float(t[-1])
        self._last_acc = acc_lp[-1].copy()
        self._last_gyr = None if gyr_lp is None else gyr_lp[-1].copy()
        self._last_motion = float(motion[-1])
        return ControlBlock(
            grid_t[keep] - self._delay_s,
            out_acc[keep],
            None if out_gyr is None else out_gyr[keep],
            out_motion[keep],
        )
