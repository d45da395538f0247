"""The imurep band: its GATT layout, packet codec and device profile.

The layout is documented for firmware authors in ``firmware_notes/gatt-layout.md``; this module is
its executable form. A data notification is a 12-byte header and ``n`` samples::

    offset size  field
    0      u8    format version (1)
    1      u8    flags: bit 0 gyroscope present, bit 1 IMU FIFO overflowed since the last packet,
                 bit 2 sent from the backlog (after RESUME), not at its sampling time
    2      u16   sequence number (wraps at 65536; restarts at 0 on START, continues on RESUME)
    4      u32   device time of the first sample, µs (free-running, wraps after ~71.6 min)
    8      u16   sample period, µs
    10     u8    sample count n (1..)
    11     u8    range codes: bits 0-3 accelerometer, bits 4-7 gyroscope
    12     n × 12 bytes (n × 6 without gyroscope): int16 acc x y z [, gyr x y z]

All integers are little-endian. One LSB is ``full_scale / 32768``: the accelerometer range codes
0..3 are ±2, ±4, ±8, ±16 g and the gyroscope codes 0..4 are ±125, ±250, ±500, ±1000, ±2000 °/s.

The band keeps a backlog (a ring buffer of its recent packets). After a dropped link the client
writes ``RESUME next_sequence`` instead of START: the band sends the packets it still holds from
that sequence number on (flagged as backlog), then carries on live, so nothing is lost that the
backlog still held.
"""

from __future__ import annotations

import asyncio
import struct
from dataclasses import dataclass

import numpy as np
from bleak.exc import BleakError

from imurep.ble.profile import DecodedPacket, DecodeError, DeviceProfile, GattWriter
from imurep.samples import STANDARD_GRAVITY_M_S2, FloatArray

__all__ = [
    "ACC_RANGES_G",
    "ATT_COMMAND_REFUSED",
    "ATT_NOTHING_TO_RESUME",
    "BACKLOG_BYTES",
    "BAND_NAME_PREFIX",
    "BAND_PROFILE",
    "BATTERY_LEVEL_UUID",
    "BATTERY_SERVICE_UUID",
    "CONTROL_UUID",
    "DATA_UUID",
    "DEVICE_INFO_SERVICE_UUID",
    "FORMAT_VERSION",
    "GYR_RANGES_DPS",
    "HEADER_BYTES",
    "MAX_RATE_HZ",
    "MIN_RATE_HZ",
    "SEQUENCE_MODULO",
    "SERVICE_UUID",
    "STATUS_UUID",
    "BandDecoder",
    "BandStatus",
    "Command",
    "acc_range_code",
    "band_rate_hz",
    "decode_status",
    "encode_command",
    "encode_packet",
    "encode_status",
    "gyr_range_code",
    "parse_command",
    "samples_per_packet",
]

SERVICE_UUID = "1b0e0001-7c2d-4f7a-9c43-6e9a2b51d3f0"
DATA_UUID = "1b0e0002-7c2d-4f7a-9c43-6e9a2b51d3f0"
CONTROL_UUID = "1b0e0003-7c2d-4f7a-9c43-6e9a2b51d3f0"
STATUS_UUID = "1b0e0004-7c2d-4f7a-9c43-6e9a2b51d3f0"
BATTERY_SERVICE_UUID = "0000180f-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL_UUID = "00002a19-0000-1000-8000-00805f9b34fb"
DEVICE_INFO_SERVICE_UUID = "0000180a-0000-1000-8000-00805f9b34fb"

BAND_NAME_PREFIX = "imurep"
FORMAT_VERSION = 1
SEQUENCE_MODULO = 1 << 16
TIME_MODULO_US = 1 << 32
MIN_RATE_HZ = 25
#: The band's backlog (ring buffer of sent packets), bytes: about 65 s at 100 Hz, 19 s at 400 Hz
#: (see ``firmware_notes/gatt-layout.md`` for the arithmetic).
BACKLOG_BYTES = 96 * 1024
MAX_RATE_HZ = 400


def band_rate_hz(rate_hz: float) -> int:
    """The rate the band is asked for to sample as near ``rate_hz`` as it can, Hz (whole, in range)."""
    return int(min(max(round(rate_hz), MIN_RATE_HZ), MAX_RATE_HZ))


#: Full scale per range code.
ACC_RANGES_G: tuple[float, ...] = (2.0, 4.0, 8.0, 16.0)
GYR_RANGES_DPS: tuple[float, ...] = (125.0, 250.0, 500.0, 1000.0, 2000.0)

