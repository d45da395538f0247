"""Exports on which fuzzing (``fuzz/fuzz_importers.py``) once crashed ``load_any``.

Each ``tests/data/fuzz/importers/*/`` holds the files as the harness wrote them and a ``TARGET``
file naming what was loaded; ``load_any`` must return finite samples with increasing times or
raise an ``InputError``; any other exception fails.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

from imurep.errors import InputError
from imurep.importers import load_any

_SAVED = Path(__file__).parents[1] / "data" / "fuzz" / "importers"
_CASES = sorted(_SAVED.glob("*/TARGET"))


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


def test_unsupported_zip_version_is_an_input_error() -> None:
    # The first finding: zipfile raises NotImplementedError for a "zip file version 23.6" entry.
    with pytest.raises(InputError, match="not a readable zip: zip file version"):
        load_any(_SAVED / "c7d1e970e546" / "export" / "export.zip")


def test_zip_entry_without_a_name_is_skipped(tmp_path: Path) -> None:
    # The second finding: ZipInfo.is_dir() indexes the name, IndexError on an empty one.
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo(""), b"time_s,acc_x,acc_y,acc_z\n0,0,0,9.8\n")
    with pytest.raises(InputError, match="no recognisable recording or export in this zip"):
        load_any(path)
