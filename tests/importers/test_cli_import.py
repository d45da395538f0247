"""``imurep import`` through the real entry point, and ``load_any`` on our own recording format."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from importer_layouts import motion, plain_csv

from imurep.cli.main import main
from imurep.importers import load_any
from imurep.recording import read_recording

FORMATS_DIR = Path(__file__).parents[1] / "data" / "formats"


def test_import_writes_our_format_with_metadata(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.csv"
    src = FORMATS_DIR / "sensor-logger-android"
    assert main(["import", str(src), "-o", str(out)]) == 0
    rec = read_recording(out)
    assert rec.header.metadata["source-format"] == "sensor-logger"
    assert rec.header.metadata["imported-from"] == str(src)
    assert rec.header.metadata["device"] == "SM-A520F (android, Sensor Logger 1.12.0)"
    direct = load_any(src)
    np.testing.assert_allclose(rec.samples.time_s, direct.block.time_s, atol=1e-6)
    np.testing.assert_allclose(rec.samples.acc_m_s2, direct.block.acc_m_s2, atol=1e-5)
    assert rec.samples.gyr_rad_s is not None and direct.block.gyr_rad_s is not None
    np.testing.assert_allclose(rec.samples.gyr_rad_s, direct.block.gyr_rad_s, atol=1e-6)
    assert "samples" in capsys.readouterr().out
    # The written file loads back through load_any as our own format.
    again = load_any(out)
    assert again.format == "imurep" and again.metadata["source-format"] == "sensor-logger"


def test_import_unit_overrides_and_warnings_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = plain_csv(tmp_path / "log.csv", motion())
    out = tmp_path / "out.csv"
    assert main(["import", str(src), "-o", str(out)]) == 0
    meta = read_recording(out).header.metadata
    assert meta["acc-unit"].startswith("g (inferred")
    assert "inferred from the data" in meta["import-warning-1"]
    assert "warning: acceleration unit g inferred" in capsys.readouterr().err
    out2 = tmp_path / "out2.csv"
    assert main(["import", str(src), "-o", str(out2), "--acc-unit", "g", "--gyr-unit", "deg/s"]) == 0
    meta2 = read_recording(out2).header.metadata
    assert meta2["gyr-unit"] == "deg/s (given by the user)"
    assert not any(k.startswith("import-warning") for k in meta2)


def test_import_bad_input_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = FORMATS_DIR / "sensor-logger-android" / "Accelerometer.csv"
    assert main(["import", str(src), "-o", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "import TotalAcceleration.csv or keep Gravity.csv beside it" in err
    assert not (tmp_path / "o.csv").exists()


def test_import_refuses_to_overwrite_without_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "o.csv"
    out.write_text("keep me\n")
    src = str(FORMATS_DIR / "polar-sensor-logger")
    assert main(["import", src, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "file exists" in err and "--overwrite" in err and err.count("\n") == 1
    assert out.read_text() == "keep me\n"
    assert main(["import", src, "-o", str(out), "--overwrite", "--format", "polar-sensor-logger"]) == 0
    assert read_recording(out).header.metadata["source-format"] == "polar-sensor-logger"


def test_analyze_accepts_an_export_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(FORMATS_DIR / "polar-sensor-logger")]) == 0
    assert "polar-sensor-logger" in capsys.readouterr().out


def test_folder_with_one_own_recording(tmp_path: Path) -> None:
    out = tmp_path / "session" / "rec.csv"
    out.parent.mkdir()
    assert main(["import", str(FORMATS_DIR / "polar-sensor-logger"), "-o", str(out)]) == 0
    r = load_any(out.parent)
    assert r.format == "imurep" and r.metadata["source-format"] == "polar-sensor-logger"