_HEADER = struct.Struct("<BBHIHBB")
HEADER_BYTES = _HEADER.size
_FLAG_GYR = 0x01
_FLAG_OVERFLOW = 0x02
_FLAG_BACKLOG = 0x04
_LSB_PER_FULL_SCALE = 32768.0
#: ATT application errors of the control point: command refused, and RESUME with nothing to resume.
ATT_COMMAND_REFUSED = 0x80
ATT_NOTHING_TO_RESUME = 0x81
# Notifications carry at most this much latency at the band's rate (samples per packet).
_TARGET_PACKET_S = 0.04


def acc_range_code(full_scale_g: float) -> int:
    """Range code of an accelerometer full scale (±2, 4, 8 or 16 g)."""
    if full_scale_g not in ACC_RANGES_G:
        raise ValueError(f"accelerometer full scale must be one of {ACC_RANGES_G} g, got {full_scale_g}")
    return ACC_RANGES_G.index(full_scale_g)


def gyr_range_code(full_scale_dps: float) -> int:
    """Range code of a gyroscope full scale (±125 … ±2000 °/s)."""
    if full_scale_dps not in GYR_RANGES_DPS:
        raise ValueError(f"gyroscope full scale must be one of {GYR_RANGES_DPS} °/s, got {full_scale_dps}")
    return GYR_RANGES_DPS.index(full_scale_dps)


def _acc_lsb_m_s2(code: int) -> float:
    return ACC_RANGES_G[code] * STANDARD_GRAVITY_M_S2 / _LSB_PER_FULL_SCALE


def _gyr_lsb_rad_s(code: int) -> float:
    return float(np.deg2rad(GYR_RANGES_DPS[code])) / _LSB_PER_FULL_SCALE


def samples_per_packet(rate_hz: float, mtu: int = 247) -> int:
    """Samples the band packs per notification: about 40 ms of data, as many as the MTU allows.

    Parameters
    ----------
    rate_hz
        Sample rate, Hz.
    mtu
        Negotiated ATT MTU, bytes (a notification carries ``mtu - 3`` bytes).
    """
    fit = (mtu - 3 - HEADER_BYTES) // 12
    if fit < 1:
        need = 3 + HEADER_BYTES + 12
        raise ValueError(f"an ATT MTU of {mtu} cannot carry one band sample (needs >= {need})")
    return max(1, min(fit, int(rate_hz * _TARGET_PACKET_S)))


def _quantize(values: FloatArray, lsb: float) -> np.ndarray:
    return np.clip(np.rint(values / lsb), -32768, 32767).astype("<i2")


def encode_packet(
    sequence: int,
    time_us: int,
    period_us: int,
    acc_m_s2: FloatArray,
    gyr_rad_s: FloatArray | None,
    acc_range: int = 3,
    gyr_range: int = 4,
    overflow: bool = False,
    backlog: bool = False,
) -> bytes:
    """One data notification, as the band's firmware builds it.

    Parameters
    ----------
    sequence
        Packet counter; taken modulo 65536.
    time_us
        Device time of the first sample, µs; taken modulo 2**32.
    period_us
        Sample period, µs (1..65535).
    acc_m_s2
        (n, 3) specific force, m/s²; saturates at the range's full scale.
    gyr_rad_s
        (n, 3) angular rate, rad/s, or ``None`` (accelerometer-only packet).
    acc_range, gyr_range
        Range codes (indices into :data:`ACC_RANGES_G` and :data:`GYR_RANGES_DPS`).
    overflow
        Set the FIFO-overflow flag.
    backlog
        Set the backlog flag (a packet sent after RESUME from the band's ring buffer).
    """
    acc = np.asarray(acc_m_s2, dtype=np.float64)
    n = acc.shape[0]
    if acc.shape != (n, 3) or not 1 <= n <= 255:
        raise ValueError(f"acc_m_s2 must be (n, 3) with 1 <= n <= 255, got shape {acc.shape}")
    if not 1 <= period_us <= 0xFFFF:
        raise ValueError(f"period_us must be in 1..65535, got {period_us}")
    columns = [_quantize(acc, _acc_lsb_m_s2(acc_range))]
    flags = (_FLAG_OVERFLOW if overflow else 0) | (_FLAG_BACKLOG if backlog else 0)
    if gyr_rad_s is not None:
        gyr = np.asarray(gyr_rad_s, dtype=np.float64)
        if gyr.shape != (n, 3):
            raise ValueError(f"gyr_rad_s must be ({n}, 3), got shape {gyr.shape}")
        columns.append(_quantize(gyr, _gyr_lsb_rad_s(gyr_range)))
        flags |= _FLAG_GYR
    header = _HEADER.pack(
        FORMAT_VERSION,
        flags,
        sequence % SEQUENCE_MODULO,
        time_us % TIME_MODULO_US,
        period_us,
        n,
        (gyr_range << 4) | acc_range,
    )
    return header + np.hstack(columns).tobytes()


