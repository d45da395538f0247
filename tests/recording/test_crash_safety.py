"""The writer under a real SIGKILL and a real write failure, in a child process."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

from imurep.recording import RecordingWarning, read_recording

# Appends 10 samples every 0.1 s (a live 100 Hz stream) and reports, after each append, how many
# samples it has appended and when (CLOCK_MONOTONIC is system-wide on Linux).
_LIVE_WRITER = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    from imurep.recording import RecordingWriter
    from imurep.samples import SampleBlock

    path = sys.argv[1]
    with RecordingWriter(path, {"device": "kill-test"}, has_gyr=True) as writer:
        count = 0
        while True:
            i = np.arange(count, count + 10, dtype=np.float64)
            writer.append(SampleBlock(1.7e9 + i / 100.0,
                                      np.column_stack([i, -i, i / 7.0]),
                                      np.column_stack([i / 3.0, i / 5.0, -i / 9.0])))
            count += 10
            print(count, time.monotonic(), flush=True)
            time.sleep(0.1)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_loses_at_most_the_last_second(tmp_path: Path) -> None:
    path = tmp_path / "killed.csv"
    child = subprocess.Popen(
        [sys.executable, "-c", _LIVE_WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    with child:
        assert child.stdout is not None
        first = child.stdout.readline()  # the child is importing until its first append
        assert first, "writer child died before writing"
        delay_s = random.uniform(1.5, 2.5)
        time.sleep(delay_s)
        os.kill(child.pid, signal.SIGKILL)
        kill_time = time.monotonic()
        rest = child.stdout.read()
    assert child.returncode == -signal.SIGKILL
    # SIGKILL can land mid-print: a progress line without its newline is torn, so not counted.
    complete = [line for line in [first, *rest.splitlines(keepends=True)] if line.endswith("\n")]
    progress = [(int(n), float(t)) for n, t in (line.split() for line in complete)]
    must_have = max((n for n, t in progress if t <= kill_time - 1.0), default=0)
    appended = progress[-1][0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RecordingWarning)  # a torn last line is allowed
        samples = read_recording(path).samples
    n = len(samples)
    detail = f"delay {delay_s:.2f} s, appended {appended}, must have {must_have}, file has {n}"
    assert must_have >= 40, detail  # something was due on disk
    assert must_have <= n <= appended + 10, detail
    i = np.arange(n, dtype=np.float64)
    np.testing.assert_allclose(samples.time_s, 1.7e9 + i / 100.0, rtol=0, atol=1e-6)
    np.testing.assert_allclose(samples.acc_m_s2, np.column_stack([i, -i, i / 7.0]), atol=1e-5)
    assert samples.gyr_rad_s is not None
    np.testing.assert_allclose(samples.gyr_rad_s[:, 2], -i / 9.0, atol=1e-6)


# Writes under a file-size limit (the kernel refuses bytes beyond it, as a full disk would) and
# reports what the writer said.
_LIMITED_WRITER = textwrap.dedent(
    """
    import resource, signal, sys
    import numpy as np
    from imurep.recording import RecordingWriteError, RecordingWriter
    from imurep.samples import SampleBlock

    path, limit = sys.argv[1], int(sys.argv[2])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    writer = RecordingWriter(path, {}, has_gyr=False, flush_interval_s=0.05)
    count = 0
    try:
        for _ in range(10_000):
            i = np.arange(count, count + 7, dtype=np.float64)
            writer.append(SampleBlock(i / 50.0, np.column_stack([i, i, i])))
            count += 7
            writer.flush()
    except RecordingWriteError as e:
        print("ERROR", writer.samples_written, e)
    writer.close()
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE")
def test_write_failure_keeps_what_was_written(tmp_path: Path) -> None:
    path = tmp_path / "limited.csv"
    limit = 5000
    out = subprocess.run(
        [sys.executable, "-c", _LIMITED_WRITER, str(path), str(limit)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert out.startswith("ERROR "), out
    written = int(out.split()[1])
    assert "write failed" in out and "samples written before are kept" in out
    assert path.stat().st_size == limit  # bytes up to the limit went out, a line torn
    with pytest.warns(RecordingWarning, match="last line has no newline"):
        samples = read_recording(path).samples
    assert len(samples) >= written > 100
    np.testing.assert_allclose(samples.time_s, np.arange(len(samples)) / 50.0, atol=1e-6)
