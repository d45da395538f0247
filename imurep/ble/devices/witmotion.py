"""WitMotion BWT901BLE5.0 / WT901BLECL: 20-byte ``55 61`` packets over a serial-like notify.

Facts from WITMOTION/WitBluetooth_BWT901BLE5_0, ``Python/BWT901BLE5.0_python_sdk/device_model.py``:
service ``ffe5``, notify ``ffe4``, write ``ffe9`` (``…-0000-1000-8000-00805f9a34fb``); a packet
is ``55 61`` then 9 × int16 LE: acc xyz (× 16 g / 32768), gyro xyz (× 2000 °/s / 32768), angles
(ignored); no checksum. The vendor's parser feeds bytes through a 20-byte window that resyncs
on ``55 61``, so packets may be packed several per notification or split across two.
Commands are ``FF AA reg lo hi``: unlock ``FF AA 69 88 B5``, save ``FF AA 00 00 00``, return
rate ``FF AA 03 code 00`` (``Bwt901ble.java`` ``setReturnRate``).
"""

from __future__ import annotations

import asyncio

import numpy as np

from imurep.ble.profile import DecodedPacket, DecodeError, DeviceProfile, GattWriter
from imurep.samples import STANDARD_GRAVITY_M_S2

__all__ = [
    "NOTIFY_UUID",
    "PACKET_BYTES",
    "RATE_CODES",
    "SERVICE_UUID",
    "WITMOTION",
    "WRITE_UUID",
    "WitMotionDecoder",
    "rate_code",
]

SERVICE_UUID = "0000ffe5-0000-1000-8000-00805f9a34fb"
NOTIFY_UUID = "0000ffe4-0000-1000-8000-00805f9a34fb"
WRITE_UUID = "0000ffe9-0000-1000-8000-00805f9a34fb"

HEADER = b"\x55\x61"
PACKET_BYTES = 20
ACC_SCALE_M_S2 = 16.0 / 32768.0 * STANDARD_GRAVITY_M_S2
GYR_SCALE_RAD_S = float(np.deg2rad(2000.0 / 32768.0))

#: Return-rate register codes (WIT standard protocol), Hz → code.
RATE_CODES: dict[float, int] = {10.0: 0x06, 20.0: 0x07, 50.0: 0x08, 100.0: 0x09, 200.0: 0x0A}

UNLOCK = bytes([0xFF, 0xAA, 0x69, 0x88, 0xB5])
SAVE = bytes([0xFF, 0xAA, 0x00, 0x00, 0x00])
# The vendor SDK waits 100 ms between unlock, write and save.
_COMMAND_GAP_S = 0.1


def rate_code(rate_hz: float) -> tuple[float, int]:
    """Nearest supported return rate (ties go to the faster one) and its register code."""
    rate = min(RATE_CODES, key=lambda r: (abs(r - rate_hz), -r))
    return rate, RATE_CODES[rate]


class WitMotionDecoder:
    """Scans each notification for ``55 61`` packets; keeps a split packet's head for the next.

    A leftover shorter than 20 bytes that starts with the header is kept and completed by the
    next notification, unless that notification itself starts with a header (then the leftover
    was a truncated packet and is dropped).
    """

    def __init__(self) -> None:
        self._tail = b""

    def reset(self) -> None:
        self._tail = b""

    def decode(self, characteristic_uuid: str, data: bytes) -> DecodedPacket:
        if characteristic_uuid.lower() != NOTIFY_UUID:
            raise DecodeError(f"WitMotion: notification from unexpected characteristic {characteristic_uuid}")
        data = bytes(data)
        buffer = data if data.startswith(HEADER) else self._tail + data
        self._tail = b""
        packets: list[bytes] = []
        start = buffer.find(HEADER)
        while start != -1:
            end = start + PACKET_BYTES
            if end > len(buffer):
                self._tail = buffer[start:]
                break
            packets.append(buffer[start + 2 : end])
            start = buffer.find(HEADER, end)
        if not packets:
            if self._tail:
                return DecodedPacket(None, None, None)
            raise DecodeError(
                f"WitMotion: no 55 61 packet in {len(data)}-byte notification starting {data[:6].hex(' ')}"
            )
        raw = np.frombuffer(b"".join(packets), dtype="<i2").reshape(-1, 9).astype(np.float64)
        return DecodedPacket(
            device_time_s=None,
            acc_m_s2=raw[:, 0:3] * ACC_SCALE_M_S2,
            gyr_rad_s=raw[:, 3:6] * GYR_SCALE_RAD_S,
        )


async def _start(client: GattWriter, rate_hz: float) -> None:
    _, code = rate_code(rate_hz)
    for command in (UNLOCK, bytes([0xFF, 0xAA, 0x03, code, 0x00]), SAVE):
        await client.write_gatt_char(WRITE_UUID, command, response=False)
        await asyncio.sleep(_COMMAND_GAP_S)


WITMOTION = DeviceProfile(
    name="witmotion",
    service_uuid=SERVICE_UUID,
    notify_uuids=(NOTIFY_UUID,),
    name_prefixes=("WT901", "BWT901", "WT9011"),
    make_decoder=lambda _rate_hz: WitMotionDecoder(),
    start=_start,
    nominal_rate_hz=50.0,
    has_gyr=True,
)
