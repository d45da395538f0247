"""A metadata line only known at the end (``final_metadata``): reserved in the header, written at close."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imurep.recording import RecordingWriter, read_recording
from imurep.samples import SampleBlock


def _block() -> SampleBlock:
    t = 100.0 + np.arange(50) * 0.02
    return SampleBlock(t, np.tile([0.0, 0.0, 9.81], (50, 1)), np.zeros((50, 3)))


def test_final_metadata_is_written_in_place_at_close(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    with RecordingWriter(path, {"device": "band"}, final_metadata=("clock_mapping",)) as writer:
        writer.append(_block())
        writer.flush()
        # until the end (or after a crash) the line says the value is unknown
        assert read_recording(path).header.metadata["clock_mapping"].startswith("unknown")
        writer.set_final_metadata("clock_mapping", "host_timed_jumps=1; times after it are estimates")
    recording = read_recording(path)
    assert recording.header.metadata == {
        "imurep-recording": "1",
        "device": "band",
        "clock_mapping": "host_timed_jumps=1; times after it are estimates",
    }
    np.testing.assert_allclose(recording.samples.time_s, _block().time_s)


def test_only_reserved_keys_can_be_set(tmp_path: Path) -> None:
    with RecordingWriter(tmp_path / "r.csv") as writer, pytest.raises(KeyError):
        writer.set_final_metadata("clock_mapping", "x")
