"""Sensor Logger (Android and iOS, Kelvin Choi's app): one CSV per sensor, exported as a folder or zip.

Layout (``PROTOCOLS.md``, and the real export in ``tests/data/formats/sensor-logger-android``):
``TotalAcceleration.csv``, ``Accelerometer.csv``, ``Gravity.csv``, ``Gyroscope.csv``, each with
the header ``time,seconds_elapsed,z,y,x`` (z, y, x order), ``time`` in Unix nanoseconds, values
in m/s² and rad/s, plus ``Metadata.csv`` (device, platform, app version).

On Android ``Accelerometer.csv`` excludes gravity and ``TotalAcceleration.csv`` includes it; iOS
writes only ``Accelerometer.csv``. Which one a file is, and whether it is in g, is read from the
data; acceleration without gravity is rebuilt from ``Gravity.csv`` of the same export.
"""

from __future__ import annotations

import numpy as np

from imurep.errors import InputError
from imurep.importers.container import ExportContainer
from imurep.importers.imported import ImportedRecording, ImportOptions, build_recording
from imurep.importers.streams import Stream, clean_stream
from imurep.importers.table import parse_table, split_row
from imurep.importers.units import classify_acc

__all__ = ["FORMAT", "detect", "load"]

FORMAT = "sensor-logger"
_HEADER = ("time", "seconds_elapsed", "z", "y", "x")
_NS_PER_S = 1e9
_NOT_ACCELERATION = {
    f"{n.lower()}.csv"
    for n in (
        "Gyroscope",
        "Gravity",
        "GyroscopeUncalibrated",
        "Magnetometer",
        "MagnetometerUncalibrated",
        "Orientation",
        "Barometer",
        "Location",
        "Annotation",
        "Metadata",
        "Microphone",
        "Pedometer",
    )
}


def _is_sensor_logger(container: ExportContainer, name: str) -> bool:
    cells = tuple(c.strip().strip('"').lower() for c in container.header(name).split(","))
    return cells[: len(_HEADER)] == _HEADER


def _member(container: ExportContainer, basename: str) -> str | None:
    name = container.find(basename)
    return name if name is not None and _is_sensor_logger(container, name) else None


def detect(container: ExportContainer) -> bool:
    """Whether the export holds a Sensor Logger accelerometer file."""
    if container.kind == "file":
        return _is_sensor_logger(container, container.names[0])
    return any(_member(container, b) for b in ("TotalAcceleration.csv", "Accelerometer.csv"))


def _read(container: ExportContainer, name: str) -> Stream:
    source = container.display(name)
    table = parse_table(container.read(name), source)
    cols = tuple(c.lower() for c in table.columns)
    idx = [table.index(c, cols) for c in ("time", "x", "y", "z")]
    values = table.numbers(idx)
    return Stream(values[:, 0] / _NS_PER_S, values[:, 1:4], source, table.header_line + 1)


def load(container: ExportContainer, options: ImportOptions) -> ImportedRecording:
    """Import a Sensor Logger export (file, folder or zip).

    Raises
    ------
    InputError
        No accelerometer file, acceleration without gravity and no ``Gravity.csv``, bad rows.
    """
    warnings: list[str] = []
    metadata: dict[str, str] = {}
    total: str | None = None
    acc_name: str | None = container.names[0]
    grav_name: str | None = None
    gyr_name: str | None = None
    if container.kind == "file":
        base = container.basename(container.names[0])
        if base.lower() in _NOT_ACCELERATION:
            raise InputError(
                f"{base} is not an acceleration file: import the whole Sensor Logger export (folder or "
                "zip), or TotalAcceleration.csv",
                container.path,
            )
    else:
        total = _member(container, "TotalAcceleration.csv")
        acc_name = _member(container, "Accelerometer.csv")
        grav_name = _member(container, "Gravity.csv")
        gyr_name = _member(container, "Gyroscope.csv")
        metadata.update(_metadata(container))
    if total is not None:
        acc = _read(container, total)
        metadata["acceleration"] = "TotalAcceleration.csv (gravity included)"
    elif acc_name is not None:
        acc, cleaned = clean_stream(_read(container, acc_name), "accelerometer")
        warnings += cleaned
        verdict = classify_acc(acc.values)
        if verdict.gravity:
            base = container.basename(acc_name)
            metadata["acceleration"] = f"{base} (gravity included: {verdict.describe()})"
        elif grav_name is not None:
            acc = _add_gravity(acc, _read(container, grav_name))
            metadata["acceleration"] = "Accelerometer.csv + Gravity.csv (gravity rebuilt)"
            warnings.append(
                f"Accelerometer.csv has no gravity ({verdict.describe()}): "
                "added Gravity.csv of the same export"
            )
        else:
            raise InputError(
                f"{container.basename(acc_name)} has no gravity ({verdict.describe()}, expected about "
                "9.81 m/s²): import TotalAcceleration.csv or keep Gravity.csv beside it",
                acc.source,
            )
    else:  # detect() said there is one
        raise InputError("no TotalAcceleration.csv or Accelerometer.csv in this export", container.path)
    gyr = _read(container, gyr_name) if gyr_name is not None else None
    metadata["time-base"] = "Unix time (Sensor Logger 'time' column, ns)"
    return build_recording(
        FORMAT,
        container.path,
        acc,
        gyr,
        acc_declared="m/s2",
        gyr_declared="rad/s",
        options=options,
        no_gravity_fix="import TotalAcceleration.csv or keep Gravity.csv beside Accelerometer.csv",
        metadata=metadata,
        warnings=warnings,
        trust_data_over_declared=True,
    )


def _add_gravity(acc: Stream, gravity: Stream) -> Stream:
    """Acceleration without gravity + the gravity estimate, on the accelerometer's times."""
    acc, _ = clean_stream(acc, "accelerometer")
    gravity, _ = clean_stream(gravity, "gravity")
    t = acc.time_s
    inside = (t >= gravity.time_s[0]) & (t <= gravity.time_s[-1])
    if inside.sum() < 2:
        raise InputError(
            "Gravity.csv does not cover the accelerometer's time range: import TotalAcceleration.csv",
            gravity.source,
        )
    g = np.column_stack([np.interp(t[inside], gravity.time_s, gravity.values[:, j]) for j in range(3)])
    first = acc.first_line + int(np.argmax(inside))
    return Stream(t[inside], acc.values[inside] + g, acc.source, first)


def _metadata(container: ExportContainer) -> dict[str, str]:
    name = container.find("Metadata.csv")
    if name is None:
        return {}
    try:
        table = parse_table(container.read(name), container.display(name))
    except InputError:
        return {}
    if table.header_line >= len(table.lines):
        return {}
    row = split_row(table.lines[table.header_line], table.delimiter)
    fields = dict(zip(table.columns, (c.strip() for c in row), strict=False))
    out: dict[str, str] = {}
    device = fields.get("device name")
    if device:
        platform = fields.get("platform", "")
        version = fields.get("appVersion", "")
        out["device"] = f"{device} ({platform}, Sensor Logger {version})".replace("(, ", "(")
    if fields.get("recording time"):
        out["recording-time"] = fields["recording time"]
    return {k: " ".join(v.split()) for k, v in out.items()}
