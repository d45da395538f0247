"""The entry points a user looks for are where the README says, and its Python example runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

import imurep
import imurep.analysis
from imurep.analysis.analyze import analyze_blocks, analyze_file
from imurep.analysis.result import AnalysisResult

ROOT = Path(__file__).resolve().parents[1]


def test_analyze_file_is_at_the_top_of_the_package() -> None:
    assert imurep.analyze_file is analyze_file and imurep.AnalysisResult is AnalysisResult
    assert {"analyze_file", "AnalysisResult"} <= set(imurep.__all__) <= set(dir(imurep))
    assert imurep.analysis.analyze_file is analyze_file and imurep.analysis.analyze_blocks is analyze_blocks
    with pytest.raises(AttributeError, match="no attribute 'analyse_file'"):
        _ = imurep.analyse_file  # type: ignore[attr-defined]


def test_importing_the_package_does_not_load_the_pipeline() -> None:
    probe = "import sys, imurep; print('imurep.pipeline' in sys.modules, 'imurep.analysis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    assert out.split() == ["False", "False"]  # `imurep record` and `imurep devices` start without it


def test_the_readme_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    assert "from imurep import analyze_file" in code
    matplotlib.use("Agg")
    monkeypatch.chdir(ROOT)
    scope: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), scope)
    assert isinstance(scope["result"], AnalysisResult) and scope["result"].reps
    assert os.fspath(ROOT) == os.getcwd()
