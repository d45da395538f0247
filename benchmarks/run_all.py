"""Run the benchmarks in turn, each in its own process, then print one table of the headline figures.

    python benchmarks/run_all.py [--quick]

Each script prints its own tables (streamed here as they come) and ``SUMMARY|...`` lines, gathered
into the closing table: what was measured, the figure, the same-process baseline and ratio, the
target and whether it is met. ``--quick`` passes short settings (fewer repeats, shorter files) for
a smoke run; the README's figures come from the default settings. Run a single script for its
options (``--help``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from _recordings import SUMMARY_PREFIX, machine

HERE = Path(__file__).resolve().parent
SCRIPTS = (
    "bench_startup.py",
    "bench_reader.py",
    "bench_offline.py",
    "bench_live.py",
    "bench_scaling.py",
    "bench_batch.py",
    "bench_live_page.py",
)
QUICK = {
    "bench_startup.py": ["--repeat", "3"],
    "bench_reader.py": ["--repeat", "3"],
    "bench_offline.py": ["--repeat", "3", "--top", "0"],
    "bench_live.py": ["--repeat", "3"],
    "bench_scaling.py": ["--hours", "0.1667", "0.5", "1"],
    "bench_batch.py": ["--files", "6", "--minutes", "20"],
    "bench_live_page.py": ["--speed", "10", "--duration", "20"],
}


def _run(name: str, extra: list[str]) -> tuple[int, list[list[str]]]:
    rows: list[list[str]] = []
    with subprocess.Popen(
        [sys.executable, str(HERE / name), *extra],
        cwd=HERE.parent,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(SUMMARY_PREFIX):
                rows.append(line[len(SUMMARY_PREFIX) :].rstrip("\n").split("|"))
            else:
                print(line, end="", flush=True)
    return proc.returncode, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short settings, for a smoke run")
    args = parser.parse_args()
    failed: list[str] = []
    table: list[list[str]] = []
    for name in SCRIPTS:
        print(f"\n=== {name} " + "=" * (60 - len(name)), flush=True)
        code, rows = _run(name, QUICK[name] if args.quick else [])
        table.extend(rows)
        if code != 0:
            failed.append(name)
    print("\n=== summary " + "=" * 60)
    print(machine())
    heads = ["what", "measured", "baseline (same process) / ratio", "target", ""]
    widths = [max(len(r[k]) for r in [heads, *table]) for k in range(len(heads))]
    for row in [heads, ["-" * w for w in widths], *table]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
