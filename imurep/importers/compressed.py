"""Inputs that are not a plain file on disk: gzip files, zip members, pipes, unpacked to a spool.

A spool is a temporary plain file holding the bytes as they arrive, read in chunks and refused
past a size cap, so memory stays small however large (or endless) the input is. The readers
then treat the spool like any recording on disk; the spool is removed when nothing refers to
it any more (or at exit).
"""

from __future__ import annotations

import gzip
import os
import tempfile
import weakref
import zipfile
import zlib
from typing import Protocol

from imurep.errors import InputError

__all__ = [
    "GZIP_MAGIC",
    "MAX_SPOOL_BYTES",
    "ZIP_MAGIC",
    "Readable",
    "Spool",
    "check_declared_size",
    "is_gzip",
    "spool_stream",
    "unpack_gzip",
]

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
# The most bytes unpacked or taken from a pipe: about 10 h of our 6-axis CSV at 200 Hz. A plain
# recording CSV on disk has no such limit (it is streamed).
MAX_SPOOL_BYTES = 512 << 20
_CHUNK_BYTES = 1 << 20


class Readable(Protocol):
    """Anything with a binary ``read(n)`` (a file, a zip member, a gzip stream, a pipe)."""

    def read(self, n: int, /) -> bytes: ...


class Spool:
    """A temporary file holding an input's bytes; removed when garbage-collected or at exit.

    Attributes
    ----------
    path
        The temporary file.
    shown
        How messages name the input (``rec.csv.gz``, ``export.zip:rec.csv``, ``<stdin>``).
    """

    def __init__(self, path: str, shown: str) -> None:
        self.path = path
        self.shown = shown
        self._finalizer = weakref.finalize(self, _remove, path)

    def remove(self) -> None:
        self._finalizer()

    def rename_error(self, exc: InputError) -> InputError:
        """``exc`` naming :attr:`shown` instead of the temporary file."""
        if exc.source == self.path:
            exc.source = self.shown
            exc.args = (str(exc),)
        elif self.path in exc.message:
            exc.message = exc.message.replace(self.path, self.shown)
            exc.args = (str(exc),)
        return exc


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def check_declared_size(size_bytes: int, shown: str, what: str = "uncompressed content") -> None:
    """Refuse at once what an archive says is larger than :data:`MAX_SPOOL_BYTES`.

    Raises
    ------
    InputError
        ``size_bytes`` is over the cap.
    """
    if size_bytes > MAX_SPOOL_BYTES:
        raise InputError(_too_large(what), shown)


def _too_large(what: str, limit_bytes: int = MAX_SPOOL_BYTES) -> str:
    return (
        f"{what} is larger than {limit_bytes >> 20} MiB, the most imurep unpacks or takes from a "
        "pipe; unpack or save it as a plain .csv file first (a recording CSV on disk is streamed "
        "without a size limit)"
    )


def is_gzip(path: str) -> bool:
    """Whether the regular file ``path`` starts with the gzip magic bytes."""
    try:
        with open(path, "rb") as f:
            return f.read(2) == GZIP_MAGIC
    except OSError:
        return False


def spool_stream(
    stream: Readable,
    shown: str,
    suffix: str = ".csv",
    limit_bytes: int = MAX_SPOOL_BYTES,
    what: str = "input",
) -> Spool:
    """Copy ``stream`` into a new :class:`Spool`, refusing more than ``limit_bytes``.

    Text that starts with NUL bytes is refused at once (binary, or ``/dev/zero``), unless it is
    a gzip or zip archive.

    Raises
    ------
    InputError
        More than ``limit_bytes`` (naming the cap), binary content, or a read error.
    """
    fd, path = tempfile.mkstemp(prefix="imurep-", suffix=suffix)
    spool = Spool(path, shown)
    total = 0
    try:
        with os.fdopen(fd, "wb") as out:
            first = True
            while True:
                chunk = stream.read(_CHUNK_BYTES)
                if not chunk:
                    break
                if first and b"\x00" in chunk[:4096] and not chunk.startswith((GZIP_MAGIC, ZIP_MAGIC)):
                    raise InputError("is not a text file (binary content: NUL bytes)", shown)
                first = False
                total += len(chunk)
                if total > limit_bytes:
                    raise InputError(_too_large(what, limit_bytes), shown)
                out.write(chunk)
    except InputError:
        spool.remove()
        raise
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile, RuntimeError, NotImplementedError) as exc:
        spool.remove()
        raise InputError(f"cannot read {what}: {exc}", shown) from None
    except BaseException:
        spool.remove()
        raise
    return spool


def unpack_gzip(path: str, shown: str | None = None) -> Spool:
    """The uncompressed content of the gzip file ``path`` in a :class:`Spool`.

    Raises
    ------
    InputError
        Damaged gzip data, or more than :data:`MAX_SPOOL_BYTES` uncompressed.
    """
    name = shown or path
    base = os.path.basename(path)
    suffix = os.path.splitext(base[:-3])[1] if base.lower().endswith(".gz") else ".csv"
    try:
        with gzip.open(path, "rb") as f:
            return spool_stream(f, name, suffix or ".csv", what="uncompressed content")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", name) from None
