"""Importers on real app exports (tests/data/formats), as a folder, a zip and single files."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from importer_layouts import zip_dir

from imurep.errors import InputError
from imurep.importers import load_any

FORMATS_DIR = Path(__file__).parents[1] / "data" / "formats"
SL = FORMATS_DIR / "sensor-logger-android"
POLAR = FORMATS_DIR / "polar-sensor-logger"


def _first_rows(path: Path, n: int = 3) -> np.ndarray:
    lines = path.read_text().splitlines()[1 : 1 + n]
    return np.array([[float(c) for c in line.split(",")] for line in lines])


def test_sensor_logger_folder_uses_total_acceleration_and_reorders_zyx() -> None:
    r = load_any(SL)
    assert r.format == "sensor-logger"
    total = _first_rows(SL / "TotalAcceleration.csv", 400)
    # Gyroscope starts later: the block starts at the first accelerometer sample inside the overlap.
    t_ns = total[:, 0]
    i = int(np.searchsorted(t_ns / 1e9, r.block.time_s[0]))
    assert r.block.time_s[0] == pytest.approx(t_ns[i] / 1e9, abs=1e-6)
    # File columns are z, y, x: the block's x is the file's last column.
    np.testing.assert_allclose(r.block.acc_m_s2[0], total[i, [4, 3, 2]], rtol=1e-12)
    assert r.block.gyr_rad_s is not None
    assert 1.679e9 < r.block.time_s[0] < 1.68e9  # Unix seconds kept
    assert r.metadata["device"] == "SM-A520F (android, Sensor Logger 1.12.0)"
    assert "interpolated onto accelerometer times" in r.metadata["merge"]
    rate = 1 / np.median(np.diff(r.block.time_s))
    assert 45 < rate < 55
    assert r.warnings == ()


def test_sensor_logger_zip_equals_folder(tmp_path: Path) -> None:
    z = zip_dir(SL, tmp_path / "export.zip")
    a, b = load_any(SL), load_any(z)
    np.testing.assert_array_equal(a.block.time_s, b.block.time_s)
    np.testing.assert_array_equal(a.block.acc_m_s2, b.block.acc_m_s2)
    assert b.metadata["imported-from"] == str(z)


def test_sensor_logger_zip_with_top_folder(tmp_path: Path) -> None:
    z = zip_dir(SL, tmp_path / "export.zip", prefix="2023-03-17_15-50-47/")
    assert len(load_any(z).block) == len(load_any(SL).block)


def test_sensor_logger_gravity_rebuilt_from_gravity_csv(tmp_path: Path) -> None:
    folder = tmp_path / "no_total"
    shutil.copytree(SL, folder)
    (folder / "TotalAcceleration.csv").unlink()
    rebuilt = load_any(folder)
    total = load_any(SL)
    assert "gravity rebuilt" in rebuilt.metadata["acceleration"]
    assert any("Gravity.csv" in w for w in rebuilt.warnings)
    # Android computes TotalAcceleration itself; Accelerometer + Gravity agree with it to sensor noise.
    common = np.intersect1d(rebuilt.block.time_s, total.block.time_s)
    a = rebuilt.block.acc_m_s2[np.isin(rebuilt.block.time_s, common)]
    b = total.block.acc_m_s2[np.isin(total.block.time_s, common)]
    assert len(common) > 300
    assert float(np.median(np.abs(a - b))) < 0.2


def test_sensor_logger_accelerometer_alone_is_refused_with_the_fix(tmp_path: Path) -> None:
    folder = tmp_path / "acc_only"
    folder.mkdir()
    shutil.copy(SL / "Accelerometer.csv", folder)
    shutil.copy(SL / "Gyroscope.csv", folder)
    with pytest.raises(
        InputError, match=r"no gravity.*import TotalAcceleration.csv or keep Gravity.csv beside it"
    ):
        load_any(folder)
    with pytest.raises(InputError, match=r"TotalAcceleration\.csv"):
        load_any(folder / "Accelerometer.csv")


def test_sensor_logger_single_total_acceleration_file() -> None:
    r = load_any(SL / "TotalAcceleration.csv")
    assert r.format == "sensor-logger" and r.block.gyr_rad_s is None
    assert len(r.block) == 400


def test_sensor_logger_gyroscope_file_alone_is_refused() -> None:
    with pytest.raises(InputError, match="not an acceleration file"):
        load_any(SL / "Gyroscope.csv")


def test_polar_folder_units_and_time_base(tmp_path: Path) -> None:
    r = load_any(POLAR)
    assert r.format == "polar-sensor-logger"
    first = (POLAR / "Polar_Sense_ACC.txt").read_text().splitlines()[1].split(";")
    # mG -> m/s², Polar epoch (2000-01-01) ns -> Unix s.
    gyr_start = float((POLAR / "Polar_Sense_GYRO.txt").read_text().splitlines()[1].split(";")[1])
    ns0 = max(float(first[1]), gyr_start)
    assert r.block.time_s[0] >= ns0 / 1e9 + 946_684_800 - 1e-6
    assert r.block.time_s[0] == pytest.approx(1650886774.83, abs=0.05)  # 2022-04-25 11:39:34.83
    np.testing.assert_allclose(np.median(np.linalg.norm(r.block.acc_m_s2, axis=1)), 9.81, atol=0.4)
    assert r.block.gyr_rad_s is not None
    assert float(np.max(np.abs(r.block.gyr_rad_s))) < 3.0  # dps converted to rad/s
    assert r.metadata["acc-unit"].startswith("mg")
    z = zip_dir(POLAR, tmp_path / "polar.zip")
    np.testing.assert_array_equal(load_any(z).block.acc_m_s2, r.block.acc_m_s2)


def test_polar_acc_file_alone_has_no_gyroscope() -> None:
    r = load_any(POLAR / "Polar_Sense_ACC.txt")
    assert r.block.gyr_rad_s is None and len(r.block) == 400
    assert r.metadata["gyroscope"] == "none in this export"


def test_marker_file_alone_names_what_was_looked_for() -> None:
    with pytest.raises(InputError, match=r"looked for: our recording CSV.*Sensor Logger.*phyphox.*Polar"):
        load_any(POLAR / "MARKER.txt")
