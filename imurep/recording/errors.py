"""The warning and the error specific to recording files."""

from __future__ import annotations

from imurep.errors import ImurepError

__all__ = ["RecordingWarning", "RecordingWriteError"]


class RecordingWarning(UserWarning):
    """A recording was read with a documented repair (e.g. a torn last line dropped)."""


class RecordingWriteError(ImurepError):
    """A recording could not be written (disk full, no permission, file exists, ...).

    What was written before the failure stays in the file and is readable.

    Parameters
    ----------
    message
        The one-line explanation.
    path
        The recording file.
    disk_full
        The failure was ``ENOSPC`` (no space left on the device).
    samples_kept
        Samples written and ``fsync``'ed before the failure.
    kept_s
        Time span those samples cover (last minus first time), s; ``None`` when none were kept.
    """

    def __init__(
        self,
        message: str,
        path: str | None = None,
        *,
        disk_full: bool = False,
        samples_kept: int = 0,
        kept_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.disk_full = disk_full
        self.samples_kept = samples_kept
        self.kept_s = kept_s
