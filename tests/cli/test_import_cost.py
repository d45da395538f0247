"""What each command imports before it starts: heavy packages it does not need stay out.

Start-up is most of what ``imurep analyze`` costs on a short recording and what ``imurep live`` costs
before it can scan (``benchmarks/bench_startup.py``): ``scipy.signal`` imports scipy.stats,
interpolate and optimize (0.45-0.7 s here), bumble and its cryptography 0.4 s, matplotlib 0.3 s.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

_HEAVY = ("scipy.signal", "scipy.stats", "scipy.spatial", "matplotlib", "bumble", "distributed")

_PROBE = """
import importlib, sys
importlib.import_module(sys.argv[1])
print(",".join(m for m in sys.argv[2:] if m in sys.modules) or "-")
"""


def _heavy_imports(module: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", _PROBE, module, *_HEAVY], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.mark.parametrize(
    "module",
    [
        "imurep.cli.analyze",
        "imurep.cli.batch",  # Dask only with --scheduler
        "imurep.cli.live",  # a real device needs no virtual band
        "imurep.cli.record",
        "imurep.cli.report",  # matplotlib only once a plot is drawn
    ],
)
def test_a_command_imports_no_heavy_package_it_does_not_need(module: str) -> None:
    assert _heavy_imports(module) == "-"


def test_the_virtual_band_still_loads_on_first_use() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, imurep.ble.virtual as v; print('bumble' in sys.modules, v.virtual_world.__name__, "
            "'bumble' in sys.modules, v.Faults.__module__)",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert out == ["False", "virtual_world", "True", "imurep.ble.virtual.faults"]
