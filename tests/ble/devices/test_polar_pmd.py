"""Polar PMD decoder against the byte vectors in the vendor's own unit tests.

Vectors come from polarofficial/polar-ble-sdk, sources/Android/android-communications/library/
src/test/java/com/polar/androidcommunications/api/ble/model/gatt/client/pmd/:
``model/AccDataTest.kt``, ``model/GyrDataTest.kt``, ``BlePmdClientControlPointResponseTest.kt``
and ``PmdSettingTest.kt``.
"""

from __future__ import annotations

import itertools
import struct
from pathlib import Path

import numpy as np
import pytest

from imurep.ble.devices import polar_pmd
from imurep.ble.devices.polar_delta import decode_delta_payload
from imurep.ble.devices.polar_pmd import (
    CONTROL_POINT_UUID,
    DATA_UUID,
    POLAR_H10,
    POLAR_VERITY_SENSE,
    PmdControlPointError,
    PolarPmdDecoder,
    parse_control_point_response,
    parse_settings,
    start_command,
)
from imurep.ble.profile import DecodedPacket, DecodeError

G = 9.80665
MG = G / 1000.0

# AccDataTest.kt "process acc raw data frame type 1": header 02 | ts 2_000_000_000 ns | 01.
ACC_RAW_T1_HEADER = bytes.fromhex("02 00 94 35 77 00 00 00 00 01")
ACC_RAW_T1_CONTENT = bytes.fromhex(
    "F7 FF FF FF E7 03 F8 FF FE FF E5 03 F9 FF FF FF E5 03 FA FF FF FF E6 03 FA FF FE FF E6 03"
    "F9 FF FF FF E5 03 F8 FF FF FF E6 03 F8 FF FE FF E6 03 FA FF FF FF E5 03 FA FF FF FF E7 03"
    "FA FF FF FF E5 03 F8 FF FF FF E6 03 F7 FF FF FF E6 03 F8 FF FE FF E6 03 F9 FF FE FF E7 03"
    "F9 FF 00 00 E6 03 F9 FF FF FF E6 03 F7 FF FE FF E5 03 F9 FF FF FF E5 03 F9 FF FF FF E5 03"
    "FA FF 00 00 E6 03 F9 FF FE FF E6 03 F8 FF FF FF E6 03 F8 FF FF FF E5 03 F9 FF FF FF E6 03"
    "F9 FF FF FF E5 03 FA FF FF FF E6 03 F9 FF FF FF E5 03 F9 FF FF FF E5 03 F8 FF FE FF E6 03"
    "F9 FF FF FF E6 03 F9 FF FF FF E6 03 F9 FF 00 00 E5 03 F9 FF FE FF E6 03 F8 FF FE FF E6 03"
    "F7 FF FE FF E6 03"
)

# AccDataTest.kt "process acc compressed data type 0": header 02 | ts 2e9 | 80; factor 2.44e-4.
ACC_DELTA_T0_HEADER = bytes.fromhex("02 00 94 35 77 00 00 00 00 80")
ACC_DELTA_T0_CONTENT = bytes.fromhex(
    "71 07 F0 6A 9E 8D 0A 38 BE 5C BE BA 2F 96 B3 EE 4B E5 AD FB 42 B9 EB BE 4C FE BA 2F 92 BF"
    "EE 4B E4 B1 FB 12 B9 EC BD 3C 3E BB 2F 8F D3 DE 4B E3 B5 F7 D2 B8 ED BD 30 7E 7B 2F 8B E3"
    "CE 8B E2 BA F7 A2 B8 EE BC 20 BE 7B 2F 88 F3 CE CB E1 BD EF 52 F8 EF BC 18 FE 3B 2F 84 03"
    "BF CB E0 C2 EF 32 B8 F0 BB 04 4E BC 2E 81 13 AF 0B E0 C6 EF F2 F7 F1 B9 FC 7D BC 2E 7D 27"
    "9F 4B DF CA EB C2 F7 F2 B8 EC CD 7C 2E 7B 37 8F 4B DE CE E3 92 F7 F3 B8 E0 0D FD 2D 77 4B"
    "7F CB DD D2 DF 62 37 F5 B7 D4 4D BD 2D 74 5B 6F CB DC D7 D7 32 37 F6 B5 C8 8D 7D 2D 71 6B"
    "4F 4B DC DC D3 F2 36 F7 B4 BC DD FD 2C 6F 7B 3F 4B DB E0 CF D2 36 F8 B2 B0 2D BE 2C 6C 8F"
    "1F CB DA E3 C7 A2 76 F9"
)

