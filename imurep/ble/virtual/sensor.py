"""The virtual band's IMU: plays a source of sample blocks at the band's output data rate.

A recording replayed at (about) its own rate is reproduced sample for sample: every recorded
sample becomes one band sample with its recorded values, and the recording's own holes (lost
packets) stay holes: the sensor reports how many samples are missing before each run, and the
band turns them into lost packets. The band's IMU samples on a regular clock, so sample ``k``
(counting the missing ones) is taken at ``a + k P``, the least-squares line through the source's
times: a recording's timestamp jitter (host arrival times, millisecond rounding) is gone, its
time base is kept (the difference is the jitter, well under one period). A replay that must
reproduce the recording's times exactly keeps them instead (``recorded_times``). Only a rate more than
10 % away from the source's makes the sensor resample the source (linear interpolation on the
band's grid); slots that fall into a hole of the source are missing there too.

Times are seconds from the first source sample. A real IMU's output data rate is what its
oscillator gives, not the rate asked for (104 Hz for "100 Hz"): a replayed source's native rate
is its mean sample period, measured from its first samples.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from imurep.samples import FloatArray, SampleBlock

__all__ = ["SensorFeed", "SensorRun"]

# A requested rate this close to the source's own rate plays the source sample for sample.
_NATIVE_RATE_TOLERANCE = 0.10
# A step longer than this many source periods is a hole in the source.
_HOLE_PERIODS = 1.5
# Samples used to measure the source's period.
_PERIOD_SAMPLES = 8192


@dataclass(frozen=True)
class SensorRun:
    """Consecutive sensor samples, one sample period apart (up to the source's timing jitter).

    Attributes
    ----------
    time_s
        (n,) sample times, s from the first source sample.
    acc_m_s2, gyr_rad_s
        (n, 3) specific force, m/s², and angular rate, rad/s (zeros for an accelerometer-only
        source).
    missing_before
        Samples the source lacks between the previous run and this one.
    """

    time_s: FloatArray
    acc_m_s2: FloatArray
    gyr_rad_s: FloatArray
    missing_before: int


class SensorFeed:
    """Pulls source blocks lazily and hands out runs of at most ``n`` samples.

    Parameters
    ----------
    blocks
        The source (a recording, the simulator...), in time order.
    rate_hz
        The rate the band was asked for, Hz.
    recorded_times
        Native mode: keep each sample's recorded time instead of the regular clock. A run then
        ends wherever the recorded step differs from the period by more than 1 µs (for a
        recording with timestamp jitter: one sample per run), so that a packet's first-sample
        time and period reproduce the recorded times to the microsecond.
    """

    def __init__(self, blocks: Iterable[SampleBlock], rate_hz: float, recorded_times: bool = False) -> None:
        self._blocks: Iterator[SampleBlock] = iter(blocks)
        self.recorded_times = recorded_times
        self._rate_hz = float(rate_hz)
        self._t = np.empty(0)
        self._acc = np.empty((0, 3))
        self._gyr = np.empty((0, 3))
        self._t0_s: float | None = None
        self._exhausted = False
        self._next = 0  # native mode: index of the next source sample
        self._next_t_s = 0.0  # resampling mode: time of the next slot
        self._missing = 0
        self._measured = False
        while self._t.size < _PERIOD_SAMPLES and self._pull():
            pass
        #: The source's own sample period (holes excluded), s, and the time of its sample 0, s.
        self.source_period_s, self._grid0_s = _fit_period(self._t, 1.0 / self._rate_hz)
        self._k_next = 0  # native mode: slot of the next source sample
        self._measured = True
        self._native = self._is_native(self._rate_hz)

    # --- source --------------------------------------------------------------------------------

    def _pull(self) -> bool:
        for block in self._blocks:
            if len(block) == 0:
                continue
            gyr = block.gyr_rad_s if block.gyr_rad_s is not None else np.zeros((len(block), 3))
            if self._t0_s is None:
                self._t0_s = float(block.time_s[0])
            keep = 0
            if self._measured:  # drop what no request can reach any more
                if self._native:
                    keep = max(self._next - 1, 0)
                else:
                    keep = max(int(np.searchsorted(self._t, self._next_t_s, side="right")) - 2, 0)
            self._t = np.concatenate([self._t[keep:], block.time_s - self._t0_s])
            self._acc = np.concatenate([self._acc[keep:], block.acc_m_s2])
            self._gyr = np.concatenate([self._gyr[keep:], gyr])
            self._next -= keep
            return True
        self._exhausted = True
        return False

    def _is_native(self, rate_hz: float) -> bool:
        return abs(rate_hz * self.source_period_s - 1.0) <= _NATIVE_RATE_TOLERANCE

    @property
    def native(self) -> bool:
        """Whether the source plays sample for sample (the requested rate is near its own)."""
        return self._native

    @property
    def rate_hz(self) -> float:
        """The rate the band was asked for, Hz; a change applies from the next run."""
        return self._rate_hz

    @rate_hz.setter
    def rate_hz(self, rate_hz: float) -> None:
        native = self._is_native(rate_hz)
        if native and not self._native:
            tol = 0.25 * self.source_period_s
            self._next = int(np.searchsorted(self._t, self._next_t_s - tol, side="left"))
        elif self._native and not native:
            self._next_t_s = float(self._t[self._next]) if self._next < self._t.size else self._next_t_s
        self._rate_hz, self._native = float(rate_hz), native

    @property
    def period_s(self) -> float:
        """The sensor's sample period, s: the source's own in native mode, else ``1 / rate_hz``."""
        return self.source_period_s if self._native else 1.0 / self._rate_hz

    # --- runs ----------------------------------------------------------------------------------

    def take(self, n: int) -> SensorRun | None:
        """The next run of at most ``n`` samples (shorter before a hole); ``None`` at the end."""
        return self._take_native(n) if self._native else self._take_resampled(n)

    def _ensure(self, count: int) -> int:
        while self._t.size - self._next < count and not self._exhausted:
            self._pull()
        return self._t.size - self._next

    def _take_native(self, n: int) -> SensorRun | None:
        available = self._ensure(n + 1)
        if available <= 0:
            return None
        i = self._next
        t = self._t[i : i + min(n, available)]
        if self.recorded_times:
            period_us = round(self.source_period_s * 1e6)
            irregular = np.flatnonzero(np.abs(np.diff(np.rint(t * 1e6)) - period_us) > 1.0)
            count = int(irregular[0]) + 1 if irregular.size else t.size
            times = t[:count].copy()
        else:
            hole = np.flatnonzero(np.diff(t) > _HOLE_PERIODS * self.source_period_s)
            count = int(hole[0]) + 1 if hole.size else t.size
            slots = self._k_next + np.arange(count, dtype=np.float64)
            times = self._grid0_s + slots * self.source_period_s
        run = SensorRun(
            times, self._acc[i : i + count].copy(), self._gyr[i : i + count].copy(), self._missing
        )
        self._next = i + count
        self._k_next += count
        self._missing = 0
        if self._next < self._t.size:
            step = self._t[self._next] - self._t[self._next - 1]
            self._missing = max(round(step / self.source_period_s) - 1, 0)
            self._k_next += self._missing
        return run

    def _take_resampled(self, n: int) -> SensorRun | None:
        period = 1.0 / self.rate_hz
        missing = 0
        while True:
            slots: FloatArray = self._next_t_s + period * np.arange(n, dtype=np.float64)
            while self._t.size and self._t[-1] < slots[-1] and not self._exhausted:
                self._pull()
            slots = slots[slots <= self._t[-1] + 1e-9] if self._t.size else slots[:0]
            if slots.size == 0:
                return None
            present = self._present(slots)
            if present[0]:
                break
            missing += 1
            self._next_t_s += period
        count = int(np.argmin(present)) if not present.all() else present.size
        t = slots[:count]
        acc = np.column_stack([np.interp(t, self._t, self._acc[:, k]) for k in range(3)])
        gyr = np.column_stack([np.interp(t, self._t, self._gyr[:, k]) for k in range(3)])
        self._next_t_s = float(t[-1]) + period
        return SensorRun(t, acc, gyr, missing)

    def _present(self, slots: FloatArray) -> np.ndarray:
        """Slots not inside a hole of the source."""
        tol = 1e-9 + 0.25 * self.source_period_s
        if self._t.size < 2:
            return np.asarray(np.abs(slots - self._t[0]) <= tol)
        right = np.clip(np.searchsorted(self._t, slots, side="left"), 1, max(self._t.size - 1, 1))
        left = right - 1
        span = self._t[right] - self._t[left]
        near = (np.abs(slots - self._t[left]) <= tol) | (np.abs(self._t[right] - slots) <= tol)
        return np.asarray(near | (span <= _HOLE_PERIODS * self.source_period_s))


def _fit_period(t_s: FloatArray, default_period_s: float) -> tuple[float, float]:
    """Period and time of slot 0 of a regular clock through sample times with holes, s.

    Each step is counted as a whole number of periods of the median regular step (so holes count
    as the samples they lack), then a least-squares line ``t = t0 + k P`` is fitted.
    """
    steps = np.diff(t_s)
    if steps.size == 0:
        return default_period_s, 0.0
    median = float(np.median(steps))
    regular = steps[steps < _HOLE_PERIODS * median]
    rough = float(regular.mean()) if regular.size else median
    if steps.size < 2 or rough <= 0:
        return rough, 0.0
    slots = np.concatenate([[0.0], np.cumsum(np.maximum(np.rint(steps / rough), 1.0))])
    period, t0 = np.polyfit(slots, t_s, 1)
    return float(period), float(t0)
