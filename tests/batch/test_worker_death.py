"""A worker process killed mid-file (as the out-of-memory killer does): that file gets an error,
the batch goes on with a fresh pool, and a re-run analyses that file again."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from imurep.batch import read_results, run_batch
from imurep.batch.runner import BatchSummary

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "mex-knee-rolling"

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux /proc")


def _pids_holding(path: str) -> list[int]:
    """Processes other than this one with ``path`` open (read from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            fds = os.listdir(f"/proc/{entry}/fd")
            if any(os.readlink(f"/proc/{entry}/fd/{fd}") == path for fd in fds):
                found.append(int(entry))
        except OSError:  # gone, or not ours
            continue
    return found


def test_killed_worker_fails_only_its_file_and_rerun_retries_it(
    tmp_path: Path, long_recording: Callable[[Path, int], None]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    big = folder / "big.csv"
    long_recording(big, 15)  # ~15 min: analysed long enough to be caught
    small = sorted(REAL.glob("mex_s*.csv"))[:5]
    for p in small:
        shutil.copy(p, folder / p.name)
    out = tmp_path / "results.csv"
    summary: list[BatchSummary] = []
    batch = threading.Thread(
        target=lambda: summary.append(run_batch([folder], out, mount="auto", jobs=2, progress=False))
    )
    batch.start()
    target = os.path.realpath(big)
    killed: list[int] = []
    deadline = time.monotonic() + 60.0
    while batch.is_alive() and not killed and time.monotonic() < deadline:
        for pid in _pids_holding(target):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        time.sleep(0.002)
    batch.join(120.0)
    assert killed, "never saw a worker with the big file open"
    assert not batch.is_alive() and summary

    assert (summary[0].n_found, summary[0].n_analyzed, summary[0].n_failed) == (6, 6, 1)
    table = read_results(out)
    files = table[table["row_type"] == "file"].set_index("path")
    assert files.index.is_unique and len(files) == 6
    error = str(files.loc[str(big), "error"])
    assert error == "worker process died while analysing it (killed by SIGKILL)"
    others = files.drop(index=str(big))
    assert others["error"].isna().all() and (others["n_reps"] > 0).all()
    reps_before = table[table["row_type"] == "rep"].groupby("path").size()

    # Re-run: the file whose worker died is analysed again; the others stay done.
    again = run_batch([folder], out, mount="auto", jobs=2, progress=False)
    assert (again.n_skipped, again.n_analyzed, again.n_failed) == (5, 1, 0)
    table = read_results(out)
    files = table[table["row_type"] == "file"].set_index("path")
    assert files.index.is_unique and len(files) == 6 and files["error"].isna().all()
    assert files.loc[str(big), "n_reps"] > 0
    reps_after = table[table["row_type"] == "rep"].groupby("path").size()
    assert reps_after.drop(index=str(big)).equals(reps_before)