# AccDataTest.kt "process acc compressed data type 1": ts 101 ns (previous 100 ns), factor 1.
ACC_DELTA_T1_FRAME = bytes.fromhex("02 65 00 00 00 00 00 00 00 81 F1 FF 14 00 F0 03 06 01 7B 0F 08")

# GyrDataTest.kt "process gyro compressed data type 0": ts 0x7FFF_FFFF_FFFF_FFFF, factor 1.
GYR_DELTA_T0_FRAME = bytes.fromhex("05 FF FF FF FF FF FF FF 7F 80 EA FF 08 00 0D 00 03 01 DF 00")

# GyrDataTest.kt "process gyro compressed data type 1": float32 reference, 28-bit deltas.
GYR_DELTA_T1_FRAME = bytes.fromhex(
    "05 00 94 35 77 00 00 00 00 8100 00 80 3F 00 00 20 41 00 00 A0 41 1C 01 00 00 A0 01 00 00 08 CD CC EC 0D"
)


def _f32(bits: int) -> float:
    return float(struct.unpack("<f", struct.pack("<I", bits & 0xFFFFFFFF))[0])


def _start_response(measurement_type: int, factor: float) -> bytes:
    (bits,) = struct.unpack("<I", struct.pack("<f", factor))
    return bytes([0xF0, 0x02, measurement_type, 0x00, 0x00, 0x05, 0x01]) + struct.pack("<I", bits)


def test_acc_raw_type1_matches_vendor_vector() -> None:
    decoder = PolarPmdDecoder({2: 52.0})
    packet = decoder.decode(DATA_UUID, ACC_RAW_T1_HEADER + ACC_RAW_T1_CONTENT)
    assert packet.acc_m_s2 is not None and packet.device_time_s is not None
    assert packet.gyr_rad_s is None
    assert len(packet) == len(ACC_RAW_T1_CONTENT) // 6
    np.testing.assert_allclose(packet.acc_m_s2[0], np.array([-9, -1, 999]) * MG)
    np.testing.assert_allclose(packet.acc_m_s2[1], np.array([-8, -2, 997]) * MG)
    # First frame: last sample at the frame timestamp, spacing 1/rate.
    assert packet.device_time_s[-1] == pytest.approx(2.0)
    np.testing.assert_allclose(np.diff(packet.device_time_s), 1 / 52.0, rtol=1e-9)


def test_acc_delta_type0_matches_vendor_vector() -> None:
    decoder = PolarPmdDecoder({2: 52.0})
    decoder.decode(CONTROL_POINT_UUID, _start_response(2, 2.44e-4))
    factor = decoder.factor(2)
    assert factor == pytest.approx(2.44e-4)
    packet = decoder.decode(DATA_UUID, ACC_DELTA_T0_HEADER + ACC_DELTA_T0_CONTENT)
    assert packet.acc_m_s2 is not None
    assert len(packet) == 1 + 56
    first = np.array([1905, 27376, -29282])
    second = first + np.array([190, -105, -85])
    # Type 0 delta ACC is in g: × factor × 1000 → mG.
    np.testing.assert_allclose(packet.acc_m_s2[0], first * factor * 1000 * MG)
    np.testing.assert_allclose(packet.acc_m_s2[1], second * factor * 1000 * MG)
    assert np.all(np.abs(packet.acc_m_s2) <= 8 * G)


