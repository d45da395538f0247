"""One tidy row per rep (source, set, every :class:`RepEvent` field), for tables and spreadsheets."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Sequence
from typing import Any

from imurep.analysis.result import json_value
from imurep.events import RepEvent
from imurep.summary.session import SessionSummary

__all__ = ["REP_COLUMNS", "rep_rows", "rep_rows_csv"]

#: Column order of :func:`rep_rows`: the source and set, then every RepEvent field.
REP_COLUMNS: tuple[str, ...] = ("source", "set_number", *(f.name for f in dataclasses.fields(RepEvent)))


def rep_rows(summary: SessionSummary) -> list[dict[str, Any]]:
    """Rows of :data:`REP_COLUMNS`, in rep order; floats rounded as in the JSON, missing ones ``None``.

    Parameters
    ----------
    summary
        One recording's summary (:func:`imurep.summary.summarize`): its sets number the reps.
    """
    rows = []
    for s in summary.sets:
        for rep in s.reps:
            row: dict[str, Any] = {"source": summary.source, "set_number": s.number}
            for k, v in rep.to_dict().items():
                row[k] = json_value(v)  # rounded as in the JSON report
            rows.append(row)
    rows.sort(key=lambda r: int(r["index"]))
    return rows


def rep_rows_csv(summaries: Sequence[SessionSummary]) -> str:
    """CSV text (header + one row per rep of every summary); empty cells for missing values.

    Parameters
    ----------
    summaries
        Summaries of one or more recordings, written in order.
    """
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(REP_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for summary in summaries:
        for row in rep_rows(summary):
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buf.getvalue()
