"""phyphox CSV exports: a zip with one CSV per export set, plus ``meta/time.csv`` and ``meta/device.csv``.

Layout as phyphox-android's ``DataExport`` writes it: every set becomes ``<set name>.csv`` with
a header of quoted column names joined by the chosen separator (comma, tab or semicolon; the
decimal mark is ``.`` or ``,``), numbers like ``9.806650000E0``, ``NaN`` padding for shorter
columns. The bundled "Acceleration with g" experiment names its set ``Raw Data`` with columns
``"Time (s)","Acceleration x (m/s^2)",...``; "Gyroscope" uses ``"Gyroscope x (rad/s)"``;
"Linear Acceleration" (without g) uses ``"Linear Acceleration x (m/s^2)"``. Custom experiments
may put several sensors in one folder (``Accelerometer.csv``, ``Gyroscope.csv``) or one set (a
time column before each sensor's columns). The "minimal" export is a single CSV of the same shape.

``meta/time.csv`` maps experiment time to system (Unix) time at every START/PAUSE; with it the
samples keep Unix time, pauses showing as gaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from imurep.errors import InputError
from imurep.importers.container import ExportContainer
from imurep.importers.imported import ImportedRecording, ImportOptions, build_recording
from imurep.importers.streams import Stream, clean_stream
from imurep.importers.table import TextTable, parse_table, split_row
from imurep.samples import FloatArray

__all__ = ["FORMAT", "detect", "load"]

FORMAT = "phyphox"
_TIME_RE = re.compile(r"^(time( t)?|t) \(s\)$")
_KIND_RES = {
    "acc": re.compile(r"^acceleration ([xyz]) \(m/s\^2\)$"),
    "linear": re.compile(r"^linear acceleration ([xyz]) \(m/s\^2\)$"),
    "gravity": re.compile(r"^gravity ([xyz]) \(m/s\^2\)$"),
    "gyr": re.compile(r"^gyroscope ([xyz]) \(rad/s\)$"),
}


def _norm(name: str) -> str:
    return " ".join(name.strip().strip('"').replace("²", "^2").lower().split())


@dataclass(frozen=True)
class _Group:
    kind: str
    name: str
    time_col: int
    xyz_cols: tuple[int, int, int]


def _groups(columns: tuple[str, ...] | list[str], name: str) -> list[_Group]:
    """Sensor groups of one header: a time column, then that sensor's x, y, z columns."""
    out: list[_Group] = []
    time_col: int | None = None
    found: dict[str, dict[str, int]] = {}
    for i, col in enumerate(columns):
        n = _norm(col)
        if _TIME_RE.match(n):
            time_col = i
            continue
        for kind, rx in _KIND_RES.items():
            m = rx.match(n)
            if m and time_col is not None:
                found.setdefault(f"{time_col}:{kind}", {})[m.group(1)] = i
    for key, axes in found.items():
        t, kind = key.split(":")
        if set(axes) == {"x", "y", "z"}:
            out.append(_Group(kind, name, int(t), (axes["x"], axes["y"], axes["z"])))
    return out


def _header_groups(container: ExportContainer, name: str) -> list[_Group]:
    if name.lower().startswith("meta/") or not name.lower().endswith((".csv", ".txt")):
        return []
    header = container.header(name)
    delim = max((",", ";", "\t"), key=header.count)
    return _groups(split_row(header, delim), name)


def detect(container: ExportContainer) -> bool:
    """Whether any CSV of the export has a phyphox acceleration, gyroscope or gravity set."""
    return any(_header_groups(container, n) for n in container.names)


