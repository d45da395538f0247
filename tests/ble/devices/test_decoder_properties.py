"""Every decoder, fed any bytes, returns a well-formed DecodedPacket or raises DecodeError.

The one exception by design: a well-formed Polar control-point response with a non-zero status
raises :class:`PmdControlPointError` (a DeviceError the client must surface, not skip).
"""

from __future__ import annotations

import struct

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from imurep.ble.devices import PROFILES
from imurep.ble.devices.polar_pmd import CONTROL_POINT_UUID, PmdControlPointError
from imurep.ble.profile import DecodedPacket, DecodeError

_VALID: dict[str, list[tuple[str, bytes]]] = {
    "witmotion": [
        ("0000ffe4-0000-1000-8000-00805f9a34fb", b"\x55\x61" + struct.pack("<9h", *range(9)) * 1),
        (
            "0000ffe4-0000-1000-8000-00805f9a34fb",
            (b"\x55\x61" + struct.pack("<9h", 2048, 0, 0, 5, 5, 5, 0, 0, 0)) * 3,
        ),
    ],
    "thingy52": [("ef680406-9b35-4933-9b10-52ffa9740042", struct.pack("<9h", 1024, 0, 0, 32, 0, 0, 1, 1, 1))],
    "polar-verity": [
        (
            "fb005c82-02e7-f387-1cad-8acd2d8df0c8",
            bytes.fromhex("02 65 00 00 00 00 00 00 00 81 F1 FF 14 00 F0 03 06 01 7B 0F 08"),
        ),
        (
            "fb005c82-02e7-f387-1cad-8acd2d8df0c8",
            bytes.fromhex(
                "05 00 94 35 77 00 00 00 00 81"
                "00 00 80 3F 00 00 20 41 00 00 A0 41 1C 01 00 00 A0 01 00 00 08 CD CC EC 0D"
            ),
        ),
        (CONTROL_POINT_UUID, bytes.fromhex("F0 02 05 00 00 05 01 00 00 80 3F")),
    ],
    "polar-h10": [
        (
            "fb005c82-02e7-f387-1cad-8acd2d8df0c8",
            bytes.fromhex("02 00 94 35 77 00 00 00 00 01 F7 FF FF FF E7 03 F8 FF FE FF E5 03"),
        )
    ],
}

_CASES = [(name, uuid, data) for name, items in _VALID.items() for uuid, data in items]


def _check(packet: DecodedPacket) -> None:
    assert isinstance(packet, DecodedPacket)
    n = len(packet)
    for arr in (packet.acc_m_s2, packet.gyr_rad_s):
        if arr is not None:
            assert arr.shape == (n, 3) and arr.dtype == np.float64
            assert np.all(np.isfinite(arr))
    if packet.device_time_s is not None:
        assert packet.device_time_s.shape == (n,)
        assert np.all(np.isfinite(packet.device_time_s))


def _feed(profile_name: str, uuid: str, data: bytes) -> None:
    decoder = PROFILES[profile_name].make_decoder(PROFILES[profile_name].nominal_rate_hz)
    try:
        _check(decoder.decode(uuid, data))
    except DecodeError:
        pass
    except PmdControlPointError:
        assert uuid == CONTROL_POINT_UUID


def test_valid_vectors_decode() -> None:
    for name, uuid, data in _CASES:
        decoder = PROFILES[name].make_decoder(PROFILES[name].nominal_rate_hz)
        packet = decoder.decode(uuid, data)
        _check(packet)


@settings(max_examples=300, deadline=None)
@given(case=st.sampled_from(_CASES), data=st.binary(max_size=300))
def test_random_bytes(case: tuple[str, str, bytes], data: bytes) -> None:
    name, uuid, _ = case
    _feed(name, uuid, data)


@settings(max_examples=300, deadline=None)
@given(case=st.sampled_from(_CASES), cut=st.integers(min_value=0, max_value=400))
def test_truncated_valid_packets(case: tuple[str, str, bytes], cut: int) -> None:
    name, uuid, data = case
    _feed(name, uuid, data[: cut % (len(data) + 1)])


@settings(max_examples=400, deadline=None)
@given(
    case=st.sampled_from(_CASES),
    flips=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=6),
)
def test_bit_flips(case: tuple[str, str, bytes], flips: list[int]) -> None:
    name, uuid, data = case
    mutated = bytearray(data)
    for bit in flips:
        index = (bit // 8) % len(mutated)
        mutated[index] ^= 1 << (bit % 8)
    _feed(name, uuid, bytes(mutated))


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(sorted(PROFILES)),
    stream=st.lists(st.tuples(st.booleans(), st.binary(max_size=120)), max_size=12),
)
def test_stateful_streams_of_garbage(name: str, stream: list[tuple[bool, bytes]]) -> None:
    profile = PROFILES[name]
    decoder = profile.make_decoder(profile.nominal_rate_hz)
    for use_last, data in stream:
        uuid = profile.notify_uuids[-1] if use_last else profile.notify_uuids[0]
        try:
            _check(decoder.decode(uuid, data))
        except DecodeError:
            pass
        except PmdControlPointError:
            assert uuid == CONTROL_POINT_UUID
    decoder.reset()
