"""The supported export formats, and ``load_any``: the one entry point for recorded samples."""

from __future__ import annotations

import os
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from imurep.errors import InputError
from imurep.importers import (
    compressed,
    metawear,
    phyphox_export,
    plain_csv,
    polar_sensor_logger,
    sensor_logger,
    witmotion,
)
from imurep.importers.container import ExportContainer, open_container
from imurep.importers.imported import ImportedRecording, ImportOptions
from imurep.importers.units import check_samples

__all__ = [
    "FORMATS",
    "ImporterSpec",
    "is_own_head",
    "is_own_recording",
    "load_any",
    "unpack_zipped_recording",
    "zipped_recording",
]

OWN_FORMAT = "imurep"
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class ImporterSpec:
    """One supported export format.

    Attributes
    ----------
    name
        Format name (``--format`` value, ``source-format`` metadata).
    looks_for
        What identifies it, for messages.
    detect
        Whether an export is in this format (reads headers only).
    load
        Import it.
    """

    name: str
    looks_for: str
    detect: Callable[[ExportContainer], bool]
    load: Callable[[ExportContainer, ImportOptions], ImportedRecording]


# Tried in this order; the plain CSV, the most lenient, last.
FORMATS: dict[str, ImporterSpec] = {
    spec.name: spec
    for spec in (
        ImporterSpec(
            sensor_logger.FORMAT,
            "Sensor Logger: TotalAcceleration.csv or Accelerometer.csv with header "
            "time,seconds_elapsed,z,y,x",
            sensor_logger.detect,
            sensor_logger.load,
        ),
        ImporterSpec(
            phyphox_export.FORMAT,
            'phyphox: a CSV with "Time (s)","Acceleration x (m/s^2)",... (or Gyroscope/Linear Acceleration)',
            phyphox_export.detect,
            phyphox_export.load,
        ),
        ImporterSpec(
            polar_sensor_logger.FORMAT,
            "Polar Sensor Logger: ..._ACC.txt with Phone timestamp;sensor timestamp [ns];X [mg];...",
            polar_sensor_logger.detect,
            polar_sensor_logger.load,
        ),
        ImporterSpec(
            metawear.FORMAT,
            "MetaWear/MetaBase: a CSV with epoch (ms),time (...),elapsed (s),x-axis (g),...",
            metawear.detect,
            metawear.load,
        ),
        ImporterSpec(
            witmotion.FORMAT,
            "WitMotion: a table with Chip Time() and Acceleration X(g),... columns",
            witmotion.detect,
            witmotion.load,
        ),
        ImporterSpec(
            plain_csv.FORMAT,
            "plain CSV: one table with a time column and acc x/y/z (optionally gyr x/y/z) columns",
            plain_csv.detect,
            plain_csv.load,
        ),
    )
}


