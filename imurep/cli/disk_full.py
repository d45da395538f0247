"""The one line a streaming command prints when the disk fills while it records."""

from __future__ import annotations

from imurep.recording import RecordingWriteError

__all__ = ["disk_full_message"]


def disk_full_message(command: str, path: str, error: RecordingWriteError) -> str:
    """``imurep COMMAND: disk full writing PATH after N samples; the recording up to T s is kept``.

    The file then holds those ``N`` samples (plus, at most, a torn last line that the reader
    drops with a warning) and reads back valid. Full before the first sample: ``imurep COMMAND:
    disk full writing PATH: nothing was recorded; free some space and try again`` (the commands
    ask their writer to remove such an empty file).
    """
    if error.samples_kept == 0:
        return (
            f"imurep {command}: disk full writing {path}: nothing was recorded; free some space and try again"
        )
    return (
        f"imurep {command}: disk full writing {path} after {error.samples_kept} samples; "
        f"the recording up to {error.kept_s or 0.0:.1f} s is kept"
    )
