"""Recording CSV files (``FORMAT.md`` §1): read them (streamed, validated) and write them
(crash-safe, while samples arrive)."""

from imurep.recording.errors import RecordingWarning, RecordingWriteError
from imurep.recording.header import RecordingHeader, read_header
from imurep.recording.reader import Recording, iter_recording, read_recording
from imurep.recording.writer import RecordingWriter, write_recording

__all__ = [
    "Recording",
    "RecordingHeader",
    "RecordingWarning",
    "RecordingWriteError",
    "RecordingWriter",
    "iter_recording",
    "read_header",
    "read_recording",
    "write_recording",
]