def test_acc_delta_type1_spacing_from_previous_timestamp() -> None:
    # The vendor's test gives no sample rate and frames 1 ns apart: a 2 GHz stream, at which
    # rate the spacing from the previous timestamp is believable and used as the SDK uses it.
    decoder = PolarPmdDecoder({2: 2e9})
    earlier = bytearray(ACC_DELTA_T1_FRAME)
    earlier[1:9] = (100).to_bytes(8, "little")
    decoder.decode(DATA_UUID, bytes(earlier))
    packet = decoder.decode(DATA_UUID, ACC_DELTA_T1_FRAME)
    assert packet.acc_m_s2 is not None and packet.device_time_s is not None
    np.testing.assert_allclose(packet.acc_m_s2 / MG, [[-15, 20, 1008], [-20, 17, 1008]])
    # previous 100 ns, this frame 101 ns, 2 samples: 100.5 ns and 101 ns.
    np.testing.assert_allclose(packet.device_time_s * 1e9, [100.5, 101.0])
    assert not packet.reanchored
    # At a real rate (52 Hz) frames 1 ns apart are implausible: the clock stepped back, and the
    # samples continue after the previous frame at the nominal spacing.
    at_52_hz = PolarPmdDecoder({2: 52.0})
    at_52_hz.decode(DATA_UUID, bytes(earlier))
    packet = at_52_hz.decode(DATA_UUID, ACC_DELTA_T1_FRAME)
    assert packet.device_time_s is not None and packet.reanchored
    np.testing.assert_allclose(packet.device_time_s * 1e9, [100.0 + 1e9 / 52.0, 100.0 + round(2e9 / 52.0)])


def test_gyro_delta_type0_matches_vendor_vector() -> None:
    packet = PolarPmdDecoder({5: 52.0}).decode(DATA_UUID, GYR_DELTA_T0_FRAME)
    assert packet.gyr_rad_s is not None and packet.acc_m_s2 is None
    np.testing.assert_allclose(np.rad2deg(packet.gyr_rad_s), [[-22, 8, 13], [-23, 11, 16]])


@pytest.mark.parametrize("factor", [1.0, 0.5])
def test_gyro_delta_type1_float_bits_match_vendor_vector(factor: float) -> None:
    decoder = PolarPmdDecoder({5: 52.0})
    if factor != 1.0:
        decoder.decode(CONTROL_POINT_UUID, _start_response(5, factor))
    packet = decoder.decode(DATA_UUID, GYR_DELTA_T1_FRAME)
    assert packet.gyr_rad_s is not None
    expected = np.array(
        [
            [_f32(0x3F800000), _f32(0x41200000), _f32(0x41A00000)],
            [
                _f32(0x3F800000 + 0x1A00000),
                _f32(0x41200000 + 0x0800000),
                _f32(0x41A00000 + 0xFDECCCCD),
            ],
        ]
    )
    np.testing.assert_allclose(np.rad2deg(packet.gyr_rad_s), expected * factor, rtol=1e-6)


def test_gyro_float_frame_with_a_signalling_nan_is_a_decode_error() -> None:
    # Found by the bit-flip property test: widening a float32 signalling NaN raised a RuntimeWarning
    # (an error under the test settings) before the non-finite check could refuse the frame.
    frame = GYR_DELTA_T1_FRAME[:10] + struct.pack("<III", 0x7FA00000, 0x41200000, 0x41A00000)
    with pytest.raises(DecodeError, match="non-finite"):
        PolarPmdDecoder({5: 52.0}).decode(DATA_UUID, frame)


def test_delta_kernel_bit_packing_lsb_first() -> None:
    # 6-bit deltas 111011b (-5), 111101b (-3), 000000b packed LSB-first: 7B 0F 08 (AccDataTest).
    samples = decode_delta_payload(bytes.fromhex("F1 FF 14 00 F0 03 06 01 7B 0F 08"), 3, 16)
    np.testing.assert_array_equal(samples, [[-15, 20, 1008], [-20, 17, 1008]])


def test_control_point_responses_match_vendor_vectors() -> None:
    ok = parse_control_point_response(bytes.fromhex("F0 01 02 00 00 FF FF FF"))
    assert (ok.opcode, ok.measurement_type, ok.status, ok.more) == (1, 2, 0, False)
    assert ok.parameters == b"\xff\xff\xff"
    failed = parse_control_point_response(bytes.fromhex("F0 01 06 07 00"))
    assert failed.status == 7 and failed.parameters == b""


