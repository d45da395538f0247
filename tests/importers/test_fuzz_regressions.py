"""Exports on which fuzzing (``fuzz/fuzz_importers.py``) once crashed ``load_any``.

Each ``tests/data/fuzz/importers/*/`` holds the files as the harness wrote them and a ``TARGET``
file naming what was loaded; ``load_any`` must return finite samples with increasing times or
raise an ``InputError``; any other exception fails.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from imurep.errors import InputError
from imurep.importers import load_any

_CASES = sorted((Path(__file__).parents[1] / "data" / "fuzz" / "importers").glob("*/TARGET"))


def test_there_are_saved_inputs() -> None:
    assert _CASES


@pytest.mark.parametrize("target_file", _CASES, ids=[p.parent.name for p in _CASES])
def test_saved_fuzz_export_is_imported_or_refused_cleanly(target_file: Path) -> None:
    target = target_file.parent / target_file.read_text().strip()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            imported = load_any(target)
        except InputError:
            return
    block = imported.block
    assert np.isfinite(block.acc_m_s2).all() and (np.diff(block.time_s) > 0).all()


def test_unsupported_zip_version_is_an_input_error(tmp_path: Path) -> None:
    # The first finding: zipfile raises NotImplementedError for a "zip file version 23.6" entry.
    saved = sorted(p for p in _CASES if (p.parent / "export" / "export.zip").exists())
    assert saved
    with pytest.raises(InputError, match="not a readable zip"):
        load_any(saved[0].parent / "export" / "export.zip")
