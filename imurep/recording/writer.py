"""Writing recording CSVs (``FORMAT.md`` §1) crash-safely while samples arrive.

Appended samples are formatted at once (vectorised) and kept in memory; a background thread
writes them to the file and ``fsync``s it every ``flush_interval_s / 2`` seconds, so a Ctrl-C,
SIGTERM, SIGKILL or power cut loses at most about the last ``flush_interval_s``. Only whole lines
are written, so at any moment the file is a valid recording (a line torn by a failing disk is
tolerated by the reader). ``append`` never waits for the disk.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import threading
from collections.abc import Mapping, Sequence
from types import TracebackType

import numpy as np

from imurep.errors import InputError
from imurep.recording.errors import RecordingWriteError
from imurep.recording.schema import (
    ACC_DECIMALS,
    FORMAT_KEY,
    FORMAT_VERSION,
    GYR_DECIMALS,
    TIME_DECIMALS,
    columns_for,
)
from imurep.samples import FloatArray, SampleBlock

__all__ = ["RecordingWriter", "write_recording"]

_KEY_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")
# A final_metadata value: reserved at this width (ASCII), overwritten in place at close.
_FINAL_VALUE_WIDTH = 160
_FINAL_UNKNOWN = "unknown (the recording did not end normally)"
# Rows formatted per ``%`` operation: bounds the temporary tuple of Python floats.
_FORMAT_ROWS = 20_000
# Pending text above this is written at once by ``append`` (bounds memory for big appends).
_MAX_PENDING_BYTES = 8 << 20


class RecordingWriter:
    """Write a recording CSV sample block by sample block.

    Parameters
    ----------
    path
        File to create.
    metadata
        ``# key: value`` lines written after ``# imurep-recording: 1``, in order. Keys are letters,
        digits, ``_ . -``; values are one line of text.
    has_gyr
        Whether the ``gyr_*`` columns are written; every appended block must agree.
    flush_interval_s
        Longest time appended samples stay in memory only, s (> 0).
    overwrite
        Replace an existing file instead of refusing to.
    remove_if_empty
        On closing, remove the file if no sample reached it (it would hold only the header, which
        is not a recording); :attr:`removed` then says so. A file whose header could not even be
        written is always removed.
    final_metadata
        Keys whose values are only known at the end (set with :meth:`set_final_metadata`): each
        gets a header line of fixed width now, reading "unknown (the recording did not end
        normally)", overwritten in place when the writer closes.

    Raises
    ------
    RecordingWriteError
        The file exists (and ``overwrite`` is false) or cannot be created or written.
    InputError
        A metadata key or value that the format cannot hold.

    Examples
    --------
    >>> with RecordingWriter(path, {"device": "imurep-band"}, has_gyr=True) as writer:
    ...     for block in blocks:
    ...         writer.append(block)
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        metadata: Mapping[str, str] | None = None,
        has_gyr: bool = True,
        *,
        flush_interval_s: float = 1.0,
        overwrite: bool = False,
        remove_if_empty: bool = False,
        final_metadata: Sequence[str] = (),
    ) -> None:
        if not flush_interval_s > 0:
            raise ValueError(f"flush_interval_s must be > 0, got {flush_interval_s}")
        self.path = os.fspath(path)
        self.has_gyr = has_gyr
        self.flush_interval_s = flush_interval_s
        reserved = {key: _FINAL_UNKNOWN.ljust(_FINAL_VALUE_WIDTH) for key in final_metadata}
        self._header = _header_text({**(metadata or {}), **reserved}, has_gyr).encode("utf-8")
        self._final_offsets = {
            key: self._header.index(f"\n# {key}: ".encode()) + len(key) + 5 for key in reserved
        }
        self._final_values: dict[str, bytes] = {}
        self._row_format = _row_format(has_gyr)
        self._pending: list[bytes] = []
        self._pending_last_s: float | None = None  # time of the last pending sample
        self._pending_bytes = 0
        self._pending_lock = threading.Lock()  # guards _pending, _pending_bytes
        self._write_lock = threading.Lock()  # keeps writes in append order
        self._last_time_us: float | None = None
        self._samples_written = 0
        self._first_s: float | None = None  # time of the first sample appended
        self._written_last_s: float | None = None  # time of the last sample written and fsync'ed
        self._error: RecordingWriteError | None = None
        self._error_reported = False
        self._closed = False
        self._remove_if_empty = remove_if_empty
        self.removed = False
        self._identity: tuple[int, int] | None = None  # (device, inode) of the regular file created
        self._fd = self._create(overwrite)
        self._stop = threading.Event()
        self._flusher = threading.Thread(
            target=self._flush_periodically, name=f"RecordingWriter({self.path})", daemon=True
        )
        self._flusher.start()

    @property
    def samples_written(self) -> int:
        """Samples handed to the OS and fsync'ed so far."""
        return self._samples_written

    @property
    def written_s(self) -> float:
        """Time span of the samples written and fsync'ed so far (last minus first time), s."""
        if self._first_s is None or self._written_last_s is None:
            return 0.0
        return self._written_last_s - self._first_s

    def append(self, block: SampleBlock) -> None:
        """Queue ``block``'s samples for writing; they reach the disk within ``flush_interval_s``.

        Raises
        ------
        InputError
            Gyroscope presence differs from ``has_gyr``; a non-finite value; times not strictly
            increasing (after rounding to 1 µs), also with respect to earlier blocks.
        RecordingWriteError
            An earlier background write failed (disk full, ...), or the writer is closed.
        """
        self._raise_if_unusable()
        if len(block) == 0:
            return
        columns = self._check_block(block)
        for start in range(0, columns.shape[0], _FORMAT_ROWS):
            rows = columns[start : start + _FORMAT_ROWS]
            text = (self._row_format * rows.shape[0]) % tuple(rows.ravel().tolist())
            with self._pending_lock:
                self._pending.append(text.encode("ascii"))
                self._pending_bytes += len(self._pending[-1])
                self._pending_last_s = float(rows[-1, 0])
                full = self._pending_bytes > _MAX_PENDING_BYTES
            if full:
                self.flush()

    def flush(self) -> None:
        """Write everything appended so far to the file and ``fsync`` it.

        Raises
        ------
        RecordingWriteError
            The write failed (disk full, ...); what was written before stays readable.
        """
        self._raise_if_unusable()
        self._flush()
        self._raise_if_unusable()

    def set_final_metadata(self, key: str, value: str) -> None:
        """The value of a ``final_metadata`` key, written at :meth:`close` (cut to 160 characters)."""
        if key not in self._final_offsets:
            raise KeyError(f"{key!r} was not reserved (final_metadata)")
        text = " ".join(value.split()).encode("ascii", "replace")[:_FINAL_VALUE_WIDTH]
        self._final_values[key] = text.ljust(_FINAL_VALUE_WIDTH)

    def close(self) -> None:
        """Flush, stop the background thread and close the file. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        self._flusher.join()
        try:
            if self._error is None:
                self._flush()
            if self._error is None and self._final_values:
                self._write_final_metadata()
        finally:
            os.close(self._fd)
            if self._remove_if_empty and self._samples_written == 0:
                self._remove()
        if self._error is not None and not self._error_reported:
            self._error_reported = True
            raise self._error

    def __enter__(self) -> RecordingWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _write_final_metadata(self) -> None:
        try:
            for key, value in self._final_values.items():
                os.pwrite(self._fd, value, self._final_offsets[key])
            os.fsync(self._fd)
        except OSError as e:
            self._error = self._write_error(e)

    def _create(self, overwrite: bool) -> int:
        flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
        try:
            fd = os.open(self.path, flags, 0o644)
        except FileExistsError:
            raise RecordingWriteError(
                f"{self.path}: file exists; choose another name, or replace it with --overwrite "
                "(overwrite=True in Python)"
            ) from None
        except OSError as e:
            raise RecordingWriteError(f"{self.path}: cannot create: {e.strerror or e}") from None
        st = os.fstat(fd)
        self._identity = (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None
        try:
            _write_all(fd, self._header)
            os.fsync(fd)
        except OSError as e:
            os.close(fd)
            self._remove()  # a torn header is not a recording (and nothing else was in it)
            raise self._write_error(e) from None
        _fsync_directory(self.path)
        return fd

    def _remove(self) -> None:
        """Delete the file this writer created, if it is still that regular file (never a device
        such as ``/dev/full``, nor a file put in its place since)."""
        if self._identity is None:
            return
        with contextlib.suppress(OSError):
            st = os.lstat(self.path)
            if stat.S_ISREG(st.st_mode) and (st.st_dev, st.st_ino) == self._identity:
                os.unlink(self.path)
                self.removed = True

    def _check_block(self, block: SampleBlock) -> FloatArray:
        if block.has_gyr != self.has_gyr:
            raise InputError(
                f"block {'has' if block.has_gyr else 'lacks'} a gyroscope but the recording was "
                f"opened with has_gyr={self.has_gyr}",
                self.path,
            )
        parts = [block.time_s[:, None], block.acc_m_s2]
        if block.gyr_rad_s is not None:
            parts.append(block.gyr_rad_s)
        columns = np.concatenate(parts, axis=1, dtype=np.float64)
        if not np.isfinite(columns).all():
            raise InputError("block holds NaN or infinite values; cannot write them", self.path)
        # What the file will hold: times rounded to TIME_DECIMALS must still strictly increase.
        time_us = np.round(block.time_s * 10.0**TIME_DECIMALS)
        previous = self._last_time_us
        if (previous is not None and not time_us[0] > previous) or not (np.diff(time_us) > 0).all():
            raise InputError(
                "block times are not strictly increasing at 1 µs resolution (after earlier "
                "blocks too); the file would be unreadable",
                self.path,
            )
        self._last_time_us = float(time_us[-1])
        if self._first_s is None:
            self._first_s = float(block.time_s[0])
        return columns

    def _flush(self) -> None:
        with self._write_lock:
            if self._error is not None:
                return
            with self._pending_lock:
                data = b"".join(self._pending)
                self._pending.clear()
                self._pending_bytes = 0
                last_s = self._pending_last_s
                rows = self._samples_written + data.count(b"\n")
            if not data:
                return
            done = 0
            try:
                while done < len(data):
                    done += os.write(self._fd, data[done:])
                os.fsync(self._fd)
            except OSError as e:
                # A full disk takes part of the data: the whole rows in that part are kept too.
                self._count_written_rows(data[:done])
                with contextlib.suppress(OSError):
                    os.fsync(self._fd)
                self._error = self._write_error(e)
                return
            self._samples_written = rows
            self._written_last_s = last_s

    def _count_written_rows(self, part: bytes) -> None:
        end = part.rfind(b"\n")
        if end < 0:
            return
        self._samples_written += part.count(b"\n", 0, end + 1)
        last_row = part[part.rfind(b"\n", 0, end) + 1 : end]
        self._written_last_s = float(last_row.split(b",", 1)[0])

    def _flush_periodically(self) -> None:
        while not self._stop.wait(self.flush_interval_s / 2):
            self._flush()
            if self._error is not None:
                return

    def _raise_if_unusable(self) -> None:
        if self._error is not None:
            self._error_reported = True
            raise self._error
        if self._closed:
            raise RecordingWriteError(f"{self.path}: writer is closed")

    def _write_error(self, e: OSError) -> RecordingWriteError:
        kept = f"the {self._samples_written} samples written before are kept and readable"
        full = e.errno == errno.ENOSPC
        if full:
            message = f"{self.path}: disk full (ENOSPC); {kept}; free some space and record again"
        else:
            message = f"{self.path}: write failed: {e.strerror or e}; {kept}"
        kept_s = None if self._samples_written == 0 else self.written_s
        if self._samples_written == 0:
            nothing = "nothing was recorded"
            message = message.replace(kept, nothing).replace("record again", "try again")
        return RecordingWriteError(
            message, self.path, disk_full=full, samples_kept=self._samples_written, kept_s=kept_s
        )


def write_recording(
    path: str | os.PathLike[str],
    block: SampleBlock,
    metadata: Mapping[str, str] | None = None,
    *,
    overwrite: bool = False,
) -> None:
    """Write ``block`` as a complete recording CSV in one go.

    Raises
    ------
    RecordingWriteError, InputError
        As :class:`RecordingWriter`.
    """
    with RecordingWriter(
        path, metadata, block.has_gyr, flush_interval_s=3600.0, overwrite=overwrite
    ) as writer:
        writer.append(block)


def _header_text(metadata: Mapping[str, str], has_gyr: bool) -> str:
    lines = [f"# {FORMAT_KEY}: {FORMAT_VERSION}"]
    for key, value in metadata.items():
        if key == FORMAT_KEY:
            continue
        if not _KEY_RE.match(key):
            raise InputError(f"metadata key {key!r} must be letters, digits, '_', '.' or '-' only")
        if "\n" in value or "\r" in value:
            raise InputError(f"metadata value of {key!r} must be a single line")
        lines.append(f"# {key}: {value}")
    lines.append(",".join(columns_for(has_gyr)))
    return "\n".join(lines) + "\n"


def _row_format(has_gyr: bool) -> str:
    fields = [f"%.{TIME_DECIMALS}f"] + [f"%.{ACC_DECIMALS}f"] * 3
    if has_gyr:
        fields += [f"%.{GYR_DECIMALS}f"] * 3
    return ",".join(fields) + "\n"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_directory(path: str) -> None:
    # Makes the new file's directory entry durable; not every platform / filesystem allows it.
    try:
        fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
