"""Run every offline benchmark in turn, each in its own process: ``python benchmarks/run_all.py``.

Extra arguments are not passed on; run a single script for its options (``--help``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ("bench_reader.py", "bench_offline.py", "bench_scaling.py", "bench_batch.py")


def main() -> int:
    failed = []
    for name in SCRIPTS:
        if not (HERE / name).exists():
            continue
        print(f"\n=== {name} " + "=" * (60 - len(name)), flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], cwd=HERE.parent).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
