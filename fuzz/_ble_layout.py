"""How an input of ``fuzz_ble_decoders.py`` becomes notifications (apart: tools need no atheris)."""

from __future__ import annotations

from imurep.ble.band import BAND_PROFILE
from imurep.ble.devices import PROFILES
from imurep.ble.devices.polar_pmd import CONTROL_POINT_UUID
from imurep.ble.profile import DeviceProfile

__all__ = ["DEVICES", "channels", "notifications", "split"]

#: Selector byte modulo 5 picks the device.
DEVICES: tuple[DeviceProfile, ...] = (
    BAND_PROFILE,
    PROFILES["witmotion"],
    PROFILES["thingy52"],
    PROFILES["polar-verity"],
    PROFILES["polar-h10"],
)
_WRONG_UUID = "00000000-0000-1000-8000-00805f9b34fb"


def channels(profile: DeviceProfile) -> tuple[str, ...]:
    """Characteristics a notification may come from (channel byte modulo their number)."""
    extra = (CONTROL_POINT_UUID,) if CONTROL_POINT_UUID not in profile.notify_uuids else ()
    return (*profile.notify_uuids, *extra, _WRONG_UUID)


def notifications(data: bytes) -> list[tuple[int, bytes]]:
    """``(channel byte, payload)`` pairs of an input after its selector byte."""
    out: list[tuple[int, bytes]] = []
    i = 1
    while i + 1 < len(data):
        channel, length = data[i], data[i + 1]
        out.append((channel, data[i + 2 : i + 2 + length]))
        i += 2 + length
    return out


def split(data: bytes) -> tuple[DeviceProfile, list[tuple[str, bytes]]]:
    """The device an input selects and its ``(characteristic UUID, payload)`` notifications."""
    profile = DEVICES[data[0] % len(DEVICES)]
    uuids = channels(profile)
    return profile, [(uuids[channel % len(uuids)], payload) for channel, payload in notifications(data)]
