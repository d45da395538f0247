"""From decoded packets to sample blocks: loss accounting, clock mapping, acc/gyro merging.

:class:`PacketAssembler` is the synchronous, testable core of the BLE client: it is fed decoded
packets with their host receive times and returns :class:`SampleBlock` s in session time. The
client (``imurep.ble.client``) only moves bytes from bleak into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from imurep.ble.clock import ClockConfig, ClockMapper, SequenceStep
from imurep.ble.profile import DecodedPacket, DeviceProfile
from imurep.ble.sequence import SequenceTracker
from imurep.plural import count
from imurep.samples import FloatArray, SampleBlock

__all__ = ["LinkGap", "PacketAssembler", "StreamStats"]

# Gyroscope samples are held (last value) for accelerometer samples this far past the newest one
# before the accelerometer stops waiting for them (separate-stream devices such as Polar), s.
_MAX_GYR_WAIT_S = 1.0
# Gyroscope history kept when no accelerometer samples arrive, s.
_MAX_GYR_BUFFER_S = 10.0


@dataclass(frozen=True)
class LinkGap:
    """A period without a link: from the disconnect to the first packet after reconnecting.

    Attributes
    ----------
    start_s, end_s
        Session times of the last sample before and the first sample after the gap, s.
    host_duration_s
        Host time from the disconnect to the first packet after the reconnect, s.
    attempts
        Connection attempts it took.
    reason
        Why the link was lost ("disconnected", "no data for 5.0 s", ...).
    resumed
        The device resumed the stream from its backlog: the samples taken during the outage that
        the backlog still held were delivered (``end_s`` follows ``start_s`` by one sample
        period when it held them all).
    """

    start_s: float
    end_s: float
    host_duration_s: float
    attempts: int
    reason: str
    resumed: bool = False


@dataclass(frozen=True)
class StreamStats:
    """Health of a streaming session so far.

    Attributes
    ----------
    rate_hz
        Measured sample rate (samples per second of session time), Hz.
    samples
        Samples delivered.
    packets
        Packets decoded and accepted.
    lost_packets
        Packets missing by their sequence numbers (or, without sequence numbers, estimated from
        gaps in device time that the host clock also saw pass: a jump of the device clock is not
        loss); link gaps are not counted here, except the packets a resumed stream's backlog no
        longer held.
    replayed_packets
        Packets the device sent from its backlog after a reconnect (included in ``packets``).
    reanchored_packets
        Packets whose samples the decoder spaced at the nominal rate back from their own device
        time, because the previous packet's time implied an implausible spacing (a lost packet,
        a device clock that jumped, a corrupted timestamp). Counted whether or not the packet
        was then kept (one that lands on samples already delivered is dropped as a resend).
    malformed_packets
        Notifications the decoder rejected (skipped).
    rejected_packets
        Duplicate or stale packets (by sequence number), dropped.
    reconnects
        Successful reconnections after a lost link.
    gaps
        The link gaps, in order.
    drift_ppm
        Estimated device clock rate error, ppm (positive: the device clock runs fast).
    host_late_packets
        Packets whose arrival disagreed with their device time (the host or the link fell
        behind): they kept their device time.
    device_clock_jumps
        Jumps of the device clock, bridged by what the sequence numbers say passed.
    host_timed_jumps
        Jumps of the device clock (or a clock the client made up) bridged by the host clock:
        the times after each are an estimate.
    connected
        Whether the link is up now.
    """

    rate_hz: float = 0.0
    samples: int = 0
    packets: int = 0
    lost_packets: int = 0
    replayed_packets: int = 0
    reanchored_packets: int = 0
    malformed_packets: int = 0
    rejected_packets: int = 0
    reconnects: int = 0
    gaps: tuple[LinkGap, ...] = field(default=())
    drift_ppm: float = 0.0
    host_late_packets: int = 0
    device_clock_jumps: int = 0
    host_timed_jumps: int = 0
    connected: bool = False

    @property
    def loss_percent(self) -> float:
        """Lost packets as a percentage of expected packets."""
        total = self.packets + self.lost_packets
        return 100.0 * self.lost_packets / total if total else 0.0

    def clock_warning(self) -> str | None:
        """A one-line warning if the device clock jumped or the host clock bridged a jump (else ``None``)."""
        if not self.device_clock_jumps and not self.host_timed_jumps:
            return None
        parts = []
        if self.device_clock_jumps:
            parts.append(f"{count(self.device_clock_jumps, 'device clock jump')} bridged by sequence numbers")
        if self.host_timed_jumps:
            parts.append(
                f"{count(self.host_timed_jumps, 'clock jump')} bridged by the host clock "
                "(the times after each are estimates)"
            )
        return "clock mapping: " + "; ".join(parts)


class PacketAssembler:
    """Turns one device's decoded packets into session-time sample blocks.

    Parameters
    ----------
    profile
        The device's profile (sequence modulo, nominal rate, gyroscope presence).
    clock
        Clock-mapping settings.
    rate_hz
        Expected sample rate, Hz (used for packets without device times and for loss estimates).
    """

    def __init__(
        self, profile: DeviceProfile, clock: ClockConfig | None = None, rate_hz: float | None = None
    ) -> None:
        self.profile = profile
        self.rate_hz = rate_hz or profile.nominal_rate_hz
        self.clock = ClockMapper(clock)
        self.sequence = SequenceTracker(profile.sequence_modulo) if profile.sequence_modulo else None
        self.packets = 0
        self.lost_packets = 0
        self.replayed_packets = 0
        self.reanchored_packets = 0
        self.samples = 0
        self._synthetic_device_s = 0.0
        self._last_device_s: dict[str, float] = {}  # per stream: "ag", "a" or "g"
        self._last_host_s: dict[str, float] = {}  # when that stream's last packet arrived
        self._last_packet_len = 1
        self._max_packet_len = 1
        self._period_s: float | None = None  # shown by the last packet of >= 2 timed samples
        self._first_session_s: float | None = None
        self._last_session_s: float | None = None
        # separate-stream merging: pending accelerometer and the newest gyroscope samples
        self._acc_t: list[FloatArray] = []
        self._acc_v: list[FloatArray] = []
        self._gyr_t = np.empty(0)
        self._gyr_v = np.empty((0, 3))

    def new_connection(self, resumed: bool = False) -> None:
        """The link was re-established.

        Parameters
        ----------
        resumed
            The device resumes its stream from its backlog (sequence numbers and device time
            carry on); otherwise sequence numbers restart with the device's new stream.
        """
        if resumed:
            return
        if self.sequence is not None:
            self.sequence.reset()
        self._last_device_s.clear()
        self._last_host_s.clear()

    @property
    def next_sequence(self) -> int | None:
        """Sequence number of the first packet not yet received (``None``: no sequence yet)."""
        return None if self.sequence is None else self.sequence.next_expected

    @property
    def last_session_s(self) -> float | None:
        """Session time of the newest sample delivered, s."""
        return self._last_session_s

    @property
    def measured_rate_hz(self) -> float:
        if self._first_session_s is None or self._last_session_s is None or self.samples < 2:
            return 0.0
        span = self._last_session_s - self._first_session_s
        return (self.samples - 1) / span if span > 0 else 0.0

    def feed(self, packet: DecodedPacket, host_s: float) -> SampleBlock | None:
        """Account for one packet received at host time ``host_s`` (s); return ready samples.

        Returns ``None`` when the packet was a duplicate or only buffered (a gyroscope-less part
        waiting for its partner stream).
        """
        n = len(packet)
        if n == 0:
            return None
        if packet.reanchored:
            self.reanchored_packets += 1
        step: SequenceStep | None = None
        if self.sequence is not None and packet.sequence is not None:
            restarted = self.sequence.next_expected is None
            update = self.sequence.update(packet.sequence)
            if not update.accept:
                return None
            self.lost_packets += update.lost
            if not restarted:
                step = SequenceStep(update.lost + 1, max(self._max_packet_len, n), self._period_s)
        device_s = self._device_times(packet, n)
        if packet.device_time_s is not None and n >= 2 and device_s[-1] > device_s[0]:
            self._period_s = float(device_s[-1] - device_s[0]) / (n - 1)
        kind = ("a" if packet.acc_m_s2 is not None else "") + ("g" if packet.gyr_rad_s is not None else "")
        last = self._last_device_s.get(kind)
        if last is not None:
            if last - 1.0 < device_s[-1] <= last + 1e-9:
                return None  # a resent packet already delivered
            if self.sequence is None:
                # no sequence numbers: estimate loss from the hole in device time
                hole_s = device_s[0] - last - 1.0 / self.rate_hz
                # a hole the host clock did not see pass is a jump of the device clock (where the
                # clock mapping starts a new segment), not packets lost: counted as loss it made
                # a Polar clock jump of 3 h into 30 000 lost packets
                cfg = self.clock.config
                seen_s = (host_s - self._last_host_s[kind]) * cfg.host_time_scale
                seen_s += cfg.jump_tolerance_s * max(cfg.host_time_scale, 1.0)
                if 1.5 / self.rate_hz < hole_s <= seen_s:
                    self.lost_packets += max(1, round(hole_s * self.rate_hz / max(self._last_packet_len, 1)))
        self.packets += 1
        self._last_packet_len = n
        self._max_packet_len = max(self._max_packet_len, n)
        if packet.replayed:
            self.replayed_packets += 1
        if not packet.replayed or not self.clock.observed:
            # a backlog packet's arrival time is not when it was sampled: map it, do not observe it
            self.clock.observe(float(device_s[-1]), host_s, step, packet.device_time_s is not None)
        session_s = self.clock.map(device_s)
        self._last_device_s[kind] = float(device_s[-1])
        self._last_host_s[kind] = host_s
        return self._merge(session_s, packet)

    def _device_times(self, packet: DecodedPacket, n: int) -> FloatArray:
        if packet.device_time_s is not None:
            return np.asarray(packet.device_time_s, dtype=np.float64)
        times = self._synthetic_device_s + np.arange(1, n + 1) / self.rate_hz
        self._synthetic_device_s = float(times[-1])
        return times

    def _merge(self, session_s: FloatArray, packet: DecodedPacket) -> SampleBlock | None:
        if packet.acc_m_s2 is not None and (packet.gyr_rad_s is not None or not self.profile.has_gyr):
            return self._emit(SampleBlock(session_s, packet.acc_m_s2, packet.gyr_rad_s))
        if packet.gyr_rad_s is not None and packet.acc_m_s2 is None:
            self._gyr_t = np.concatenate([self._gyr_t, session_s])
            self._gyr_v = np.concatenate([self._gyr_v, packet.gyr_rad_s])
            self._trim_gyr(float(session_s[-1]) - _MAX_GYR_BUFFER_S)
        elif packet.acc_m_s2 is not None:
            self._acc_t.append(session_s)
            self._acc_v.append(packet.acc_m_s2)
        return self._release_merged()

    def _release_merged(self) -> SampleBlock | None:
        if not self._acc_t:
            return None
        acc_t = np.concatenate(self._acc_t)
        acc_v = np.concatenate(self._acc_v)
        newest_gyr = self._gyr_t[-1] if self._gyr_t.size else -np.inf
        ready = (acc_t <= newest_gyr) | (acc_t <= acc_t[-1] - _MAX_GYR_WAIT_S)
        count = int(np.argmin(ready)) if not ready.all() else ready.size
        if count == 0:
            self._acc_t, self._acc_v = [acc_t], [acc_v]
            return None
        t, rest_t = acc_t[:count], acc_t[count:]
        self._acc_t, self._acc_v = ([rest_t], [acc_v[count:]]) if rest_t.size else ([], [])
        if self._gyr_t.size:
            gyr = np.column_stack([np.interp(t, self._gyr_t, self._gyr_v[:, k]) for k in range(3)])
        else:
            gyr = np.zeros((count, 3))
        # keep the gyroscope samples the next accelerometer samples can still need
        self._trim_gyr(float(t[-1]))
        return self._emit(SampleBlock(t, acc_v[:count], gyr))

    def _trim_gyr(self, before_s: float) -> None:
        first = max(int(np.searchsorted(self._gyr_t, before_s, side="right")) - 1, 0)
        if first:
            self._gyr_t, self._gyr_v = self._gyr_t[first:], self._gyr_v[first:]

    def _emit(self, block: SampleBlock) -> SampleBlock | None:
        if self._last_session_s is not None:
            keep = block.time_s > self._last_session_s
            if not keep.all():
                idx = np.flatnonzero(keep)
                if idx.size == 0:
                    return None
                block = block.slice(int(idx[0]), block.time_s.shape[0])
        if len(block) == 0:
            return None
        if self._first_session_s is None:
            self._first_session_s = float(block.time_s[0])
        self._last_session_s = float(block.time_s[-1])
        self.samples += len(block)
        return block
