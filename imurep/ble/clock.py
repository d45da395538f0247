"""Map a device's sample clock to session time, correcting the device crystal's drift.

Sample times come from the device clock (precise between samples, but its crystal runs some ppm
fast or slow); the host clock is right on average but each notification arrives after a delay
that varies from a few to tens of milliseconds. The mapper keeps the device clock's fine timing
and takes only its *rate* from the host: per window of packets it keeps the least-delayed packet
(the lower envelope of ``host − device``, where delay jitter is smallest), fits a line through
those points (least squares over the whole segment) and uses its slope, bounded to
``±max_drift_ppm``, as host seconds per device second.

Session time is continuous and strictly increasing: when the slope estimate changes, the jump it
would cause is slewed out at most ``slew_ppm`` per second of data. A device clock that jumps
(a reboot, a decoder reset unwrapping from zero, a synthetic clock that fell behind) starts a
new segment anchored on the host clock.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from imurep.samples import FloatArray

__all__ = ["ClockConfig", "ClockMapper"]


@dataclass(frozen=True)
class ClockConfig:
    """Settings of :class:`ClockMapper`.

    Attributes
    ----------
    window_s
        Device-time span of one lower-envelope window, s.
    max_drift_ppm
        Largest believable rate error of the device clock, ppm; fits beyond are clamped.
    slew_ppm
        Largest rate at which a change of estimate is applied to session time, ppm.
    jump_tolerance_s
        A device clock that disagrees with the host by more than this (beyond drift and
        delay) has jumped, s (host seconds for a device clock that runs ahead of the host).
    host_time_scale
        Device seconds per host second that are *not* drift: 1 for real hardware, the replay
        speed for a virtual device running faster than real time.
    """

    window_s: float = 2.0
    max_drift_ppm: float = 1000.0
    slew_ppm: float = 1000.0
    jump_tolerance_s: float = 2.0
    host_time_scale: float = 1.0


class ClockMapper:
    """Device time → session time, for one streaming session (across reconnects).

    Call :meth:`observe` with each packet's last sample device time and its host receive time,
    then :meth:`map` for the packet's sample times. The first sample of the session maps to
    ``origin_s``.

    Parameters
    ----------
    config
        Settings.
    origin_s
        Session time of the first sample, s.
    """

    def __init__(self, config: ClockConfig | None = None, origin_s: float = 0.0) -> None:
        self.config = config or ClockConfig()
        self.origin_s = origin_s
        self.segments = 0
        self._ratio = 1.0  # host seconds (scaled) per device second
        self._reset_segment()
        self._last_session_s: float | None = None
        self._last_host_s: float | None = None

    def _reset_segment(self) -> None:
        self._seg_device0: float | None = None  # device time at the segment anchor (first sample)
        self._seg_session0 = self.origin_s  # session time at the segment anchor
        self._points_d: list[float] = []  # window minima: device time
        self._points_h: list[float] = []  # window minima: host - device
        self._window_start_d: float | None = None
        self._window_best: tuple[float, float] | None = None
        self._correction_s = 0.0  # session-time offset being slewed out
        self._last_device_s: float | None = None

    @property
    def observed(self) -> bool:
        """Whether any packet has been observed (:meth:`map` needs one)."""
        return self._last_device_s is not None

    @property
    def drift_ppm(self) -> float:
        """Current estimate of how fast the device clock runs, ppm (positive: fast)."""
        return (1.0 / self._ratio - 1.0) * 1e6

    def observe(self, device_s: float, host_s: float) -> None:
        """One packet: device time of its last sample and host receive time, s."""
        cfg = self.config
        host_scaled = host_s * cfg.host_time_scale
        if self._last_device_s is not None:
            assert self._last_host_s is not None
            d_device = device_s - self._last_device_s
            d_host = host_scaled - self._last_host_s * cfg.host_time_scale
            # late notifications are a host-side delay: tolerated in host seconds
            tolerance_s = cfg.jump_tolerance_s * max(cfg.host_time_scale, 1.0) + 2e-3 * abs(d_host)
            if d_device < -cfg.jump_tolerance_s or abs(d_device - d_host) > tolerance_s:
                self._new_segment(host_s)
        self._last_device_s = device_s
        self._last_host_s = host_s
        self._add_point(device_s, host_scaled - device_s)

    def _new_segment(self, host_s: float) -> None:
        assert self._last_host_s is not None
        last = self.origin_s if self._last_session_s is None else self._last_session_s
        gap_s = (host_s - self._last_host_s) * self.config.host_time_scale
        session0 = last + max(gap_s, 1e-6)
        self._reset_segment()
        self._seg_session0 = session0
        self.segments += 1

    def _add_point(self, device_s: float, offset_s: float) -> None:
        if self._window_start_d is None:
            self._window_start_d = device_s
        elif device_s - self._window_start_d >= self.config.window_s:
            assert self._window_best is not None
            self._points_d.append(self._window_best[0])
            self._points_h.append(self._window_best[1])
            self._window_start_d = device_s
            self._window_best = None
            self._refit()
        if self._window_best is None or offset_s < self._window_best[1]:
            self._window_best = (device_s, offset_s)

    def _refit(self) -> None:
        if len(self._points_d) < 2:
            return
        d = np.asarray(self._points_d)
        off = np.asarray(self._points_h)
        d_centred = d - d.mean()
        denom = float(d_centred @ d_centred)
        if denom <= 0:
            return
        # offset = host - device = (ratio - 1) * device + c
        slope = float(d_centred @ (off - off.mean())) / denom
        limit = self.config.max_drift_ppm * 1e-6
        new_ratio = 1.0 + min(max(slope, -limit), limit)
        if self._last_device_s is not None and self._seg_device0 is not None:
            # keep session time continuous at the last sample; slew the difference out
            span = self._last_device_s - self._seg_device0
            self._correction_s += span * (self._ratio - new_ratio)
        self._ratio = new_ratio

    def map(self, device_s: FloatArray) -> FloatArray:
        """(N,) device sample times, s → (N,) session times, s (continuous, increasing).

        Times must follow those of the packet last passed to :meth:`observe`.
        """
        if self._last_device_s is None:
            raise RuntimeError("observe() a packet before mapping its times")
        d = np.asarray(device_s, dtype=np.float64)
        if self._seg_device0 is None:
            if not d.size:
                return d.copy()
            self._seg_device0 = float(d[0])
        span = d - self._seg_device0
        base = self._seg_session0 + span * self._ratio
        if self._correction_s != 0.0 and d.size:
            # the correction shrinks by slew_ppm per device second since the previous sample
            prev = d[0] if self._last_session_s is None else min(d[0], self._prev_mapped_d)
            steps = np.maximum(d - prev, 0.0) * self.config.slew_ppm * 1e-6
            mag = np.maximum(abs(self._correction_s) - steps, 0.0)
            corr = np.sign(self._correction_s) * mag
            self._correction_s = float(corr[-1])
            base = base + corr
        if d.size:
            self._prev_mapped_d = float(d[-1])
            self._last_session_s = float(base[-1])
        return base

    _prev_mapped_d = 0.0