def test_non_zero_status_is_a_clear_device_error() -> None:
    decoder = PolarPmdDecoder({2: 52.0})
    with pytest.raises(PmdControlPointError, match=r"status 8 \(invalid sample rate\)") as info:
        decoder.decode(CONTROL_POINT_UUID, bytes.fromhex("F0 02 02 08 00"))
    assert "start" in str(info.value) and "ACC" in str(info.value)
    assert not isinstance(info.value, DecodeError)


def test_settings_parse_matches_vendor_vector() -> None:
    settings = parse_settings(bytes.fromhex("00 01 34 00 01 01 10 00 02 04 F5 00 F4 01 E8 03 D0 07 04 01 03"))
    assert settings == {0: [52], 1: [16], 2: [245, 500, 1000, 2000], 4: [3]}


def test_start_command_matches_documented_h10_example() -> None:
    expected = bytes.fromhex("02 02 00 01 C8 00 01 01 10 00 02 01 08 00")
    assert start_command(2, 200, 16, 8) == expected


@pytest.fixture(autouse=True)
def _no_command_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polar_pmd, "_COMMAND_GAP_S", 0.0)


class _RecordingClient:
    """A GATT peer that answers the feature read and records writes."""

    def __init__(self, features: bytes) -> None:
        self.features = features
        self.writes: list[tuple[str, bytes, bool]] = []

    async def write_gatt_char(self, char_specifier: str, data: bytes, response: bool = False) -> None:
        self.writes.append((char_specifier, bytes(data), response))

    async def read_gatt_char(self, char_specifier: str) -> bytes:
        assert char_specifier == CONTROL_POINT_UUID
        return self.features


async def test_verity_start_writes_acc_and_gyro_start_commands() -> None:
    client = _RecordingClient(bytes([0x0F, 0x04 | 0x20 | 0x02]))
    assert POLAR_VERITY_SENSE.start is not None
    await POLAR_VERITY_SENSE.start(client, 100.0)
    commands = [w[1] for w in client.writes]
    assert commands == [
        bytes.fromhex("02 02 00 01 34 00 01 01 10 00 02 01 08 00 04 01 03"),
        bytes.fromhex("02 05 00 01 34 00 01 01 10 00 02 01 D0 07 04 01 03"),
    ]
    assert all(w[0] == CONTROL_POINT_UUID and w[2] for w in client.writes)


async def test_h10_start_picks_nearest_rate_and_refuses_missing_feature() -> None:
    client = _RecordingClient(bytes([0x0F, 0x04]))
    assert POLAR_H10.start is not None and not POLAR_H10.has_gyr
    await POLAR_H10.start(client, 190.0)
    assert client.writes[0][1] == start_command(2, 200, 16, 8)
    assert POLAR_VERITY_SENSE.start is not None
    with pytest.raises(Exception, match="does not offer GYRO"):
        await POLAR_VERITY_SENSE.start(_RecordingClient(bytes([0x0F, 0x04])), 52.0)


@pytest.mark.parametrize(
    ("requested_hz", "streamed_hz"), [(25.0, 25), (60.0, 50), (100.0, 100), (190.0, 200)]
)
async def test_h10_decoder_spaces_the_first_frame_at_the_rate_start_asks_for(
    requested_hz: float, streamed_hz: int
) -> None:
    # The H10 decoder assumed 100 Hz whatever rate start had asked the device for.
    client = _RecordingClient(bytes([0x0F, 0x04]))
    assert POLAR_H10.start is not None
    await POLAR_H10.start(client, requested_hz)
    assert client.writes[0][1] == start_command(2, streamed_hz, 16, 8)
    frame = bytes.fromhex("02 00 94 35 77 00 00 00 00 01") + bytes(6 * 4)
    packet = POLAR_H10.make_decoder(requested_hz).decode(DATA_UUID, frame)
    assert packet.device_time_s is not None
    np.testing.assert_allclose(np.diff(packet.device_time_s), 1 / streamed_hz, rtol=1e-6)


def test_verity_decoder_spaces_at_52_hz_whatever_rate_is_asked() -> None:
    # start sends 52 Hz for any request (the only online rate): the decoder must agree.
    decoder = POLAR_VERITY_SENSE.make_decoder(100.0)
    packet = decoder.decode(DATA_UUID, GYR_DELTA_T1_FRAME)
    assert packet.device_time_s is not None
    np.testing.assert_allclose(np.diff(packet.device_time_s), 1 / 52.0, rtol=1e-6)


