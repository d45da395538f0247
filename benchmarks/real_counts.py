"""Counts of the analysis on the real recordings of ../shared/data/real, both mountings.

Not a speed benchmark: the accuracy check on movement the counter was not tuned on. Prints one row
per folder and mounting (files, files with reps, reps) and, with ``--files``, every file that has reps.

    .venv/bin/python benchmarks/real_counts.py [--root ../shared/data/real] [--files] [--jobs 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

FOLDERS = ("mex-knee-rolling", "mex-other-exercises", "hapt-waist", "sisfall-waist", "umafall-waist")
MOUNTS = ("front-belt", "auto")


def _count(args: tuple[str, str]) -> tuple[str, str, int, str]:
    from imurep.analysis.analyze import analyze_blocks
    from imurep.mounting_presets import mount_choice
    from imurep.pipeline import PipelineConfig
    from imurep.recording import iter_recording

    path, mount = args
    p = Path(path)
    cfg = PipelineConfig(body_from_sensor=mount_choice(mount).for_file(None), keep_trace=False)
    if p.suffix == ".gz":
        with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as tmp:
            tmp.write(gzip.decompress(p.read_bytes()))
        try:
            res = analyze_blocks(iter_recording(tmp.name), p.name, cfg)
        finally:
            os.unlink(tmp.name)
    else:
        res = analyze_blocks(iter_recording(p), p.name, cfg)
    sides = "".join("L" if r.side == "left" else "R" if r.side == "right" else "?" for r in res.reps)
    return path, mount, len(res.reps), sides


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--root", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
    )
    ap.add_argument("--files", action="store_true", help="list every file with reps")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--folders", nargs="*", default=list(FOLDERS))
    ap.add_argument("--json", type=Path, help="write per-file counts here")
    a = ap.parse_args(argv)
    jobs = []
    for folder in a.folders:
        for f in sorted((a.root / folder).glob("*.csv*")):
            for m in MOUNTS:
                jobs.append((str(f), m))
    with ProcessPoolExecutor(a.jobs) as ex:
        results = list(ex.map(_count, jobs, chunksize=4))
    mex_counts = json.loads((a.root / "mex-knee-rolling" / "counts.json").read_text())
    print(f"{'folder':22} {'mount':10} {'files':>5} {'with reps':>9} {'reps':>5}")
    per_file: dict[str, dict[str, int]] = {}
    for folder in a.folders:
        for m in MOUNTS:
            rows = [r for r in results if Path(r[0]).parent.name == folder and r[1] == m]
            with_reps = [r for r in rows if r[2]]
            extra = ""
            if folder == "mex-knee-rolling":
                within = sum(abs(r[2] - mex_counts[Path(r[0]).name]["excursions"]) <= 2 for r in rows)
                extra = f"  within ±2: {within} of {len(rows)}"
            print(f"{folder:22} {m:10} {len(rows):5} {len(with_reps):9} {sum(r[2] for r in rows):5}{extra}")
            for r in rows:
                per_file.setdefault(f"{folder}/{Path(r[0]).name}", {})[m] = r[2]
            if a.files and folder != "mex-knee-rolling":
                for r in with_reps:
                    print(f"    {Path(r[0]).name}: {r[2]} {r[3]}")
            if a.files and folder == "mex-knee-rolling":
                for r in rows:
                    print(
                        f"    {Path(r[0]).name}: {r[2]} (truth {mex_counts[Path(r[0]).name]['excursions']})"
                    )
    if a.json:
        a.json.write_text(json.dumps(per_file, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
