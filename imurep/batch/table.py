"""The batch result table: one tidy row per rep plus one row per file, with fixed columns and types.

``row_type`` is ``rep`` or ``file``. Every row carries the file's key (``path``, ``size_bytes``,
``mtime_ns``); rep rows carry every :class:`~imurep.events.RepEvent` field (the rep and its
quality), file rows the file-level figures and the ``error`` column (empty when the file was
analysed). A file's row is written after its rep rows, so a file counts as done only once its file
row is there.
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Mapping

import pandas as pd

from imurep.batch.discover import FileKey
from imurep.batch.task import WORKER_DIED, FileOutcome
from imurep.events import RepEvent

__all__ = [
    "COLUMNS",
    "FILE_COLUMNS",
    "KEY_COLUMNS",
    "REP_COLUMNS",
    "done_keys",
    "normalize",
    "outcome_frame",
    "prune",
    "read_results",
]

# pandas dtypes; nullable ones so that a column empty on half the rows keeps its type.
KEY_COLUMNS: dict[str, str] = {
    "row_type": "string",
    "path": "string",
    "size_bytes": "Int64",
    "mtime_ns": "Int64",
}
_DTYPES: dict[object, str] = {int: "Int64", float: "float64", bool: "boolean", str: "string"}


def _dtype(hint: object) -> str:
    """The nullable pandas dtype of a field annotated ``hint`` (``X | None`` as ``X``)."""
    options = [a for a in typing.get_args(hint) if a is not type(None)] if _is_union(hint) else [hint]
    (only,) = options
    if typing.get_origin(only) is typing.Literal:
        return "string"  # Side: "left" / "right"
    return _DTYPES[only]


def _is_union(hint: object) -> bool:
    return isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union


#: Every :class:`RepEvent` field, in order, typed from its annotation (a new field needs no edit here).
REP_COLUMNS: dict[str, str] = {name: _dtype(hint) for name, hint in typing.get_type_hints(RepEvent).items()}
FILE_COLUMNS: dict[str, str] = {
    "n_reps": "Int64",
    "n_sets": "Int64",
    "duration_s": "float64",
    "sample_rate_hz": "float64",
    "n_samples": "Int64",
    "has_gyr": "boolean",
    "warnings": "string",
    "error": "string",
    "analysis_s": "float64",
}
COLUMNS: dict[str, str] = {**KEY_COLUMNS, **REP_COLUMNS, **FILE_COLUMNS}

_WARNING_SEPARATOR = " | "


def outcome_frame(outcome: FileOutcome) -> pd.DataFrame:
    """The rows of one file: its reps in order, then its file row."""
    key = {"path": outcome.key.path, "size_bytes": outcome.key.size_bytes, "mtime_ns": outcome.key.mtime_ns}
    rows: list[dict[str, object]] = []
    for rep in outcome.reps:
        fields = rep.to_dict()
        rows.append({"row_type": "rep", **key, **{c: fields.get(c) for c in REP_COLUMNS}})
    rows.append(
        {
            "row_type": "file",
            **key,
            "n_reps": None if outcome.error else len(outcome.reps),
            "n_sets": outcome.n_sets,
            "duration_s": outcome.duration_s,
            "sample_rate_hz": outcome.sample_rate_hz,
            "n_samples": outcome.n_samples,
            "has_gyr": outcome.has_gyr,
            "warnings": _WARNING_SEPARATOR.join(outcome.warnings) or None,
            "error": outcome.error,
            "analysis_s": outcome.analysis_s,
        }
    )
    return normalize(pd.DataFrame.from_records(rows))


def normalize(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with exactly :data:`COLUMNS` in order and their types (missing ones empty)."""
    out = frame.reindex(columns=list(COLUMNS))
    for column, dtype in COLUMNS.items():
        series = out[column]
        if dtype == "boolean" and series.dtype == object:
            series = series.map(_to_bool, na_action="ignore")
        out[column] = series.astype(dtype)  # type: ignore[call-overload]
    return out.reset_index(drop=True)


def done_keys(frame: pd.DataFrame) -> set[FileKey]:
    """Keys of the files that have a file row in ``frame`` (not counting worker deaths).

    A file whose worker process died (killed by the out-of-memory killer, a crash) is not done:
    that may say more about the machine at the time than about the file, so a re-run tries again.
    """
    return _file_keys(frame[~_worker_died(frame)])


def _file_keys(frame: pd.DataFrame) -> set[FileKey]:
    files = frame[frame["row_type"] == "file"]
    return {
        FileKey(str(p), int(s), int(m))
        for p, s, m in zip(files["path"], files["size_bytes"], files["mtime_ns"], strict=True)
        if not (pd.isna(p) or pd.isna(s) or pd.isna(m))
    }


def _worker_died(frame: pd.DataFrame) -> pd.Series:
    error = frame["error"].astype("string")
    return (frame["row_type"] == "file") & error.str.startswith(WORKER_DIED).fillna(False).astype(bool)


def prune(frame: pd.DataFrame, current: Mapping[str, FileKey]) -> pd.DataFrame:
    """Drop rows no longer valid.

    Parameters
    ----------
    frame
        Normalised result rows.
    current
        Inputs of this batch by path, with their key as now on disk.

    Returns
    -------
    pandas.DataFrame
        ``frame`` without rep rows whose file row is missing (an interrupted write) and without
        rows of a file of this batch that has changed since (it will be analysed again).
    """
    if frame.empty:
        return frame
    keys = list(zip(frame["path"], frame["size_bytes"], frame["mtime_ns"], strict=True))
    complete = _file_keys(frame)
    retry = _file_keys(frame[_worker_died(frame)])
    keep = []
    for p, s, m in keys:
        if pd.isna(p) or pd.isna(s) or pd.isna(m):
            keep.append(False)
            continue
        key = FileKey(str(p), int(s), int(m))
        now = current.get(key.path)
        keep.append(key in complete and (now is None or (now == key and key not in retry)))
    return frame[keep].reset_index(drop=True)


def read_results(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Load a batch result table (``.csv`` or ``.parquet``) with its column types."""
    source = os.fspath(path)
    if source.lower().endswith(".parquet"):
        return normalize(pd.read_parquet(source))
    return read_results_csv(source)


def read_results_csv(source: str | os.PathLike[str]) -> pd.DataFrame:
    """Load a CSV result table (any missing or extra columns are reconciled to :data:`COLUMNS`)."""
    frame = pd.read_csv(source, dtype={c: ("object" if t == "boolean" else t) for c, t in COLUMNS.items()})
    return normalize(frame)


def _to_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value)