# --- sample times across frames -------------------------------------------------------------
# A Verity Sense timestamp from the Polar Sensor Logger export below (2022-04-25), ns since 2000.
T0_NS = 704_201_974_831_254_116
SENSOR_LOGGER = Path(__file__).parents[2] / "data" / "formats" / "polar-sensor-logger"


def _acc_frame(timestamp_ns: int, samples_mg: np.ndarray) -> bytes:
    """A raw 16-bit ACC frame (type 1) holding ``samples_mg`` ((N, 3) integers, mG)."""
    payload = np.asarray(samples_mg, dtype="<i2").tobytes()
    return bytes([2]) + timestamp_ns.to_bytes(8, "little") + bytes([1]) + payload


def _decode_pair(previous_ns: int, timestamp_ns: int, n: int, rate_hz: float = 52.0) -> DecodedPacket:
    decoder = PolarPmdDecoder({2: rate_hz})
    decoder.decode(DATA_UUID, _acc_frame(previous_ns, np.zeros((n, 3))))
    return decoder.decode(DATA_UUID, _acc_frame(timestamp_ns, np.arange(3 * n).reshape(n, 3)))


@pytest.mark.parametrize(("step_ns", "n"), [(4_000, 2), (3_000_000, 36)])
def test_frame_microseconds_after_the_previous_continues_after_it(step_ns: int, n: int) -> None:
    # A device clock that went back: spacing from the previous timestamp would cram the samples
    # into 2 µs (or 83 µs); they continue after the previous frame at 1/52 s instead.
    packet = _decode_pair(T0_NS, T0_NS + step_ns, n)
    assert packet.device_time_s is not None and packet.acc_m_s2 is not None
    steps = np.diff(np.concatenate(([T0_NS * 1e-9], packet.device_time_s)))
    np.testing.assert_allclose(steps, 1 / 52.0, atol=1e-6)
    np.testing.assert_allclose(packet.acc_m_s2 / MG, np.arange(3 * n).reshape(n, 3))  # nothing lost
    assert packet.reanchored


def test_frame_hours_after_the_previous_gets_the_nominal_spacing() -> None:
    # A clock jump forward of 3 h would spread 36 samples over 3 h (one every 5 minutes).
    step_ns = 3 * 3600 * 10**9
    packet = _decode_pair(T0_NS, T0_NS + step_ns, 36)
    assert packet.device_time_s is not None and len(packet) == 36
    np.testing.assert_allclose(np.diff(packet.device_time_s), 1 / 52.0, atol=1e-6)
    assert packet.device_time_s[-1] == (T0_NS + step_ns) * 1e-9
    assert packet.reanchored


def test_frame_at_the_previous_timestamp_is_kept_at_the_nominal_spacing() -> None:
    # The SDK refuses it (and the decoder did, losing the frame's samples): re-anchored onto its
    # own timestamp, which the client then drops as a packet already delivered (a repeat).
    packet = _decode_pair(T0_NS, T0_NS, 36)
    assert packet.device_time_s is not None and len(packet) == 36
    np.testing.assert_allclose(np.diff(packet.device_time_s), 1 / 52.0, atol=1e-6)
    assert packet.device_time_s[-1] == T0_NS * 1e-9
    assert packet.reanchored


@pytest.mark.parametrize("step_ns", [-1, -19_000_000, -10 * 10**9])
def test_after_the_clock_steps_back_frames_continue_after_the_previous(step_ns: int) -> None:
    # The SDK refuses the frame; its samples are new, so they follow the previous frame at the
    # nominal period, and so do the frames after it (the step is carried as an offset).
    period_ns = 19_230_769  # 52 Hz
    decoder = PolarPmdDecoder({2: 52.0})
    decoder.decode(DATA_UUID, _acc_frame(T0_NS, np.zeros((36, 3))))
    frames = [  # the first at or before the previous frame's timestamp, the next a frame later
        decoder.decode(DATA_UUID, _acc_frame(T0_NS + step_ns + k * 36 * period_ns, np.ones((36, 3))))
        for k in (0, 1)
    ]
    times = np.concatenate([f.device_time_s for f in frames if f.device_time_s is not None])
    assert times.size == 72
    steps = np.diff(np.concatenate(([T0_NS * 1e-9], times)))
    np.testing.assert_allclose(steps, 1 / 52.0, atol=2e-6)
    assert [f.reanchored for f in frames] == [True, False]


