"""``imurep live -o`` never replaces a recording unless asked to (``--overwrite``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

_IMUREP = Path(sys.executable).with_name("imurep")


def test_live_refuses_to_overwrite_an_existing_recording(tmp_path: Path) -> None:
    if not _IMUREP.exists():
        pytest.skip(f"console script {_IMUREP} not installed (pip install -e .)")
    kept = tmp_path / "yesterday.csv"
    kept.write_text("time_s,acc_x,acc_y,acc_z\n0.0,0,0,9.81\n")
    cmd = [str(_IMUREP), "live", "--device", "virtual", "--duration", "1", "-o", str(kept)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f"imurep: error: {kept}: file exists") and "--overwrite" in last
    assert kept.read_text() == "time_s,acc_x,acc_y,acc_z\n0.0,0,0,9.81\n"
