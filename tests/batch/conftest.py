"""Batch fixtures: a folder of real recordings (MEx knee rolling) mixed with broken files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imurep.recording import read_recording, write_recording
from imurep.samples import SampleBlock

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


@pytest.fixture
def long_recording() -> Callable[[Path, int], None]:
    """Writes real MEx sessions end to end, times shifted into one recording (~1 min each)."""
    return _long_recording


@pytest.fixture
def eight_long_recordings(tmp_path: Path) -> Path:
    """A folder of 8 copies of a 15-session recording (a batch that takes a while to finish)."""
    folder = tmp_path / "in"
    folder.mkdir()
    _long_recording(folder / "r00.csv", 15)
    for i in range(1, 8):
        (folder / f"r{i:02d}.csv").write_bytes((folder / "r00.csv").read_bytes())
    return folder


def _long_recording(path: Path, n_sessions: int) -> None:
    """Real MEx sessions end to end, times shifted into one recording (~1 min each)."""
    blocks = [read_recording(p).samples for p in sorted(REAL.glob("mex_s*.csv"))[:n_sessions]]
    t0, times = 0.0, []
    for b in blocks:
        times.append(b.time_s - b.time_s[0] + t0)
        t0 = times[-1][-1] + 0.01
    acc = np.concatenate([b.acc_m_s2 for b in blocks])
    write_recording(path, SampleBlock(np.concatenate(times), acc), {"device": "test"})


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
