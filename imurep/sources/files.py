"""Recorded samples from disk: our recording CSV (streamed) or any supported app export.

What can be given as a recording: our CSV (plain, gzip-compressed, or alone in a zip), an app
export (file, folder or zip), ``-`` or ``/dev/stdin`` for standard input, or a folder of several
recordings (:func:`recordings_in` lists them, so that each is analysed on its own).
"""

from __future__ import annotations

import gzip
import os
import stat
import sys
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from imurep.errors import InputError
from imurep.importers.compressed import Readable, Spool, is_gzip, spool_stream, unpack_gzip
from imurep.importers.imported import ImportOptions
from imurep.importers.stream_units import StreamUnits, si_metadata
from imurep.plural import count
from imurep.recording import iter_recording, read_header
from imurep.samples import SampleBlock
from imurep.sources.spec import SourceKind, SourceSpec, parse_path

__all__ = ["STDIN", "OpenedSamples", "local_bytes", "open_samples", "recordings_in"]

_SNIFF_BYTES = 4096
#: The path that means standard input.
STDIN = "-"
_STDIN_SHOWN = "<stdin>"
# Standard input (and named pipes) can be read once: spooled on first use, kept until exit.
_spooled: dict[str, Spool] = {}


@dataclass
class OpenedSamples:
    """Samples of one recording, ready to stream.

    Attributes
    ----------
    blocks
        Consecutive sample blocks (our CSV is streamed; imports arrive as one block).
    metadata
        ``# key: value`` metadata of the file (without the lines stating its units, which no longer
        describe the blocks) or what the importer found out.
    warnings
        Things the user should know (units inferred, gravity rebuilt, ...).
    """

    blocks: Iterator[SampleBlock]
    metadata: dict[str, str]
    warnings: list[str] = field(default_factory=list)


def _lazy_blocks(source: str, spool: Spool | None = None) -> Iterator[SampleBlock]:
    """Open the file only when the first block is asked for (and close it with the generator).

    With a ``spool``, errors name the input rather than the temporary file, and the generator
    keeps the spool alive until it is done.
    """
    try:
        yield from iter_recording(source)
    except InputError as exc:
        if spool is None:
            raise
        raise spool.rename_error(exc) from None


def _is_stdin(source: str) -> bool:
    return source == STDIN or source in ("/dev/stdin", "/proc/self/fd/0", "/dev/fd/0")


def _spool_pipe(source: str) -> Spool:
    """Standard input or a named pipe, read once into a spool (the same spool on later calls)."""
    key = STDIN if _is_stdin(source) else os.path.abspath(source)
    if key in _spooled:
        return _spooled[key]
    if key == STDIN:
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError(
                "standard input is a terminal: pipe a recording in (cat rec.csv | imurep analyze -)",
                _STDIN_SHOWN,
            )
        spool = spool_stream(sys.stdin.buffer, _STDIN_SHOWN, what="standard input")
    else:
        spool = _spool_fifo(source)
    _spooled[key] = spool
    return spool


def _spool_fifo(source: str) -> Spool:
    """A named pipe: read what its writer sends; refused at once when nothing writes to it."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", source) from None
    with os.fdopen(fd, "rb", buffering=0) as f:
        try:
            first = os.read(fd, 1 << 16)
        except BlockingIOError:
            first = None  # a writer is there, nothing sent yet: wait for it
        if first == b"":
            raise InputError(
                "is a named pipe with nothing written to it; start the writer first, or save the data "
                "as a file",
                source,
            )
        os.set_blocking(fd, True)

        return spool_stream(_Prefixed(first or b"", f), source, what="the pipe's content")


class _Prefixed:
    """A stream whose first bytes were already read."""

    def __init__(self, first: bytes, rest: Readable) -> None:
        self._first = first
        self._rest = rest

    def read(self, n: int, /) -> bytes:
        if self._first:
            out, self._first = self._first, b""
            return out
        return self._rest.read(n) or b""


def local_bytes(source: str) -> str:
    """A regular file or folder holding the input's bytes: ``source`` itself, or the spool of
    standard input or a named pipe (read once, the same spool on later calls).

    Raises
    ------
    InputError
        No such path, or one that is not a regular file, folder, pipe or standard input.
    """
    spool = _pipe_spool(source)
    return source if spool is None else spool.path


def _pipe_spool(source: str) -> Spool | None:
    if _is_stdin(source) and (source == STDIN or not os.path.isfile(source)):
        return _spool_pipe(source)
    if not os.path.exists(source):
        raise InputError("no such file or directory", source)
    if os.path.isdir(source) or os.path.isfile(source):
        return None
    if stat.S_ISFIFO(os.stat(source).st_mode):
        return _spool_pipe(source)
    raise InputError("is not a regular file (a device?): expected a recording file, folder or zip", source)


def _local(source: str) -> tuple[str, Spool | None]:
    """A regular file holding the input's bytes: the file itself, or a spool of a pipe or gzip."""
    spool = _pipe_spool(source)
    if spool is not None and is_gzip(spool.path):
        return _local_gzip(spool.path, spool.shown)
    if spool is None and os.path.isfile(source) and is_gzip(source):
        return _local_gzip(source, source)
    local = source if spool is None else spool.path
    if os.path.isfile(local) and zipfile.is_zipfile(local):
        from imurep.importers.registry import unpack_zipped_recording

        try:
            member = unpack_zipped_recording(local)
        except InputError as exc:
            raise exc if spool is None else spool.rename_error(exc) from None
        if member is not None:  # our recording in a zip: streamed from its spool
            if spool is not None:
                member.shown = member.shown.replace(spool.path, spool.shown)
            return member.path, member
    return local, spool