def is_own_head(head: bytes) -> bool:
    """Whether ``head``, the first bytes of a file, starts a recording in our format (``FORMAT.md`` §1)."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head.startswith(b"# imurep-recording"):
        return True
    for line in head.splitlines():
        if line.startswith(b"#") or not line.strip():
            continue
        return line.split(b",")[0].strip() == b"time_s"
    return False


def is_own_recording(path: str) -> bool:
    """Whether ``path`` is a file in our recording format (``FORMAT.md`` §1), judged by its start."""
    if not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as f:
            return is_own_head(f.read(_SNIFF_BYTES))
    except OSError:
        return False


def zipped_recording(container: ExportContainer) -> str | None:
    """The member of a zip that is its one recording in our format; ``None`` for an app export.

    Raises
    ------
    InputError
        The zip holds several of our recordings, or one beside an app export (which to read is
        the user's choice).
    """
    own = [n for n in container.names if is_own_head(container.head(n, _SNIFF_BYTES))]
    if not own:
        return None
    rest = ExportContainer(container.path, container.kind, [n for n in container.names if n not in own])
    others = [spec.name for spec in FORMATS.values() if rest.names and spec.detect(rest)]
    if len(own) == 1 and not others:
        return own[0]
    shown = ", ".join(own[:3]) + (", ..." if len(own) > 3 else "")
    also = f" and a {others[0]} export" if others else ""
    raise InputError(
        f"holds {len(own)} recording(s) of ours ({shown}){also}: a zip is read as one recording or one "
        "app export; unzip it and give the files (or the folder to imurep batch)",
        container.path,
    )


def load_any(
    path: str | os.PathLike[str],
    format: str | None = None,
    options: ImportOptions | None = None,
) -> ImportedRecording:
    """Load samples from our recording CSV or any supported export (file, folder or zip).

    Parameters
    ----------
    path
        The recording or export.
    format
        A name from :data:`FORMATS` (or ``"imurep"``) to skip auto-detection.
    options
        Unit overrides for exports.

    Raises
    ------
    InputError
        Missing or unreadable path, nothing recognisable (naming what was looked for), or
        malformed content (naming file, line and rule).
    """
    source = os.fspath(path)
    options = options or ImportOptions()
    if format is not None and format != OWN_FORMAT and format not in FORMATS:
        known = ", ".join([OWN_FORMAT, *FORMATS])
        raise InputError(f"unknown format {format!r} (known: {known})", source)
    if os.path.isfile(source) and compressed.is_gzip(source):
        spool = compressed.unpack_gzip(source)
        try:
            return _renamed(load_any(spool.path, format, options), spool)
        except InputError as exc:
            raise spool.rename_error(exc) from None
        finally:
            spool.remove()
    if format == OWN_FORMAT or (format is None and is_own_recording(source)):
        return _load_own(source, options)
    member = unpack_zipped_recording(source) if format is None and os.path.isfile(source) else None
    if member is not None:
        try:
            return _renamed(_load_own(member.path, options), member)
        except InputError as exc:
            raise member.rename_error(exc) from None
        finally:
            member.remove()
    container = open_container(source)
    try:
        if format is not None:
            spec = FORMATS[format]
            if not spec.detect(container):
                raise InputError(f"not a {format} export: expected {spec.looks_for}", source)
            return spec.load(container, options)
        for spec in FORMATS.values():
            if spec.name == plain_csv.FORMAT and container.kind == "folder":
                # A folder holding one of our own recordings: read it as such, not as a plain table.
                own = [n for n in container.names if is_own_recording(os.path.join(source, *n.split("/")))]
                if len(own) == 1:
                    return _load_own(os.path.join(source, *own[0].split("/")), options)
            if spec.detect(container):
                return spec.load(container, options)
    finally:
        container.close()
    looked = "; ".join(spec.looks_for for spec in FORMATS.values())
    what = {"folder": "folder", "zip": "zip"}.get(container.kind, "file")
    raise InputError(
        f"no recognisable recording or export in this {what}; looked for: our recording CSV "
        f"(header time_s,acc_x,...); {looked}",
        source,
    )


def unpack_zipped_recording(path: str) -> compressed.Spool | None:
    """The one recording of ours in the zip ``path``, unpacked into a spool (to stream it);
    ``None`` when ``path`` is not a zip or holds an app export.

    Raises
    ------
    InputError
        As :func:`zipped_recording`, or the member is larger than the spool's cap.
    """
    if not zipfile.is_zipfile(path):
        return None
    container = open_container(path)
    try:
        member = zipped_recording(container) if container.kind == "zip" else None
        return None if member is None else _spool_member(container, member)
    finally:
        container.close()


def _spool_member(container: ExportContainer, name: str) -> compressed.Spool:
    """Member ``name`` of a zip, unpacked into a spool (bounded)."""
    compressed.check_declared_size(container.size(name), container.display(name))
    with container.open_member(name) as f:
        return compressed.spool_stream(f, container.display(name), what="uncompressed content")


def _renamed(imported: ImportedRecording, spool: compressed.Spool) -> ImportedRecording:
    """``imported`` with the spool's temporary name replaced by the input's name in its warnings."""
    notes = tuple(w.replace(spool.path, spool.shown) for w in imported.warnings)
    return ImportedRecording(imported.block, imported.metadata, notes, imported.format)


def _load_own(source: str, options: ImportOptions) -> ImportedRecording:
    """Our recording CSV, converted to s, m/s², rad/s as stated or decided (and said)."""
    from imurep.importers.stream_units import StreamUnits, si_metadata
    from imurep.recording import iter_recording, read_header
    from imurep.samples import SampleBlock

    header = read_header(source)
    units = StreamUnits(source, dict(header.metadata), options, header.data_start_line)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        samples = SampleBlock.concat(list(units.apply(iter_recording(source))))
    notes = [str(w.message) for w in caught] + units.warnings
    notes += check_samples(samples)
    metadata = si_metadata(header.metadata)
    if units.acc_unit != "m/s2":
        metadata["acc-unit"] = f"{units.acc_unit} (converted to m/s²)"
    if units.gyr_unit != "rad/s":
        metadata["gyr-unit"] = f"{units.gyr_unit} (converted to rad/s)"
    return ImportedRecording(samples, metadata, tuple(notes), OWN_FORMAT)
