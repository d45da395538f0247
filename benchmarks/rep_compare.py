"""Dump every rep the analysis finds on a fixed corpus, and compare two dumps (the guard for speed work).

    python benchmarks/rep_compare.py dump OUT.json [--sims 40]
    python benchmarks/rep_compare.py diff A.json B.json

``dump`` analyses, in this order:

- every ``recordings/**/*.csv`` of the repository (each file's own mounting metadata);
- the real MEx knee-rolling files in ``tests/data/real/mex-knee-rolling/`` and the HAPT waist files in
  ``tests/data/real/hapt-waist/`` (when present), each at the default mounting and with ``--mount auto``;
- ``--sims`` simulated recordings of the held-out split (:func:`imurep.evaluation.suite.split_plan`),
  written to a temporary folder and analysed with their own mounting metadata;

and writes, per recording, every rep: exercise, side, start_s, end_s, hold_s, peak_deg and the index
of the set that holds it (-1: none).

``diff`` compares two dumps recording by recording and prints every difference beyond the tolerance a
speed change must keep: the same number of reps with the same exercises, sides and set indices; times
within one sample period (:data:`TIME_TOL_S`), peaks within :data:`PEAK_TOL_DEG`. Exit status 1 if any
difference (or a recording only one dump has), 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from imurep.analysis.analyze import analyze_file
from imurep.analysis.result import AnalysisResult

ROOT = Path(__file__).resolve().parents[1]
TIME_TOL_S = 0.01
PEAK_TOL_DEG = 0.05
REAL_DIRS = ("tests/data/real/mex-knee-rolling", "tests/data/real/hapt-waist")


def _reps(result: AnalysisResult) -> list[dict[str, Any]]:
    rows = []
    for rep in result.reps:
        set_index = next(
            (
                k
                for k, s in enumerate(result.sets)
                if s.exercise == rep.exercise
                and s.start_s - 1e-9 <= rep.start_s
                and rep.end_s <= s.end_s + 1e-9
            ),
            -1,
        )
        rows.append(
            {
                "exercise": rep.exercise,
                "side": rep.side,
                "start_s": rep.start_s,
                "end_s": rep.end_s,
                "hold_s": rep.hold_s,
                "peak_deg": rep.peak_angle_deg,
                "set": set_index,
            }
        )
    return rows


def dump(out: Path, n_sims: int) -> None:
    from imurep.evaluation.suite import make_suite, split_plan

    results: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(ROOT.glob("recordings/**/*.csv")):
        results[str(path.relative_to(ROOT))] = _reps(analyze_file(path, keep_trace=False))
    for folder in REAL_DIRS:
        for path in sorted((ROOT / folder).glob("*.csv")):
            name = str(path.relative_to(ROOT))
            results[name] = _reps(analyze_file(path, keep_trace=False))
            results[f"{name} --mount auto"] = _reps(analyze_file(path, mount="auto", keep_trace=False))
    if n_sims > 0:
        with tempfile.TemporaryDirectory() as tmp:
            for path in make_suite(tmp, split_plan("held-out", n_sims)):
                results[f"held-out/{path.name}"] = _reps(analyze_file(path, keep_trace=False))
    out.write_text(json.dumps(results, indent=1))
    n_reps = sum(len(v) for v in results.values())
    print(f"{out}: {len(results)} recordings, {n_reps} reps")


def _rep_diffs(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    out = []
    for key in ("exercise", "side", "set"):
        if a[key] != b[key]:
            out.append(f"{key} {a[key]} != {b[key]}")
    for key in ("start_s", "end_s", "hold_s"):
        if abs(a[key] - b[key]) > TIME_TOL_S + 1e-9:
            out.append(f"{key} {a[key]:.4f} != {b[key]:.4f}")
    if abs(a["peak_deg"] - b["peak_deg"]) > PEAK_TOL_DEG:
        out.append(f"peak_deg {a['peak_deg']:.3f} != {b['peak_deg']:.3f}")
    return out


def diff(path_a: Path, path_b: Path) -> int:
    a = json.loads(path_a.read_text())
    b = json.loads(path_b.read_text())
    problems = []
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            problems.append(f"{name}: only in {path_a if name in a else path_b}")
            continue
        ra, rb = a[name], b[name]
        if len(ra) != len(rb):
            problems.append(f"{name}: {len(ra)} reps != {len(rb)} reps")
            continue
        for k, (x, y) in enumerate(zip(ra, rb, strict=True)):
            d = _rep_diffs(x, y)
            if d:
                problems.append(f"{name}: rep {k}: " + "; ".join(d))
    for line in problems:
        print(line)
    n_reps = sum(len(v) for v in a.values())
    verdict = f"{len(problems)} difference(s)" if problems else "no difference"
    print(f"{len(a)} recordings, {n_reps} reps: {verdict} (times {TIME_TOL_S} s, peaks {PEAK_TOL_DEG}°)")
    return 1 if problems else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_dump = sub.add_parser("dump", help="analyse the corpus and write every rep as JSON")
    p_dump.add_argument("out", type=Path)
    p_dump.add_argument("--sims", type=int, default=40, help="held-out simulated recordings (default 40)")
    p_diff = sub.add_parser("diff", help="compare two dumps; exit 1 on any difference")
    p_diff.add_argument("a", type=Path)
    p_diff.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.sims)
    else:
        sys.exit(diff(args.a, args.b))


if __name__ == "__main__":
    main()
