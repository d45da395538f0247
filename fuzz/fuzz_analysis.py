"""Fuzz the analysis: arbitrary sample blocks through the pipeline, ``analyze_blocks`` and the reports.

Input: bytes that :func:`_analysis_layout.make_case` turns into a damaged stretch of a real
recording (rates, gaps of any length, times going back, NaN / inf / huge values, no gyroscope,
any chunking, exercise and mounting settings). This feeds the pipeline directly, past the readers
that refuse or drop such samples in files: the pipeline itself must cope.

Contract: a documented error (``ImurepError``: ``InputError`` ...) or a result with finite,
ordered rep and set times and every sample counted, whose JSON (``allow_nan=False``), report JSON
and Markdown (and, for one input in eight, HTML with its figures) build without an exception or a
warning.

Run: ``python fuzz/fuzz_analysis.py fuzz/corpus/analysis -max_total_time=600``
"""

from __future__ import annotations

import os
import sys

import atheris

with atheris.instrument_imports(include=["imurep"]):
    import imurep.analysis.analyze
    import imurep.report.html
    import imurep.summary.json_report
    import imurep.report.markdown  # noqa: F401

sys.path.insert(0, os.path.dirname(__file__))
import _contract  # noqa: F401  (the shared contract's settings)
from _analysis_layout import base_recordings, make_case, run_case

_BASES = base_recordings()


def test_one_input(data: bytes) -> None:
    run_case(make_case(data, _BASES))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
