"""WitMotion and Thingy:52 decoders and start sequences.

Neither vendor ships decoder test vectors, so the vectors here are built from the layouts in
WITMOTION/WitBluetooth_BWT901BLE5_0 ``Python/BWT901BLE5.0_python_sdk/device_model.py``
(``processData``: value / 32768 × 16 g, × 2000 °/s) and NordicSemiconductor/Nordic-Thingy52-FW
``include/ble_services/ble_tms.h`` + ``source/modules/m_motion.c`` (Q6.10 g, Q11.5 °/s).
"""

from __future__ import annotations

import struct

import numpy as np
import pytest

from imurep.ble.devices import witmotion
from imurep.ble.devices.thingy52 import (
    CONFIG_UUID,
    RAW_UUID,
    THINGY52,
    Thingy52Decoder,
    motion_config,
)
from imurep.ble.devices.witmotion import (
    NOTIFY_UUID,
    WITMOTION,
    WRITE_UUID,
    WitMotionDecoder,
    rate_code,
)
from imurep.ble.profile import DecodeError

G = 9.80665


def wit_packet(acc_g: tuple[float, float, float], gyr_dps: tuple[float, float, float]) -> bytes:
    acc = [round(a / 16 * 32768) for a in acc_g]
    gyr = [round(w / 2000 * 32768) for w in gyr_dps]
    return b"\x55\x61" + struct.pack("<9h", *acc, *gyr, 100, -200, 300)


def test_witmotion_scales_like_the_vendor_sdk() -> None:
    # Bytes 55 61 | 00 08 (2048 → 1 g) ...: hand-checked against device_model.processData.
    data = bytes.fromhex("55 61 00 08 00 F8 00 00 00 04 00 FC 00 00 00 00 00 00 00 00")
    packet = WitMotionDecoder().decode(NOTIFY_UUID, data)
    assert packet.acc_m_s2 is not None and packet.gyr_rad_s is not None
    np.testing.assert_allclose(packet.acc_m_s2, [[1 * G, -1 * G, 0]])
    np.testing.assert_allclose(np.rad2deg(packet.gyr_rad_s), [[62.5, -62.5, 0]])
    assert packet.device_time_s is None


def test_witmotion_several_packets_and_garbage_between() -> None:
    a = wit_packet((0.0, 0.0, 1.0), (10.0, 0.0, 0.0))
    b = wit_packet((0.5, 0.0, -1.0), (0.0, -20.0, 0.0))
    packet = WitMotionDecoder().decode(NOTIFY_UUID, b"\x01\x55" + a + b"\xaa\x55\x00" + b)
    assert len(packet) == 2
    assert packet.acc_m_s2 is not None
    np.testing.assert_allclose(packet.acc_m_s2[:, 2], [G, -G], rtol=1e-4)


def test_witmotion_packet_split_across_notifications() -> None:
    a, b = wit_packet((0, 0, 1), (0, 0, 0)), wit_packet((1, 0, 0), (0, 0, 5))
    decoder = WitMotionDecoder()
    first = decoder.decode(NOTIFY_UUID, a + b[:7])
    second = decoder.decode(NOTIFY_UUID, b[7:])
    assert len(first) == 1 and len(second) == 1
    assert second.acc_m_s2 is not None
    np.testing.assert_allclose(second.acc_m_s2, [[G, 0, 0]], rtol=1e-4)


def test_witmotion_truncated_packet_dropped_when_next_starts_fresh() -> None:
    a, b = wit_packet((0, 0, 1), (0, 0, 0)), wit_packet((1, 0, 0), (0, 0, 5))
    decoder = WitMotionDecoder()
    assert len(decoder.decode(NOTIFY_UUID, a[:12])) == 0
    packet = decoder.decode(NOTIFY_UUID, b)
    assert packet.acc_m_s2 is not None and len(packet) == 1
    np.testing.assert_allclose(packet.acc_m_s2, [[G, 0, 0]], rtol=1e-4)


def test_witmotion_without_header_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="no 55 61 packet"):
        WitMotionDecoder().decode(NOTIFY_UUID, bytes(20))


@pytest.mark.parametrize(
    ("asked_hz", "rate_hz", "code"),
    [
        (10, 10, 0x06),
        (20, 20, 0x07),
        (52, 50, 0x08),
        (100, 100, 0x09),
        (1000, 200, 0x0A),
        (75, 100, 0x09),
        (1, 10, 0x06),
    ],
)
def test_witmotion_rate_codes(asked_hz: float, rate_hz: float, code: int) -> None:
    assert rate_code(asked_hz) == (rate_hz, code)


class _RecordingClient:
    def __init__(self, read_value: bytes = b"") -> None:
        self.read_value = read_value
        self.writes: list[tuple[str, bytes]] = []

    async def write_gatt_char(self, char_specifier: str, data: bytes, response: bool = False) -> None:
        self.writes.append((char_specifier, bytes(data)))

    async def read_gatt_char(self, char_specifier: str) -> bytes:
        return self.read_value


async def test_witmotion_start_unlocks_sets_rate_and_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(witmotion, "_COMMAND_GAP_S", 0.0)
    client = _RecordingClient()
    assert WITMOTION.start is not None
    await WITMOTION.start(client, 100.0)
    assert client.writes == [
        (WRITE_UUID, bytes.fromhex("FF AA 69 88 B5")),
        (WRITE_UUID, bytes.fromhex("FF AA 03 09 00")),
        (WRITE_UUID, bytes.fromhex("FF AA 00 00 00")),
    ]


def test_thingy_raw_q_formats() -> None:
    # acc 1024 (1 g), -512 (-0.5 g), 0; gyro 32 (1 °/s), -3200 (-100 °/s), 0; compass ignored.
    data = struct.pack("<9h", 1024, -512, 0, 32, -3200, 0, 160, 160, 160)
    packet = Thingy52Decoder().decode(RAW_UUID, data)
    assert packet.acc_m_s2 is not None and packet.gyr_rad_s is not None
    np.testing.assert_allclose(packet.acc_m_s2, [[G, -0.5 * G, 0]])
    np.testing.assert_allclose(np.rad2deg(packet.gyr_rad_s), [[1, -100, 0]])
    with pytest.raises(DecodeError, match="expected 18 bytes, got 17"):
        Thingy52Decoder().decode(RAW_UUID, data[:17])


def test_thingy_config_keeps_device_fields_and_clamps_rate() -> None:
    current = struct.pack("<HHHHB", 2000, 1000, 300, 10, 0)
    assert motion_config(100.0, current) == (100, struct.pack("<HHHHB", 2000, 1000, 300, 100, 0))
    freq, config = motion_config(500.0, b"\x00")  # unreadable config → firmware defaults
    assert freq == 200 and config == struct.pack("<HHHHB", 1000, 500, 500, 200, 1)
    assert motion_config(0.2)[0] == 1


async def test_thingy_start_reads_then_writes_config() -> None:
    client = _RecordingClient(struct.pack("<HHHHB", 1000, 500, 500, 10, 1))
    assert THINGY52.start is not None
    await THINGY52.start(client, 60.0)
    assert client.writes == [(CONFIG_UUID, struct.pack("<HHHHB", 1000, 500, 500, 60, 1))]
