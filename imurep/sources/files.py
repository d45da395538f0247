"""Recorded samples from disk: our recording CSV (streamed) or any supported app export."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from imurep.errors import InputError
from imurep.importers.imported import ImportOptions
from imurep.importers.stream_units import StreamUnits, si_metadata
from imurep.recording import iter_recording, read_header
from imurep.samples import SampleBlock

__all__ = ["OpenedSamples", "open_samples"]

_SNIFF_BYTES = 4096


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


def _is_own_recording(path: str) -> bool:
    """Our format starts with ``# imurep-recording`` or has a ``time_s`` header column."""
    try:
        with open(path, "rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError:
        return True  # let the reader name the problem
    if head.startswith(b"# imurep-recording") or b"\x00" in head:
        return True  # ours, or binary: the reader names the problem
    for line in head.splitlines():
        if line.startswith(b"#"):
            continue
        # Our header, whatever the delimiter (the reader refuses a wrong one by name).
        return line.lstrip(b"\xef\xbb\xbf").startswith(b"time_s")
    return True


def _lazy_blocks(source: str) -> Iterator[SampleBlock]:
    """Open the file only when the first block is asked for (and close it with the generator)."""
    yield from iter_recording(source)


def open_samples(path: str | os.PathLike[str], options: ImportOptions | None = None) -> OpenedSamples:
    """Open a recording CSV, or an export file, folder or zip of a supported app.

    The blocks come in s, m/s² and rad/s whatever the file holds (units stated in ``options`` or
    the file, else decided from the data and said in ``warnings``; see
    :mod:`imurep.importers.stream_units`), without physically impossible samples.

    Raises
    ------
    InputError
        Missing, unreadable or malformed input (naming the file, line and rule).
    """
    source = os.fspath(path)
    if not os.path.exists(source):
        raise InputError("no such file or directory", source)
    options = options or ImportOptions()
    if os.path.isfile(source) and _is_own_recording(source):
        header = read_header(source)
        units = StreamUnits(source, dict(header.metadata), options, header.data_start_line)
        return OpenedSamples(units.apply(_lazy_blocks(source)), si_metadata(header.metadata), units.warnings)
    from imurep.importers import load_any

    imported = load_any(source, options=options)
    units = StreamUnits(source, dict(imported.metadata), options, raw=False, warnings=list(imported.warnings))
    return OpenedSamples(units.apply([imported.block]), dict(imported.metadata), units.warnings)
