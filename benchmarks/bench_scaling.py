"""Analysis time and peak memory against recording length (10 min to 8 h, 100 Hz, acc + gyr).

Each length is written to a temporary folder (deleted right after), then analysed by
``analyze_file`` in a fresh process that reports its wall time and its peak resident memory
(``VmHWM``, Linux). A straight line ``time = a + b * hours`` is fitted by least squares; memory
should stay flat because recordings are streamed in blocks.

Recordings: MEx knee-rolling sessions laid end to end, ``--rest-s`` of stillness after each
(default 300 s; ``--rest-s 0`` packs reps back to back, the worst case).

Usage: ``python benchmarks/bench_scaling.py [--hours 0.1667 0.5 1 2 4 8] [--rest-s 300]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _recordings import machine, summary, write_tiled

_PROBE = """
import sys, time
from imurep.analysis.analyze import analyze_file
start = time.perf_counter()
result = analyze_file(sys.argv[1], mount=sys.argv[2])
elapsed = time.perf_counter() - start
hwm_kib = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(elapsed, hwm_kib, len(result.reps))
"""
_IMPORT_ONLY = """
import imurep.analysis.analyze
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")))
"""


def _probe(path: Path, mount: str) -> tuple[float, float, int]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), mount], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024.0, int(out[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, nargs="+", default=[1 / 6, 0.5, 1.0, 2.0, 4.0, 8.0])
    parser.add_argument("--rest-s", type=float, default=300.0)
    parser.add_argument("--mount", default="auto")
    args = parser.parse_args()
    print(machine())
    print(
        f"recordings: MEx sessions + {args.rest_s:g} s rest each, 100 Hz, acc + derived gyr; "
        f"--mount {args.mount}; analyze_file in a fresh process"
    )
    base_mib = (
        int(
            subprocess.run(
                [sys.executable, "-c", _IMPORT_ONLY], check=True, capture_output=True, text=True
            ).stdout
        )
        / 1024.0
    )
    print(f"peak RSS of a process that only imports the analysis: {base_mib:.1f} MiB\n")
    header = (
        f"{'hours':>6} {'samples':>9} {'MiB file':>8} {'write s':>8} {'analyze s':>9} "
        f"{'s per h':>7} {'peak RSS MiB':>12} {'reps':>6}"
    )
    print(header)
    print("-" * len(header))
    hours, seconds = [], []
    peaks: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for h in args.hours:
            path = Path(tmp) / f"{h:g}h.csv"
            start = time.perf_counter()
            n = write_tiled(path, h * 3600.0, with_gyr=True, rest_s=args.rest_s)
            write_s = time.perf_counter() - start
            size_mib = path.stat().st_size / 2**20
            elapsed, rss_mib, reps = _probe(path, args.mount)
            os.unlink(path)
            hours.append(h)
            seconds.append(elapsed)
            peaks.append(rss_mib)
            print(
                f"{h:>6.3g} {n:>9} {size_mib:>8.1f} {write_s:>8.1f} {elapsed:>9.2f} "
                f"{elapsed / h:>7.2f} {rss_mib:>12.1f} {reps:>6}",
                flush=True,
            )
    slope, intercept = np.polyfit(hours, seconds, 1)
    fitted = intercept + slope * np.asarray(hours)
    ss_res = float(np.sum((np.asarray(seconds) - fitted) ** 2))
    ss_tot = float(np.sum((np.asarray(seconds) - np.mean(seconds)) ** 2))
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else float("nan")
    print(f"\nlinear fit: analyze_s = {intercept:.3f} + {slope:.3f} * hours   (R² = {r2:.4f})")
    summary(
        f"scaling {min(hours):.3g}-{max(hours):g} h",
        f"{intercept:.2f} s + {slope:.2f} s/h (R² {r2:.3f}); peak RSS {min(peaks):.0f}-{max(peaks):.0f} MiB",
        f"import only {base_mib:.0f} MiB",
    )


if __name__ == "__main__":
    main()
