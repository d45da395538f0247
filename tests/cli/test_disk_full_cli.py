"""``imurep record`` / ``imurep live -o`` on a disk that fills up: a real tiny tmpfs, and /dev/full.

Expected: one line ``imurep COMMAND: disk full writing FILE after N samples; the recording up to
T s is kept``, exit code 2, no traceback, and the file reads back valid with at least those N
samples spanning at least T s (a line torn by the last, partial write is dropped by the reader).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from imurep.recording import RecordingWarning, read_recording

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="tmpfs and /dev/full are Linux")

_IMUREP = Path(sys.executable).with_name("imurep")
# 64 KiB hold about 1000 samples (~60 bytes a row): full after ~2 s at --speed 20.
_TMPFS_SIZE = "64k"


@contextlib.contextmanager
def _tiny_tmpfs(mount_point: Path) -> Iterator[Path]:
    mount_point.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={_TMPFS_SIZE}", "tmpfs", str(mount_point)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except FileNotFoundError:
        pytest.skip("no mount command here")
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True, timeout=30)


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    if not _IMUREP.exists():
        pytest.skip(f"console script {_IMUREP} not installed (pip install -e .)")
    return subprocess.run([str(_IMUREP), *args], capture_output=True, text=True, timeout=180)


def _check_disk_full(proc: subprocess.CompletedProcess[str], command: str, path: Path) -> None:
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    line = proc.stderr.strip().splitlines()[-1]
    m = re.fullmatch(
        rf"imurep {command}: disk full writing {re.escape(str(path))} after (\d+) samples; "
        r"the recording up to ([0-9.]+) s is kept",
        line,
    )
    assert m, proc.stderr[-2000:]
    kept, kept_s = int(m.group(1)), float(m.group(2))
    assert kept > 100, line  # the disk held a good part of the session before it filled
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RecordingWarning)  # a line torn by the partial write
        samples = read_recording(path).samples
    assert len(samples) >= kept
    assert (np.diff(samples.time_s) > 0).all()
    assert samples.time_s[-1] - samples.time_s[0] >= kept_s - 0.05


@pytest.mark.timeout(300)
@pytest.mark.parametrize("command", ["record", "live"])
def test_recording_until_a_real_tmpfs_is_full(command: str, tmp_path: Path) -> None:
    with _tiny_tmpfs(tmp_path / "mnt") as disk:
        path = disk / "session.csv"
        args = [command, "--device", "virtual", "--speed", "20", "-o", str(path)]
        if command == "live":
            args.append("--json")
        proc = _run(args)
        _check_disk_full(proc, command, path)
        assert os.statvfs(disk).f_bavail == 0  # the disk really is full
        if command == "live":  # the analysis of what arrived is printed all the same
            quality = json.loads(proc.stdout)["data_quality"]
            kept = int(proc.stderr.strip().splitlines()[-1].split(" after ")[1].split()[0])
            assert quality["n_samples"] >= kept
            line = proc.stderr.strip().splitlines()[-1]
            assert line.startswith(f"imurep {command}: disk full")  # on its own line, not after the view


@pytest.mark.timeout(300)
@pytest.mark.parametrize("command", ["record", "live"])
def test_a_disk_full_before_the_first_sample_says_nothing_was_recorded(command: str, tmp_path: Path) -> None:
    with _tiny_tmpfs(tmp_path / "mnt") as disk:
        fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)  # fill the disk first
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"x" * 512)
        os.close(fd)
        assert os.statvfs(disk).f_bavail == 0
        path = disk / "session.csv"
        proc = _run([command, "--device", "virtual", "--speed", "20", "--duration", "2", "-o", str(path)])
        assert proc.returncode == 2, proc.stderr[-2000:]
        assert "Traceback" not in proc.stderr
        assert proc.stderr.strip().splitlines()[-1] == (
            f"imurep {command}: disk full writing {path}: nothing was recorded; free some space and try again"
        )
        assert not path.exists()  # no empty (or torn-header) file left behind


@pytest.mark.parametrize("command", ["record", "live"])
def test_dev_full_is_refused_in_one_line(command: str) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    proc = _run([command, "--device", "virtual", "--duration", "2", "--overwrite", "-o", "/dev/full"])
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == (
        f"imurep {command}: disk full writing /dev/full: nothing was recorded; free some space and try again"
    )
    assert os.path.exists("/dev/full")  # a device is never removed
