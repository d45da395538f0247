"""A/B: CPU time of the pipeline in this checkout against an earlier git revision, alternating.

    python benchmarks/bench_ab.py REV [--rounds 5]

On a shared machine two runs of one benchmark differ by up to a third, so a change of 10-20 % cannot
be read off two separate runs. This script extracts the ``imurep`` package of ``REV`` (``git
archive``) into a temporary folder, builds the inputs once, then runs the same measurement in child
processes alternately with the old and the current package on ``PYTHONPATH``, ``--rounds`` times
each, and prints the medians and the ratio new / old. Each child reports the CPU time of the thread
running the analysis (``thread_time``: the load of other jobs affects it less than wall time, and
idle BLAS worker threads spinning after a matrix product do not count) and the wall time.

Workloads (inputs built by the current checkout, the same bytes for both):

- ``offline sim``: 1 h of simulated sessions at 100 Hz (front belt, gyroscope) in one block;
- ``offline MEx``: 1 h of MEx sessions back to back with a derived gyroscope, unknown mounting;
- ``live 0.25 s`` / ``live 1 s``: one simulated session fed in blocks of 25 / 100 samples (what the
  live runner hands the pipeline at those cadences at 100 Hz), CPU ms per 100 samples.

Each child also prints the number of reps it found; old and new must agree (else the script says so).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from _recordings import machine, simulated_block, tiled_block

from imurep.samples import SampleBlock
from imurep.sim import random_config, simulate

REPO = Path(__file__).resolve().parents[1]

# Run in the child: only names every version of the package has (SessionAnalyzer, PipelineConfig).
_CHILD = r"""
import json, sys, time
import imurep
assert imurep.__file__.startswith(sys.argv[2]), (imurep.__file__, sys.argv[2])
import numpy as np
from imurep.analysis.session import SessionAnalyzer
from imurep.pipeline import PipelineConfig
from imurep.samples import SampleBlock

def load(path):
    z = np.load(path)
    return SampleBlock(z["t"], z["acc"], z["gyr"])

def run(block, size, config):
    session = SessionAnalyzer(config)
    n = len(block)
    blocks = [block] if size is None else [block.slice(i, min(i + size, n)) for i in range(0, n, size)]
    cpu0, wall0 = time.thread_time(), time.perf_counter()
    for b in blocks:
        session.feed(b)
    session.finish()
    return time.thread_time() - cpu0, time.perf_counter() - wall0, len(session.pipeline.reps)

folder = sys.argv[1]
sim, mex, live = (load(f"{folder}/{name}.npz") for name in ("sim", "mex", "live"))
out = {}
for name, block, size, config in (
    ("offline sim", sim, None, PipelineConfig()),
    ("offline MEx", mex, None, PipelineConfig(body_from_sensor=None)),
    ("live 0.25 s", live, 25, PipelineConfig()),
    ("live 1 s", live, 100, PipelineConfig()),
):
    cpu_s, wall_s, reps = run(block, size, config)
    scale = 1e3 / (len(block) / 100) if size else 1.0
    out[name] = (cpu_s * scale, wall_s * scale, reps)
print(json.dumps(out))
"""


def _save(path: Path, block: SampleBlock) -> None:
    gyr = block.gyr_rad_s
    assert gyr is not None
    np.savez(path, t=block.time_s, acc=block.acc_m_s2, gyr=gyr)


Measures = dict[str, tuple[float, float, int]]  # workload: (thread CPU, wall, reps)


def _child(package_root: Path, inputs: Path) -> Measures:
    env = dict(os.environ, PYTHONPATH=str(package_root))
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(inputs), str(package_root)],
        env=env,
        cwd=inputs,  # not the checkout: ``-c`` puts the working folder first on the import path
        capture_output=True,
        text=True,
        check=True,
    )
    result: Measures = {k: (v[0], v[1], v[2]) for k, v in json.loads(done.stdout).items()}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the git revision to compare against, e.g. HEAD~3")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        old_root = Path(tmp) / "old"
        old_root.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", args.rev, "imurep"], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(old_root)], input=archive.stdout, check=True)
        inputs = Path(tmp) / "inputs"
        inputs.mkdir()
        _save(inputs / "sim.npz", simulated_block(3600.0))
        _save(inputs / "mex.npz", tiled_block(3600.0, True, 0.0))
        session = random_config(11, kind="session", rate_hz=100.0, mount="front-belt", with_gyr=True)
        _save(inputs / "live.npz", simulate(session).block)
        runs: dict[str, list[Measures]] = {"old": [], "new": []}
        for _ in range(args.rounds):
            runs["old"].append(_child(old_root, inputs))
            runs["new"].append(_child(REPO, inputs))
    print(f"\nmedians of {args.rounds} alternating runs each: old = {args.rev}, new = this checkout")
    header = (
        f"{'workload':<13} {'unit':>13} {'CPU old':>8} {'CPU new':>8} {'new/old':>8} "
        f"{'wall old':>8} {'wall new':>8} {'new/old':>8} {'reps old/new':>13}"
    )
    print(header)
    print("-" * len(header))
    for name in runs["old"][0]:
        cpu_old, cpu_new, wall_old, wall_new = (
            statistics.median(r[name][k] for r in runs[v])
            for v, k in (("old", 0), ("new", 0), ("old", 1), ("new", 1))
        )
        reps_old, reps_new = runs["old"][0][name][2], runs["new"][0][name][2]
        unit = "s" if name.startswith("offline") else "ms / 100 smp"
        flag = "" if reps_old == reps_new else "  REPS DIFFER"
        print(
            f"{name:<13} {unit:>13} {cpu_old:>8.3f} {cpu_new:>8.3f} {cpu_new / cpu_old:>8.2f} "
            f"{wall_old:>8.3f} {wall_new:>8.3f} {wall_new / wall_old:>8.2f} {reps_old:>6}/{reps_new:<6}{flag}"
        )


if __name__ == "__main__":
    main()
