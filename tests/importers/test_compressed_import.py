"""``load_any`` (``imurep import``) reads our recording gzip-compressed or alone in a zip."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import numpy as np
import pytest

from imurep.errors import InputError
from imurep.importers import load_any

SESSION = Path(__file__).parents[2] / "recordings" / "session.csv"


def test_gzip_and_zip_of_our_recording_import_as_the_plain_file(tmp_path: Path) -> None:
    gz = tmp_path / "session.csv.gz"
    gz.write_bytes(gzip.compress(SESSION.read_bytes()))
    z = tmp_path / "session.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(SESSION, "export/session.csv")
    plain = load_any(SESSION)
    for path in (gz, z):
        imported = load_any(path)
        assert imported.format == "imurep"
        np.testing.assert_array_equal(imported.block.acc_m_s2, plain.block.acc_m_s2)
        assert all(str(tmp_path) not in w or str(path) in w for w in imported.warnings)


def test_an_error_inside_a_zipped_recording_names_the_zip_member_and_line(tmp_path: Path) -> None:
    lines = SESSION.read_text().splitlines()
    lines[49] = "1,x,0,0,0,0,0"
    z = tmp_path / "bad.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("bad.csv", "\n".join(lines) + "\n")
    with pytest.raises(InputError) as err:
        load_any(z)
    assert str(err.value).startswith(f"{z}:bad.csv:50: ")


def test_a_damaged_gzip_file_is_one_error(tmp_path: Path) -> None:
    gz = tmp_path / "cut.csv.gz"
    gz.write_bytes(gzip.compress(SESSION.read_bytes())[:5000])
    with pytest.raises(InputError, match=r"cut\.csv\.gz: cannot read uncompressed content"):
        load_any(gz)
