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

    import imurep.ble.band
    import imurep.ble.devices  # noqa: F401  (every decoder module, instrumented before _ble_layout uses it)
    from imurep.ble.devices.polar_pmd import CONTROL_POINT_UUID, PmdControlPointError
    from imurep.ble.profile import DecodedPacket, DecodeError

sys.path.insert(0, os.path.dirname(__file__))
import _contract  # noqa: F401  (warnings off, like the other harnesses)
from _ble_layout import split  # imported after instrumentation: uses the instrumented modules


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
    profile, notes = split(data)
    decoder = profile.make_decoder(profile.nominal_rate_hz)
    for uuid, payload in notes:
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
