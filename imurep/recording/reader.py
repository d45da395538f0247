"""Reading recording CSVs (``FORMAT.md`` §1): streamed in blocks, validated as they go.

Speed comes from pandas' C parser run on byte chunks of whole lines and vectorised checks; only a
chunk that fails them is parsed again line by line, to name the exact line and rule.

Tolerated, with a :class:`RecordingWarning`: a last line without its newline (what a writer that
was killed mid-line leaves) is dropped, even when it looks complete, because a cut number cannot
be told from a whole one. Everything else that breaks the format is refused with an
:class:`~imurep.errors.InputError` naming the file, the line and the rule.
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

from imurep.errors import InputError
from imurep.recording._rows import (
    RowLayout,
    TimeCursor,
    check_times,
    parse_rows_fast,
    parse_rows_slow,
)
from imurep.recording.errors import RecordingWarning
from imurep.recording.header import RecordingHeader, open_recording_file, parse_header
from imurep.samples import SampleBlock

__all__ = ["Recording", "iter_recording", "read_recording"]

# Bytes handed to the parser at a time (~60k rows of a 7-column file): large enough that per-call
# overhead vanishes, small enough that an 8-hour file streams in bounded memory.
_CHUNK_BYTES = 1 << 22
_MAX_LINE_BYTES = 1 << 20
# Parser threads; like pandas.read_csv on a large file, use the cores the process may use.
_MAX_WORKERS = 4


@dataclass(frozen=True)
class Recording:
    """A whole recording in memory.

    Attributes
    ----------
    header
        Metadata and columns of the file.
    samples
        All samples, in file order.
    """

    header: RecordingHeader
    samples: SampleBlock


def read_recording(path: str | os.PathLike[str]) -> Recording:
    """Read and validate a whole recording CSV.

    For long files prefer :func:`iter_recording`, which holds only one block at a time.

    Raises
    ------
    InputError
        The file breaks a rule of ``FORMAT.md`` §1 (message names the line and the rule).
    """
    source = os.fspath(path)
    f = open_recording_file(source)
    with f:
        header = parse_header(f, source)
        _check_has_data(f, header)
        blocks = list(_iter_blocks(f, header, block_rows=None))
    return Recording(header, SampleBlock.concat(blocks))


def iter_recording(path: str | os.PathLike[str], block_rows: int = 200_000) -> Iterator[SampleBlock]:
    """Stream a recording CSV as blocks of ``block_rows`` samples (the last may be shorter).

    The header is read and checked before this returns; data rows are checked as they are read,
    so an error may surface after some blocks were yielded. Memory stays bounded by about
    ``block_rows`` samples plus a few MB, whatever the file's length.

    Parameters
    ----------
    path
        Recording CSV file.
    block_rows
        Samples per yielded block, ≥ 1.

    Yields
    ------
    SampleBlock
        Consecutive blocks; concatenated, they equal :func:`read_recording`'s samples.

    Raises
    ------
    InputError
        The file breaks a rule of ``FORMAT.md`` §1 (message names the line and the rule).
    ValueError
        ``block_rows`` < 1.
    """
    if block_rows < 1:
        raise ValueError(f"block_rows must be >= 1, got {block_rows}")
    source = os.fspath(path)
    f = open_recording_file(source)
    try:
        header = parse_header(f, source)
        _check_has_data(f, header)
    except BaseException:
        f.close()
        raise
    return _closing_blocks(f, header, block_rows)


def _closing_blocks(f: BinaryIO, header: RecordingHeader, block_rows: int) -> Iterator[SampleBlock]:
    with f:
        yield from _iter_blocks(f, header, block_rows)


def _check_has_data(f: BinaryIO, header: RecordingHeader) -> None:
    size = f.seek(0, os.SEEK_END)
    f.seek(header.data_start_byte)
    if size <= header.data_start_byte:
        raise InputError(
            "no data rows: the file ends after the header line", header.source, header.header_line
        )


def _iter_blocks(f: BinaryIO, header: RecordingHeader, block_rows: int | None) -> Iterator[SampleBlock]:
    """Blocks of ``block_rows`` samples (``None``: one block per parsed chunk)."""
    layout = RowLayout.from_header(header)
    cursor: TimeCursor | None = None
    pending: deque[SampleBlock] = deque()
    pending_rows = 0
    line = header.data_start_line
    source = _ChunkSource(f, header)
    for chunk, fast_block in _parse_ahead(iter(source), layout):
        if fast_block is None:
            block = parse_rows_slow(chunk, line, layout, header.source, cursor)
        else:
            block = fast_block
        cursor = check_times(block.time_s, line, header.source, cursor)
        line += len(block)
        if block_rows is None:
            yield block
            continue
        pending.append(block)
        pending_rows += len(block)
        while pending_rows >= block_rows:
            yield _take(pending, block_rows)
            pending_rows -= block_rows
    if source.torn_tail:
        warnings.warn(
            f"{header.source}:{line}: last line has no newline at the end (a writer stopped "
            "mid-line?); dropped it",
            RecordingWarning,
            stacklevel=3,
        )
    if cursor is None:
        raise InputError(
            "no data rows: the only line after the header is incomplete",
            header.source,
            header.header_line,
        )
    if pending_rows:
        yield _take(pending, pending_rows)


def _take(pending: deque[SampleBlock], n: int) -> SampleBlock:
    """Remove the first ``n`` samples from ``pending`` (views when they lie in one piece)."""
    pieces: list[SampleBlock] = []
    needed = n
    while needed:
        piece = pending.popleft()
        if len(piece) > needed:
            pending.appendleft(piece.slice(needed, len(piece)))
            piece = piece.slice(0, needed)
        pieces.append(piece)
        needed -= len(piece)
    return pieces[0] if len(pieces) == 1 else SampleBlock.concat(pieces)


def _parse_ahead(chunks: Iterator[bytes], layout: RowLayout) -> Iterator[tuple[bytes, SampleBlock | None]]:
    """``(chunk, parse_rows_fast(chunk))`` in order, parsing a few chunks ahead in threads.

    pandas parses without holding the GIL, so this uses the cores ``pandas.read_csv`` itself
    uses on a large file; at most ``2 * workers`` chunks are in flight (bounded memory).
    """
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    workers = _worker_count()
    if second is None or workers == 1:
        yield first, parse_rows_fast(first, layout)
        for chunk in () if second is None else itertools.chain((second,), chunks):
            yield chunk, parse_rows_fast(chunk, layout)
        return
    in_flight: deque[tuple[bytes, Future[SampleBlock | None]]] = deque()
    with ThreadPoolExecutor(workers, thread_name_prefix="imurep-read") as pool:
        try:
            for chunk in itertools.chain((first, second), chunks):
                in_flight.append((chunk, pool.submit(parse_rows_fast, chunk, layout)))
                if len(in_flight) >= 2 * workers:
                    done, future = in_flight.popleft()
                    yield done, future.result()
            while in_flight:
                done, future = in_flight.popleft()
                yield done, future.result()
        finally:
            for _, future in in_flight:
                future.cancel()


def _worker_count() -> int:
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(available, _MAX_WORKERS))


class _ChunkSource:
    """Runs of whole lines (each ending in a newline) of the data section, in file order.

    After iteration, ``torn_tail`` holds the bytes of a last line without a newline (or ``b""``).
    """

    def __init__(self, f: BinaryIO, header: RecordingHeader) -> None:
        self._f = f
        self._header = header
        self.torn_tail = b""

    def __iter__(self) -> Iterator[bytes]:
        carry = b""
        offset = self._header.data_start_byte  # file offset of the first byte of ``carry``
        while True:
            data = self._f.read(_CHUNK_BYTES)
            if not data:
                break
            buffer = carry + data if carry else data
            cut = buffer.rfind(b"\n") + 1
            carry = buffer[cut:]
            if len(carry) > _MAX_LINE_BYTES:
                raise InputError(
                    f"binary file: line longer than {_MAX_LINE_BYTES} bytes; expected a text recording CSV",
                    self._header.source,
                    self._line_at(offset + cut),
                )
            offset += cut
            if cut:
                yield buffer[:cut]
        self.torn_tail = carry

    def _line_at(self, byte_offset: int) -> int:
        # Error path only: count the lines before ``byte_offset`` by reading the data again.
        self._f.seek(self._header.data_start_byte)
        remaining = byte_offset - self._header.data_start_byte
        lines = 0
        while remaining > 0:
            data = self._f.read(min(remaining, _CHUNK_BYTES))
            if not data:
                break
            lines += data.count(b"\n")
            remaining -= len(data)
        return self._header.data_start_line + lines
