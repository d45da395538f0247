"""The warning and the error specific to recording files."""

from __future__ import annotations

from imurep.errors import ImurepError

__all__ = ["RecordingWarning", "RecordingWriteError"]


class RecordingWarning(UserWarning):
    """A recording was read with a documented repair (e.g. a torn last line dropped)."""


class RecordingWriteError(ImurepError):
    """A recording could not be written (disk full, no permission, file exists, ...).

    What was written before the failure stays in the file and is readable.
    """
