"""A ~2 GB recording (31.7 M samples, 88 h at 100 Hz) streamed with bounded memory (slow).

The file is written quickly (one 100 000-row block formatted once, repeated with shifted times),
then read in child processes whose peak RSS is taken from ``os.wait4``:

* the streaming reader (``iter_recording``): peak RSS < 650 MB. Why that bound: importing numpy,
  pandas and imurep takes ~110 MB; the reader then holds at most ``2 * workers`` (≤ 8) byte
  chunks of 4 MiB and their parsed rows (~3.4 MB each), plus one 200 000-sample block (11 MB)
  and its concatenation copy: ~100 MB more whatever the file's length. Holding the samples would
  take 31.7 M × 56 B = 1.8 GB. Measured peaks vary from run to run with the same code (253 MB,
  then 475 MB on a quieter machine; 232–250 MB on a 1 GB file): the parser threads' allocations are
  not returned at once. The bound leaves room for that and still fails if the samples are held.
* ``imurep analyze F --json``: the same streaming plus the pipeline, which keeps no angle trace
  here (``keep_trace=False``: the trace is for plots) and otherwise only its filter states and
  the sets and reps found. Bound: 650 MB, as above (measured 363 MB; with the trace it was 730 MB, since
  3 float64 at 25 Hz grow by 600 B per recorded second; ~1.8 GB if the samples were held).
* a bad cell near the end: the one-line error names the exact line.

The file lives in pytest's tmp_path under /tmp and is deleted at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

_RATE_HZ = 100
_BLOCK_ROWS = 100_000  # 1000 s per block
_TARGET_BYTES = 2_000_000_000
_HEADER = b"# imurep-recording: 1\n# device: generated\ntime_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n"
_HEADER_LINES = 3
_ACC_Z_MEAN_M_S2 = 9.80665

_STREAM = textwrap.dedent(
    """
    import sys
    import numpy as np
    from imurep.recording import iter_recording

    n, last_s, acc_sum = 0, float("nan"), np.zeros(3)
    for block in iter_recording(sys.argv[1]):
        assert (np.diff(block.time_s) > 0).all()
        n += len(block)
        last_s = float(block.time_s[-1])
        acc_sum += block.acc_m_s2.sum(axis=0)
    print(n, last_s, *(acc_sum / n))
    """
)


def _write_big_recording(path: Path) -> int:
    """Write ~2 GB of a still, lying-flat sensor; return the number of samples."""
    j = np.arange(_BLOCK_ROWS)
    rng = np.random.default_rng(0)
    acc = np.column_stack([0.05 * np.sin(j / 50), 0.03 * np.cos(j / 70), np.full(j.size, _ACC_Z_MEAN_M_S2)])
    acc += rng.normal(0.0, 0.02, acc.shape)
    gyr = rng.normal(0.0, 0.01, (j.size, 3))
    # Times are written as "<k><sss>.<cc>": block k's seconds are a prefix k before 3 digits.
    cols = np.column_stack([j // _RATE_HZ, j % _RATE_HZ, acc, gyr])
    row = "%03d.%02d,%.5f,%.5f,%.5f,%.6f,%.6f,%.6f\n"
    body = "".join(row % tuple(r) for r in cols.tolist()).encode()
    written, blocks = 0, 0
    with path.open("wb") as f:
        f.write(_HEADER)
        while written < _TARGET_BYTES:
            prefix = str(blocks).encode() if blocks else b""
            chunk = prefix + body[:-1].replace(b"\n", b"\n" + prefix) + b"\n" if prefix else body
            f.write(chunk)
            written += len(chunk)
            blocks += 1
    return blocks * _BLOCK_ROWS


def _run_measured(args: list[str], out: Path) -> tuple[int, str, str, int]:
    """Run ``args``; return (exit code, stdout, stderr, peak RSS in MB) of that one child."""
    with out.with_suffix(".out").open("w+") as so, out.with_suffix(".err").open("w+") as se:
        started = time.monotonic()
        proc = subprocess.Popen(args, stdout=so, stderr=se)
        _, status, usage = os.wait4(proc.pid, 0)
        print(f"{Path(args[0]).name} ... {args[-1]}: {time.monotonic() - started:.1f} s wall")
        proc.returncode = os.waitstatus_to_exitcode(status)
        so.seek(0)
        se.seek(0)
        return proc.returncode, so.read(), se.read(), usage.ru_maxrss // 1024  # KiB on Linux


def _corrupt_a_row_near_the_end(path: Path, rows_from_end: int) -> None:
    """Overwrite the first character of the acc_x cell of the ``rows_from_end``-th row from the end
    (1: the last row) with ``x``; the file keeps its length."""
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(size - 200_000)
        tail = f.read()
        ends = [i for i, c in enumerate(tail) if c == 0x0A]
        start = ends[-rows_from_end - 1] + 1  # first byte of the chosen row within ``tail``
        comma = tail.index(b",", start)
        f.seek(size - 200_000 + comma + 1)
        f.write(b"x")
    assert path.stat().st_size == size


@pytest.mark.skipif(sys.platform != "linux", reason="os.wait4 ru_maxrss in KiB, /tmp space")
def test_two_gigabyte_recording_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "two_gigabytes.csv"
    try:
        started = time.monotonic()
        n = _write_big_recording(path)
        print(f"\nwriting the file: {time.monotonic() - started:.1f} s")
        assert path.stat().st_size >= _TARGET_BYTES
        print(f"\nwrote {path.stat().st_size / 1e9:.2f} GB, {n} samples")

        code, out, err, peak_mb = _run_measured([sys.executable, "-c", _STREAM, str(path)], tmp_path / "s")
        assert code == 0, err[-2000:]
        count, last_s, *acc_mean = out.split()
        print(f"iter_recording: peak RSS {peak_mb} MB")
        assert int(count) == n
        assert float(last_s) == pytest.approx((n - 1) / _RATE_HZ, abs=1e-6)
        assert float(acc_mean[2]) == pytest.approx(_ACC_Z_MEAN_M_S2, abs=0.01)
        assert peak_mb < 650

        imurep = str(Path(sys.executable).with_name("imurep"))
        code, out, err, peak_mb = _run_measured([imurep, "analyze", str(path), "--json"], tmp_path / "a")
        assert code == 0, err[-2000:]
        result = json.loads(out)
        print(f"imurep analyze --json: peak RSS {peak_mb} MB")
        assert result["data_quality"]["n_samples"] == n
        assert result["duration_s"] == pytest.approx((n - 1) / _RATE_HZ, abs=0.01)
        assert result["sample_rate_hz"] == pytest.approx(_RATE_HZ)
        assert result["reps"] == []  # a still sensor: nothing to count
        assert result["data_quality"]["gaps"] == [] and result["data_quality"]["lost_samples"] == 0
        assert peak_mb < 650

        rows_from_end = 1234
        _corrupt_a_row_near_the_end(path, rows_from_end)
        bad_line = _HEADER_LINES + n - rows_from_end + 1
        code, out, err, peak_mb = _run_measured([imurep, "analyze", str(path), "--json"], tmp_path / "b")
        print(f"bad row at line {bad_line}: {err.strip()} (peak RSS {peak_mb} MB)")
        assert code == 2
        assert err.startswith(f"imurep: error: {path}:{bad_line}: non-numeric cell in column acc_x: 'x"), err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    finally:
        path.unlink(missing_ok=True)
