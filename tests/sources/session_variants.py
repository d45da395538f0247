"""Copies of ``recordings/session.csv`` (17 reps) with other units, time columns or bad cells."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).parents[2]
SESSION = ROOT / "recordings" / "session.csv"
SESSION_REPS = 17

_G = 9.80665


def session_lines() -> tuple[list[str], str, list[list[float]]]:
    """Metadata lines, the header line and the data rows of the sample session."""
    lines = SESSION.read_text().splitlines()
    meta = [line for line in lines if line.startswith("#")]
    header = next(line for line in lines if not line.startswith("#"))
    rows = [[float(x) for x in line.split(",")] for line in lines[len(meta) + 1 :]]
    return meta, header, rows


def write_variant(
    path: Path,
    acc_scale: float = 1.0,
    gyr_scale: float = 1.0,
    time: Callable[[np.ndarray], np.ndarray] | None = None,
    extra_meta: tuple[str, ...] = (),
    keep_meta: bool = True,
    cells: dict[tuple[int, int], str] | None = None,
) -> Path:
    """Write the session with acc × ``acc_scale``, gyro × ``gyr_scale``, times mapped by ``time``.

    ``cells`` replaces single cells: ``{(row, column): text}`` (0-based data row and column).
    """
    meta, header, rows = session_lines()
    values = np.asarray(rows)
    if time is not None:
        values[:, 0] = time(values[:, 0])
    values[:, 1:4] *= acc_scale
    values[:, 4:7] *= gyr_scale
    out = [*(meta if keep_meta else []), *extra_meta, header]
    for i, row in enumerate(values):
        texts = [repr(float(row[0]))] + [f"{v:.6g}" for v in row[1:]]
        for (r, c), text in (cells or {}).items():
            if r == i:
                texts[c] = text
        out.append(",".join(texts))
    path.write_text("\n".join(out) + "\n")
    return path


def g_acc() -> float:
    return 1.0 / _G


def mg_acc() -> float:
    return 1000.0 / _G


def deg_gyr() -> float:
    return float(180.0 / np.pi)
