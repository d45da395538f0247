"""A batch killed with SIGKILL loses nothing it had finished, and the re-run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from imurep.batch import read_results


def test_sigkill_then_resume(tmp_path: Path, eight_long_recordings: Path) -> None:
    folder = eight_long_recordings
    out = tmp_path / "results.csv"
    cmd = [sys.executable, "-m", "imurep.cli.main", "batch", str(folder), "-o", str(out)]
    cmd += ["--mount", "auto", "--jobs", "2", "--no-progress"]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30.0
        while time.monotonic() < deadline:
            if out.exists() and out.read_bytes().count(b"\nfile,") >= 1:
                break
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    done_before = read_results(out)
    n_done = int((done_before["row_type"] == "file").sum())
    assert 1 <= n_done < 8  # killed part-way, the finished files are on disk

    rerun = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert f"8 recordings: {8 - n_done} analysed, {n_done} already done" in rerun.stderr
    table = read_results(out)
    files = table[table["row_type"] == "file"]
    assert len(files) == 8 and files["path"].is_unique and files["error"].isna().all()
    reps = table[table["row_type"] == "rep"].groupby("path").size()
    assert (reps.loc[files["path"]].to_numpy() == files["n_reps"].to_numpy()).all()
    assert files["n_reps"].nunique() == 1 and files["n_reps"].iloc[0] > 200
