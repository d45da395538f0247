"""The part of a recording CSV before the data: metadata lines and the column header."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import BinaryIO

from imurep.errors import InputError
from imurep.recording.schema import ACC_COLUMNS, GYR_COLUMNS, TIME_COLUMN

__all__ = ["RecordingHeader", "open_recording_file", "parse_header", "read_header"]

# A header or metadata line longer than this is not text we wrote or a person typed.
_MAX_LINE_BYTES = 1 << 20
_METADATA_RE = re.compile(r"^#\s*([A-Za-z0-9_.\-]+)\s*:\s?(.*?)\s*$")
_NUMBER_RE = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
_OTHER_DELIMITERS = {";": "';'", "\t": "tab", "|": "'|'"}
_EXPECTED_HEADER = "time_s,acc_x,acc_y,acc_z[,gyr_x,gyr_y,gyr_z]"
_UTF8_BOM = b"\xef\xbb\xbf"
# Far more than a recording has (time, 3 acc, 3 gyro and a few notes); refused before the data.
_MAX_COLUMNS = 1000


@dataclass(frozen=True)
class RecordingHeader:
    """What precedes the data rows of a recording CSV.

    Attributes
    ----------
    source
        Path of the file, as given.
    metadata
        ``# key: value`` lines, in file order; keys are kept as written (unknown keys too). When a
        key repeats, the first value is kept and the later line goes to ``comments``.
    comments
        Other ``#`` lines (free text, repeated keys), without the leading ``#``, in file order.
    columns
        Column names of the header line, in file order, stripped of surrounding blanks. Columns
        other than ``time_s``, ``acc_*`` and ``gyr_*`` are allowed and ignored.
    has_gyr
        Whether the file has all three ``gyr_*`` columns.
    mount
        Value of the ``mount`` metadata key (a mounting preset name when it is one), else ``None``.
    header_line
        1-based line number of the column header.
    data_start_line
        1-based line number of the first data row (``header_line + 1``).
    data_start_byte
        Byte offset of the first data row in the file.
    """

    source: str
    metadata: dict[str, str]
    comments: tuple[str, ...]
    columns: tuple[str, ...]
    has_gyr: bool
    mount: str | None
    header_line: int
    data_start_line: int
    data_start_byte: int

    def column_index(self, name: str) -> int:
        """0-based position of column ``name`` in each row."""
        return self.columns.index(name)


def read_header(path: str | os.PathLike[str]) -> RecordingHeader:
    """Read and check the metadata lines and the column header of a recording CSV.

    Raises
    ------
    InputError
        Missing file, a directory, an empty or binary file, no header line, a header without
        ``time_s`` or ``acc_x,acc_y,acc_z``, incomplete ``gyr_*`` columns, a wrong delimiter.
    """
    source = os.fspath(path)
    with open_recording_file(source) as f:
        return parse_header(f, source)


def open_recording_file(source: str) -> BinaryIO:
    """Open ``source`` for binary reading, turning OS errors into one-line :class:`InputError`."""
    if os.path.isdir(source):
        raise InputError("is a directory, expected a recording CSV file", source)
    try:
        return open(source, "rb")
    except FileNotFoundError:
        raise InputError("no such file", source) from None
    except OSError as e:
        raise InputError(f"cannot open: {e.strerror or e}", source) from None


def parse_header(f: BinaryIO, source: str) -> RecordingHeader:
    """Parse the header of the recording open in ``f`` (positioned at its start).

    Leaves ``f`` positioned at the first data row. Blank lines before the header are skipped;
    a UTF-8 byte-order mark (as spreadsheet programs write) is ignored.
    """
    metadata: dict[str, str] = {}
    comments: list[str] = []
    offset = 0
    line_no = 0
    seen_text = False
    while True:
        raw = f.readline(_MAX_LINE_BYTES)
        if not raw:
            break
        line_no += 1
        offset += len(raw)
        if line_no == 1 and raw.startswith(_UTF8_BOM):
            raw = raw[len(_UTF8_BOM) :]
        text = _decode_line(raw, source, line_no)
        if len(raw) >= _MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise InputError(
                f"binary file: line longer than {_MAX_LINE_BYTES} bytes; expected a text recording CSV",
                source,
                line_no,
            )
        text = text.rstrip("\r\n")
        if "\r" in text:
            raise InputError(
                "unsupported line endings: lone carriage returns (old Mac style); "
                "expected \\n or \\r\\n line endings",
                source,
                line_no,
            )
        if not text.strip():
            continue
        seen_text = True
        if text.startswith("#"):
            match = _METADATA_RE.match(text)
            if match is not None and match.group(1) not in metadata:
                metadata[match.group(1)] = match.group(2)
            else:
                comments.append(text[1:].strip())
            continue
        columns = _parse_columns(text, source, line_no)
        has_gyr = _check_columns(columns, source, line_no)
        return RecordingHeader(
            source=source,
            metadata=metadata,
            comments=tuple(comments),
            columns=columns,
            has_gyr=has_gyr,
            mount=metadata.get("mount"),
            header_line=line_no,
            data_start_line=line_no + 1,
            data_start_byte=offset,
        )
    if not seen_text:
        raise InputError("empty file: expected a recording CSV (FORMAT.md §1)", source)
    raise InputError(
        f"no header line: the file holds only '#' comment lines; expected {_EXPECTED_HEADER}",
        source,
        line_no,
    )


def _decode_line(raw: bytes, source: str, line_no: int) -> str:
    if b"\x00" in raw:
        raise InputError("binary file: NUL byte; expected a UTF-8 text recording CSV", source, line_no)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            "binary file: bytes that are not UTF-8 text; expected a text recording CSV",
            source,
            line_no,
        ) from None


def _parse_columns(text: str, source: str, line_no: int) -> tuple[str, ...]:
    if "," not in text:
        for delimiter, name in _OTHER_DELIMITERS.items():
            if delimiter in text:
                raise InputError(
                    f"wrong delimiter: the header is separated by {name}; recordings are "
                    "comma-separated with '.' decimals (FORMAT.md §1); convert the file or "
                    "use an importer",
                    source,
                    line_no,
                )
    columns = tuple(name.strip() for name in text.split(","))
    if len(columns) > _MAX_COLUMNS:
        raise InputError(
            f"{len(columns)} columns in the header; a recording has at most {_MAX_COLUMNS} "
            f"({_EXPECTED_HEADER} and a few more): is this the right file?",
            source,
            line_no,
        )
    if all(_NUMBER_RE.match(name) for name in columns):
        raise InputError(
            f"no header line: line {line_no} holds numbers; the first line that is not a "
            f"'#' comment must name the columns: {_EXPECTED_HEADER}",
            source,
            line_no,
        )
    return columns


def _check_columns(columns: tuple[str, ...], source: str, line_no: int) -> bool:
    known = (TIME_COLUMN, *ACC_COLUMNS, *GYR_COLUMNS)
    for name in known:
        if columns.count(name) > 1:
            raise InputError(
                f"duplicate column {name!r} in the header; each column must appear once",
                source,
                line_no,
            )
    missing = [name for name in (TIME_COLUMN, *ACC_COLUMNS) if name not in columns]
    if missing:
        raise InputError(
            f"header lacks required column(s) {', '.join(missing)}; "
            f"expected {_EXPECTED_HEADER}, got {','.join(columns)}",
            source,
            line_no,
        )
    gyr_present = [name for name in GYR_COLUMNS if name in columns]
    if gyr_present and len(gyr_present) != len(GYR_COLUMNS):
        gyr_missing = [name for name in GYR_COLUMNS if name not in columns]
        raise InputError(
            f"incomplete gyroscope columns: has {', '.join(gyr_present)} but lacks "
            f"{', '.join(gyr_missing)}; give all of gyr_x,gyr_y,gyr_z or none",
            source,
            line_no,
        )
    return bool(gyr_present)
