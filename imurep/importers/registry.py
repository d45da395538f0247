"""The supported export formats, and ``load_any``: the one entry point for recorded samples."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from imurep.errors import InputError
from imurep.importers import metawear, phyphox, plain_csv, polar_sensor_logger, sensor_logger, witmotion
from imurep.importers.container import ExportContainer, open_container
from imurep.importers.imported import ImportedRecording, ImportOptions
from imurep.importers.units import check_samples

__all__ = ["FORMATS", "ImporterSpec", "is_own_recording", "load_any"]

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
            phyphox.FORMAT,
            'phyphox: a CSV with "Time (s)","Acceleration x (m/s^2)",... (or Gyroscope/Linear Acceleration)',
            phyphox.detect,
            phyphox.load,
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


def is_own_recording(path: str) -> bool:
    """Whether ``path`` is a file in our recording format (``FORMAT.md`` §1), judged by its start."""
    if not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError:
        return False
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head.startswith(b"# imurep-recording"):
        return True
    for line in head.splitlines():
        if line.startswith(b"#") or not line.strip():
            continue
        return line.split(b",")[0].strip() == b"time_s"
    return False


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
    if format == OWN_FORMAT or (format is None and is_own_recording(source)):
        return _load_own(source, options)
    if format is not None and format not in FORMATS:
        known = ", ".join([OWN_FORMAT, *FORMATS])
        raise InputError(f"unknown format {format!r} (known: {known})", source)
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
