"""Every RepEvent field reaches every output (JSON, rep CSV, batch table), missing ones as missing."""

from __future__ import annotations

import dataclasses
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from imurep.batch.discover import FileKey
from imurep.batch.table import REP_COLUMNS as BATCH_REP_COLUMNS
from imurep.batch.table import outcome_frame
from imurep.batch.task import FileOutcome
from imurep.events import RepEvent
from imurep.pipeline.rep_metrics import MIN_STEADY_HOLD_S, measure_rep
from imurep.pipeline.rep_timing import RepTiming
from imurep.summary import rep_rows_csv, summarize

sys.path.insert(0, str(Path(__file__).parent / "report"))
from report_synthetic import make_result

FIELDS = [f.name for f in dataclasses.fields(RepEvent)]
SAMPLE = Path(__file__).resolve().parents[1] / "recordings" / "knee_rolls.csv"


def _short_hold_rep() -> RepEvent:
    """A rep measured from samples, its hold shorter than steadiness needs."""
    t = np.arange(0.0, 4.0, 0.01)
    hold_start_s, hold_end_s = 1.5, 1.5 + MIN_STEADY_HOLD_S / 2
    angle = np.interp(t, [0.0, hold_start_s, hold_end_s, 3.5, 4.0], [0.0, 30.0, 30.0, 0.0, 0.0])
    timing = RepTiming(0.0, hold_start_s, hold_end_s, 3.5, 30.0, 20.0, 20.0)
    rep = measure_rep("knee_rolls", "left", t, angle, timing, 0.5, 20.0, 4.0)
    return dataclasses.replace(rep, index=1)


def test_a_short_hold_has_no_steadiness_in_the_event() -> None:
    rep = _short_hold_rep()
    assert rep.hold_steadiness_deg is None  # not NaN: "not measured" is None everywhere
    assert rep.out_s is not None and rep.smoothness_sparc is not None


def test_json_has_every_field_and_null_for_the_missing_steadiness() -> None:
    obj = make_result([_short_hold_rep()]).to_json_obj()
    (rep,) = obj["reps"]
    assert list(rep) == FIELDS
    assert rep["hold_steadiness_deg"] is None
    json.dumps(obj, allow_nan=False)  # no NaN anywhere


def test_rep_csv_has_every_field_and_an_empty_cell_for_the_missing_steadiness() -> None:
    text = rep_rows_csv([summarize(make_result([_short_hold_rep()]))])
    header, row = text.splitlines()
    assert header.split(",")[2:] == FIELDS
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert cells["hold_steadiness_deg"] == "" and cells["peak_angle_deg"] == "30.0"


def test_batch_table_has_every_field_typed_from_the_event() -> None:
    assert list(BATCH_REP_COLUMNS) == FIELDS
    assert BATCH_REP_COLUMNS["index"] == "Int64" and BATCH_REP_COLUMNS["side"] == "string"
    assert BATCH_REP_COLUMNS["hold_steadiness_deg"] == "float64"
    outcome = FileOutcome(
        key=FileKey("x.csv", 1, 2),
        reps=(_short_hold_rep(),),
        n_sets=1,
        duration_s=4.0,
        sample_rate_hz=100.0,
        n_samples=400,
        has_gyr=True,
        warnings=(),
        error=None,
        analysis_s=0.1,
    )
    frame = outcome_frame(outcome)
    rep_row = frame[frame["row_type"] == "rep"].iloc[0]
    assert set(FIELDS) <= set(frame.columns)
    assert pd.isna(rep_row["hold_steadiness_deg"]) and rep_row["peak_angle_deg"] == 30.0
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    back = pd.read_csv(io.StringIO(buf.getvalue()))
    assert math.isnan(back.loc[0, "hold_steadiness_deg"])


def test_analyze_json_of_a_real_run_has_every_field(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "imurep", "analyze", str(SAMPLE), "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    reps = json.loads(out)["reps"]
    assert reps and all(list(r) == FIELDS for r in reps)
