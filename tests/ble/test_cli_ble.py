"""``imurep devices`` and ``imurep record`` through the real entry point, against the virtual band."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imurep.cli.main import main
from imurep.recording import read_recording


def test_devices_lists_the_virtual_band(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["devices", "--virtual", "--timeout", "0.5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["PROFILE", "NAME", "ADDRESS", "RSSI"]
    assert out[1].split()[:3] == ["imurep-band", "imurep-virtual", "D0:5B:A7:00:00:01"]


def test_record_virtual_writes_a_valid_recording(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "rec.csv"
    code = main(["record", "--device", "virtual", "-o", str(path), "--duration", "1.0", "--speed", "5"])
    assert code == 0
    recording = read_recording(path)
    assert recording.header.metadata["device"] == "imurep-band D0:5B:A7:00:00:01"
    assert "simulation" in recording.header.metadata  # the virtual source says what it played
    n = len(recording.samples)
    assert recording.samples.gyr_rad_s is not None
    times = recording.samples.time_s
    assert np.all(np.diff(times) > 0)
    rate_hz = 1.0 / np.median(np.diff(times))  # the band is asked for the source's rate
    assert 24.9 <= rate_hz <= 400.1
    np.testing.assert_allclose(np.diff(times), 1.0 / rate_hz, rtol=3e-3)  # no holes
    # ~1 s at ×5, less connection set-up, plus what arrives while the stop is handled (~0.1 s)
    assert 0.6 * 5 * rate_hz <= n <= 5.6 * rate_hz
    err = capsys.readouterr().err
    assert f"recorded {n} samples" in err and "lost packets 0" in err


def test_record_refuses_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "rec.csv"
    path.write_text("keep me\n")
    assert main(["record", "--device", "virtual", "-o", str(path), "--duration", "0.2"]) == 2
    assert path.read_text() == "keep me\n"
    assert "imurep: error:" in capsys.readouterr().err


def test_record_speed_is_for_the_virtual_device_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["record", "--device", "AA:BB:CC:DD:EE:FF", "-o", "x.csv", "--speed", "2"]) == 2
    assert "--speed works with the virtual device only (--device virtual)" in capsys.readouterr().err


def test_record_summary_names_packet_anomalies_only_when_seen() -> None:
    from imurep.ble.stream import StreamStats
    from imurep.cli.record import link_summary

    clean = link_summary(StreamStats(rate_hz=100.0, packets=500))
    assert clean == "rate 100.0 Hz, lost packets 0 (0.00%), reconnects 0, link gaps 0"
    odd = link_summary(
        StreamStats(rate_hz=52.0, packets=500, malformed_packets=2, rejected_packets=1, reanchored_packets=3)
    )
    assert odd.endswith(
        "malformed packets skipped 2, duplicate or stale packets dropped 1, "
        "packets re-timed from their own timestamp 3"
    )
