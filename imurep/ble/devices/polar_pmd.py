"""Polar Measurement Data (PMD) service: Verity Sense (ACC + GYRO) and H10 (ACC only).

Facts from polarofficial/polar-ble-sdk (Android): ``BlePMDClient.kt`` (control point, delta
frames), ``PmdDataFrame.kt`` (frame header), ``PmdControlPointResponse.kt``, ``PmdSetting.kt``,
``model/AccData.kt``, ``model/GyrData.kt`` and ``model/PmdTimeStampUtils.kt`` (sample times).

* Data frame: byte 0 measurement type (``& 0x3F``), bytes 1–8 u64 LE timestamp, ns since
  2000-01-01, of the *last* sample; byte 9 frame type (bit 7: delta-compressed); payload after.
* ACC raw frames type 0/1/2: int8/int16/int24 × 3, mG. ACC delta type 0: 16-bit, × FACTOR g;
  delta type 1: 16-bit, × FACTOR mG. GYRO delta type 0: 16-bit × FACTOR °/s; delta type 1:
  float32 bit patterns (deltas added as int32) × FACTOR °/s.
* FACTOR (float32 bits, setting type 5) arrives only in the control-point response to a start
  command; 1.0 when absent.
* Sample times (``polar_timestamps``): spacing = (ts − previous ts of the same measurement and
  frame type) / n, as in the SDK, while that is within 2/3 to 3/2 of the nominal period, the last
  sample carrying ts; the first frame at 1 / sample rate up to ts. Outside that band the frame is
  kept and marked ``reanchored`` (counted in the client's ``StreamStats.reanchored_packets``):
  spaced too far apart (lost frames, a clock jump forward), at 1 / sample rate up to its own ts,
  leaving the hole; too close or before the previous ts (the device clock went back; the SDK
  refuses a frame not after the previous one and loses its samples), at 1 / sample rate right after
  the previous frame, and that step back is kept as an offset added to every later timestamp of
  the device, so the following frames continue too. An equal ts is a repeated frame (spaced up to
  its own ts, then dropped by the client as already delivered).

How the pieces share the handshake: the control point is one of ``notify_uuids``, so the client
feeds its responses to :meth:`PolarPmdDecoder.decode` like data. The decoder keeps FACTOR from
start responses and raises :class:`PmdControlPointError` (a :class:`DeviceError`, not a
:class:`DecodeError`) when the device refuses a command. ``start`` reads the feature list and
writes the start commands.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import numpy as np

from imurep.ble.devices.polar_delta import decode_delta_payload
from imurep.ble.devices.polar_timestamps import frame_times, step_back_ns
from imurep.ble.profile import (
    DecodedPacket,
    DecodeError,
    DeviceProfile,
    GattWriter,
    as_float_array,
)
from imurep.errors import DeviceError
from imurep.samples import STANDARD_GRAVITY_M_S2, FloatArray

__all__ = [
    "CONTROL_POINT_UUID",
    "DATA_UUID",
    "POLAR_H10",
    "POLAR_VERITY_SENSE",
    "SERVICE_UUID",
    "ControlPointResponse",
    "PmdControlPointError",
    "PolarPmdDecoder",
    "parse_control_point_response",
    "parse_settings",
    "start_command",
]

SERVICE_UUID = "fb005c80-02e7-f387-1cad-8acd2d8df0c8"
CONTROL_POINT_UUID = "fb005c81-02e7-f387-1cad-8acd2d8df0c8"
DATA_UUID = "fb005c82-02e7-f387-1cad-8acd2d8df0c8"

_MG_TO_M_S2 = STANDARD_GRAVITY_M_S2 / 1000.0

# Measurement types (PmdMeasurementType.kt) and feature-read bits (fromByteArray).
TYPE_ACC = 2
TYPE_GYRO = 5
_FEATURE_BIT = {TYPE_ACC: 0x04, TYPE_GYRO: 0x20}
_TYPE_NAME = {0: "ECG", 1: "PPG", TYPE_ACC: "ACC", 3: "PPI", TYPE_GYRO: "GYRO", 6: "MAG"}

# Control point opcodes and setting types (PmdControlPointCommand.kt, PmdSetting.kt).
OP_GET_SETTINGS = 1
OP_START = 2
OP_STOP = 3
RESPONSE_CODE = 0xF0
SETTING_SAMPLE_RATE = 0
SETTING_RESOLUTION = 1
SETTING_RANGE = 2
SETTING_RANGE_MILLIUNIT = 3
SETTING_CHANNELS = 4
SETTING_FACTOR = 5
_SETTING_FIELD_BYTES = {0: 2, 1: 2, 2: 2, 3: 4, 4: 1, 5: 4}

#: PmdControlPointResponseCode, by value.
STATUS_NAMES = (
    "success",
    "invalid op code",
    "invalid measurement type",
    "not supported",
    "invalid length",
    "invalid parameter",
    "already in state",
    "invalid resolution",
    "invalid sample rate",
    "invalid range",
    "invalid MTU",
    "invalid number of channels",
    "invalid state",
    "device in charger",
    "disk full",
)

# The SDK waits for each control-point response before the next command; ``start`` cannot see
# responses (they reach the decoder), so it leaves the device this long between commands.
_COMMAND_GAP_S = 0.25
_HEADER_BYTES = 10


class PmdControlPointError(DeviceError):
    """The device answered a control-point command with a non-zero status."""

    def __init__(self, opcode: int, measurement_type: int, status: int) -> None:
        self.opcode = opcode
        self.measurement_type = measurement_type
        self.status = status
        name = STATUS_NAMES[status] if status < len(STATUS_NAMES) else "unknown status"
        op = {OP_GET_SETTINGS: "get settings", OP_START: "start", OP_STOP: "stop"}.get(
            opcode, f"op code {opcode}"
        )
        kind = _TYPE_NAME.get(measurement_type, f"type {measurement_type}")
        super().__init__(f"Polar PMD refused '{op}' for {kind}: status {status} ({name})")


@dataclass(frozen=True)
class ControlPointResponse:
    """One control-point response ``F0 opcode type status [more] [parameters]``."""

    opcode: int
    measurement_type: int
    status: int
    more: bool
    parameters: bytes


def parse_control_point_response(data: bytes) -> ControlPointResponse:
    """Parse a control-point response (``PmdControlPointResponse.kt``).

    Raises
    ------
    DecodeError
        Not a response (first byte not 0xF0) or shorter than 4 bytes.
    """
    if len(data) < 4 or data[0] != RESPONSE_CODE:
        raise DecodeError(f"Polar control point: not a response: {bytes(data[:8]).hex(' ')}")
    status = data[3]
    more = status == 0 and len(data) > 4 and data[4] != 0
    params = bytes(data[5:]) if status == 0 else b""
    return ControlPointResponse(data[1], data[2] & 0x3F, status, more, params)


def parse_settings(parameters: bytes) -> dict[int, list[int]]:
    """Parse ``[type][count][values LE]…`` settings into ``{setting type: values}``.

    Raises
    ------
    DecodeError
        Unknown setting type or truncated values.
    """
    settings: dict[int, list[int]] = {}
    offset = 0
    while offset < len(parameters):
        if offset + 2 > len(parameters):
            raise DecodeError("Polar settings: setting header cut off")
        kind, count = parameters[offset], parameters[offset + 1]
        offset += 2
        size = _SETTING_FIELD_BYTES.get(kind)
        if size is None:
            raise DecodeError(f"Polar settings: unknown setting type {kind}")
        if offset + size * count > len(parameters):
            raise DecodeError(f"Polar settings: values of setting type {kind} cut off")
        values = [
            int.from_bytes(parameters[offset + i * size : offset + (i + 1) * size], "little")
            for i in range(count)
        ]
        settings[kind] = values
        offset += size * count
    return settings


def start_command(
    measurement_type: int,
    sample_rate_hz: int,
    resolution_bits: int,
    range_value: int,
    channels: int | None = None,
) -> bytes:
    """Bytes of a start command, e.g. H10 ACC 200 Hz 16-bit ±8 g:
    ``02 02 00 01 C8 00 01 01 10 00 02 01 08 00``."""
    out = bytearray([OP_START, measurement_type])
    for kind, value in (
        (SETTING_SAMPLE_RATE, sample_rate_hz),
        (SETTING_RESOLUTION, resolution_bits),
        (SETTING_RANGE, range_value),
    ):
        out += bytes([kind, 1]) + struct.pack("<H", value)
    if channels is not None:
        out += bytes([SETTING_CHANNELS, 1, channels])
    return bytes(out)


def _raw_samples(payload: bytes, value_bytes: int) -> FloatArray:
    step = 3 * value_bytes
    if len(payload) == 0 or len(payload) % step:
        raise DecodeError(
            f"Polar raw ACC frame: payload of {len(payload)} bytes is not a whole number "
            f"of {step}-byte samples"
        )
    if value_bytes == 3:
        raw = np.frombuffer(payload, dtype=np.uint8).reshape(-1, 3).astype(np.int64)
        values = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        values = np.where(values & 0x800000, values - 0x1000000, values)
        return as_float_array(values)
    dtype = "<i1" if value_bytes == 1 else "<i2"
    return as_float_array(np.frombuffer(payload, dtype=dtype))


class PolarPmdDecoder:
    """Decoder for PMD control-point responses and ACC/GYRO data frames.

    Parameters
    ----------
    rates_hz
        Sample rate per measurement type, Hz: the nominal period spaces a first frame, and bounds
        the spacing later frames take from the previous timestamp (see ``polar_timestamps``).
        Must match what ``start`` requested.
    """

    def __init__(self, rates_hz: dict[int, float]) -> None:
        self._rates_hz = dict(rates_hz)
        self._factors: dict[int, float] = {}
        self._previous_ns: dict[tuple[int, int], int] = {}  # corrected, see _step_back_ns
        # Added to every timestamp: what the device clock has stepped back so far (one clock for
        # all of the device's streams).
        self._step_back_ns = 0

    def reset(self) -> None:
        self._factors.clear()
        self._previous_ns.clear()
        self._step_back_ns = 0

    def factor(self, measurement_type: int) -> float:
        """FACTOR from the last successful start response (1.0 if none)."""
        return self._factors.get(measurement_type, 1.0)

    def decode(self, characteristic_uuid: str, data: bytes) -> DecodedPacket:
        uuid = characteristic_uuid.lower()
        if uuid == CONTROL_POINT_UUID:
            return self._control_point(bytes(data))
        if uuid == DATA_UUID:
            return self._data_frame(bytes(data))
        raise DecodeError(f"Polar PMD: notification from unexpected characteristic {uuid}")

    def _control_point(self, data: bytes) -> DecodedPacket:
        empty = DecodedPacket(None, None, None)
        if not data or data[0] != RESPONSE_CODE:
            # Device-to-client commands (e.g. "measurement stopped") carry no samples.
            return empty
        response = parse_control_point_response(data)
        if response.status != 0:
            raise PmdControlPointError(response.opcode, response.measurement_type, response.status)
        if response.opcode == OP_START:
            settings = parse_settings(response.parameters)
            factors = settings.get(SETTING_FACTOR)
            if factors:
                (value,) = struct.unpack("<f", struct.pack("<I", factors[0]))
                if not np.isfinite(value) or value == 0.0:
                    raise DecodeError(f"Polar start response: unusable FACTOR {value!r}")
                self._factors[response.measurement_type] = float(value)
        if response.opcode == OP_STOP:
            self._previous_ns = {
                k: v for k, v in self._previous_ns.items() if k[0] != response.measurement_type
            }
        return empty

    def _data_frame(self, data: bytes) -> DecodedPacket:
        if len(data) <= _HEADER_BYTES:
            raise DecodeError(f"Polar data frame: {len(data)} bytes, need more than 10")
        kind = data[0] & 0x3F
        timestamp_ns = int.from_bytes(data[1:9], "little")
        compressed = bool(data[9] & 0x80)
        frame_type = data[9] & 0x7F
        payload = data[_HEADER_BYTES:]
        if kind == TYPE_ACC:
            values = self._acc_mg(payload, compressed, frame_type) * _MG_TO_M_S2
        elif kind == TYPE_GYRO:
            values = np.deg2rad(self._gyr_dps(payload, compressed, frame_type))
        else:
            name = _TYPE_NAME.get(kind, f"type {kind}")
            raise DecodeError(f"Polar data frame: measurement {name} is not ACC or GYRO")
        if not np.all(np.isfinite(values)):
            raise DecodeError("Polar data frame: non-finite sample values")
        key = (kind, data[9])
        n = values.shape[0]
        corrected_ns = timestamp_ns + self._step_back_ns
        previous_ns = self._previous_ns.get(key)
        # A device clock that went back: kept as an offset, so this frame and the later frames of
        # every stream continue after their previous frames.
        step_ns = step_back_ns(corrected_ns, previous_ns, n, self._rate(kind))
        self._step_back_ns += step_ns
        corrected_ns += step_ns
        times = frame_times(corrected_ns, previous_ns, n, self._rate(kind))
        # a re-anchored frame's own timestamp is the anchor the next frame is spaced from
        self._previous_ns[key] = corrected_ns
        reanchored = times.reanchored or step_ns != 0
        if kind == TYPE_ACC:
            return DecodedPacket(times.time_s, values, None, reanchored=reanchored)
        return DecodedPacket(times.time_s, None, values, reanchored=reanchored)

    def _rate(self, kind: int) -> float:
        rate = self._rates_hz.get(kind)
        if rate is None or rate <= 0:
            raise DecodeError(f"Polar data frame: no sample rate known for {_TYPE_NAME[kind]}")
        return rate

    def _acc_mg(self, payload: bytes, compressed: bool, frame_type: int) -> FloatArray:
        if not compressed:
            if frame_type not in (0, 1, 2):
                raise DecodeError(f"Polar ACC: raw frame type {frame_type} not supported")
            return _raw_samples(payload, frame_type + 1)
        if frame_type == 0:  # values in g ("special Wolfi type" in AccData.kt)
            return as_float_array(decode_delta_payload(payload, 3, 16)) * (self.factor(TYPE_ACC) * 1000.0)
        if frame_type == 1:
            return as_float_array(decode_delta_payload(payload, 3, 16)) * self.factor(TYPE_ACC)
        raise DecodeError(f"Polar ACC: compressed frame type {frame_type} not supported")

    def _gyr_dps(self, payload: bytes, compressed: bool, frame_type: int) -> FloatArray:
        if not compressed:
            raise DecodeError(f"Polar GYRO: raw frame type {frame_type} not supported")
        if frame_type == 0:
            return as_float_array(decode_delta_payload(payload, 3, 16)) * self.factor(TYPE_GYRO)
        if frame_type == 1:
            bits = decode_delta_payload(payload, 3, 32).astype(np.int32)
            # A corrupted frame may hold a signalling NaN, which sets the invalid flag when widened;
            # the caller refuses non-finite values with a DecodeError.
            with np.errstate(invalid="ignore"):
                floats = bits.view(np.float32).astype(np.float64)
            return as_float_array(floats) * self.factor(TYPE_GYRO)
        raise DecodeError(f"Polar GYRO: compressed frame type {frame_type} not supported")


@dataclass(frozen=True)
class _StreamSetting:
    measurement_type: int
    rates_hz: tuple[int, ...]
    resolution_bits: int
    range_value: int
    channels: int | None


def _nearest_rate(rates_hz: tuple[int, ...], rate_hz: float) -> int:
    return min(rates_hz, key=lambda r: (abs(r - rate_hz), r))


def _make_start(
    streams: tuple[_StreamSetting, ...],
) -> Callable[[GattWriter, float], Awaitable[None]]:
    async def start(client: GattWriter, rate_hz: float) -> None:
        features = bytes(await client.read_gatt_char(CONTROL_POINT_UUID))
        if len(features) < 2 or features[0] != 0x0F:
            raise DeviceError(f"Polar PMD: unexpected feature read {features[:4].hex(' ')} (expected 0F ..)")
        for stream in streams:
            if not features[1] & _FEATURE_BIT[stream.measurement_type]:
                raise DeviceError(
                    f"Polar PMD: device does not offer {_TYPE_NAME[stream.measurement_type]} "
                    f"(feature bits {features[1]:#04x})"
                )
        for stream in streams:
            command = start_command(
                stream.measurement_type,
                _nearest_rate(stream.rates_hz, rate_hz),
                stream.resolution_bits,
                stream.range_value,
                stream.channels,
            )
            await client.write_gatt_char(CONTROL_POINT_UUID, command, response=True)
            await asyncio.sleep(_COMMAND_GAP_S)

    return start


def _make_stop(streams: tuple[_StreamSetting, ...]) -> Callable[[GattWriter], Awaitable[None]]:
    async def stop(client: GattWriter) -> None:
        for stream in streams:
            command = bytes([OP_STOP, stream.measurement_type])
            await client.write_gatt_char(CONTROL_POINT_UUID, command, response=True)

    return stop


# Verity Sense online streaming: ACC 52 Hz 16-bit ±8 g, GYRO 52 Hz 16-bit ±2000 °/s, 3 channels
# (Polar SDK docs; the device rejects other ACC rates with status 8).
_VERITY_STREAMS = (
    _StreamSetting(TYPE_ACC, (52,), 16, 8, 3),
    _StreamSetting(TYPE_GYRO, (52,), 16, 2000, 3),
)
# H10: ACC 25/50/100/200 Hz, 16-bit, ±2/4/8 g; no channels setting.
_H10_STREAMS = (_StreamSetting(TYPE_ACC, (25, 50, 100, 200), 16, 8, None),)


def _make_decoder(streams: tuple[_StreamSetting, ...]) -> Callable[[float], PolarPmdDecoder]:
    def make_decoder(rate_hz: float) -> PolarPmdDecoder:
        # the rate each stream's start command asks for, so that decoder and device agree
        return PolarPmdDecoder(
            {s.measurement_type: float(_nearest_rate(s.rates_hz, rate_hz)) for s in streams}
        )

    return make_decoder


POLAR_VERITY_SENSE = DeviceProfile(
    name="polar-verity",
    service_uuid=SERVICE_UUID,
    notify_uuids=(CONTROL_POINT_UUID, DATA_UUID),
    name_prefixes=("Polar Sense",),
    make_decoder=_make_decoder(_VERITY_STREAMS),
    start=_make_start(_VERITY_STREAMS),
    stop=_make_stop(_VERITY_STREAMS),
    nominal_rate_hz=52.0,
    has_gyr=True,
)

POLAR_H10 = DeviceProfile(
    name="polar-h10",
    service_uuid=SERVICE_UUID,
    notify_uuids=(CONTROL_POINT_UUID, DATA_UUID),
    name_prefixes=("Polar H10",),
    make_decoder=_make_decoder(_H10_STREAMS),
    start=_make_start(_H10_STREAMS),
    stop=_make_stop(_H10_STREAMS),
    nominal_rate_hz=100.0,
    has_gyr=False,
)
