"""Plain CSV (or semicolon/tab) tables: a time column and acceleration (maybe gyroscope) columns.

For loggers without a layout of their own. Columns are recognised by name (case and separators
ignored): time ``time``, ``t``, ``timestamp``, ``time_s``, ``seconds``, ``elapsed``...;
acceleration ``ax``, ``acc_x``, ``accel x``, ``accelerometer_x``, ``acceleration x``...;
gyroscope ``gx``, ``wx``, ``gyr_x``, ``gyro x``, ``gyroscope_x``, ``angular velocity x``...
A unit in the name (``acc_x (g)``, ``ax[m/s^2]``, ``gyr_x_dps``, ``time (ms)``) is used; otherwise
the user's ``--acc-unit``/``--gyr-unit``, else the unit is read from the data and said so.
"""

from __future__ import annotations

import re

import numpy as np

from imurep.errors import InputError
from imurep.importers.container import ExportContainer
from imurep.importers.imported import ImportedRecording, ImportOptions, build_recording
from imurep.importers.streams import Stream
from imurep.importers.table import parse_table, split_row
from imurep.importers.units import AccUnit, GyrUnit
from imurep.samples import FloatArray

__all__ = ["FORMAT", "detect", "load"]

FORMAT = "plain-csv"
_UNIT_RE = re.compile(r"^(?P<name>.*?)\s*(?:[(\[](?P<unit>[^)\]]*)[)\]])?\s*$")
_TIME_NAMES = {
    "time",
    "t",
    "timestamp",
    "times",
    "seconds",
    "elapsed",
    "secondselapsed",
    "timestamps",
    "sampletime",
    "elapsedtime",
}
_TIME_SUFFIX_UNITS = {"s": "s", "sec": "s", "ms": "ms", "us": "us", "ns": "ns"}
_ACC_RE = re.compile(r"^(?:a|acc|accel|accelerometer|acceleration|accl)([xyz])$")
_GYR_RE = re.compile(r"^(?:g|w|gyr|gyro|gyroscope|angularvelocity|angvel|rot|rotationrate)([xyz])$")
_ACC_UNIT_NAMES: dict[str, AccUnit] = {
    "g": "g",
    "mg": "mg",
    "m/s^2": "m/s2",
    "m/s2": "m/s2",
    "ms2": "m/s2",
    "mps2": "m/s2",
    "m/s²": "m/s2",
    "ms^2": "m/s2",
}
_GYR_UNIT_NAMES: dict[str, GyrUnit] = {
    "rad/s": "rad/s",
    "rads": "rad/s",
    "rad": "rad/s",
    "deg/s": "deg/s",
    "dps": "deg/s",
    "degs": "deg/s",
    "°/s": "deg/s",
    "deg": "deg/s",
}
_SUFFIXES = sorted(
    {
        **{k.replace("/", ""): k for k in _ACC_UNIT_NAMES},
        **{k.replace("/", ""): k for k in _GYR_UNIT_NAMES},
        "ms": "ms",
        "s": "s",
        "us": "us",
        "ns": "ns",
    }.items(),
    key=lambda kv: -len(kv[0]),
)


def _split(col: str) -> tuple[str, str | None]:
    """Bare lower-case name without separators, and the unit in brackets or as a suffix."""
    m = _UNIT_RE.match(col.strip().strip('"').lower())
    assert m is not None  # the pattern matches any string
    name, unit = m.group("name"), m.group("unit")
    bare = re.sub(r"[\s_\-.]+", "_", name).strip("_")
    if unit is None:
        parts = bare.split("_")
        if len(parts) > 1:
            for suffix, canonical in _SUFFIXES:
                if parts[-1] == suffix:
                    unit, bare = canonical, "_".join(parts[:-1])
                    break
    return bare.replace("_", ""), (unit.strip() if unit else None)