def _gyr_frame(timestamp_ns: int) -> bytes:
    """GYR_DELTA_T1_FRAME (2 samples) with another timestamp."""
    return GYR_DELTA_T1_FRAME[:1] + timestamp_ns.to_bytes(8, "little") + GYR_DELTA_T1_FRAME[9:]


def test_a_step_back_seen_on_one_stream_carries_over_to_the_other() -> None:
    # One device clock: ACC sees the step first; GYRO's next frame then continues after its own
    # previous frame without a second step.
    period_ns = 19_230_769
    back_ns = 5 * 10**9
    decoder = PolarPmdDecoder({2: 52.0, 5: 52.0})
    decoder.decode(DATA_UUID, _acc_frame(T0_NS, np.zeros((36, 3))))
    g0 = decoder.decode(DATA_UUID, _gyr_frame(T0_NS))
    a1 = decoder.decode(DATA_UUID, _acc_frame(T0_NS + 36 * period_ns - back_ns, np.zeros((36, 3))))
    g1 = decoder.decode(DATA_UUID, _gyr_frame(T0_NS + 2 * period_ns - back_ns))
    assert a1.reanchored and not g1.reanchored
    assert g0.device_time_s is not None and g1.device_time_s is not None
    np.testing.assert_allclose(np.diff(g1.device_time_s), 1 / 52.0, atol=1e-6)
    assert g1.device_time_s[0] == pytest.approx(g0.device_time_s[-1] + 1 / 52.0, abs=1e-6)


def test_the_frame_after_a_reanchored_one_is_spaced_from_its_timestamp() -> None:
    decoder = PolarPmdDecoder({5: 52.0})
    decoder.decode(DATA_UUID, GYR_DELTA_T1_FRAME)
    assert decoder.decode(DATA_UUID, GYR_DELTA_T1_FRAME).reanchored  # same timestamp again
    later = bytearray(GYR_DELTA_T1_FRAME)
    later[1:9] = (2_000_000_000 + 2 * 19_000_000).to_bytes(8, "little")  # 2 samples, 19 ms apart
    packet = decoder.decode(DATA_UUID, bytes(later))
    assert packet.device_time_s is not None and not packet.reanchored
    np.testing.assert_allclose(np.diff(packet.device_time_s), 0.019, atol=1e-9)


def test_real_verity_sense_frames_keep_the_sdks_spacing() -> None:
    # Polar Sensor Logger (built on the SDK) wrote the device time of every ACC sample of a
    # "52 Hz" Verity Sense: 51.7 Hz in fact. Each frame is spaced evenly up to its timestamp,
    # so a frame ends where that spacing changes: after samples 71, 143, 215, 289 and 360.
    rows = [line.split(";") for line in (SENSOR_LOGGER / "Polar_Sense_ACC.txt").read_text().splitlines()[1:]]
    sdk_ns = np.array([int(r[1]) for r in rows], dtype=np.int64)
    mg = np.array([[int(v) for v in r[2:5]] for r in rows])
    ends = [71, 143, 215, 289, 360]
    decoder = PolarPmdDecoder({2: 52.0})
    decoder.decode(DATA_UUID, _acc_frame(int(sdk_ns[ends[0]]), mg[: ends[0] + 1]))
    for start, end in itertools.pairwise(ends):
        packet = decoder.decode(DATA_UUID, _acc_frame(int(sdk_ns[end]), mg[start + 1 : end + 1]))
        assert packet.device_time_s is not None
        # the app's integer ns against float64 s of ~7e8 s (resolution 0.12 µs)
        np.testing.assert_allclose(
            packet.device_time_s, sdk_ns[start + 1 : end + 1] * 1e-9, rtol=0, atol=1e-6
        )
        assert not packet.reanchored
