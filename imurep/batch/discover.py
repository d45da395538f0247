"""Which files a batch analyses: the paths given, with folders searched recursively."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from imurep.errors import InputError

__all__ = ["RECORDING_SUFFIXES", "FileKey", "file_key", "find_recordings"]

# Inside folders only these are taken as recordings; a file named on the command line is always
# analysed (the analysis names the problem if it is not a recording).
RECORDING_SUFFIXES: tuple[str, ...] = (".csv", ".csv.gz", ".zip")


@dataclass(frozen=True)
class FileKey:
    """Identity of one input file for resuming: the same key means the same, unchanged file.

    Attributes
    ----------
    path
        Absolute path (workers on a cluster must reach the file at this path).
    size_bytes
        File size, bytes.
    mtime_ns
        Modification time, ns since the Unix epoch.
    """

    path: str
    size_bytes: int
    mtime_ns: int


def file_key(path: str | os.PathLike[str]) -> FileKey:
    """The :class:`FileKey` of ``path`` as it is now on disk.

    A symbolic link that cannot be followed (dangling, looping) gets the key of the link itself:
    its analysis then fails with one error row, and the rest of the batch goes on.
    """
    absolute = os.path.abspath(os.fspath(path))
    try:
        st = os.stat(absolute)
    except OSError:
        st = os.lstat(absolute)
    return FileKey(absolute, int(st.st_size), int(st.st_mtime_ns))


def find_recordings(paths: Sequence[str | os.PathLike[str]], exclude: Iterable[str] = ()) -> list[FileKey]:
    """The recordings named by ``paths``, in a stable order, each once.

    Parameters
    ----------
    paths
        Files (taken as they are) and folders (searched recursively for ``*.csv``, ``*.csv.gz``
        and ``*.zip``; hidden files and folders, whose names start with ``.``, are skipped).
    exclude
        Paths never to take (the batch's own output files).

    Raises
    ------
    InputError
        A path that does not exist.
    """
    excluded = {os.path.abspath(p) for p in exclude}
    found: dict[str, None] = {}
    for raw in paths:
        path = os.path.abspath(os.fspath(raw))
        if os.path.isdir(path):
            for candidate in _walk(path):
                if candidate not in excluded:
                    found.setdefault(candidate, None)
        elif os.path.lexists(path):
            if path not in excluded:
                found.setdefault(path, None)
        else:
            raise InputError("no such file or directory", os.fspath(raw))
    return [file_key(p) for p in found]


def _walk(folder: str) -> list[str]:
    out: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(RECORDING_SUFFIXES):
                out.append(os.path.join(root, name))
    return out
