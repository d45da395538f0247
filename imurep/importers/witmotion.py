"""WitMotion's own PC software / app recordings (WT901BLE, WT9011, ...): one table per device.

Layout as confirmed from public readers of these files (gyroflow's telemetry-parser WitMotion
reader; user scripts reading ``Record/<date>/<time>/..._WT901BLE..._0.csv``): columns ``Time``
(time of day), ``Device name``, ``Chip Time()`` (``2024-3-19 16:44:16.689``, or with ``:``
before the milliseconds), ``Acceleration X(g)``..., ``Angular velocity X(°/s)``..., ``Angle X(°)``
and more; tab-separated (older PC software, GBK-encoded ``°``) or comma-separated. No WitMotion
document describing the layout was found; other WitMotion layouts are not supported.
Times are the sensor's chip clock (local time, no zone), kept as seconds since 1970-01-01.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from imurep.errors import InputError
from imurep.importers.container import ExportContainer
from imurep.importers.imported import ImportedRecording, ImportOptions, build_recording
from imurep.importers.streams import Stream
from imurep.importers.table import TextTable, parse_table, split_row
from imurep.samples import FloatArray

__all__ = ["FORMAT", "detect", "load"]

FORMAT = "witmotion"
_CHIP = "chiptime()"
_CHIP_RE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.:](\d{1,6}))?\s*$"
)


def _norm(col: str) -> str:
    return "".join(col.strip().strip('"').lower().replace("º", "°").replace("deg", "°").split())


def _columns(header: str) -> list[str]:
    delim = max(("\t", ","), key=header.count)
    return [_norm(c) for c in split_row(header, delim)]


def _indices(cols: list[str]) -> tuple[list[int], list[int] | None] | None:
    try:
        acc = [cols.index(f"acceleration{a}(g)") for a in "xyz"]
    except ValueError:
        return None
    try:
        gyr: list[int] | None = [cols.index(f"angularvelocity{a}(°/s)") for a in "xyz"]
    except ValueError:
        gyr = None
    return acc, gyr


def detect(container: ExportContainer) -> bool:
    """Whether a table of the export has WitMotion's chip-time and acceleration columns."""
    for n in container.names:
        cols = _columns(container.header(n))
        if _CHIP in cols and _indices(cols) is not None:
            return True
    return False


def load(container: ExportContainer, options: ImportOptions) -> ImportedRecording:
    """Import a WitMotion recording (file, folder or zip holding one device's table).

    Raises
    ------
    InputError
        Several tables or devices, unparseable chip times, bad rows.
    """
    names = [
        n
        for n in container.names
        if _CHIP in (cols := _columns(container.header(n))) and _indices(cols) is not None
    ]
    if len(names) > 1:
        listed = ", ".join(container.basename(n) for n in names)
        raise InputError(
            f"holds several WitMotion recordings ({listed}): import one at a time", container.path
        )
    name = names[0]
    source = container.display(name)
    table = parse_table(container.read(name), source)
    cols = [_norm(c) for c in table.columns]
    found = _indices(cols)
    if found is None or _CHIP not in cols:
        raise InputError(
            "expected 'Chip Time()' and 'Acceleration X(g)'... columns in the header",
            source,
            table.header_line,
        )
    acc_idx, gyr_idx = found
    metadata = {"time-base": "WitMotion chip clock (local time, no zone) as seconds since 1970-01-01"}
    if "devicename" in cols:
        devices = sorted(set(table.strings(cols.index("devicename"))))
        if len(devices) > 1:
            raise InputError(
                f"holds {len(devices)} devices ({', '.join(devices[:4])}): export one device per file",
                source,
            )
        if devices:
            metadata["device"] = f"WitMotion {devices[0]}"
    time_s = _chip_times(table, cols.index(_CHIP))
    acc_values = table.numbers(acc_idx)
    first = table.header_line + 1
    acc = Stream(time_s, acc_values, source, first)
    gyr = Stream(time_s, table.numbers(gyr_idx), source, first) if gyr_idx is not None else None
    return build_recording(
        FORMAT,
        container.path,
        acc,
        gyr,
        acc_declared="g",
        gyr_declared="deg/s",
        options=options,
        no_gravity_fix="WitMotion acceleration always includes gravity: check the file",
        metadata=metadata,
    )


def _chip_times(table: TextTable, index: int) -> FloatArray:
    texts = pd.Series(table.strings(index), dtype=object)
    parts = texts.str.extract(_CHIP_RE)
    bad = parts[0].isna().to_numpy()
    if not bad.any():
        frac = parts[6].fillna("0")
        stamps = pd.to_datetime(
            {
                "year": parts[0],
                "month": parts[1],
                "day": parts[2],
                "hour": parts[3],
                "minute": parts[4],
                "second": parts[5],
            },
            errors="coerce",
            utc=True,
        )
        bad = stamps.isna().to_numpy()
        if not bad.any():
            seconds = (stamps - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds().to_numpy(np.float64)
            scale = np.power(10.0, frac.str.len().to_numpy(np.float64))
            out: FloatArray = seconds + frac.astype(np.float64).to_numpy() / scale
            return out
    k = int(np.flatnonzero(bad)[0])
    data_lines = [i for i, line in enumerate(table.lines[table.header_line :]) if line.strip()]
    raise InputError(
        f"'Chip Time()' {str(texts[k])[:40]!r} is not a date and time like 2024-3-19 16:44:16.689",
        table.source,
        table.header_line + 1 + data_lines[k],
    )
