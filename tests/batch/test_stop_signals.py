"""SIGINT or SIGTERM ends a batch within a second: what was done is kept, the resume command is
printed, no worker process is left behind, and the exit status says it was stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from imurep.batch import read_results


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc: children, their children, ...)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents.setdefault(int(fields[1]), []).append(int(entry))
    out: set[int] = set()
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode()[:200]
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return f"{pid} (state {fields[0]}, parent {fields[1]}): {cmd}"
    except OSError:
        return f"{pid}: gone"


def _alive(pids: set[int]) -> set[int]:
    """The processes of ``pids`` still running: not gone, not a zombie, and not already in the
    kernel's exit (its memory released: no command line), which a loaded machine can stretch."""
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                exiting = not f.read()
        except OSError:
            continue
        if state not in ("Z", "X") and not exiting:
            alive.add(pid)
    return alive


@pytest.mark.parametrize(
    ("sig", "code", "jobs"), [(signal.SIGTERM, 143, 2), (signal.SIGINT, 130, 2), (signal.SIGTERM, 143, 1)]
)
def test_stop_signal_ends_the_batch_within_a_second(
    tmp_path: Path, eight_long_recordings: Path, sig: signal.Signals, code: int, jobs: int
) -> None:
    folder = eight_long_recordings
    out = tmp_path / "results.csv"
    cmd = [sys.executable, "-m", "imurep.cli.main", "batch", str(folder), "-o", str(out)]
    cmd += ["--mount", "auto", "--jobs", str(jobs), "--no-progress"]
    with subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True) as proc:
        try:
            deadline = time.monotonic() + 60.0
            while time.monotonic() < deadline:
                if out.exists() and out.read_bytes().count(b"\nfile,") >= 1:
                    break
                time.sleep(0.02)
            time.sleep(0.3)  # well inside the next files
            below = _descendants(proc.pid)
            assert len(below) >= (2 if jobs > 1 else 0)  # the workers (and the forkserver)
            sent = time.monotonic()
            os.kill(proc.pid, sig)
            proc.wait(timeout=10)
            took_s = time.monotonic() - sent
            while _alive(below) and time.monotonic() - sent < 1.0:
                time.sleep(0.02)
            lingering = _alive(below)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.stderr is not None
        err = proc.stderr.read()
    assert took_s < 1.0, err
    assert not lingering, f"processes left behind: {[_cmdline(p) for p in lingering]}"
    assert proc.returncode == code, err
    n_done = int((read_results(out)["row_type"] == "file").sum())
    assert 1 <= n_done < 8
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert lines[0] == (f"imurep batch: stopped by {sig.name}: {n_done} of 8 recordings done, kept in {out}")
    assert lines[1].startswith("imurep batch: to go on, run: imurep batch ")
    assert "Traceback" not in err

    resume = lines[1].split("run: ", 1)[1]
    assert resume == f"imurep batch {folder} -o {out} --mount auto" + (f" --jobs {jobs}" if jobs > 1 else "")
    rerun = subprocess.run(
        [sys.executable, "-m", "imurep.cli.main", *resume.split()[1:], "--no-progress"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"8 recordings: {8 - n_done} analysed, {n_done} already done" in rerun.stderr