def _local_gzip(path: str, shown: str) -> tuple[str, Spool]:
    spool = unpack_gzip(path, shown)
    return spool.path, spool


def open_samples(
    source: SourceSpec | str | os.PathLike[str], options: ImportOptions | None = None
) -> OpenedSamples:
    """Open a recording CSV (plain, ``.gz``, or alone in a zip), an export file, folder or zip of
    a supported app, or standard input (``-``): a path, or a ``FILE`` or ``EXPORT``
    :class:`~imurep.sources.spec.SourceSpec` (:func:`~imurep.sources.spec.parse_path`).

    The blocks come in s, m/s² and rad/s whatever the file holds (units stated in ``options``, the
    spec or the file, else decided from the data and said in ``warnings``; see
    :mod:`imurep.importers.stream_units`), without physically impossible samples.

    Raises
    ------
    InputError
        Missing, unreadable or malformed input (naming the file, line and rule); a folder of
        several recordings (see :func:`recordings_in`).
    """
    spec = source if isinstance(source, SourceSpec) else parse_path(source, options)
    if spec.path is None or spec.kind not in (SourceKind.FILE, SourceKind.EXPORT):
        raise InputError(f"{spec.text!r} is a {spec.kind.value} source, not a recording to read")
    source = spec.path
    options = options or spec.units
    local, spool = _local(source)
    shown = source if spool is None else spool.shown
    try:
        if os.path.isdir(local):
            inside = recordings_in(local)
            if inside != [local]:
                raise InputError(
                    f"is a folder of {count(len(inside), 'recording')}, expected one: give its files one "
                    f"by one, or analyse them all with: imurep batch {source}",
                    source,
                )
        if spec.kind is SourceKind.FILE and os.path.isfile(local):
            header = read_header(local)
            units = StreamUnits(shown, dict(header.metadata), options, header.data_start_line)
            blocks = units.apply(_lazy_blocks(local, spool))
            return OpenedSamples(blocks, si_metadata(header.metadata), units.warnings)
        from imurep.importers import load_any

        imported = load_any(local, options=options)
    except InputError as exc:
        raise exc if spool is None else spool.rename_error(exc) from None
    warnings = [w if spool is None else w.replace(spool.path, spool.shown) for w in imported.warnings]
    units = StreamUnits(shown, dict(imported.metadata), options, raw=False, warnings=warnings)
    return OpenedSamples(units.apply([imported.block]), dict(imported.metadata), units.warnings)


def recordings_in(path: str) -> list[str]:
    """The recordings ``path`` stands for, each to be analysed on its own.

    A folder is either one app export (``[path]``) or several recordings: our CSVs (plain or
    ``.gz``) and zips, plus at most one other file that is an export by itself, and any other ``*.csv``
    (whose analysis then says what is wrong with it). A file is ``[path]``.

    Raises
    ------
    InputError
        A folder that mixes our recordings with an app export spread over several files (which
        to read is the user's choice).
    """
    if not os.path.isdir(path):
        return [path]
    from imurep.importers import FORMATS
    from imurep.importers.container import MAX_MEMBERS, ExportContainer, open_container

    names = open_container(path).names
    if len(names) >= MAX_MEMBERS:
        raise InputError(
            f"holds {MAX_MEMBERS} files or more, more than a folder given to analyze or compare may; "
            f"analyse them with: imurep batch {path}",
            path,
        )
    # Our recordings, and zips (each one recording or one export) are each a recording of their own.
    own = [n for n in names if n.lower().endswith(".zip") or _own_file(os.path.join(path, *n.split("/")))]
    if not own:
        return [path]  # one app export (or nothing: the importers name what they looked for)
    exports: list[str] = []
    for n in names:
        if n not in own:
            single = ExportContainer(os.path.join(path, *n.split("/")), "file", [n.rsplit("/", 1)[-1]])
            if any(spec.detect(single) for spec in FORMATS.values()):
                exports.append(n)
    if len(exports) > 1:
        raise InputError(
            f"holds {count(len(own), 'recording')} ({_listed(own)}) and {len(exports)} export "
            f"files ({_listed(exports)}): a folder is read as one app export or as several recordings; "
            "give the recordings one by one, or move the export into a folder of its own",
            path,
        )
    listed = set(own + exports)
    unknown = [n for n in names if n not in listed and n.lower().endswith((".csv", ".csv.gz"))]
    return [os.path.join(path, *n.split("/")) for n in sorted(own + exports + unknown)]


def _listed(names: Sequence[str]) -> str:
    return ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")


def _own_file(full: str) -> bool:
    """Whether the file is a recording of ours, plain or gzip-compressed (judged by its start)."""
    from imurep.importers import is_own_head

    try:
        opener = gzip.open if is_gzip(full) else open
        with opener(full, "rb") as f:
            head = f.read(_SNIFF_BYTES)
    except (OSError, EOFError, zlib.error):
        return False
    return is_own_head(head)
