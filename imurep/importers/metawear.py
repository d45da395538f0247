"""MbientLab MetaBase / MetaWear CSV: one file per sensor, g and deg/s.

Layout (as MetaBase writes it, and as MbientLab's own sample apps reproduce it):
``epoch (ms),time (-13:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)`` for the accelerometer
and ``x-axis (deg/s)`` for the gyroscope; file names end in ``_Accelerometer_...csv``,
``_Gyroscope_...csv``. ``epoch (ms)`` is Unix time in milliseconds and is kept. Sensor-fusion
outputs in g (linear acceleration, gravity) are told apart by their file names.
"""

from __future__ import annotations

import re

from imurep.errors import InputError
from imurep.importers.container import ExportContainer
from imurep.importers.imported import ImportedRecording, ImportOptions, build_recording
from imurep.importers.streams import Stream
from imurep.importers.table import parse_table, split_row
from imurep.importers.units import AccUnit, GyrUnit

__all__ = ["FORMAT", "detect", "load"]

FORMAT = "metawear"
_AXIS_RE = re.compile(r"^([xyz])-axis \(([^)]*)\)$")
_ACC_UNITS: dict[str, AccUnit] = {"g": "g", "m/s^2": "m/s2", "m/s2": "m/s2"}
_GYR_UNITS: dict[str, GyrUnit] = {"deg/s": "deg/s", "°/s": "deg/s", "rad/s": "rad/s"}


def _columns(header: str) -> list[str]:
    return [c.strip().strip('"').lower() for c in split_row(header, ",")]


def _kind(container: ExportContainer, name: str) -> str | None:
    cols = _columns(container.header(name))
    if not cols or cols[0] != "epoch (ms)":
        return None
    units = {m.group(2) for c in cols if (m := _AXIS_RE.match(c))}
    if len(units) != 1:
        return None
    unit = units.pop()
    base = container.basename(name).lower()
    if unit in _GYR_UNITS:
        return "gyr"
    if unit in _ACC_UNITS:
        if "linear" in base:
            return "linear"
        if "gravity" in base:
            return "gravity"
        return "acc"
    return None


def detect(container: ExportContainer) -> bool:
    """Whether the export holds a MetaBase accelerometer (or linear acceleration) CSV."""
    return any(_kind(container, n) in ("acc", "linear") for n in container.names)


def _read(container: ExportContainer, name: str) -> tuple[Stream, str]:
    source = container.display(name)
    table = parse_table(container.read(name), source)
    cols = [c.lower() for c in table.columns]
    axes = {m.group(1): (i, m.group(2)) for i, c in enumerate(cols) if (m := _AXIS_RE.match(c))}
    if set(axes) != {"x", "y", "z"}:
        raise InputError("expected x-axis, y-axis and z-axis columns", source, table.header_line)
    values = table.numbers([0, axes["x"][0], axes["y"][0], axes["z"][0]])
    return Stream(values[:, 0] / 1000.0, values[:, 1:4], source, table.header_line + 1), axes["x"][1]


def load(container: ExportContainer, options: ImportOptions) -> ImportedRecording:
    """Import MetaBase CSVs (one file, a folder or a zip of one device's session).

    Raises
    ------
    InputError
        Only linear acceleration, several accelerometer files, bad rows.
    """
    kinds = {n: _kind(container, n) for n in container.names}
    by_kind: dict[str, list[str]] = {}
    for n, k in kinds.items():
        if k is not None:
            by_kind.setdefault(k, []).append(n)
    for k in ("acc", "gyr"):
        if len(by_kind.get(k, [])) > 1:
            listed = ", ".join(container.basename(n) for n in by_kind[k])
            raise InputError(
                f"holds several MetaWear {k} files ({listed}): import one device's session at a time",
                container.path,
            )
    if "acc" not in by_kind:
        linear = by_kind["linear"][0]
        raise InputError(
            "MetaWear linear acceleration has no gravity: export the Accelerometer stream",
            container.display(linear),
        )
    acc, acc_unit = _read(container, by_kind["acc"][0])
    gyr, gyr_unit = _read(container, by_kind["gyr"][0]) if "gyr" in by_kind else (None, "deg/s")
    return build_recording(
        FORMAT,
        container.path,
        acc,
        gyr,
        acc_declared=_ACC_UNITS[acc_unit],
        gyr_declared=_GYR_UNITS[gyr_unit],
        options=options,
        no_gravity_fix="export MetaWear's Accelerometer stream, not linear acceleration",
        metadata={"time-base": "Unix time (MetaBase 'epoch (ms)' column)"},
    )
