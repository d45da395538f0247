from __future__ import annotations

import dataclasses
import io

import pandas as pd
from report_synthetic import full_session

from imurep.events import RepEvent
from imurep.summary import REP_COLUMNS, rep_rows_csv, summarize


def test_csv_has_one_tidy_row_per_rep_with_every_field() -> None:
    result = full_session()
    text = rep_rows_csv([summarize(result), summarize(result)])
    df = pd.read_csv(io.StringIO(text))
    assert list(df.columns) == list(REP_COLUMNS)
    assert set(f.name for f in dataclasses.fields(RepEvent)) <= set(df.columns)
    assert len(df) == 2 * len(result.reps)
    first = df.iloc[0]
    assert first["source"] == "synthetic.csv" and first["set_number"] == 1 and first["index"] == 1
    assert first["start_s"] == result.reps[0].start_s
    heels = df[df["exercise"] == "heels_stretch"]
    assert len(heels) == 20 and heels["side"].isna().all() and (heels["set_number"] == 2).all()
    assert df.groupby("side").size().to_dict() == {"left": 20, "right": 20}
