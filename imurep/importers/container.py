"""An export as the app wrote it: one file, a folder of files, or a zip of them.

Importers see every export the same way: a list of member names (``/``-separated, relative to
the folder or zip) that they can peek into or read whole. Messages name a member as
``export.zip:Accelerometer.csv`` so the user finds the file.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from typing import IO

from imurep.errors import InputError

__all__ = ["MAX_MEMBERS", "MAX_MEMBER_BYTES", "ExportContainer", "open_container"]

# Folders deeper than this below the given one are not searched (an export is flat or one level).
_MAX_DEPTH = 3
# Files larger than this are refused rather than read into memory: an import holds about 6 times a
# file's size while parsing it, so this keeps a process under 1 GB (about 4 h of a 100 Hz
# Sensor Logger stream, 2.5 h of 6-axis text at 200 Hz).
MAX_MEMBER_BYTES = 128 << 20
MAX_MEMBERS = 2000


@dataclass
class ExportContainer:
    """The files of one export.

    Attributes
    ----------
    path
        The file, folder or zip as given.
    kind
        ``"file"``, ``"folder"`` or ``"zip"``.
    names
        Member names, sorted, ``/``-separated; for a single file, its base name.
    """

    path: str
    kind: str
    names: list[str]
    _zip: zipfile.ZipFile | None = field(default=None, repr=False)

    def display(self, name: str) -> str:
        """How messages name member ``name``."""
        if self.kind == "file":
            return self.path
        sep = ":" if self.kind == "zip" else os.sep
        return f"{self.path.rstrip(os.sep)}{sep}{name}"

    def read(self, name: str) -> bytes:
        """Whole content of member ``name``, at most :data:`MAX_MEMBER_BYTES`.

        Raises
        ------
        InputError
            The member is larger (naming the cap), or cannot be read.
        """
        try:
            # What the zip or the file system says first (a refusal before reading anything), then
            # a bounded read (a zip's sizes can lie).
            if self.size(name) > MAX_MEMBER_BYTES:
                raise InputError(self._too_large(), self.display(name))
            with self.open_member(name) as f:
                data = f.read(MAX_MEMBER_BYTES + 1)
        except InputError:
            raise
        except (OSError, zipfile.BadZipFile, KeyError, RuntimeError, EOFError) as exc:
            raise InputError(f"cannot read: {exc}", self.display(name)) from None
        except Exception as exc:  # zlib.error and friends from a damaged zip member
            raise InputError(f"cannot read (damaged archive?): {exc}", self.display(name)) from None
        if len(data) > MAX_MEMBER_BYTES:
            raise InputError(self._too_large(), self.display(name))
        return data

    @staticmethod
    def _too_large() -> str:
        return (
            f"is larger than {MAX_MEMBER_BYTES >> 20} MiB uncompressed, the most an import holds in "
            "memory; split it into shorter recordings (each part keeping the header line)"
        )

    def size(self, name: str) -> int:
        """Size of member ``name`` as the zip or the file system gives it, bytes."""
        if self._zip is not None:
            return int(self._zip.getinfo(name).file_size)
        return os.path.getsize(self._full_path(name))

    def open_member(self, name: str) -> IO[bytes]:
        """Member ``name`` open for binary reading (a regular file, or a zip member).

        Raises
        ------
        InputError
            Not a regular file (a pipe or device has no end to wait for), or cannot be opened.
        """
        try:
            if self._zip is not None:
                return self._zip.open(name)
            full = self._full_path(name)
            if not os.path.isfile(full):
                raise InputError("is not a regular file (a pipe or a device); save it as a file first", full)
            return open(full, "rb")
        except InputError:
            raise
        except (OSError, zipfile.BadZipFile, KeyError, RuntimeError, EOFError, NotImplementedError) as exc:
            raise InputError(f"cannot read: {exc}", self.display(name)) from None
        except Exception as exc:
            raise InputError(f"cannot read (damaged archive?): {exc}", self.display(name)) from None

    def head(self, name: str, n_bytes: int = 4096) -> bytes:
        """The first ``n_bytes`` of member ``name`` (to recognise it by its header)."""
        try:
            with self.open_member(name) as f:
                return f.read(n_bytes)
        except InputError:
            raise
        except (OSError, zipfile.BadZipFile, KeyError, RuntimeError, EOFError) as exc:
            raise InputError(f"cannot read: {exc}", self.display(name)) from None
        except Exception as exc:
            raise InputError(f"cannot read (damaged archive?): {exc}", self.display(name)) from None

    def header(self, name: str) -> str:
        """First non-blank line of member ``name``, decoded leniently ("" when unreadable)."""
        try:
            head = self.head(name)
        except InputError:
            return ""
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError:
            text = head.decode("gb18030", errors="replace")
        for line in text.splitlines():
            if line.strip():
                return line
        return ""

    def basename(self, name: str) -> str:
        return name.rsplit("/", 1)[-1]

    def find(self, basename: str) -> str | None:
        """The shallowest member whose base name is ``basename`` (case-insensitive)."""
        hits = [n for n in self.names if self.basename(n).lower() == basename.lower()]
        return min(hits, key=lambda n: (n.count("/"), n)) if hits else None

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def _full_path(self, name: str) -> str:
        if self.kind == "file":
            return self.path
        return os.path.join(self.path, *name.split("/"))


def open_container(path: str) -> ExportContainer:
    """Open ``path`` (a file, a folder or a zip) as an export.

    Raises
    ------
    InputError
        The path does not exist, cannot be read, or is a damaged zip.
    """
    if not os.path.exists(path):
        raise InputError("no such file or directory", path)
    if os.path.isdir(path):
        return ExportContainer(path, "folder", _walk(path))
    if not os.path.isfile(path):
        raise InputError("is not a regular file (a pipe or a device); save it as a file first", path)
    if zipfile.is_zipfile(path):
        try:
            zf = zipfile.ZipFile(path)
            names = sorted(
                i.filename
                for i in zf.infolist()
                # An entry without a name (damaged or crafted archive, found by fuzzing) is skipped:
                # ZipInfo.is_dir() would index its empty name.
                if i.filename
                and not i.is_dir()
                and not _hidden(i.filename)
                and i.filename.count("/") <= _MAX_DEPTH
            )
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            # NotImplementedError: an unsupported zip version or feature (found by fuzzing)
            raise InputError(f"not a readable zip: {exc}", path) from None
        return ExportContainer(path, "zip", names[:MAX_MEMBERS], zf)
    if not os.access(path, os.R_OK):
        raise InputError("cannot read: permission denied", path)
    return ExportContainer(path, "file", [os.path.basename(path)])


def _hidden(name: str) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in name.split("/"))


def _walk(root: str) -> list[str]:
    names: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        depth = 0 if rel == "." else rel.count(os.sep) + 1
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d)) if depth < _MAX_DEPTH else []
        for fn in filenames:
            if _hidden(fn):
                continue
            names.append(fn if rel == "." else "/".join([*rel.split(os.sep), fn]))
        if len(names) > MAX_MEMBERS:
            break
    return sorted(names)[:MAX_MEMBERS]
