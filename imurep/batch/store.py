"""Where a batch writes its table: incrementally, so a crash or Ctrl-C loses no finished file.

- CSV: each finished file's rows are appended with one ``write`` and ``fsync``; a file's row
  comes last, so a torn write leaves rep rows without a file row, which the next run drops.
- Parquet cannot be appended to: finished files go to a CSV journal beside the output
  (``<output>.journal.csv``, as above); closing the store merges the journal into the Parquet
  file (written to a temporary file, then renamed over it) and deletes the journal. A run that
  dies before closing leaves the journal, which the next run picks up.

Opening a store reads what is already there: files whose rows are complete and whose size and
modification time are unchanged count as done and are skipped; rows of changed files and
incomplete rows are dropped (the file is rewritten atomically when anything is dropped).
"""

from __future__ import annotations

import io
import os
import secrets
from collections.abc import Callable, Iterable
from types import TracebackType

import pandas as pd

from imurep.batch.discover import FileKey
from imurep.batch.table import COLUMNS, done_keys, normalize, outcome_frame, prune, read_results_csv
from imurep.batch.task import FileOutcome
from imurep.errors import InputError

__all__ = ["ResultStore", "journal_path", "open_store"]

_FORMATS = (".csv", ".parquet")


def journal_path(output: str) -> str:
    """The CSV journal that collects finished files before they are merged into ``output``."""
    return output + ".journal.csv"


class ResultStore:
    """Appends finished files to a batch output; use :func:`open_store` to create one.

    Parameters
    ----------
    output
        The result file (``.csv`` or ``.parquet``).
    inputs
        This batch's files with their current keys (to drop rows of changed files).
    """

    def __init__(self, output: str, inputs: Iterable[FileKey]) -> None:
        self.output = os.path.abspath(output)
        self._parquet = self.output.lower().endswith(".parquet")
        self._current = {k.path: k for k in inputs}
        self._csv = journal_path(self.output) if self._parquet else self.output
        self._base = pd.DataFrame(columns=list(COLUMNS))  # Parquet rows already merged
        if self._parquet and os.path.exists(self.output):
            self._base = prune(_check_table(self.output, _read_parquet(self.output)), self._current)
        journal = _load_csv(self._csv, self._current)
        self.done: set[FileKey] = done_keys(self._base) | done_keys(journal)
        self._fd = os.open(self._csv, os.O_WRONLY | os.O_APPEND)

    def append(self, outcome: FileOutcome) -> None:
        """Record one finished file durably (its rows, then its file row, in one write)."""
        buffer = io.StringIO()
        outcome_frame(outcome).to_csv(buffer, header=False, index=False, lineterminator="\n")
        _write_all(self._fd, buffer.getvalue().encode("utf-8"))
        os.fsync(self._fd)
        self.done.add(outcome.key)

    def close(self) -> None:
        """Stop appending; for Parquet, merge the journal into the output and delete it."""
        if self._fd < 0:
            return
        os.close(self._fd)
        self._fd = -1
        if self._parquet:
            journal = read_results_csv(self._csv)
            parts = [f for f in (self._base, journal) if not f.empty]
            merged = pd.concat(parts, ignore_index=True) if parts else journal
            merged = prune(normalize(merged), self._current)
            _replace_atomically(self.output, lambda p: merged.to_parquet(p, index=False))
            os.unlink(self._csv)

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_store(output: str | os.PathLike[str], inputs: Iterable[FileKey]) -> ResultStore:
    """Open (create or resume) the result file ``output``.

    Raises
    ------
    InputError
        ``output`` is not ``.csv``/``.parquet``, or exists but is not an imurep batch table.
    """
    path = os.fspath(output)
    if not path.lower().endswith(_FORMATS):
        raise InputError("output must end in .csv or .parquet", path)
    return ResultStore(path, inputs)


def _load_csv(path: str, current: dict[str, FileKey]) -> pd.DataFrame:
    """Load the CSV part (creating it empty), drop torn or stale rows and rewrite it if needed."""
    header = ",".join(COLUMNS) + "\n"
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        _replace_atomically(path, lambda p: _write_text(p, header))
        return normalize(pd.DataFrame(columns=list(COLUMNS)))
    with open(path, "rb") as f:
        raw = f.read()
    first_line = raw.split(b"\n", 1)[0].decode("utf-8", "replace") + "\n"
    _check_columns(path, first_line.strip().split(","))
    whole = raw[: raw.rfind(b"\n") + 1]  # a last line without its newline is a torn write
    try:
        frame = read_results_csv(io.BytesIO(whole))  # type: ignore[arg-type]
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"exists but cannot be read as an imurep batch table ({exc})", path) from exc
    kept = prune(frame, current)
    if len(whole) != len(raw) or len(kept) != len(frame) or first_line != header:
        _replace_atomically(path, lambda p: kept.to_csv(p, index=False, lineterminator="\n"))
    return kept


def _read_parquet(path: str) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a foreign file
        raise InputError(f"exists but cannot be read as an imurep batch table ({exc})", path) from exc


def _check_table(path: str, frame: pd.DataFrame) -> pd.DataFrame:
    _check_columns(path, list(frame.columns))
    return normalize(frame)


def _check_columns(path: str, columns: list[str]) -> None:
    missing = [c for c in ("row_type", "path", "size_bytes", "mtime_ns") if c not in columns]
    if missing:
        raise InputError(
            f"exists but is not an imurep batch table (no column {missing[0]!r}); "
            "refusing to overwrite it: choose another output",
            path,
        )


def _replace_atomically(path: str, write: Callable[[str], object]) -> None:
    """Write to a temporary file in the same folder, fsync it, then rename it over ``path``."""
    folder, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # os.open with 0o666 honours the umask (tempfile.mkstemp would leave the result 0600)
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        write(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
