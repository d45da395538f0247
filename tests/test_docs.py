"""The user documentation stays inside the repository: no link or pointer out of it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
USER_DOCS = sorted([ROOT / "README.md", ROOT / "recordings" / "README.md", *(ROOT / "docs").glob("*.md")])
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# Pointers that only make sense beside the project's brief, not in a user's clone.
_OUTSIDE = re.compile(r"\.\./shared|/work/shared|of the brief|\bEXERCISES\.md|\bFORMAT\.md|\bSTYLE\.md")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _text(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", USER_DOCS + NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_pointer_outside_the_repository(path: Path) -> None:
    lines = [f"{i}: {line}" for i, line in enumerate(_text(path).splitlines(), 1) if _OUTSIDE.search(line)]
    assert not lines, lines


@pytest.mark.parametrize("path", USER_DOCS + NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_reach_files_of_the_repository(path: Path) -> None:
    broken = []
    for target in _LINK.findall(_text(path)):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a web address or an anchor on the same page
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            broken.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(target)
    assert not broken, broken


def _anchors(path: Path) -> set[str]:
    """The heading anchors a Markdown viewer makes: lower case, punctuation dropped, spaces to '-'."""
    headings = re.findall(r"(?m)^#+ (.+)$", re.sub(r"(?s)```.*?```", "", _text(path)))
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_the_sample_table_of_recordings_readme_matches_the_files() -> None:
    from imurep.recording import read_recording

    folder = ROOT / "recordings"
    row = re.compile(r"(?m)^\| (\S+\.csv) \| (\d+) kB \| (\d+) Hz \| (\d+) s \|")
    rows = row.findall(_text(folder / "README.md"))
    listed = {name for name, *_ in rows}
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*.csv")}
    assert listed == on_disk
    for name, size_kb, rate_hz, length_s in rows:
        path = folder / name
        samples = read_recording(path).samples
        span_s = float(samples.time_s[-1] - samples.time_s[0])
        measured_rate_hz = 1.0 / float(np.median(np.diff(samples.time_s)))
        assert round(path.stat().st_size / 1000) == int(size_kb), name
        assert round(span_s) == int(length_s), name
        assert abs(measured_rate_hz - int(rate_hz)) < 0.05 * int(rate_hz), name
