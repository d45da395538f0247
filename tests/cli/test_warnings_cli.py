"""Python warnings reach the user as the tool's own one-line ``imurep: warning: ...``, without the
source line Python prints under a warning."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "mex-knee-rolling" / "mex_s01_knee_rolling.csv"


def _analyze(*paths: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "imurep.cli.main", "analyze", *map(str, paths)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_a_torn_last_line_is_one_warning_line(tmp_path: Path) -> None:
    torn = tmp_path / "torn.csv"
    torn.write_bytes(REAL.read_bytes()[:-7])  # a writer stopped mid-line
    proc = _analyze(torn)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith(f"imurep: warning: {torn}:")
    assert proc.stderr.count("\n") == 1 and "; dropped it\n" in proc.stderr  # no source line under it


def test_values_that_would_overflow_are_said_once_never_as_raw_numpy_warnings(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    rows = [f"{i * 0.01:.2f},0,0,{1e300 if i % 100 == 50 else 9.81}" for i in range(3000)]
    huge.write_text("time_s,acc_x,acc_y,acc_z\n" + "\n".join(rows) + "\n")
    proc = _analyze(huge)
    assert proc.returncode == 0, proc.stderr
    assert "RuntimeWarning" not in proc.stderr and "overflow" not in proc.stderr, proc.stderr
    said = [line for line in proc.stdout.splitlines() if "physically impossible" in line]
    assert len(said) == 1 and "30 samples" in said[0], proc.stdout
