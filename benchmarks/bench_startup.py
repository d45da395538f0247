"""Start-up: wall time of fresh processes, from start to exit, against the interpreter alone.

    python benchmarks/bench_startup.py [--repeat 7]

A short recording is analysed by a fresh ``imurep analyze`` process many times a day (a clinic's
single sessions, every ``imurep batch`` worker before its first file, a Raspberry Pi by the mat), so
what the process imports matters as much as the analysis. Each round runs, in turn, in fresh
processes (medians of ``--repeat`` rounds, so a noisy moment hits them alike):

- ``python``: the interpreter alone (``-c pass``), the baseline;
- ``pandas``: ``import pandas`` (the reader's parser; unavoidable);
- ``analysis``: ``import imurep.analysis.analyze`` (everything ``analyze_file`` needs);
- ``+scipy.signal``: the same plus ``import scipy.signal``, what the analysis imported before it
  designed its filters itself and loaded scipy's filter kernel alone;
- ``imurep analyze``: the command on ``recordings/knee_rolls.csv`` (77 s at 50 Hz), to the end;
- ``analyze +scipy.signal``: the same command with ``scipy.signal`` imported first (as before);
- ``live imports``: ``import imurep.cli.live``, what ``imurep live`` loads before it scans for a
  device, and ``+virtual band``: the same plus the virtual band (bumble), which it imported before
  the virtual band was loaded on first use.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _recordings import machine, summary

ROOT = Path(__file__).resolve().parents[1]
IMUREP = Path(sys.executable).with_name("imurep")
RECORDING = str(ROOT / "recordings" / "knee_rolls.csv")
_WITH_SCIPY_SIGNAL = (
    "import sys, scipy.signal; from imurep.cli.main import main; sys.exit(main(['analyze', sys.argv[1]]))"
)


def _commands() -> list[tuple[str, list[str]]]:
    py = sys.executable
    return [
        ("python", [py, "-c", "pass"]),
        ("pandas", [py, "-c", "import pandas"]),
        ("analysis", [py, "-c", "import imurep.analysis.analyze"]),
        ("+scipy.signal", [py, "-c", "import imurep.analysis.analyze, scipy.signal"]),
        ("imurep analyze", [str(IMUREP), "analyze", RECORDING]),
        ("analyze +scipy.signal", [py, "-c", _WITH_SCIPY_SIGNAL, RECORDING]),
        ("live imports", [py, "-c", "import imurep.cli.live"]),
        ("+virtual band", [py, "-c", "import imurep.cli.live, imurep.ble.virtual.world"]),
    ]


def _wall_s(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(machine())
    commands = _commands()
    for _, cmd in commands:  # warm the file cache once
        _wall_s(cmd)
    rounds = [[_wall_s(cmd) for _, cmd in commands] for _ in range(args.repeat)]
    medians = {name: statistics.median(r[i] for r in rounds) for i, (name, _) in enumerate(commands)}
    base = medians["python"]
    print(f"\nwall s from process start to exit (median of {args.repeat} rounds):")
    print(f"{'process':<22} {'s':>6} {'minus python':>13}")
    print("-" * 43)
    for name, value in medians.items():
        print(f"{name:<22} {value:>6.3f} {value - base:>13.3f}")
    now, before = medians["imurep analyze"], medians["analyze +scipy.signal"]
    summary(
        "start-up: imurep analyze of a 77 s recording, process start to exit",
        f"{now:.2f} s (imports of the analysis {medians['analysis'] - base:.2f} s)",
        f"with scipy.signal imported as before {before:.2f} s, ratio {now / before:.2f}; python {base:.3f} s",
    )
    live, with_band = medians["live imports"], medians["+virtual band"]
    summary(
        "start-up: imurep live, imports before the scan",
        f"{live:.2f} s",
        f"with the virtual band imported as before {with_band:.2f} s, ratio {live / with_band:.2f}",
    )


if __name__ == "__main__":
    main()
