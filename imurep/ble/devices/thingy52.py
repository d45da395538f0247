"""Nordic Thingy:52 motion service, raw data characteristic.

Facts from NordicSemiconductor/Nordic-Thingy52-FW: ``include/ble_services/ble_tms.h``
(``ble_tms_raw_t``: 9 × int16 LE, acc xyz, gyro xyz, compass xyz; ``ble_tms_config_t``: pedometer
interval ms u16, temperature interval ms u16, compass interval ms u16, motion frequency Hz u16,
wake-on-motion u8; limits 100–5000 ms, 1–200 Hz, 0–1), ``m_motion.c`` (raw Q formats: acc Q6.10 g,
gyro Q11.5 °/s, compass Q12.4 µT) and ``m_motion.h`` (defaults 1000, 500, 500 ms, 10 Hz, 1).
The raw packet carries no timestamp.
"""

from __future__ import annotations

import struct

import numpy as np

from imurep.ble.profile import DecodedPacket, DecodeError, DeviceProfile, GattWriter
from imurep.samples import STANDARD_GRAVITY_M_S2

__all__ = [
    "CONFIG_UUID",
    "MOTION_SERVICE_UUID",
    "RAW_BYTES",
    "RAW_UUID",
    "THINGY52",
    "Thingy52Decoder",
    "motion_config",
]

_BASE = "ef68{:04x}-9b35-4933-9b10-52ffa9740042"
MOTION_SERVICE_UUID = _BASE.format(0x0400)
CONFIG_UUID = _BASE.format(0x0401)
RAW_UUID = _BASE.format(0x0406)

RAW_BYTES = 18
ACC_SCALE_M_S2 = STANDARD_GRAVITY_M_S2 / 1024.0  # Q6.10 g
GYR_SCALE_RAD_S = float(np.deg2rad(1.0 / 32.0))  # Q11.5 °/s

MOTION_FREQ_MIN_HZ = 1
MOTION_FREQ_MAX_HZ = 200
_INTERVAL_MIN_MS = 100
_INTERVAL_MAX_MS = 5000
_CONFIG_FORMAT = "<HHHHB"
_DEFAULT_CONFIG = (1000, 500, 500, 10, 1)


class Thingy52Decoder:
    """Decodes one 18-byte raw motion notification into one sample (compass ignored)."""

    def reset(self) -> None:
        """Stateless."""

    def decode(self, characteristic_uuid: str, data: bytes) -> DecodedPacket:
        if characteristic_uuid.lower() != RAW_UUID:
            raise DecodeError(f"Thingy:52: notification from unexpected characteristic {characteristic_uuid}")
        if len(data) != RAW_BYTES:
            raise DecodeError(f"Thingy:52 raw motion: expected 18 bytes, got {len(data)}")
        raw = np.frombuffer(bytes(data), dtype="<i2").astype(np.float64)
        return DecodedPacket(
            device_time_s=None,
            acc_m_s2=(raw[0:3] * ACC_SCALE_M_S2).reshape(1, 3),
            gyr_rad_s=(raw[3:6] * GYR_SCALE_RAD_S).reshape(1, 3),
        )


def motion_config(rate_hz: float, current: bytes | None = None) -> tuple[int, bytes]:
    """The 9-byte config that sets the motion frequency nearest ``rate_hz`` (1–200 Hz).

    Keeps the other fields of ``current`` (the config read from the device) when they are
    within the firmware's limits, else uses the firmware defaults.

    Returns
    -------
    The motion frequency written, Hz, and the config bytes.
    """
    freq_hz = int(min(max(round(rate_hz), MOTION_FREQ_MIN_HZ), MOTION_FREQ_MAX_HZ))
    pedo, temp, compass, _, wake = _DEFAULT_CONFIG
    if current is not None and len(current) == struct.calcsize(_CONFIG_FORMAT):
        c_pedo, c_temp, c_compass, _, c_wake = struct.unpack(_CONFIG_FORMAT, current)
        intervals = (c_pedo, c_temp, c_compass)
        if all(_INTERVAL_MIN_MS <= v <= _INTERVAL_MAX_MS for v in intervals) and c_wake in (0, 1):
            pedo, temp, compass, wake = c_pedo, c_temp, c_compass, c_wake
    return freq_hz, struct.pack(_CONFIG_FORMAT, pedo, temp, compass, freq_hz, wake)


async def _start(client: GattWriter, rate_hz: float) -> None:
    current = bytes(await client.read_gatt_char(CONFIG_UUID))
    _, config = motion_config(rate_hz, current)
    await client.write_gatt_char(CONFIG_UUID, config, response=True)


THINGY52 = DeviceProfile(
    name="thingy52",
    service_uuid=MOTION_SERVICE_UUID,
    notify_uuids=(RAW_UUID,),
    name_prefixes=("Thingy",),
    make_decoder=lambda _rate_hz: Thingy52Decoder(),
    start=_start,
    nominal_rate_hz=100.0,
    has_gyr=True,
)
