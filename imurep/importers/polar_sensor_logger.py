"""Polar Sensor Logger (Android app for Polar Verity Sense, H10, OH1): one text file per stream.

Layout (real export in ``tests/data/formats/polar-sensor-logger``): semicolon-separated text,
``Polar_<device>_..._ACC.txt`` with ``Phone timestamp;sensor timestamp [ns];X [mg];Y [mg];Z [mg]``
and ``..._GYRO.txt`` with ``X [dps]`` columns; ``MARKER.txt`` and other streams (HR, PPG, PPI,
MAGN) are ignored. The sensor timestamp counts nanoseconds from 2000-01-01T00:00:00 (the Polar
epoch) on the clock the phone set, usually local time; it is kept, shifted to the Unix epoch.
"""

from __future__ import annotations

import re

from imurep.errors import InputError
from imurep.importers.container import ExportContainer
from imurep.importers.imported import ImportedRecording, ImportOptions, build_recording
from imurep.importers.streams import Stream
from imurep.importers.table import parse_table

__all__ = ["FORMAT", "detect", "load"]

FORMAT = "polar-sensor-logger"
# Seconds from 1970-01-01 to 2000-01-01, the epoch of Polar sensor timestamps.
POLAR_EPOCH_UNIX_S = 946_684_800.0
_TIME_COL = "sensor timestamp [ns]"
_AXIS_RE = re.compile(r"^([xyz]) \[(mg|dps)\]$")


def _kind(header: str) -> str | None:
    """``"acc"``, ``"gyr"`` or ``None`` from a header line."""
    cells = [c.strip().lower() for c in header.split(";")]
    if _TIME_COL not in cells:
        return None
    units = {m.group(2) for c in cells if (m := _AXIS_RE.match(c))}
    if units == {"mg"}:
        return "acc"
    if units == {"dps"}:
        return "gyr"
    return None


def detect(container: ExportContainer) -> bool:
    """Whether the export holds a Polar Sensor Logger ACC file."""
    return any(_kind(container.header(n)) == "acc" for n in container.names)


def _read(container: ExportContainer, name: str) -> Stream:
    source = container.display(name)
    table = parse_table(container.read(name), source)
    cols = tuple(c.lower() for c in table.columns)
    idx = [table.index(_TIME_COL, cols), *(table.index(f"{a} [{u}]", cols) for a, u in _axes(cols))]
    values = table.numbers(idx)
    return Stream(values[:, 0] / 1e9 + POLAR_EPOCH_UNIX_S, values[:, 1:4], source, table.header_line + 1)


def _axes(cols: tuple[str, ...]) -> list[tuple[str, str]]:
    unit = "mg" if "x [mg]" in cols else "dps"
    return [(a, unit) for a in "xyz"]


def load(container: ExportContainer, options: ImportOptions) -> ImportedRecording:
    """Import a Polar Sensor Logger export (the ACC file, a folder or a zip).

    Raises
    ------
    InputError
        Several ACC files (several devices or sessions), bad rows.
    """
    kinds = {n: _kind(container.header(n)) for n in container.names}
    acc_names = [n for n, k in kinds.items() if k == "acc"]
    gyr_names = [n for n, k in kinds.items() if k == "gyr"]
    if len(acc_names) > 1 or len(gyr_names) > 1:
        listed = ", ".join(container.basename(n) for n in acc_names + gyr_names)
        raise InputError(
            f"holds several Polar ACC/GYRO files ({listed}): import one recording's files at a time",
            container.path,
        )
    acc = _read(container, acc_names[0])
    gyr = _read(container, gyr_names[0]) if gyr_names else None
    metadata = {
        "time-base": "Polar sensor clock (ns since 2000-01-01 as set by the phone) as Unix-epoch seconds",
    }
    m = re.match(r"^Polar_([^_]+)", container.basename(acc_names[0]))
    if m:
        metadata["device"] = f"Polar {m.group(1)} (Polar Sensor Logger)"
    return build_recording(
        FORMAT,
        container.path,
        acc,
        gyr,
        acc_declared="mg",
        gyr_declared="deg/s",
        options=options,
        no_gravity_fix="Polar ACC always includes gravity: check the file",
        metadata=metadata,
    )
