"""Paths that cannot be a recording, refused by name before anything opens them.

Opening a FIFO waits for a writer (forever, in a batch over a folder), a device such as
``/dev/zero`` never ends, and a dangling or looping symbolic link cannot be followed: each is
one clear error instead of a hang or a traceback.
"""

from __future__ import annotations

import errno
import os
import stat

from imurep.errors import InputError

__all__ = ["check_path"]

_KINDS: tuple[tuple[int, str], ...] = (
    (stat.S_IFIFO, "a FIFO"),
    (stat.S_IFCHR, "a character device"),
    (stat.S_IFBLK, "a block device"),
    (stat.S_IFSOCK, "a socket"),
)


def check_path(path: str | os.PathLike[str], *, pipes: bool = False) -> None:
    """Refuse ``path`` unless it is a regular file or a folder (without opening it).

    The process's own standard input (``-``, ``/dev/stdin``) is left to the reader, which
    knows how to read a pipe. ``pipes``: a named pipe given by name is read too (``imurep
    analyze <(zcat rec.csv.gz)``; the reader refuses at once one that nothing writes to); a
    batch, which finds its files in folders, refuses it.

    Raises
    ------
    InputError
        No such path, a dangling or looping symbolic link, or a FIFO (unless ``pipes``), device
        or socket.
    """
    source = os.fspath(path)
    if source == "-":
        return
    try:
        st = os.stat(source)
    except OSError as exc:
        raise InputError(_why_not(source, exc), source) from None
    if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode) or _is_stdin(st):
        return
    if pipes and stat.S_ISFIFO(st.st_mode):
        return
    kind = next((name for mode, name in _KINDS if stat.S_IFMT(st.st_mode) == mode), "a special file")
    raise InputError(f"not a regular file ({kind}); give a recording file", source)


def _why_not(source: str, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (the link leads back to itself); fix or remove the link"
    if exc.errno == errno.ENOENT:
        if os.path.islink(source):
            return f"dangling symbolic link (its target {os.readlink(source)} does not exist)"
        return "no such file or directory"
    return f"cannot be read ({exc.strerror})"


def _is_stdin(st: os.stat_result) -> bool:
    try:
        return os.path.samestat(st, os.fstat(0))
    except OSError:
        return False
