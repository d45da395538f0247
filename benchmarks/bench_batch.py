"""Batch throughput: one process, a local pool of 2 processes, and a Dask cluster of 1 and 2 workers.

Writes ``--files`` recordings (``--minutes`` each, MEx sessions with rests, acc + derived gyr) to a
temporary folder, then runs :func:`imurep.batch.run_batch` over the folder into a fresh CSV with
each engine and prints wall time, files per second and the speed-up over ``jobs=1`` (in this
process). Dask clusters (``LocalCluster``, worker processes, one thread each) are started before
the clock starts; their start-up time is printed separately. The Dask runs are repeated with workers
started with ``MALLOC_MMAP_THRESHOLD_`` raised to 32 MiB (see docs/batch.md: Dask's own worker
environment makes every array over 128 KiB a fresh ``mmap``). All engines must give the same rows.

Usage: ``python benchmarks/bench_batch.py [--files 20] [--minutes 60]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd
from _recordings import machine, tiled_block
from _recordings import summary as summary_line

from imurep.batch import read_results, run_batch
from imurep.recording import write_recording

_MMAP_ENV = "MALLOC_MMAP_THRESHOLD_"
_MMAP_THRESHOLD_BYTES = str(32 * 2**20)


def _rows(path: Path) -> pd.DataFrame:
    frame = read_results(path).drop(columns=["analysis_s"])
    return frame.sort_values(["path", "row_type", "index"], na_position="last").reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--mount", default="auto")
    args = parser.parse_args()
    from distributed import LocalCluster

    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        block = tiled_block(args.minutes * 60.0, with_gyr=True, rest_s=120.0)
        for i in range(args.files):
            shifted = type(block)(block.time_s + i * 86400.0, block.acc_m_s2, block.gyr_rad_s)
            write_recording(folder / f"rec_{i:03d}.csv", shifted, {"device": "benchmark"})
        print(f"{args.files} recordings of {args.minutes:g} min (100 Hz, acc + gyr), --mount {args.mount}\n")
        header = f"{'engine':<40} {'wall s':>7} {'files/s':>8} {'speed-up':>8}"
        print(header)
        print("-" * len(header))
        reference: pd.DataFrame | None = None
        base_s = 0.0

        def run(label: str, **engine: object) -> None:
            nonlocal reference, base_s
            out = Path(tmp) / f"{label.split()[0]}-{len(list(Path(tmp).glob('*.csv')))}.csv"
            summary = run_batch([folder], out, mount=args.mount, progress=False, **engine)  # type: ignore[arg-type]
            assert summary.n_analyzed == args.files and summary.n_failed == 0, summary
            rows = _rows(out)
            if reference is None:
                reference, base_s = rows, summary.elapsed_s
            else:
                pd.testing.assert_frame_equal(rows, reference)
            print(
                f"{label:<40} {summary.elapsed_s:>7.2f} {args.files / summary.elapsed_s:>8.2f} "
                f"{base_s / summary.elapsed_s:>8.2f}",
                flush=True,
            )
            summary_line(
                f"batch {args.files} x {args.minutes:g} min, {label}",
                f"{summary.elapsed_s:.2f} s",
                f"speed-up {base_s / summary.elapsed_s:.2f} vs jobs=1",
            )

        run("local jobs=1 (in-process)", jobs=1)
        run("local jobs=2 (process pool)", jobs=2)
        for tuned in (False, True):
            for workers in (1, 2):
                # Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also fixes
                # glibc's mmap threshold at 128 KiB: every larger array is a fresh mmap. The tuned
                # rows start the workers with the threshold docs/batch.md recommends.
                if tuned:
                    os.environ[_MMAP_ENV] = _MMAP_THRESHOLD_BYTES
                try:
                    start = time.perf_counter()
                    with LocalCluster(
                        n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=None
                    ) as cluster:
                        up_s = time.perf_counter() - start
                        plural = "s" if workers > 1 else ""
                        label = f"dask {workers} worker{plural}{', mmap 32M' if tuned else ''}"
                        run(f"{label} (+{up_s:.1f} s start)", scheduler=cluster.scheduler_address)
                finally:
                    os.environ.pop(_MMAP_ENV, None)
        print("\nspeed-up = wall(jobs=1) / wall; the pool's time includes starting its processes;")
        print(f"'mmap 32M': Dask workers started with {_MMAP_ENV}={_MMAP_THRESHOLD_BYTES} (docs/batch.md)")


if __name__ == "__main__":
    main()
