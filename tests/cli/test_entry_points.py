"""``python -m imurep`` and ``imurep --version``: the same command through every entry point."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import imurep

ROOT = Path(__file__).parents[2]
KNEE_ROLLS = ROOT / "recordings" / "knee_rolls.csv"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def test_version_is_the_installed_distribution_version():
    out = _run(sys.executable, "-m", "imurep", "--version")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"imurep {importlib.metadata.version('imurep')}"
    assert imurep.__version__ == importlib.metadata.version("imurep")


def test_module_entry_point_gives_what_the_console_script_gives():
    script = Path(sys.executable).with_name("imurep")
    via_module = _run(sys.executable, "-m", "imurep", "analyze", str(KNEE_ROLLS), "--json")
    via_script = _run(str(script), "analyze", str(KNEE_ROLLS), "--json")
    assert via_module.returncode == via_script.returncode == 0, via_module.stderr
    assert via_module.stdout == via_script.stdout
    assert '"reps"' in via_module.stdout


def test_module_entry_point_reports_bad_input_in_one_line(tmp_path):
    missing = tmp_path / "missing.csv"
    out = _run(sys.executable, "-m", "imurep", "analyze", str(missing))
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [f"imurep: error: {missing}: no such file or directory"]
