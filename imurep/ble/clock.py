"""Map a device's sample clock to session time, correcting the device crystal's drift.

Sample times come from the device clock (precise between samples, but its crystal runs some ppm
fast or slow); the host clock is right on average but each notification arrives after a delay
that varies from a few to tens of milliseconds. The mapper keeps the device clock's fine timing
and takes only its *rate* from the host: per window of packets it keeps the least-delayed packet
(the lower envelope of ``host − device``, where delay jitter is smallest), fits a line through
those points (least squares over the whole segment) and uses its slope, bounded to
``±max_drift_ppm``, as host seconds per device second.

Session time is continuous and strictly increasing: when the slope estimate changes, the jump it
would cause is slewed out at most ``slew_ppm`` per second of data.

The host clock never overrides a device clock that the packet sequence numbers vouch for. A
packet whose arrival disagrees with its device time (the host or the link fell behind, a band
catching up on its backlog) keeps its device time and is counted (``host_late_packets``); it
does not enter the drift fit. A device clock jump (a reboot, a decoder reset unwrapping from
zero) is only accepted when the device time disagrees with the sequence numbers, which then say
how much time passed: the new segment starts that long after the previous packet
(``device_clock_jumps``). That test waits for a packet of two or more samples to show the sample
period; until then a sequenced device's clock is trusted unless it runs backwards. Without
sequence numbers (or without a device clock: times spaced at the nominal rate) the host clock is
all there is: a device clock that runs backwards or ahead of the host (or a synthetic clock that
fell behind it) starts a new segment anchored on the host clock (``host_timed_jumps``), which is
an estimate, not a measurement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from imurep.samples import FloatArray

__all__ = ["ClockConfig", "ClockMapper", "SequenceStep"]


# Packets late for this long (device time) mean the host's delay has changed for good, s.
_LATE_FOR_GOOD_S = 30.0


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


@dataclass(frozen=True)
class SequenceStep:
    """What a packet's sequence number says about the device time since the previous packet.

    Attributes
    ----------
    packets
        Sequence-number step from the previous packet (1 when none was lost).
    samples_per_packet
        The largest packet seen so far, samples (a lost packet held at most this many).
    period_s
        Sample period shown by a packet of two or more samples, s (``None``: none yet).
    """

    packets: int
    samples_per_packet: int
    period_s: float | None

    @property
    def max_step_s(self) -> float | None:
        """Most device time the step can span (last sample to last sample), s."""
        if self.period_s is None:
            return None
        return self.packets * self.samples_per_packet * self.period_s


class ClockMapper:
    """Device time → session time, for one streaming session (across reconnects).

    Call :meth:`observe` with each packet's last sample device time and its host receive time,
    then :meth:`map` for the packet's sample times. The first sample of the session maps to
    ``origin_s``. The counters ``host_late_packets``, ``device_clock_jumps`` and
    ``host_timed_jumps`` say how far the mapping can be trusted (see the module docstring).

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
        self.host_late_packets = 0
        self.device_clock_jumps = 0
        self.host_timed_jumps = 0
        self._ratio = 1.0  # host seconds (scaled) per device second
        self._reset_segment()
        self._last_session_s: float | None = None
        self._last_host_s: float | None = None
        self._ref: tuple[float, float] | None = None  # (device, host) s of the last on-time packet

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

    def observe(
        self,
        device_s: float,
        host_s: float,
        sequence: SequenceStep | None = None,
        device_clock: bool = True,
    ) -> None:
        """One packet: device time of its last sample and host receive time, s.

        Parameters
        ----------
        device_s
            Device time of the packet's last sample, s.
        host_s
            Host receive time, s.
        sequence
            What the packet's sequence number says (``None``: the device sends none, or its
            counter restarted with this packet).
        device_clock
            ``False`` when the device times were spaced at the nominal rate by the client (the
            device sends none): only the host clock can say that time passed.
        """
        cfg = self.config
        host_scaled = host_s * cfg.host_time_scale
        host_agrees = True
        if self._last_device_s is not None:
            assert self._ref is not None
            # against the last packet that arrived on time: one late packet must not make the next
            # (on time) one look early
            d_device = device_s - self._ref[0]
            d_host = host_scaled - self._ref[1] * cfg.host_time_scale
            # late notifications are a host-side delay: tolerated in host seconds
            tolerance_s = cfg.jump_tolerance_s * max(cfg.host_time_scale, 1.0) + 2e-3 * abs(d_host)
            host_agrees = abs(d_device - d_host) <= tolerance_s
            if sequence is not None:
                session0 = self._sequence_jump(device_s, host_s, sequence)
            elif (
                d_device < -cfg.jump_tolerance_s
                or d_device > d_host + tolerance_s
                or (not device_clock and not host_agrees)
            ):
                self.host_timed_jumps += 1
                session0 = self._after_last(host_s)
            else:
                session0 = None
            if session0 is not None:
                self._new_segment(session0)
                host_agrees = True
        self._last_device_s = device_s
        self._last_host_s = host_s
        if host_agrees:
            self._ref = (device_s, host_s)
            self._add_point(device_s, host_scaled - device_s)
        else:
            self.host_late_packets += 1
            if self._ref is not None and device_s - self._ref[0] > _LATE_FOR_GOOD_S:
                self._ref = (device_s, host_s)  # the delay has changed for good: the new normal

    def _sequence_jump(self, device_s: float, host_s: float, sequence: SequenceStep) -> float | None:
        """Session time of the packet's first sample if its device time jumped, s (else ``None``).

        The device time jumped when it disagrees with the sequence numbers; they then say how
        long it was (the packets they count as lost, at their largest).
        """
        prev_d = self._prev_mapped_d if self._last_session_s is not None else self._last_device_s
        assert prev_d is not None
        d_device = device_s - prev_d
        max_step_s = sequence.max_step_s
        if max_step_s is None or sequence.period_s is None:
            if d_device >= -self.config.jump_tolerance_s:
                return None
            # a clock running backwards before any packet showed the period: the host must say
            self.host_timed_jumps += 1
            return self._after_last(host_s)
        # one packet's length of slack, and the drift bound over the step
        slack_s = max_step_s / sequence.packets + 2e-6 * self.config.max_drift_ppm * max_step_s
        if -slack_s <= d_device <= max_step_s + slack_s:
            return None
        self.device_clock_jumps += 1
        last = self.origin_s if self._last_session_s is None else self._last_session_s
        lost_s = (sequence.packets - 1) * sequence.samples_per_packet * sequence.period_s
        return last + lost_s + sequence.period_s

    def _after_last(self, host_s: float) -> float:
        """Session time for a new segment that starts at host time ``host_s``, s."""
        assert self._last_host_s is not None
        last = self.origin_s if self._last_session_s is None else self._last_session_s
        gap_s = (host_s - self._last_host_s) * self.config.host_time_scale
        return last + max(gap_s, 1e-6)

    def _new_segment(self, session0: float) -> None:
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
