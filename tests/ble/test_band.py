"""The imurep band codec: exact bytes, round trip, and a decoder that only ever raises DecodeError."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imurep.ble import band
from imurep.ble.band import BandDecoder, BandStatus, Command, encode_packet
from imurep.ble.profile import DecodeError

ACC_LSB = 16 * 9.80665 / 32768
GYR_LSB = np.deg2rad(2000) / 32768


def test_worked_example_exact_bytes() -> None:
    # the example in firmware_notes/gatt-layout.md
    packet = encode_packet(
        0x1234,
        1_000_000,
        10_000,
        np.array([[0.0, 0.0, 9.80665], [1.0, 0.0, 0.0]]),
        np.array([[0.0, 0.0, 0.1], [0.0, 0.0, 0.0]]),
    )
    assert packet.hex(" ") == (
        "01 01 34 12 40 42 0f 00 10 27 02 43"  # version, flags, seq, t0 µs, period µs, n, ranges
        " 00 00 00 00 00 08 00 00 00 00 5e 00"  # acc (0, 0, 2048), gyr (0, 0, 94)
        " d1 00 00 00 00 00 00 00 00 00 00 00"  # acc (209, 0, 0), gyr 0
    )
    decoded = BandDecoder().decode(band.DATA_UUID, packet)
    assert decoded.sequence == 0x1234
    np.testing.assert_allclose(decoded.device_time_s, [1.0, 1.01])
    np.testing.assert_allclose(decoded.acc_m_s2, [[0, 0, 2048 * ACC_LSB], [209 * ACC_LSB, 0, 0]])
    np.testing.assert_allclose(decoded.gyr_rad_s, [[0, 0, 94 * GYR_LSB], [0, 0, 0]])


@given(
    n=st.integers(1, 19),
    seq=st.integers(0, 65535),
    t_us=st.integers(0, 2**32 - 1),
    period_us=st.integers(2500, 40000),
    acc_range=st.integers(0, 3),
    gyr_range=st.integers(0, 4),
    with_gyr=st.booleans(),
    seed=st.integers(0, 2**31),
)
def test_round_trip_within_half_an_lsb(
    n: int, seq: int, t_us: int, period_us: int, acc_range: int, gyr_range: int, with_gyr: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    acc_fs = band.ACC_RANGES_G[acc_range] * 9.80665
    gyr_fs = np.deg2rad(band.GYR_RANGES_DPS[gyr_range])
    acc = rng.uniform(-0.99 * acc_fs, 0.99 * acc_fs, (n, 3))
    gyr = rng.uniform(-0.99 * gyr_fs, 0.99 * gyr_fs, (n, 3)) if with_gyr else None
    data = encode_packet(seq, t_us, period_us, acc, gyr, acc_range, gyr_range)
    assert len(data) == band.HEADER_BYTES + n * (12 if with_gyr else 6)
    p = BandDecoder().decode(band.DATA_UUID.upper(), data)
    assert p.sequence == seq and len(p) == n
    np.testing.assert_allclose(p.device_time_s, (t_us + period_us * np.arange(n)) * 1e-6, atol=1e-9)
    np.testing.assert_allclose(p.acc_m_s2, acc, atol=acc_fs / 32768 / 2 + 1e-12)
    if gyr is None:
        assert p.gyr_rad_s is None
    else:
        np.testing.assert_allclose(p.gyr_rad_s, gyr, atol=gyr_fs / 32768 / 2 + 1e-12)


def test_values_beyond_full_scale_saturate() -> None:
    data = encode_packet(0, 0, 10_000, np.array([[1e6, -1e6, 0.0]]), None, acc_range=0)
    p = BandDecoder().decode(band.DATA_UUID, data)
    np.testing.assert_allclose(p.acc_m_s2[0, :2], [32767 * 2 * 9.80665 / 32768, -2 * 9.80665])


def test_device_clock_unwraps_across_the_32_bit_wrap() -> None:
    dec = BandDecoder()
    acc = np.zeros((4, 3))
    first = dec.decode(band.DATA_UUID, encode_packet(0, 2**32 - 20_000, 10_000, acc, None))
    second = dec.decode(band.DATA_UUID, encode_packet(1, 20_000, 10_000, acc, None))
    assert second.device_time_s is not None and first.device_time_s is not None
    assert second.device_time_s[0] - first.device_time_s[-1] == pytest.approx(0.01)
    dec.reset()
    again = dec.decode(band.DATA_UUID, encode_packet(2, 60_000, 10_000, acc, None))
    assert again.device_time_s is not None and again.device_time_s[0] == pytest.approx(0.06)


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (b"", "shorter than the 12-byte header"),
        (bytes([2]) + bytes(11), "format version 2"),
        (struct.pack("<BBHIHBB", 1, 1, 0, 0, 10000, 0, 0x43), "with 0 samples"),
        (struct.pack("<BBHIHBB", 1, 1, 0, 0, 10000, 2, 0x43) + bytes(12), "expected 36 for 2 samples"),
        (struct.pack("<BBHIHBB", 1, 1, 0, 0, 10000, 1, 0x47) + bytes(12), "unknown range codes acc 7"),
    ],
)
def test_malformed_packets_name_the_rule(data: bytes, rule: str) -> None:
    with pytest.raises(DecodeError, match=rule):
        BandDecoder().decode(band.DATA_UUID, data)


def test_notification_from_another_characteristic_is_refused() -> None:
    with pytest.raises(DecodeError, match="unexpected characteristic"):
        BandDecoder().decode(band.STATUS_UUID, encode_packet(0, 0, 10_000, np.zeros((1, 3)), None))


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_decoder_raises_only_decode_error_on_random_bytes(data: bytes) -> None:
    try:
        BandDecoder().decode(band.DATA_UUID, data)
    except DecodeError:
        pass


@settings(max_examples=300)
@given(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255), st.binary(max_size=240))
def test_decoder_raises_only_decode_error_on_plausible_headers(
    flags: int, n: int, ranges: int, body: bytes
) -> None:
    data = struct.pack("<BBHIHBB", 1, flags, 7, 123, 10_000, n, ranges) + body
    try:
        packet = BandDecoder().decode(band.DATA_UUID, data)
    except DecodeError:
        return
    assert len(packet) == n and np.all(np.isfinite(packet.acc_m_s2))


def test_commands_round_trip_and_refuse_bad_values() -> None:
    assert band.encode_command(Command.SET_RATE, 100) == b"\x03\x64\x00"
    assert band.parse_command(band.encode_command(Command.SET_RANGE, 3, 4)) == (Command.SET_RANGE, (3, 4))
    assert band.parse_command(b"\x01") == (Command.START, ())
    with pytest.raises(ValueError, match=r"rate 401 Hz outside 25\.\.400"):
        band.parse_command(band.encode_command(Command.SET_RATE, 401))
    with pytest.raises(ValueError, match="unknown range codes"):
        band.parse_command(b"\x04\x04\x00")
    with pytest.raises(ValueError, match="unknown command"):
        band.parse_command(b"\x09")


def test_resume_command_and_backlog_flag() -> None:
    # RESUME from sequence 0x1234: opcode 0x05, u16 little-endian; the sequence wraps at 65536
    assert band.encode_command(Command.RESUME, 0x1234) == b"\x05\x34\x12"
    assert band.encode_command(Command.RESUME, 65536 + 7) == b"\x05\x07\x00"
    assert band.parse_command(b"\x05\x34\x12") == (Command.RESUME, (0x1234,))
    with pytest.raises(ValueError, match="unknown command"):
        band.parse_command(b"\x05\x34")
    acc = np.zeros((2, 3))
    live = band.encode_packet(7, 1000, 10000, acc, acc)
    sent_late = band.encode_packet(7, 1000, 10000, acc, acc, backlog=True)
    assert live[1] == 0x01 and sent_late[1] == 0x05 and live[2:] == sent_late[2:]
    assert not BandDecoder().decode(band.DATA_UUID, live).replayed
    assert BandDecoder().decode(band.DATA_UUID, sent_late).replayed


def test_status_round_trip() -> None:
    status = BandStatus(True, 200, 3, 4, 17)
    assert band.decode_status(band.encode_status(status)) == status
    with pytest.raises(DecodeError):
        band.decode_status(b"\x01")


@pytest.mark.parametrize(("rate_hz", "expected"), [(25, 1), (100, 4), (200, 8), (400, 16)])
def test_samples_per_packet_is_about_40_ms(rate_hz: float, expected: int) -> None:
    assert band.samples_per_packet(rate_hz) == expected
    assert band.samples_per_packet(400, mtu=64) == 4  # (64 - 3 - 12) // 12
