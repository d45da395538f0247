"""Inputs on which fuzzing (``fuzz/fuzz_recording_reader.py``) once crashed the reader.

Each ``tests/data/fuzz/recording_reader/*/recording.csv`` must now read as valid samples or be
refused with an ``InputError`` that names the file; any other exception fails.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from imurep.errors import InputError
from imurep.recording import RecordingWarning, iter_recording, read_recording
from imurep.samples import SampleBlock

_INPUTS = sorted((Path(__file__).parents[1] / "data" / "fuzz" / "recording_reader").glob("*/recording.csv"))


def test_there_are_saved_inputs() -> None:
    assert _INPUTS


@pytest.mark.parametrize("path", _INPUTS, ids=[p.parent.name for p in _INPUTS])
def test_saved_fuzz_input_is_read_or_refused_cleanly(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RecordingWarning)
        try:
            samples = read_recording(path).samples
        except InputError as e:
            assert str(e).startswith(str(path)), str(e)
            return
        streamed = SampleBlock.concat(list(iter_recording(path, block_rows=7)))
    assert np.isfinite(samples.acc_m_s2).all() and (np.diff(samples.time_s) > 0).all()
    np.testing.assert_array_equal(streamed.time_s, samples.time_s)


def test_control_character_before_a_number_is_a_non_numeric_cell(tmp_path: Path) -> None:
    # The first finding: '\x1c' matched the number pattern's \s (Unicode) but float() refuses it.
    path = tmp_path / "r.csv"
    path.write_bytes(b"# imurep-recording: 1\ntime_s,acc_x,acc_y,acc_z\n0.0,1,2,3\n\x1c0.5,1,2,3\n")
    with pytest.raises(InputError, match=r"r\.csv:4: non-numeric cell in column time_s"):
        read_recording(path)
