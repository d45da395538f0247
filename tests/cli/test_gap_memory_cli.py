"""A jump in time is a gap: ``imurep analyze`` costs the same memory whatever its length.

The 25 Hz control grid was built across gaps: ``knee_rolls.csv`` with a jump of one day peaked at
554 MB, 10^6 s at 5.0 GB, and 10^9 s failed ("MemoryError 186 GiB"). Each analysis runs in its own
child of a fresh interpreter, so that ``RUSAGE_CHILDREN`` measures that analysis alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

KNEE_ROLLS = Path(__file__).parents[2] / "recordings" / "knee_rolls.csv"
_JUMP_AT_S = 19688.6  # between two reps (a 4 s pause)
_MAX_RSS_MB = 400.0
_MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(done.stdout)
sys.stderr.write(done.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(done.returncode)
"""


def _with_jump(path: Path, jump_s: float) -> None:
    out = []
    for line in KNEE_ROLLS.read_text().splitlines(keepends=True):
        head, sep, rest = line.partition(",")
        if line[0].isdigit() and float(head) >= _JUMP_AT_S:
            line = f"{float(head) + jump_s:.6f}{sep}{rest}"
        out.append(line)
    path.write_text("".join(out))


def _analyze(path: Path) -> tuple[dict, float]:
    cmd = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "imurep", "analyze", str(path), "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout), int(done.stderr.strip().splitlines()[-1]) / 1024.0


@pytest.mark.slow
@pytest.mark.parametrize("jump_s", [86_400.0, 1e6, 1e9])
def test_a_jump_of_any_length_costs_no_memory_and_keeps_the_reps(jump_s: float, tmp_path: Path) -> None:
    plain, _ = _analyze(KNEE_ROLLS)
    jumped_path = tmp_path / "jumped.csv"
    _with_jump(jumped_path, jump_s)
    jumped, peak_mb = _analyze(jumped_path)
    assert peak_mb <= _MAX_RSS_MB
    assert [(r["exercise"], r["side"]) for r in jumped["reps"]] == [
        (r["exercise"], r["side"]) for r in plain["reps"]
    ]
    for a, b in zip(jumped["reps"], plain["reps"], strict=True):
        shift = jump_s if b["start_s"] > _JUMP_AT_S else 0.0
        for name in ("start_s", "hold_start_s", "hold_end_s", "end_s"):
            assert a[name] - shift == pytest.approx(b[name], abs=1e-3), name
