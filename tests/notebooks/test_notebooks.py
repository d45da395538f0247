"""Every notebook runs top to bottom (nbclient, a real kernel), and is committed without outputs.

The checks that its results are what it tells the reader live here, in ``checks/NAME.py``: they
run in the same kernel after the notebook's last cell, so readers see no test-only cells.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"
CHECKS = Path(__file__).parent / "checks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_notebooks_exist() -> None:
    names = [p.name for p in ALL]
    assert {"01-quickstart.ipynb", "02-movement-quality.ipynb", "03-live.ipynb"} <= set(names)


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip the outputs"


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_no_test_only_cells_in_what_readers_see(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    asserting = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "assert " in c.source]
    assert not asserting, f"{path.name}: cells {asserting} assert; move the checks to {CHECKS.name}/"
    assert (CHECKS / f"{path.stem}.py").exists(), f"{path.name} has no checks in {CHECKS.name}/"


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    n_cells = len(nb.cells)
    nb.cells.append(nbformat.v4.new_code_cell((CHECKS / f"{path.stem}.py").read_text(encoding="utf-8")))
    env_backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"  # the kernel inherits it: no display needed
    try:
        client = NotebookClient(
            nb,
            timeout=60,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        )
        t0 = time.monotonic()
        client.execute()
        elapsed_s = time.monotonic() - t0
    finally:
        if env_backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_backend
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    # A reader sees no warnings: nothing on standard error in the notebook's own cells.
    printed = [
        o.text
        for c in nb.cells[:n_cells]
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "stream" and o.name == "stderr"
    ]
    assert not printed, printed
    assert elapsed_s < 40, f"{path.name} took {elapsed_s:.1f} s (keep notebooks under ~20 s)"
