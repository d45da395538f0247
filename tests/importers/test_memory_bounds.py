"""Peak memory stays under 1 GB for any input: bombs and huge files are refused in one line (slow).

Each command runs in a child process whose peak RSS is taken from ``os.wait4``. Before the caps,
a 256 MiB zip bomb peaked at 3.8 GB, a 1 GB plain CSV at 8 GB and ``/dev/zero`` ended in an
internal error at 5.5 GB. Now an import holds at most ``MAX_MEMBER_BYTES`` (128 MiB) of one file
(refused first from the size the zip or the file system declares, then by a bounded read), and
gzip files, zip members of our format and pipes are unpacked to a spool of at most
``MAX_SPOOL_BYTES`` (512 MiB) on disk (a gzip trailer is not trusted: a damaged file's can say
anything). The largest accepted import (a plain CSV just under the
cap) must stay under the bound too.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from imurep.importers.compressed import MAX_SPOOL_BYTES
from imurep.importers.container import MAX_MEMBER_BYTES

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.skipif(sys.platform != "linux", reason="os.wait4 ru_maxrss in KiB"),
]

_LIMIT_MB = 1000
_PLAIN_HEADER = b"time,ax,ay,az,gx,gy,gz\n"
_OWN_HEADER = b"# imurep-recording: 1\ntime_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n"


def _rows(n: int, t0: float = 0.0) -> bytes:
    """``n`` rows at 100 Hz of a slow roll about x (so that the units can be told from the data)."""
    t = t0 + np.arange(n) / 100
    theta = 0.6 * np.sin(2 * np.pi * 0.25 * t)
    rate = 0.6 * 2 * np.pi * 0.25 * np.cos(2 * np.pi * 0.25 * t)
    cols = np.column_stack([t, 0 * t, 9.80665 * np.sin(theta), 9.80665 * np.cos(theta), rate, 0 * t, 0 * t])
    return "".join(
        f"{a:.2f},{b:.4f},{c:.4f},{d:.4f},{e:.6f},{f:.6f},{g:.6f}\n" for a, b, c, d, e, f, g in cols.tolist()
    ).encode()


_ROW = b"0.00,0.0123,-0.0456,9.8066,0.001234,-0.002345,0.000123\n"
_MIB_OF_ROWS = _ROW * ((1 << 20) // len(_ROW))  # about 1 MiB, compressing about 1000:1 (a bomb)


def _write_text(f: zipfile.ZipExtFile | gzip.GzipFile | object, header: bytes, mib: int) -> None:
    f.write(header)  # type: ignore[attr-defined]
    for _ in range(mib):
        f.write(_MIB_OF_ROWS)  # type: ignore[attr-defined]


def _measured(args: list[str], stdin_path: str | None = None) -> tuple[int, str, int, float]:
    """Run the CLI with ``args``; (exit code, stderr, peak RSS in MB, wall s) of that child."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "imurep", *args],
            stdin=stdin,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert proc.stderr is not None
        err = proc.stderr.read().decode()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        proc.stderr.close()
    finally:
        if stdin_path:
            stdin.close()  # type: ignore[union-attr]
    wall = time.monotonic() - started
    code = proc.returncode
    print(f"imurep {' '.join(args)}: exit {code}, {usage.ru_maxrss // 1024} MB, {wall:.1f} s; {err.strip()}")
    return code, err, usage.ru_maxrss // 1024, wall


def _assert_refused(args: list[str], rule: str, stdin_path: str | None = None) -> None:
    code, err, peak_mb, _ = _measured(args, stdin_path)
    assert code == 2, err
    assert peak_mb <= _LIMIT_MB
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("imurep: error: ") and rule in lines[0], err


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("big")
    files: dict[str, Path] = {}
    # A zip bomb: 256 MiB of plain CSV text in a zip of about 1 MB.
    files["bomb"] = d / "bomb.zip"
    with zipfile.ZipFile(files["bomb"], "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("data.csv", "w", force_zip64=True) as f:
            _write_text(f, _PLAIN_HEADER, 256)
    # The same for our own format (read through a spool, not in memory).
    files["own_bomb"] = d / "own_bomb.zip"
    with zipfile.ZipFile(files["own_bomb"], "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("rec.csv", "w", force_zip64=True) as f:
            _write_text(f, _OWN_HEADER, (MAX_SPOOL_BYTES >> 20) + 64)
    # A large .gz, in one member and in two (whose trailer gives only the last one's size).
    files["gz"] = d / "big.csv.gz"
    with gzip.open(files["gz"], "wb", compresslevel=1) as f:
        _write_text(f, _OWN_HEADER, (MAX_SPOOL_BYTES >> 20) + 64)
    files["gz_hidden"] = d / "hidden.csv.gz"
    with files["gz_hidden"].open("wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) as f:
            _write_text(f, _OWN_HEADER, (MAX_SPOOL_BYTES >> 20) + 64)
        raw.write(gzip.compress(b"", compresslevel=1))
    # A 1 GiB text file with a plain CSV header.
    files["plain"] = d / "huge.csv"
    with files["plain"].open("wb") as f:
        _write_text(f, _PLAIN_HEADER, 1024)
    # The largest plain CSV an import takes.
    files["largest"] = d / "largest.csv"
    with files["largest"].open("wb") as f:
        f.write(_PLAIN_HEADER)
        n_rows = 0
        while f.tell() < MAX_MEMBER_BYTES - (1 << 20):
            f.write(_rows(10_000, n_rows / 100))
            n_rows += 10_000
    return files


_REFUSALS = {
    "bomb": "larger than 128 MiB uncompressed, the most an import holds in memory",
    "own_bomb": "uncompressed content is larger than 512 MiB",
    "gz": "uncompressed content is larger than 512 MiB",
    "gz_hidden": "uncompressed content is larger than 512 MiB",
    "plain": "larger than 128 MiB uncompressed",
}


@pytest.mark.parametrize("name", sorted(_REFUSALS))
@pytest.mark.parametrize("command", ["import", "analyze"])
def test_a_bomb_or_huge_file_is_refused_with_bounded_memory(
    big: dict[str, Path], tmp_path: Path, command: str, name: str
) -> None:
    """Zip bombs (plain CSV, our format), large .gz (one member or two), a 1 GiB plain CSV."""
    args = [command, str(big[name])] + (["-o", str(tmp_path / "o.csv")] if command == "import" else [])
    _assert_refused(args, _REFUSALS[name])


def test_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    _assert_refused(["import", "/dev/zero", "-o", str(tmp_path / "o.csv")], "is not a regular file")
    _assert_refused(["analyze", "/dev/zero"], "is not a regular file")
    _assert_refused(["analyze", "-"], "binary content", stdin_path="/dev/zero")


def test_the_largest_import_stays_under_the_bound(big: dict[str, Path], tmp_path: Path) -> None:
    for args in (
        ["import", str(big["largest"]), "-o", str(tmp_path / "o.csv")],
        ["analyze", str(big["largest"])],
    ):
        code, err, peak_mb, _ = _measured(args)
        assert code == 0, err
        assert peak_mb <= _LIMIT_MB
