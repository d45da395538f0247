"""What every supported BLE device looks like to imurep: a declarative profile and a decoder.

A profile says how to find the device (advertised name prefixes, service UUID), which
characteristics carry data, and how to start streaming. Its decoder is pure: notification
bytes in, samples in SI units out, never an exception other than :class:`DecodeError` on
malformed bytes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from imurep.errors import DeviceError
from imurep.samples import FloatArray

__all__ = [
    "DecodeError",
    "DecodedPacket",
    "DeviceProfile",
    "GattWriter",
    "PacketDecoder",
]


class DecodeError(DeviceError, ValueError):
    """Notification bytes that do not follow the device's packet layout."""


@dataclass(frozen=True)
class DecodedPacket:
    """Samples decoded from one notification, in SI units and the sensor frame.

    Attributes
    ----------
    device_time_s
        (N,) sample times on the device's clock, s; ``None`` when the packet carries no time
        (the client then assigns times from the nominal rate).
    acc_m_s2
        (N, 3) specific force, m/s², or ``None`` if this packet carries no accelerometer data.
    gyr_rad_s
        (N, 3) angular rate, rad/s, or ``None``.
    sequence
        Packet sequence number if the device sends one (wraps at ``sequence_modulo``).
    replayed
        The device sent this packet from its backlog after a reconnect, not when it was sampled:
        its arrival time says nothing about its device time (the clock mapping skips it).
    reanchored
        The decoder could not space this packet's samples from the previous packet's device time
        (that would have put them implausibly close together or far apart: a lost packet, a jump
        of the device clock, a corrupted timestamp) and spaced them at the nominal rate back
        from this packet's own time instead; the hole or overlap is left between the packets.
    """

    device_time_s: FloatArray | None
    acc_m_s2: FloatArray | None
    gyr_rad_s: FloatArray | None
    sequence: int | None = None
    replayed: bool = False
    reanchored: bool = False

    def __len__(self) -> int:
        for arr in (self.acc_m_s2, self.gyr_rad_s, self.device_time_s):
            if arr is not None:
                return int(arr.shape[0])
        return 0


class PacketDecoder(Protocol):
    """Stateful decoder for one device's notifications (state: e.g. Polar's last timestamp)."""

    def decode(self, characteristic_uuid: str, data: bytes) -> DecodedPacket:
        """Decode one notification. Raises :class:`DecodeError` on malformed bytes."""
        ...

    def reset(self) -> None:
        """Forget state (a new connection)."""
        ...


class GattWriter(Protocol):
    """The part of a connected client a profile needs to configure the device."""

    async def write_gatt_char(self, char_specifier: str, data: bytes, response: bool = ...) -> None: ...

    async def read_gatt_char(self, char_specifier: str) -> bytes | bytearray: ...


@dataclass(frozen=True)
class DeviceProfile:
    """A supported device.

    Attributes
    ----------
    name
        Short profile name used on the command line (``imurep-band``, ``witmotion``, ...).
    service_uuid
        Primary service that identifies the device (128-bit lower-case string).
    notify_uuids
        Characteristics to subscribe to for sample data.
    name_prefixes
        Advertised local-name prefixes that identify the device in a scan.
    make_decoder
        Builds a fresh decoder for a new connection, given the rate passed to ``start``, Hz (a
        decoder that spaces samples from a nominal rate must use the rate the device was told).
    start
        Coroutine that configures the device and starts streaming at ``rate_hz``
        (called after notifications are enabled); ``None`` if the device streams on subscribe.
    stop
        Coroutine that stops streaming, or ``None``.
    resume
        Coroutine that asks a reconnected device to resume the stream from its backlog at a
        sequence number (called *before* notifications are enabled); returns whether the device
        agreed. ``None``: the device keeps no backlog (an outage is a gap).
    sequence_modulo
        The packet sequence counter wraps at this value (0: the device sends none).
    nominal_rate_hz
        Rate used when the user does not ask for one.
    has_gyr
        Whether the device delivers a gyroscope stream.
    status_uuid, is_streaming
        A characteristic the device notifies its streaming state on, and how to read that state
        from its bytes (:class:`DecodeError` if malformed). A device that stops streaming by itself
        (not streaming any more, after data on this connection, without the client's ``stop``) has
        ended its session: the stream ends there instead of reconnecting. ``None``: not offered.
    """

    name: str
    service_uuid: str
    notify_uuids: tuple[str, ...]
    name_prefixes: tuple[str, ...]
    make_decoder: Callable[[float], PacketDecoder]
    start: Callable[[GattWriter, float], Awaitable[None]] | None = None
    stop: Callable[[GattWriter], Awaitable[None]] | None = None
    resume: Callable[[GattWriter, int], Awaitable[bool]] | None = None
    sequence_modulo: int = 0
    nominal_rate_hz: float = 100.0
    has_gyr: bool = True
    status_uuid: str | None = None
    is_streaming: Callable[[bytes], bool] | None = None


def as_float_array(values: object, columns: int = 3) -> FloatArray:
    """Helper for decoders: a float64 (N, columns) array."""
    return np.asarray(values, dtype=np.float64).reshape(-1, columns)
