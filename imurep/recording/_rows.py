"""Parsing a run of data rows: a fast vectorised path and a slow exact path for bad input.

Both return the same thing, an ``(N, K)`` float64 array of the used columns, and check the same
rules; the fast one only says "something is wrong" (``None``), the slow one says what and where.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from imurep.errors import InputError
from imurep.recording.header import RecordingHeader
from imurep.recording.schema import ACC_COLUMNS, GYR_COLUMNS, TIME_COLUMN
from imurep.samples import FloatArray, SampleBlock

__all__ = [
    "RowLayout",
    "TimeCursor",
    "check_times",
    "parse_rows_fast",
    "parse_rows_slow",
    "rows_to_block",
]

# ASCII only: float() rejects some characters that Unicode \s or \d match (e.g. "\x1c", found by fuzzing).
_NUMBER_RE = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$", re.ASCII)
# What pandas reads as NaN by default, lower-cased (plus the empty cell, handled apart).
_NAN_WORDS = frozenset(
    {
        "nan",
        "-nan",
        "+nan",
        "na",
        "n/a",
        "#n/a",
        "null",
        "none",
        "<na>",
        "-1.#ind",
        "1.#ind",
        "-1.#qnan",
        "1.#qnan",
        "#n/a n/a",
        "-nan(ind)",
        "nan(ind)",
    }
)
_INF_WORDS = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})
_OTHER_DELIMITERS = {";": "';'", "\t": "tab", "|": "'|'"}


@dataclass(frozen=True)
class RowLayout:
    """Where the used columns sit in a row.

    Attributes
    ----------
    n_fields
        Number of fields every row must have (as in the header).
    used
        0-based positions of ``time_s``, ``acc_x..z`` and, if present, ``gyr_x..z``, in that order.
    names
        Column names matching ``used``.
    """

    n_fields: int
    used: tuple[int, ...]
    names: tuple[str, ...]

    @staticmethod
    def from_header(header: RecordingHeader) -> RowLayout:
        names = (TIME_COLUMN, *ACC_COLUMNS, *(GYR_COLUMNS if header.has_gyr else ()))
        return RowLayout(
            n_fields=len(header.columns),
            used=tuple(header.column_index(name) for name in names),
            names=names,
        )


@dataclass(frozen=True)
class TimeCursor:
    """The last accepted sample time and its line, carried from one run of rows to the next."""

    time_s: float
    line: int


def parse_rows_fast(chunk: bytes, layout: RowLayout) -> SampleBlock | None:
    """Parse newline-terminated rows with pandas' C parser.

    Safe to call from several threads at once (pandas parses without the GIL).

    Returns
    -------
    The samples, one per line of ``chunk``, all finite; or ``None`` when any rule may be
    broken (the caller then runs :func:`parse_rows_slow`).
    Time order is not checked here (see :func:`check_times`).
    """
    if b"\x00" in chunk:
        return None
    if not chunk.isascii():
        try:
            chunk.decode("utf-8")
        except UnicodeDecodeError:
            return None
    # pandas only warns (ParserWarning, dropping data) when the *first* row has too many fields;
    # later rows with too many raise. Checking the first row here keeps warnings out entirely,
    # which matters because this runs in worker threads where warning filters are not safe.
    first_row = chunk[: chunk.find(b"\n")]
    if first_row.count(b",") != layout.n_fields - 1:
        return None
    extra_last = layout.n_fields - 1 not in layout.used
    dtypes: dict[int, type] = {
        i: (np.float64 if i in layout.used else object) for i in range(layout.n_fields)
    }
    try:
        frame = pd.read_csv(
            io.BytesIO(chunk),
            header=None,
            names=list(range(layout.n_fields)),
            index_col=False,
            dtype=dtypes,
            skip_blank_lines=False,
            quoting=csv.QUOTE_NONE,
            engine="c",
            encoding="utf-8",
        )
    except ValueError:
        return None
    # Rows are lines unless a lone carriage return split one (pandas ends a row at \r too).
    if b"\r" in chunk and len(frame) != chunk.count(b"\n"):
        return None
    # A short row leaves its last field(s) missing; for an ignored text column that shows as NaN.
    if extra_last and bool(frame[layout.n_fields - 1].isna().any()):
        return None
    # Straight from pandas' columns into the block's arrays: one copy, no interleaved (N, K) table.
    columns = [frame[i].to_numpy(dtype=np.float64, copy=False) for i in layout.used]
    if not all(bool(np.isfinite(c).all()) for c in columns):
        return None
    n = len(frame)
    acc = np.empty((n, 3))
    for k in range(3):
        acc[:, k] = columns[1 + k]
    gyr: FloatArray | None = None
    if len(columns) == 7:
        gyr = np.empty((n, 3))
        for k in range(3):
            gyr[:, k] = columns[4 + k]
    return SampleBlock(np.array(columns[0]), acc, gyr)


def parse_rows_slow(
    chunk: bytes, first_line: int, layout: RowLayout, source: str, cursor: TimeCursor | None
) -> SampleBlock:
    """Parse newline-terminated rows one by one, raising at the first broken rule.

    Parameters
    ----------
    chunk
        Whole lines, each ending in ``\\n`` (``\\r\\n`` accepted).
    first_line
        1-based line number of the first line of ``chunk`` in ``source``.
    layout
        Which field of a row is which column (from the header).
    source
        The file, for the error messages.
    cursor
        Last sample before ``chunk``, to check time order across runs; ``None`` at the start.

    Returns
    -------
    The samples, one per line of ``chunk``, as :func:`parse_rows_fast`.

    Raises
    ------
    InputError
        With the exact line and the rule: binary bytes, empty line, wrong delimiter, wrong number
        of fields, empty / NaN / infinite / non-numeric cell, duplicate or decreasing time.
    """
    lines = chunk.split(b"\n")[:-1]
    values = np.empty((len(lines), len(layout.used)))
    for i, raw in enumerate(lines):
        line = first_line + i
        if b"\x00" in raw:
            raise InputError("binary file: NUL byte; expected a UTF-8 text recording CSV", source, line)
        try:
            text = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:
            raise InputError(
                "binary file: bytes that are not UTF-8 text; expected a text recording CSV",
                source,
                line,
            ) from None
        if not text.strip():
            raise InputError(
                "empty line: every line after the header must be a data row; delete it",
                source,
                line,
            )
        fields = text.split(",")
        if len(fields) != layout.n_fields:
            raise _field_count_error(text, len(fields), layout, source, line)
        for k, (position, name) in enumerate(zip(layout.used, layout.names, strict=True)):
            values[i, k] = _parse_cell(fields[position], name, source, line)
    check_times(values[:, 0], first_line, source, cursor)
    return rows_to_block(values)


def rows_to_block(values: FloatArray) -> SampleBlock:
    """(N, 4) or (N, 7) rows of time, acc[, gyr] as a block of contiguous (writable) arrays."""
    gyr = np.ascontiguousarray(values[:, 4:7]) if values.shape[1] == 7 else None
    return SampleBlock(np.ascontiguousarray(values[:, 0]), np.ascontiguousarray(values[:, 1:4]), gyr)


def check_times(
    time_s: FloatArray, first_line: int, source: str, cursor: TimeCursor | None
) -> TimeCursor | None:
    """Check that ``time_s`` is strictly increasing, also across the previous run.

    Returns
    -------
    The cursor after the last sample (``cursor`` unchanged when ``time_s`` is empty).
    """
    if time_s.shape[0] == 0:
        return cursor
    if cursor is not None and not time_s[0] > cursor.time_s:
        raise _time_error(cursor.time_s, cursor.line, float(time_s[0]), first_line, source)
    bad = np.flatnonzero(~(np.diff(time_s) > 0))
    if bad.size:
        i = int(bad[0])
        raise _time_error(float(time_s[i]), first_line + i, float(time_s[i + 1]), first_line + i + 1, source)
    return TimeCursor(float(time_s[-1]), first_line + time_s.shape[0] - 1)


def _time_error(
    before_s: float, before_line: int, after_s: float, after_line: int, source: str
) -> InputError:
    rule = "duplicate time_s" if after_s == before_s else "decreasing time_s"
    return InputError(
        f"{rule}: {after_s!r} here after {before_s!r} on line {before_line}; "
        "time_s must be strictly increasing (sort the rows, drop repeated samples)",
        source,
        after_line,
    )


def _field_count_error(text: str, n_fields: int, layout: RowLayout, source: str, line: int) -> InputError:
    if n_fields == 1:
        for delimiter, name in _OTHER_DELIMITERS.items():
            if delimiter in text:
                return InputError(
                    f"wrong delimiter: the row is separated by {name}; recordings are "
                    "comma-separated with '.' decimals (FORMAT.md §1)",
                    source,
                    line,
                )
    return InputError(
        f"wrong number of fields: expected {layout.n_fields} as in the header, got {n_fields}",
        source,
        line,
    )


def _parse_cell(cell: str, name: str, source: str, line: int) -> float:
    if _NUMBER_RE.match(cell):
        value = float(cell)
        if math.isfinite(value):
            return value
        raise InputError(
            f"number out of range in column {name}: {cell.strip()!r} overflows to infinity",
            source,
            line,
        )
    word = cell.strip().lower()
    if not word:
        raise InputError(f"empty cell in column {name}: every sample needs a number", source, line)
    if word in _NAN_WORDS:
        raise InputError(
            f"NaN cell in column {name}: {cell.strip()!r}; samples must be finite numbers "
            "(drop the row instead)",
            source,
            line,
        )
    if word in _INF_WORDS:
        raise InputError(
            f"infinite cell in column {name}: {cell.strip()!r}; samples must be finite numbers",
            source,
            line,
        )
    for delimiter, delimiter_name in _OTHER_DELIMITERS.items():
        if delimiter in cell.strip():
            raise InputError(
                f"wrong delimiter: column {name} holds {cell.strip()!r}, separated by "
                f"{delimiter_name}; recordings are comma-separated with '.' decimals "
                "(FORMAT.md §1)",
                source,
                line,
            )
    raise InputError(
        f"non-numeric cell in column {name}: {cell.strip()!r}; expected a number with '.' as decimal point",
        source,
        line,
    )
