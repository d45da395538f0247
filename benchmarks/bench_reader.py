"""Recording reader speed and memory against ``pandas.read_csv``.

Writes a 1-hour 100 Hz recording (acc + gyr) to a temporary directory, then prints:

- the time to write it with :func:`imurep.recording.write_recording`;
- ``pandas.read_csv(path, comment=None, skiprows=...)`` time, our ``iter_recording`` time (all
  blocks consumed) and ``read_recording`` time, best of ``--repeat``, and their ratios to pandas;
- peak resident memory (``VmHWM``, Linux) of a fresh process that streams the file with
  ``iter_recording``, one that reads it whole with ``read_recording``, and one that imports only,
  plus the peak of Python-tracked allocations (tracemalloc) while streaming.

Usage: ``python benchmarks/bench_reader.py [--hours 1] [--rate-hz 100] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from _recordings import summary

from imurep.recording import iter_recording, read_header, read_recording, write_recording
from imurep.samples import SampleBlock

# ru_maxrss survives fork+exec on Linux (the child would report this big parent's peak), so the
# probe reads VmHWM, the peak RSS of its own address space.
_MEMORY_PROBE = """
import sys, tracemalloc
mode, path = sys.argv[1], sys.argv[2]
from imurep.recording import iter_recording, read_recording
tracemalloc.start()
if mode == "stream":
    rows = sum(len(b) for b in iter_recording(path))
elif mode == "whole":
    rows = len(read_recording(path).samples)
else:
    rows = 0
_, traced = tracemalloc.get_traced_memory()
hwm_kib = next(int(line.split()[1]) for line in open("/proc/self/status")
               if line.startswith("VmHWM:"))
print(rows, hwm_kib, traced)
"""


def _synthetic(duration_s: float, rate_hz: float) -> SampleBlock:
    rng = np.random.default_rng(0)
    n = int(duration_s * rate_hz)
    time_s = 1.7e9 + np.arange(n) / rate_hz
    acc = np.array([0.0, 0.0, 9.81]) + rng.normal(0.0, 0.5, (n, 3))
    gyr = rng.normal(0.0, 0.2, (n, 3))
    return SampleBlock(time_s, acc, gyr)


def _best_s(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _memory(mode: str, path: Path) -> tuple[int, float, float]:
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[0]), int(out[1]) / 1024.0, int(out[2]) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--rate-hz", type=float, default=100.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    block = _synthetic(args.hours * 3600.0, args.rate_hz)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.csv"
        start = time.perf_counter()
        write_recording(path, block, {"device": "synthetic"})
        write_s = time.perf_counter() - start
        size_mb = path.stat().st_size / 2**20
        print(
            f"file: {len(block)} samples ({args.hours:g} h at {args.rate_hz:g} Hz, acc+gyr), "
            f"{size_mb:.1f} MiB"
        )
        print(f"write_recording:          {write_s:7.3f} s")

        skip = read_header(path).header_line - 1
        pandas_s = _best_s(lambda: pd.read_csv(path, comment=None, skiprows=skip), args.repeat)
        iter_s = _best_s(lambda: sum(len(b) for b in iter_recording(path)), args.repeat)
        whole_s = _best_s(lambda: read_recording(path), args.repeat)
        print(f"pandas.read_csv:          {pandas_s:7.3f} s   (best of {args.repeat})")
        print(f"iter_recording:           {iter_s:7.3f} s   ratio {iter_s / pandas_s:.2f}")
        print(f"read_recording:           {whole_s:7.3f} s   ratio {whole_s / pandas_s:.2f}")
        summary(
            f"reader, {args.hours:g} h at {args.rate_hz:g} Hz",
            f"iter_recording {iter_s:.3f} s",
            f"read_csv {pandas_s:.3f} s, ratio {iter_s / pandas_s:.2f}",
        )

        _, base_rss, _ = _memory("import", path)
        rows, stream_rss, stream_traced = _memory("stream", path)
        whole_rows, whole_rss, whole_traced = _memory("whole", path)
        assert rows == whole_rows == len(block), (rows, whole_rows, len(block))
        print(f"peak RSS, import only:    {base_rss:7.1f} MiB")
        print(f"peak RSS, iter_recording: {stream_rss:7.1f} MiB   (tracemalloc peak {stream_traced:.1f} MiB)")
        print(f"peak RSS, read_recording: {whole_rss:7.1f} MiB   (tracemalloc peak {whole_traced:.1f} MiB)")


if __name__ == "__main__":
    main()
