"""Fuzz the recording CSV reader (``imurep.recording.read_recording`` and ``iter_recording``).

Input: the bytes of a recording file. Contract: the reader returns samples (finite, times
strictly increasing, and streaming in small blocks gives the same samples) or raises an
``InputError``; nothing else.

Run: ``python fuzz/fuzz_recording_reader.py fuzz/corpus/recording_reader -max_total_time=600``
"""

from __future__ import annotations

import os
import sys

import atheris

with atheris.instrument_imports(include=["imurep"]):
    from imurep.recording import iter_recording, read_recording
    from imurep.samples import SampleBlock

sys.path.insert(0, os.path.dirname(__file__))
from _contract import ALLOWED, check_samples, scratch_dir

_PATH = os.path.join(scratch_dir(), "recording.csv")


def test_one_input(data: bytes) -> None:
    with open(_PATH, "wb") as f:
        f.write(data)
    try:
        whole = read_recording(_PATH).samples
    except ALLOWED:
        return
    check_samples(whole, "read_recording")
    # The streaming reader must agree with the whole-file reader, block boundaries anywhere.
    streamed = SampleBlock.concat(list(iter_recording(_PATH, block_rows=7)))
    assert len(streamed) == len(whole), "iter_recording and read_recording disagree on length"
    assert (streamed.time_s == whole.time_s).all(), "iter_recording and read_recording disagree"


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