class BandDecoder:
    """Decodes band notifications; unwraps the 32-bit µs device clock across packets.

    The clock is unwrapped by assuming consecutive packets are less than half a wrap (~35 min)
    apart; ``reset`` (a new connection) forgets the wrap count.
    """

    def __init__(self) -> None:
        self._last_time_us: int | None = None
        self._wraps = 0
        self.overflows = 0

    def reset(self) -> None:
        self._last_time_us = None
        self._wraps = 0

    def decode(self, characteristic_uuid: str, data: bytes) -> DecodedPacket:
        if characteristic_uuid.lower() != DATA_UUID:
            raise DecodeError(
                f"imurep band: notification from unexpected characteristic {characteristic_uuid}"
            )
        data = bytes(data)
        if len(data) < HEADER_BYTES:
            raise DecodeError(
                f"imurep band: packet of {len(data)} bytes is shorter than the {HEADER_BYTES}-byte header"
            )
        version, flags, sequence, time_us, period_us, n, ranges = _HEADER.unpack_from(data)
        if version != FORMAT_VERSION:
            raise DecodeError(f"imurep band: packet format version {version}, expected {FORMAT_VERSION}")
        if n == 0 or period_us == 0:
            raise DecodeError(f"imurep band: packet with {n} samples and a period of {period_us} µs")
        acc_code, gyr_code = ranges & 0x0F, ranges >> 4
        if acc_code >= len(ACC_RANGES_G) or gyr_code >= len(GYR_RANGES_DPS):
            raise DecodeError(f"imurep band: unknown range codes acc {acc_code}, gyr {gyr_code}")
        has_gyr = bool(flags & _FLAG_GYR)
        width = 6 if has_gyr else 3
        expected = HEADER_BYTES + n * width * 2
        if len(data) != expected:
            raise DecodeError(
                f"imurep band: packet of {len(data)} bytes, expected {expected} for {n} samples"
            )
        if flags & _FLAG_OVERFLOW:
            self.overflows += 1
        raw = np.frombuffer(data, dtype="<i2", offset=HEADER_BYTES).reshape(n, width).astype(np.float64)
        acc = raw[:, :3] * _acc_lsb_m_s2(acc_code)
        gyr = raw[:, 3:] * _gyr_lsb_rad_s(gyr_code) if has_gyr else None
        start_us = self._unwrap(time_us)
        times = (start_us + period_us * np.arange(n, dtype=np.float64)) * 1e-6
        return DecodedPacket(times, acc, gyr, sequence, replayed=bool(flags & _FLAG_BACKLOG))

    def _unwrap(self, time_us: int) -> float:
        if self._last_time_us is not None and time_us < self._last_time_us - TIME_MODULO_US // 2:
            self._wraps += 1
        self._last_time_us = time_us
        return float(time_us + self._wraps * TIME_MODULO_US)


# --- control and status -------------------------------------------------------------------------


class Command:
    """Control-point opcodes (first byte of a write to :data:`CONTROL_UUID`)."""

    START = 0x01
    STOP = 0x02
    SET_RATE = 0x03  # then u16 rate, Hz
    SET_RANGE = 0x04  # then u8 accelerometer code, u8 gyroscope code
    RESUME = 0x05  # then u16 sequence number of the first packet wanted from the backlog


def encode_command(opcode: int, *params: int) -> bytes:
    """Bytes of a control-point command, e.g. ``encode_command(Command.SET_RATE, 100)``."""
    if opcode in (Command.START, Command.STOP) and not params:
        return bytes([opcode])
    if opcode == Command.SET_RATE and len(params) == 1:
        return struct.pack("<BH", opcode, params[0])
    if opcode == Command.SET_RANGE and len(params) == 2:
        return struct.pack("<BBB", opcode, *params)
    if opcode == Command.RESUME and len(params) == 1:
        return struct.pack("<BH", opcode, params[0] % SEQUENCE_MODULO)
    raise ValueError(f"bad command: opcode {opcode:#04x} with parameters {params}")


