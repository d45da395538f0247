"""Delimited text tables as apps write them: header sniffing and numeric columns with line numbers.

Apps disagree on the delimiter (comma, semicolon, tab), the decimal mark (``.`` or ``,``), quoting
and the text encoding (WitMotion's PC software writes GBK). This module hides that and turns
every malformed cell into one :class:`~imurep.errors.InputError` naming the file, the line and the
rule; it never returns a silently repaired table.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from imurep.errors import InputError
from imurep.samples import FloatArray

__all__ = ["TextTable", "decode_text", "parse_table", "split_row"]

_DELIMITERS = (",", ";", "\t")
_DECIMAL_COMMA_RE = re.compile(r"^\s*\"?[+-]?\d+,\d+([eE][+-]?\d+)?\"?\s*$")
_NAN_LITERALS = ("NaN", "nan", "NAN")


@dataclass(frozen=True)
class TextTable:
    """A decoded delimited table.

    Attributes
    ----------
    source
        Name used in messages (file, or ``archive.zip:member``).
    lines
        Every line of the file, without line ends.
    header_line
        1-based line number of the column header.
    columns
        Header cells, unquoted and stripped.
    delimiter
        Cell separator.
    decimal
        Decimal mark of the numbers (``.`` or ``,``).
    """

    source: str
    lines: list[str]
    header_line: int
    columns: tuple[str, ...]
    delimiter: str
    decimal: str

    @property
    def n_data_lines(self) -> int:
        return sum(1 for line in self.lines[self.header_line :] if line.strip())

    def index(self, name: str, columns: tuple[str, ...] | None = None) -> int:
        """Column index of ``name`` in ``columns`` (default: the header as written).

        Raises
        ------
        InputError
            The header has no such column.
        """
        cols = self.columns if columns is None else columns
        try:
            return cols.index(name)
        except ValueError:
            shown = ",".join(self.columns)[:120]
            raise InputError(
                f"expected a column {name!r} in the header, found {shown!r}", self.source, self.header_line
            ) from None

    def numbers(self, indices: list[int]) -> FloatArray:
        """Columns ``indices`` of every data row as floats.

        Returns
        -------
        (N, len(indices)) array; ``NaN`` where the file says ``NaN``.

        Raises
        ------
        InputError
            A row with too few cells or a cell that is not a number (file, line, column named).
        """
        try:
            frame = pd.read_csv(
                self._body(),
                sep=self.delimiter,
                header=None,
                usecols=indices,
                dtype=np.float64,
                decimal=self.decimal,
                keep_default_na=False,
                na_values=list(_NAN_LITERALS),
                skip_blank_lines=True,
                engine="c",
                quotechar='"',
            )
            values = frame[indices].to_numpy(dtype=np.float64)
            if values.shape[0] != self.n_data_lines:
                raise ValueError("row count mismatch")
            return values
        except Exception as exc:  # any parser complaint: find the exact line and rule
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        self._locate_error(indices)
        raise InputError(f"cannot parse the table ({reason})", self.source)

    def strings(self, index: int) -> list[str]:
        """Column ``index`` of every data row as stripped text."""
        try:
            frame = pd.read_csv(
                self._body(),
                sep=self.delimiter,
                header=None,
                usecols=[index],
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=True,
                engine="c",
                quotechar='"',
            )
            cells = [str(c).strip() for c in frame[index].tolist()]
            if len(cells) == self.n_data_lines:
                return cells
        except Exception:  # find the exact line below
            pass
        out: list[str] = []
        for k, line in enumerate(self.lines[self.header_line :]):
            if not line.strip():
                continue
            row = split_row(line, self.delimiter)
            if index >= len(row):
                raise InputError(
                    f"expected {len(self.columns)} cells, found {len(row)}",
                    self.source,
                    self.header_line + 1 + k,
                )
            out.append(row[index].strip())
        return out

    def _body(self) -> io.BytesIO:
        """The data lines as UTF-8 bytes (a text buffer would hold 4 bytes per character)."""
        return io.BytesIO("\n".join(self.lines[self.header_line :]).encode("utf-8"))

    def _locate_error(self, indices: list[int]) -> None:
        for k, line in enumerate(self.lines[self.header_line :]):
            if not line.strip():
                continue
            line_no = self.header_line + 1 + k
            cells = split_row(line, self.delimiter)
            if max(indices) >= len(cells):
                raise InputError(
                    f"expected {len(self.columns)} cells separated by {_name(self.delimiter)}, "
                    f"found {len(cells)}",
                    self.source,
                    line_no,
                )
            for i in indices:
                cell = cells[i].strip()
                if cell in _NAN_LITERALS:
                    continue
                try:
                    float(cell.replace(",", ".") if self.decimal == "," else cell)
                except ValueError:
                    raise InputError(
                        f"column {self.columns[i]!r}: {cell[:40]!r} is not a number",
                        self.source,
                        line_no,
                    ) from None


def _name(delimiter: str) -> str:
    return {"\t": "tabs", ",": "commas", ";": "semicolons"}.get(delimiter, repr(delimiter))


def decode_text(data: bytes, source: str) -> str:
    """Text of a file: UTF-8 (with or without BOM), else GBK/GB18030 (WitMotion's PC software).

    Raises
    ------
    InputError
        Binary content (NUL bytes) or undecodable bytes.
    """
    if b"\x00" in data[:65536]:
        raise InputError("is not a text file (binary content)", source)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("is not UTF-8 or GBK text", source, line) from None


def split_row(line: str, delimiter: str) -> list[str]:
    """Cells of one line (double quotes honoured)."""
    try:
        return next(csv.reader([line], delimiter=delimiter, quotechar='"', strict=False))
    except (csv.Error, StopIteration):
        return line.split(delimiter)


def parse_table(data: bytes | str, source: str, skip_lines: int = 0) -> TextTable:
    """Decode ``data`` and find its header: the first non-blank line after ``skip_lines``.

    The delimiter is the one of comma, semicolon and tab that the header line holds most of; the
    decimal mark is ``,`` when the delimiter is not a comma and the first data row has numbers
    like ``9,81``.

    Raises
    ------
    InputError
        No header line, or a header without any delimiter.
    """
    text = decode_text(data, source) if isinstance(data, bytes) else data
    lines = text.splitlines()
    header_idx = next((i for i in range(skip_lines, len(lines)) if lines[i].strip()), None)
    if header_idx is None:
        raise InputError("is empty: expected a header line of column names", source)
    header = lines[header_idx]
    counts = {d: _count_outside_quotes(header, d) for d in _DELIMITERS}
    delimiter = max(_DELIMITERS, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        raise InputError(
            f"header {header[:60]!r} has no comma, semicolon or tab between column names",
            source,
            header_idx + 1,
        )
    columns = tuple(c.strip().strip('"').strip() for c in split_row(header, delimiter))
    decimal = "."
    if delimiter != ",":
        first = next((ln for ln in lines[header_idx + 1 :] if ln.strip()), "")
        if any(_DECIMAL_COMMA_RE.match(c) for c in split_row(first, delimiter)):
            decimal = ","
    return TextTable(source, lines, header_idx + 1, columns, delimiter, decimal)


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count = 0
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count