def load(container: ExportContainer, options: ImportOptions) -> ImportedRecording:
    """Import a phyphox export (zip, unpacked folder, or one CSV).

    Raises
    ------
    InputError
        No acceleration with g (only linear acceleration, or only a gyroscope), bad rows.
    """
    groups: dict[str, list[_Group]] = {}
    for name in container.names:
        for g in _header_groups(container, name):
            groups.setdefault(g.kind, []).append(g)
    tables: dict[str, TextTable] = {}
    warnings: list[str] = []
    metadata: dict[str, str] = {}
    offsets = _time_offsets(container)
    if offsets is not None:
        metadata["time-base"] = "Unix time (phyphox experiment time + meta/time.csv system time)"
    else:
        metadata["time-base"] = "phyphox experiment time (s since start; no meta/time.csv)"
    metadata.update(_device(container))

    def stream(kind: str) -> Stream | None:
        found = groups.get(kind, [])
        if not found:
            return None
        g = found[0]
        if len(found) > 1:
            others = ", ".join(container.display(o.name) for o in found[1:])
            warnings.append(f"several {kind} sets; used {container.display(g.name)}, ignored {others}")
        if g.name not in tables:
            tables[g.name] = parse_table(container.read(g.name), container.display(g.name))
        table = tables[g.name]
        values = table.numbers([g.time_col, *g.xyz_cols])
        t = values[:, 0] if offsets is None else _apply_offsets(values[:, 0], offsets)
        return Stream(t, values[:, 1:4], table.source, table.header_line + 1)

    acc = stream("acc")
    if acc is None:
        linear, gravity = stream("linear"), stream("gravity")
        if linear is not None and gravity is not None:
            acc = _sum(linear, gravity)
            metadata["acceleration"] = "linear acceleration + gravity (gravity rebuilt)"
            warnings.append("phyphox linear acceleration has no gravity: added the gravity set")
        elif linear is not None:
            raise InputError(
                "phyphox 'Linear Acceleration' has no gravity: record with the 'Acceleration with g' "
                "experiment (or export a gravity set beside it)",
                linear.source,
            )
        else:
            raise InputError(
                "this phyphox export has no accelerometer (only a gyroscope): record with "
                "'Acceleration with g', or a custom experiment with both sensors",
                container.path,
            )
    return build_recording(
        FORMAT,
        container.path,
        acc,
        stream("gyr"),
        acc_declared="m/s2",
        gyr_declared="rad/s",
        options=options,
        no_gravity_fix="record with phyphox's 'Acceleration with g' experiment",
        metadata=metadata,
        warnings=warnings,
    )


def _sum(a: Stream, b: Stream) -> Stream:
    a, _ = clean_stream(a, "linear acceleration")
    b, _ = clean_stream(b, "gravity")
    g = np.column_stack([np.interp(a.time_s, b.time_s, b.values[:, j]) for j in range(3)])
    return Stream(a.time_s, a.values + g, a.source, a.first_line)


def _time_offsets(container: ExportContainer) -> FloatArray | None:
    """(K, 2) rows of (experiment time, system - experiment time) at each START, or ``None``."""
    name = container.find("time.csv")
    if name is None or not name.lower().endswith("meta/time.csv"):
        return None
    try:
        table = parse_table(container.read(name), container.display(name))
        cols = [_norm(c) for c in table.columns]
        ev, ex, sy = cols.index("event"), cols.index("experiment time"), cols.index("system time")
        events = table.strings(ev)
        values = table.numbers([ex, sy])
    except (InputError, ValueError):
        return None
    starts = [i for i, e in enumerate(events) if e.strip('"').upper() == "START"]
    if not starts:
        return None
    rows = values[starts]
    if not np.all(np.isfinite(rows)):
        return None
    return np.column_stack([rows[:, 0], rows[:, 1] - rows[:, 0]])


def _apply_offsets(t: FloatArray, offsets: FloatArray) -> FloatArray:
    k = np.searchsorted(offsets[:, 0], t, side="right") - 1
    shifted: FloatArray = t + offsets[np.clip(k, 0, offsets.shape[0] - 1), 1]
    return shifted


def _device(container: ExportContainer) -> dict[str, str]:
    name = container.find("device.csv")
    if name is None or not name.lower().endswith("meta/device.csv"):
        return {}
    try:
        table = parse_table(container.read(name), container.display(name))
        props = dict(zip(table.strings(0), table.strings(1), strict=True))
    except (InputError, ValueError):
        return {}
    props = {k.strip('"'): v.strip('"') for k, v in props.items()}
    parts = [props.get(k, "") for k in ("deviceBrand", "deviceModel")]
    device = " ".join(p for p in parts if p)
    return {"device": " ".join(f"{device} (phyphox)".split())} if device else {}