def _layout(
    columns: list[str],
) -> tuple[int, str | None, list[int], str | None, list[int] | None, str | None] | None:
    time_idx: int | None = None
    time_unit: str | None = None
    acc: dict[str, tuple[int, str | None]] = {}
    gyr: dict[str, tuple[int, str | None]] = {}
    for i, col in enumerate(columns):
        bare, unit = _split(col)
        if time_idx is None and (bare in _TIME_NAMES or bare.startswith("time")):
            time_idx, time_unit = i, unit
        elif (m := _ACC_RE.match(bare)) and m.group(1) not in acc:
            acc[m.group(1)] = (i, unit)
        elif (m := _GYR_RE.match(bare)) and m.group(1) not in gyr:
            gyr[m.group(1)] = (i, unit)
    if time_idx is None or set(acc) != {"x", "y", "z"}:
        return None
    acc_idx = [acc[a][0] for a in "xyz"]
    acc_unit = acc["x"][1]
    gyr_idx = [gyr[a][0] for a in "xyz"] if set(gyr) == {"x", "y", "z"} else None
    gyr_unit = gyr["x"][1] if gyr_idx is not None else None
    return time_idx, time_unit, acc_idx, acc_unit, gyr_idx, gyr_unit


def _header_columns(header: str) -> list[str]:
    delim = max((",", ";", "\t"), key=header.count)
    return split_row(header, delim)


def detect(container: ExportContainer) -> bool:
    """Whether exactly one table of the export has a time column and three acceleration columns."""
    hits = [n for n in container.names if _layout(_header_columns(container.header(n))) is not None]
    return len(hits) == 1


def load(container: ExportContainer, options: ImportOptions) -> ImportedRecording:
    """Import a plain table (one file, or a folder/zip holding exactly one such table).

    Raises
    ------
    InputError
        Unknown units that the data cannot settle, bad rows.
    """
    names = [n for n in container.names if _layout(_header_columns(container.header(n))) is not None]
    if len(names) != 1:
        raise InputError(
            f"expected one table with a time column and acc x/y/z columns, found {len(names)}",
            container.path,
        )
    source = container.display(names[0])
    table = parse_table(container.read(names[0]), source)
    layout = _layout(list(table.columns))
    if layout is None:
        raise InputError("no time column and acc x/y/z columns in the header", source, table.header_line)
    time_idx, time_unit, acc_idx, acc_unit_name, gyr_idx, gyr_unit_name = layout
    warnings: list[str] = []
    values = table.numbers([time_idx, *acc_idx, *(gyr_idx or [])])
    time_s, time_note = _to_seconds(values[:, 0], time_unit, source)
    if time_note:
        warnings.append(time_note)
    first = table.header_line + 1
    acc = Stream(time_s, values[:, 1:4], source, first)
    gyr = Stream(time_s, values[:, 4:7], source, first) if gyr_idx is not None else None
    acc_declared = _acc_unit(acc_unit_name, source, table.header_line)
    gyr_declared = _gyr_unit(gyr_unit_name, source, table.header_line)
    return build_recording(
        FORMAT,
        container.path,
        acc,
        gyr,
        acc_declared=acc_declared,
        gyr_declared=gyr_declared,
        options=options,
        no_gravity_fix="export the accelerometer with gravity (total acceleration), not linear acceleration",
        metadata={"time-base": f"the file's time column ({time_unit or 'seconds'})"},
        warnings=warnings,
    )


def _acc_unit(name: str | None, source: str, line: int) -> AccUnit | None:
    if name is None:
        return None
    unit = _ACC_UNIT_NAMES.get(name.replace(" ", ""))
    if unit is None:
        expected = ", ".join(_ACC_UNIT_NAMES)
        raise InputError(f"unknown acceleration unit {name!r} (expected one of {expected})", source, line)
    return unit


def _gyr_unit(name: str | None, source: str, line: int) -> GyrUnit | None:
    if name is None:
        return None
    unit = _GYR_UNIT_NAMES.get(name.replace(" ", ""))
    if unit is None:
        expected = ", ".join(_GYR_UNIT_NAMES)
        raise InputError(f"unknown angular-rate unit {name!r} (expected one of {expected})", source, line)
    return unit


def _to_seconds(t: FloatArray, unit: str | None, source: str) -> tuple[FloatArray, str | None]:
    scale = {"s": 1.0, "sec": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
    if unit is not None:
        if unit not in scale:
            raise InputError(f"unknown time unit {unit!r} (expected s, ms, us or ns)", source)
        return t * scale[unit], None
    finite = t[np.isfinite(t)]
    if finite.size < 2:
        return t, None
    step = float(np.median(np.diff(finite)))
    # No unit: seconds, unless a step of more than 1 "s" between samples says milli/nanoseconds.
    if step > 1e5:
        return t * 1e-9, f"time column has no unit; read as nanoseconds (median step {step:.3g})"
    if step > 1.0:
        return t * 1e-3, f"time column has no unit; read as milliseconds (median step {step:.3g})"
    return t, None