def parse_command(data: bytes) -> tuple[int, tuple[int, ...]]:
    """Opcode and parameters of a control-point write; ``ValueError`` names what is wrong.

    Rates must be :data:`MIN_RATE_HZ`..:data:`MAX_RATE_HZ` Hz and range codes known; the firmware
    answers a write it refuses with ATT error 0x80 (see ``firmware_notes/gatt-layout.md``).
    """
    if not data:
        raise ValueError("empty command")
    opcode = data[0]
    if opcode in (Command.START, Command.STOP) and len(data) == 1:
        return opcode, ()
    if opcode == Command.SET_RATE and len(data) == 3:
        (rate,) = struct.unpack_from("<H", data, 1)
        if not MIN_RATE_HZ <= rate <= MAX_RATE_HZ:
            raise ValueError(f"rate {rate} Hz outside {MIN_RATE_HZ}..{MAX_RATE_HZ} Hz")
        return opcode, (rate,)
    if opcode == Command.SET_RANGE and len(data) == 3:
        acc, gyr = data[1], data[2]
        if acc >= len(ACC_RANGES_G) or gyr >= len(GYR_RANGES_DPS):
            raise ValueError(f"unknown range codes acc {acc}, gyr {gyr}")
        return opcode, (acc, gyr)
    if opcode == Command.RESUME and len(data) == 3:
        (sequence,) = struct.unpack_from("<H", data, 1)
        return opcode, (sequence,)
    raise ValueError(f"unknown command {data.hex(' ')}")


_STATUS = struct.Struct("<BBHBBH")


@dataclass(frozen=True)
class BandStatus:
    """Contents of the status characteristic (read or notify, 8 bytes).

    Attributes
    ----------
    streaming
        Whether the band is sending data notifications.
    rate_hz
        Configured sample rate, Hz.
    acc_range, gyr_range
        Range codes (see :data:`ACC_RANGES_G`, :data:`GYR_RANGES_DPS`).
    fifo_overflows
        IMU FIFO overflows since power-on (samples the firmware could not send).
    """

    streaming: bool
    rate_hz: int
    acc_range: int
    gyr_range: int
    fifo_overflows: int = 0


def encode_status(status: BandStatus) -> bytes:
    """``u8 version, u8 streaming, u16 rate Hz, u8 acc code, u8 gyr code, u16 FIFO overflows``."""
    return _STATUS.pack(
        FORMAT_VERSION,
        int(status.streaming),
        status.rate_hz,
        status.acc_range,
        status.gyr_range,
        status.fifo_overflows & 0xFFFF,
    )


def decode_status(data: bytes) -> BandStatus:
    """Parse the status characteristic; :class:`DecodeError` on a malformed value."""
    if len(data) != _STATUS.size:
        raise DecodeError(f"imurep band: status of {len(data)} bytes, expected {_STATUS.size}")
    _version, streaming, rate, acc, gyr, overflows = _STATUS.unpack(bytes(data))
    return BandStatus(bool(streaming), rate, acc, gyr, overflows)


# The control point answers each write before the next one is sent (write with response), so no
# pause is needed between commands.
async def _start(client: GattWriter, rate_hz: float) -> None:
    rate = band_rate_hz(rate_hz)
    await client.write_gatt_char(CONTROL_UUID, encode_command(Command.SET_RATE, rate), response=True)
    await client.write_gatt_char(CONTROL_UUID, encode_command(Command.START), response=True)


async def _resume(client: GattWriter, next_sequence: int) -> bool:
    # A band without a backlog (or one that rebooted, or lost the stream) refuses with an ATT
    # error: the caller then STARTs afresh and records the outage as a gap.
    try:
        await client.write_gatt_char(
            CONTROL_UUID, encode_command(Command.RESUME, next_sequence), response=True
        )
    except BleakError:
        return False
    return True


async def _stop(client: GattWriter) -> None:
    await client.write_gatt_char(CONTROL_UUID, encode_command(Command.STOP), response=True)
    await asyncio.sleep(0)


#: The imurep band (and any phone app serving the same layout).
BAND_PROFILE = DeviceProfile(
    name="imurep-band",
    service_uuid=SERVICE_UUID,
    notify_uuids=(DATA_UUID,),
    name_prefixes=(BAND_NAME_PREFIX,),
    make_decoder=lambda _rate_hz: BandDecoder(),
    start=_start,
    stop=_stop,
    resume=_resume,
    sequence_modulo=SEQUENCE_MODULO,
    nominal_rate_hz=100.0,
    has_gyr=True,
    status_uuid=STATUS_UUID,
    is_streaming=lambda data: decode_status(data).streaming,
)
