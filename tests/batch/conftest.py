"""Batch fixtures: a folder of real recordings (MEx knee rolling) mixed with broken files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "mex-knee-rolling"
GOOD = ("mex_s01_knee_rolling.csv", "mex_s03_knee_rolling.csv", "mex_s04_knee_rolling.csv")
BAD = {
    "sub/short_row.csv": "time_s,acc_x,acc_y,acc_z\n0.00,0,0,9.81\n0.01,0,0\n",
    "sub/empty.csv": "",
    "sub/backwards.csv": "time_s,acc_x,acc_y,acc_z\n0.02,0,0,9.81\n0.01,0,0,9.81\n",
}


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    """3 good recordings (one in a subfolder), 3 broken ones, and files a batch must ignore."""
    root = tmp_path / "recordings"
    (root / "sub").mkdir(parents=True)
    shutil.copy(REAL / GOOD[0], root / GOOD[0])
    shutil.copy(REAL / GOOD[1], root / GOOD[1])
    shutil.copy(REAL / GOOD[2], root / "sub" / GOOD[2])
    for name, text in BAD.items():
        (root / name).write_text(text)
    (root / "notes.txt").write_text("not a recording")
    (root / ".hidden.csv").write_text("garbage")
    return root


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.drop(columns=["analysis_s"])
    out = out.sort_values(["path", "row_type", "index"], na_position="last", kind="stable")
    return out.reset_index(drop=True)


@pytest.fixture
def comparable() -> Callable[[pd.DataFrame], pd.DataFrame]:
    """Rows in a canonical order without the timing column (which differs run to run)."""
    return _comparable


@pytest.fixture
def bad_names() -> tuple[str, ...]:
    return tuple(BAD)
