"""Fuzz every BLE notification decoder: the band, WitMotion, Thingy:52, Polar PMD (Verity Sense, H10).

Input: one selector byte (which device), then notifications, each as one byte choosing the
characteristic (the device's notify characteristics, Polar's control point, or a wrong one),
one length byte, and that many bytes. One decoder per input sees them all in order, so the
state it keeps (the band's clock unwrapping, WitMotion's split packets, Polar's FACTOR and last
timestamps) is fuzzed too.

Contract (``PacketDecoder.decode``): a well-formed ``DecodedPacket`` (arrays (N, 3) float64 and
finite, device times (N,) finite and increasing) or a ``DecodeError``; a Polar control-point
response with a non-zero status raises ``PmdControlPointError`` (a ``DeviceError``). Nothing else.

Run: ``python fuzz/fuzz_ble_decoders.py fuzz/corpus/ble_decoders -max_total_time=600``
"""

from __future__ import annotations

import os
import sys

import atheris

with atheris.instrument_imports(include=["imurep"]):
    import numpy as np

    from imurep.ble.band import BAND_PROFILE
    from imurep.ble.devices import PROFILES
    from imurep.ble.devices.polar_pmd import CONTROL_POINT_UUID, PmdControlPointError
    from imurep.ble.profile import DecodedPacket, DecodeError, DeviceProfile

sys.path.insert(0, os.path.dirname(__file__))
import _contract  # noqa: F401  (warnings off, like the other harnesses)

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


def check_packet(packet: DecodedPacket) -> None:
    assert isinstance(packet, DecodedPacket), type(packet)
    n = len(packet)
    for arr in (packet.acc_m_s2, packet.gyr_rad_s):
        if arr is not None:
            assert arr.shape == (n, 3) and arr.dtype == np.float64, arr.shape
            assert np.isfinite(arr).all(), "non-finite sample"
    if packet.device_time_s is not None:
        assert packet.device_time_s.shape == (n,), packet.device_time_s.shape
        assert np.isfinite(packet.device_time_s).all(), "non-finite device time"
        assert (np.diff(packet.device_time_s) > 0).all(), "device times not increasing in a packet"


def test_one_input(data: bytes) -> None:
    if not data:
        return
    profile = DEVICES[data[0] % len(DEVICES)]
    uuids = channels(profile)
    decoder = profile.make_decoder()
    for channel, payload in notifications(data):
        uuid = uuids[channel % len(uuids)]
        try:
            packet = decoder.decode(uuid, payload)
        except DecodeError:
            continue
        except PmdControlPointError:
            assert uuid == CONTROL_POINT_UUID, "a control-point error from a data notification"
            continue
        check_packet(packet)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
