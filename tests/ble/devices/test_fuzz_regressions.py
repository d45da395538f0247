"""Notification sequences on which fuzzing (``fuzz/fuzz_ble_decoders.py``) once broke a decoder.

Each ``tests/data/fuzz/ble_decoders/*/notifications.txt`` names a device profile, then holds one
notification a line (characteristic UUID, payload hex). A fresh decoder of that profile must
return well-formed packets (finite (N, 3) arrays, increasing device times) or raise
``DecodeError``; a Polar control-point response may raise ``PmdControlPointError``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imurep.ble.band import BAND_PROFILE
from imurep.ble.devices import PROFILES
from imurep.ble.devices.polar_pmd import CONTROL_POINT_UUID, DATA_UUID, PmdControlPointError, PolarPmdDecoder
from imurep.ble.profile import DecodedPacket, DecodeError

_CASES = sorted((Path(__file__).parents[2] / "data" / "fuzz" / "ble_decoders").glob("*/notifications.txt"))
_PROFILES = {**PROFILES, BAND_PROFILE.name: BAND_PROFILE}


def test_there_are_saved_inputs() -> None:
    assert _CASES


def _check(packet: DecodedPacket) -> None:
    n = len(packet)
    for arr in (packet.acc_m_s2, packet.gyr_rad_s):
        if arr is not None:
            assert arr.shape == (n, 3) and np.isfinite(arr).all()
    if packet.device_time_s is not None:
        assert packet.device_time_s.shape == (n,)
        assert np.isfinite(packet.device_time_s).all() and (np.diff(packet.device_time_s) > 0).all()


@pytest.mark.parametrize("path", _CASES, ids=[p.parent.name for p in _CASES])
def test_saved_notifications_decode_or_are_refused_cleanly(path: Path) -> None:
    name, *lines = path.read_text().splitlines()
    profile = _PROFILES[name]
    decoder = profile.make_decoder(profile.nominal_rate_hz)
    for line in lines:
        uuid, _, payload_hex = line.partition(" ")
        try:
            _check(decoder.decode(uuid, bytes.fromhex(payload_hex)))
        except DecodeError:
            pass
        except PmdControlPointError:
            assert uuid == CONTROL_POINT_UUID


def test_polar_frames_nanoseconds_apart_get_increasing_times_and_the_decoder_carries_on() -> None:
    # The finding: a frame 11 ns after the previous one, 2 samples, at ~2e8 s: both samples got
    # the same float64 time. It was then refused; now such a spacing is implausible and the frame
    # is spaced at the nominal period up to its own timestamp (re-anchored), its samples kept.
    frame = bytearray(bytes.fromhex("02 00 00 00 00 00 00 00 00 01 F7 FF FF FF E7 03 F8 FF FE FF E5 03"))
    decoder = PolarPmdDecoder({2: 100.0})
    base_ns = 211_950_657_000_000_000
    frame[1:9] = base_ns.to_bytes(8, "little")
    decoder.decode(DATA_UUID, bytes(frame))
    frame[1:9] = (base_ns + 11).to_bytes(8, "little")
    packet = decoder.decode(DATA_UUID, bytes(frame))
    _check(packet)
    assert packet.reanchored and packet.device_time_s is not None
    np.testing.assert_allclose(np.diff(packet.device_time_s), 0.01, atol=1e-6)
    # the next frame, 20 ms on, is spaced from the re-anchored frame's timestamp again
    frame[1:9] = (base_ns + 11 + 20_000_000).to_bytes(8, "little")
    packet = decoder.decode(DATA_UUID, bytes(frame))
    assert packet.device_time_s is not None and not packet.reanchored
    np.testing.assert_allclose(np.diff(packet.device_time_s), 0.01, atol=1e-6)
