"""Without the angle trace (``keep_trace=False``) the analysis is the same, and keeps no trace."""

from __future__ import annotations

from pathlib import Path

from imurep.analysis.analyze import analyze_file

SAMPLE = Path(__file__).parents[2] / "recordings" / "knee_rolls.csv"


def test_results_do_not_depend_on_keeping_the_trace():
    with_trace = analyze_file(SAMPLE)
    without = analyze_file(SAMPLE, keep_trace=False)
    assert with_trace.trace is not None and len(with_trace.trace.time_s) > 1000
    assert without.trace is None
    assert len(without.reps) == len(with_trace.reps) > 0  # RepEvents hold NaN: compare as JSON
    assert without.to_json_obj() == with_trace.to_json_obj()
