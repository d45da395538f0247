"""``open_source`` opens every kind of spec: recordings, BLE devices (through a real in-process BLE
stack), the virtual band and a phyphox phone (a local server speaking its remote interface)."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from test_phyphox_remote import FakePhone, make_handler

from imurep.ble.band import BAND_PROFILE, band_rate_hz
from imurep.ble.errors import ServiceNotFoundError
from imurep.ble.virtual import VIRTUAL_BAND_ADDRESS, VIRTUAL_BAND_NAME, virtual_world
from imurep.ble.virtual.synthetic import synthetic_knee_rolls
from imurep.samples import SampleBlock
from imurep.sources.files import open_samples
from imurep.sources.open_source import open_source
from imurep.sources.spec import SourceKind, VirtualBandSettings, parse_device, parse_path

SAMPLES = Path(__file__).parents[2] / "recordings"
SENSOR_LOGGER = Path(__file__).parents[1] / "data" / "formats" / "sensor-logger-android"


@pytest.mark.parametrize("path", [SAMPLES / "knee_rolls.csv", SENSOR_LOGGER], ids=["file", "export"])
async def test_a_recording_opened_as_a_source_gives_what_reading_it_gives(path: Path) -> None:
    spec = parse_path(path)
    assert spec.kind is (SourceKind.FILE if path.is_file() else SourceKind.EXPORT)
    read = SampleBlock.concat(list(open_samples(spec).blocks))
    async with open_source(spec) as source:
        streamed = SampleBlock.concat([b async for b in source.blocks])
        assert source.status().connected and source.stream is None and not source.ended_by_device
    np.testing.assert_array_equal(streamed.time_s, read.time_s)
    np.testing.assert_array_equal(streamed.acc_m_s2, read.acc_m_s2)
    assert source.metadata == open_samples(path).metadata


async def test_a_ble_device_by_family_and_name_streams_through_the_client() -> None:
    async with virtual_world(synthetic_knee_rolls(reps=3), speed=5.0) as world:
        spec = parse_device(f"imurep-band:{VIRTUAL_BAND_NAME}", scan_timeout_s=2.0)
        backends = {"client_backend": world.client_backend, "scanner_backend": world.scanner_backend}
        async with open_source(spec, **backends) as source:
            first = await anext(source.blocks)
            assert source.stream is not None and source.stream.profile is BAND_PROFILE
            assert source.name == f"{VIRTUAL_BAND_NAME} ({VIRTUAL_BAND_ADDRESS})"
            assert source.metadata == {"device": f"imurep-band {VIRTUAL_BAND_ADDRESS}"}
            assert len(first) > 0 and first.has_gyr and source.status().receiving


async def test_the_family_is_insisted_on() -> None:
    """A band named as a WitMotion is not taken for one: the scan looks for WitMotion's service."""
    async with virtual_world(synthetic_knee_rolls(reps=1)) as world:
        spec = parse_device(f"witmotion:{VIRTUAL_BAND_ADDRESS}", scan_timeout_s=1.0)
        backends = {"client_backend": world.client_backend, "scanner_backend": world.scanner_backend}
        with pytest.raises(ServiceNotFoundError, match="does not advertise 0000ffe5"):
            async with open_source(spec, **backends):
                pass


async def test_the_virtual_band_plays_a_replay_in_the_files_time_base() -> None:
    path = SAMPLES / "knee_rolls.csv"
    spec = parse_device("virtual", virtual=VirtualBandSettings(speed=20.0, replay=parse_path(path)))
    file_block = SampleBlock.concat(list(open_samples(path).blocks))
    async with open_source(spec) as source:
        first = await anext(source.blocks)
        assert source.name == "virtual band replaying knee_rolls.csv"
        # asked for the file's own rate (50 Hz), so that it samples the file on its own grid
        file_rate_hz = 1.0 / float(np.median(np.diff(file_block.time_s)))
        assert source.stream is not None and source.stream.config.rate_hz == band_rate_hz(file_rate_hz) == 50
    times = first.time_s + source.time_offset_s
    np.testing.assert_allclose(times, file_block.time_s[: len(times)], atol=1e-4)


async def test_a_phyphox_phone_streams_through_its_remote_interface() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(FakePhone()))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        text = f"phyphox://127.0.0.1:{server.server_address[1]}"
        async with open_source(parse_device(text)) as source:
            first = await anext(source.blocks)
            status = source.status()
        assert len(first) > 0 and status.detail == "phyphox" and status.connected and status.receiving
        assert source.name == text and source.metadata == {"device": text} and source.stream is None
    finally:
        server.shutdown()
        server.server_close()
