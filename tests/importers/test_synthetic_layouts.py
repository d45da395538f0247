"""Every importer on files laid out exactly as the app writes them (synthetic values, real layouts)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from importer_layouts import (
    POLAR_EPOCH_UNIX_S,
    T0_UNIX_S,
    G,
    Motion,
    metawear_export,
    motion,
    phyphox_export,
    plain_csv,
    polar_export,
    sensor_logger_export,
    witmotion_file,
    zip_dir,
)

from imurep.errors import InputError
from imurep.importers import ImportOptions, load_any


def _truth_at(m: Motion, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    acc = np.column_stack([np.interp(t, m.time_s, m.acc_m_s2[:, j]) for j in range(3)])
    gyr = np.column_stack([np.interp(t, m.time_s, m.gyr_rad_s[:, j]) for j in range(3)])
    return acc, gyr


def _check(
    r_block_t: np.ndarray,
    acc: np.ndarray,
    gyr: np.ndarray | None,
    truth: Motion,
    acc_tol: float,
    gyr_tol: float,
    t_offset: float = 0.0,
) -> None:
    a, g = _truth_at(truth, r_block_t - t_offset)
    np.testing.assert_allclose(acc, a, atol=acc_tol)
    if gyr is not None:
        np.testing.assert_allclose(gyr, g, atol=gyr_tol)


# ---- phyphox ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("sep", "decimal"), [(",", "."), ("\t", "."), (";", "."), ("\t", ","), (";", ",")])
def test_phyphox_zip_all_separators_unix_time(tmp_path: Path, sep: str, decimal: str) -> None:
    acc = motion(rate_hz=100.0)
    gyr = motion(rate_hz=200.0, phase_s=0.003)
    folder = phyphox_export(tmp_path / "x", acc, gyr, sep=sep, decimal=decimal)
    r = load_any(zip_dir(folder, tmp_path / "Acceleration 2023-11-14.zip"))
    assert r.format == "phyphox"
    assert r.metadata["time-base"].startswith("Unix time")
    # Experiment time 0.012 s at the first sample, START at system time T0: Unix time kept; the
    # gyroscope starts 3 ms later, so the block starts at the second accelerometer sample.
    assert r.block.time_s[0] == pytest.approx(T0_UNIX_S + 0.012 + 0.01, abs=1e-6)
    assert r.block.gyr_rad_s is not None
    _check(r.block.time_s, r.block.acc_m_s2, r.block.gyr_rad_s, acc, 1e-4, 2e-3, t_offset=0.012)
    assert r.metadata["device"] == "google Pixel 7 (phyphox)"
    assert "interpolated" in r.metadata["merge"]


def test_phyphox_raw_data_single_experiment_folder_and_minimal_csv(tmp_path: Path) -> None:
    acc = motion()
    folder = phyphox_export(tmp_path / "x", acc, None, set_names=("Raw Data", ""), start_unix_s=None)
    r = load_any(folder)
    assert r.block.gyr_rad_s is None
    assert r.block.time_s[0] == pytest.approx(0.012)
    assert "experiment time" in r.metadata["time-base"]
    minimal = load_any(folder / "Raw Data.csv")  # the "minimal" export: one CSV
    np.testing.assert_array_equal(minimal.block.acc_m_s2, r.block.acc_m_s2)


def test_phyphox_linear_acceleration_refused(tmp_path: Path) -> None:
    folder = phyphox_export(tmp_path / "x", motion(), None, linear=True, set_names=("Raw Data", ""))
    with pytest.raises(
        InputError, match="Linear Acceleration' has no gravity: record with the 'Acceleration with g'"
    ):
        load_any(folder)


def test_phyphox_gyroscope_only_refused(tmp_path: Path) -> None:
    folder = phyphox_export(tmp_path / "x", motion(), motion(), set_names=("Accelerometer", "Gyroscope"))
    (folder / "Accelerometer.csv").unlink()
    with pytest.raises(InputError, match="no accelerometer"):
        load_any(folder)


def test_phyphox_nan_padding_at_end_is_dropped(tmp_path: Path) -> None:
    folder = phyphox_export(tmp_path / "x", motion(), None, set_names=("Raw Data", ""))
    path = folder / "Raw Data.csv"
    path.write_text(path.read_text() + "NaN,NaN,NaN,NaN,NaN\n")
    assert len(load_any(path).block) == 2000


# ---- Sensor Logger ---------------------------------------------------------------------------


def test_sensor_logger_android_synthetic_folder_and_zip(tmp_path: Path) -> None:
    acc, gyr = motion(rate_hz=100.0), motion(rate_hz=50.0, phase_s=0.004)
    folder = sensor_logger_export(tmp_path / "sl", acc, gyr)
    for src in (folder, zip_dir(folder, tmp_path / "sl.zip")):
        r = load_any(src)
        assert r.format == "sensor-logger"
        assert r.block.gyr_rad_s is not None
        _check(r.block.time_s, r.block.acc_m_s2, r.block.gyr_rad_s, acc, 1e-4, 2e-3)
        assert r.block.time_s[0] >= gyr.time_s[0]  # only the overlap kept


def test_sensor_logger_ios_accelerometer_in_g_is_detected_and_said(tmp_path: Path) -> None:
    acc, gyr = motion(), motion(phase_s=0.002)
    folder = sensor_logger_export(
        tmp_path / "ios", acc, gyr, platform="ios", files=("Accelerometer", "Gyroscope"), acc_scale=1 / G
    )
    r = load_any(folder)
    assert r.metadata["acc-unit"].startswith("g (from the data")
    assert any("read as g" in w for w in r.warnings)
    _check(r.block.time_s, r.block.acc_m_s2, None, acc, 1e-4, 0.0)


def test_sensor_logger_ios_accelerometer_with_gravity_in_m_s2(tmp_path: Path) -> None:
    acc, gyr = motion(), motion()
    folder = sensor_logger_export(
        tmp_path / "ios", acc, gyr, platform="ios", files=("Accelerometer", "Gyroscope")
    )
    r = load_any(folder)
    assert "gravity included" in r.metadata["acceleration"]
    assert r.metadata["acc-unit"].startswith("m/s2")


# ---- Polar -----------------------------------------------------------------------------------


def test_polar_synthetic_mg_dps_and_polar_epoch(tmp_path: Path) -> None:
    acc, gyr = motion(rate_hz=52.0), motion(rate_hz=52.0, phase_s=0.005)
    folder = polar_export(tmp_path / "polar", acc, gyr)
    for src in (folder, zip_dir(folder, tmp_path / "p.zip")):
        r = load_any(src)
        assert r.format == "polar-sensor-logger"
        assert r.block.time_s[0] == pytest.approx(gyr.time_s[0], abs=0.02)
        # mG integers: 1 mG resolution.
        _check(r.block.time_s, r.block.acc_m_s2, r.block.gyr_rad_s, acc, 0.006 + 0.12, 0.01)
    assert POLAR_EPOCH_UNIX_S < r.block.time_s[0]


# ---- MetaWear --------------------------------------------------------------------------------


def test_metawear_g_and_deg_s_at_different_rates(tmp_path: Path) -> None:
    acc, gyr = motion(rate_hz=100.0), motion(rate_hz=50.0, phase_s=0.007)
    folder = metawear_export(tmp_path / "mw", acc, gyr)
    for src in (folder, zip_dir(folder, tmp_path / "mw.zip")):
        r = load_any(src)
        assert r.format == "metawear"
        assert r.metadata["acc-unit"].startswith("g") and r.metadata["gyr-unit"].startswith("deg/s")
        assert r.block.gyr_rad_s is not None
        _check(r.block.time_s, r.block.acc_m_s2, r.block.gyr_rad_s, acc, 0.01, 0.02)
    one = next(folder.glob("*Accelerometer*"))
    assert load_any(one).block.gyr_rad_s is None


def test_metawear_two_devices_refused(tmp_path: Path) -> None:
    folder = metawear_export(tmp_path / "mw", motion(), None)
    f = next(folder.glob("*Accelerometer*"))
    (folder / f.name.replace("C8C3A1B2D3E4", "D1D2D3D4D5D6")).write_text(f.read_text())
    with pytest.raises(InputError, match="several MetaWear acc files"):
        load_any(folder)


# ---- WitMotion -------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["tab-gbk", "csv-utf8"])
def test_witmotion_both_layouts(tmp_path: Path, style: str) -> None:
    m = motion(rate_hz=50.0)
    path = witmotion_file(tmp_path / "Record" / "2023-11-14" / "22-13-20-000" / "_WT901BLE67_0.csv", m, style)
    for src in (path, tmp_path / "Record", zip_dir(tmp_path / "Record", tmp_path / "r.zip")):
        r = load_any(src)
        assert r.format == "witmotion"
        assert r.metadata["device"].startswith("WitMotion WT901BLE67")
        assert r.block.time_s[0] == pytest.approx(T0_UNIX_S, abs=1e-3)
        _check(r.block.time_s, r.block.acc_m_s2, r.block.gyr_rad_s, m, 0.001, 0.001)


def test_witmotion_two_devices_in_one_file_refused(tmp_path: Path) -> None:
    path = witmotion_file(tmp_path / "a.txt", motion(duration_s=2), "tab-gbk")
    lines = path.read_bytes().decode("gb18030").splitlines()
    lines[-1] = lines[-1].replace("WT901BLE67", "WT901BLE99")
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))
    with pytest.raises(InputError, match="holds 2 devices"):
        load_any(path)


def test_witmotion_bad_chip_time_names_line(tmp_path: Path) -> None:
    path = witmotion_file(tmp_path / "a.csv", motion(duration_s=2), "csv-utf8")
    lines = path.read_text().splitlines()
    cells = lines[5].split(",")
    cells[2] = " yesterday"
    lines[5] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"a\.csv:6: 'Chip Time\(\)' 'yesterday' is not a date"):
        load_any(path)


# ---- plain CSV -------------------------------------------------------------------------------


def test_plain_csv_units_inferred_and_reported(tmp_path: Path) -> None:
    m = motion()
    r = load_any(plain_csv(tmp_path / "log.csv", m))
    assert r.format == "plain-csv"
    assert r.metadata["acc-unit"].startswith("g (inferred from the data")
    assert r.metadata["gyr-unit"].startswith("deg/s (inferred from the data")
    assert any("acceleration unit g inferred" in w for w in r.warnings)
    assert any("angular-rate unit deg/s inferred" in w for w in r.warnings)
    _check(r.block.time_s + m.time_s[0], r.block.acc_m_s2, r.block.gyr_rad_s, m, 1e-4, 1e-4)


def test_plain_csv_si_units_inferred(tmp_path: Path) -> None:
    m = motion()
    r = load_any(plain_csv(tmp_path / "log.csv", m, acc_scale=1.0, gyr_scale=1.0))
    assert r.metadata["acc-unit"].startswith("m/s2") and r.metadata["gyr-unit"].startswith("rad/s")


def test_plain_csv_units_from_header_and_ms_time(tmp_path: Path) -> None:
    m = motion()
    header = "time (ms);acc_x (m/s^2);acc_y (m/s^2);acc_z (m/s^2);gyro_x_dps;gyro_y_dps;gyro_z_dps"
    path = plain_csv(tmp_path / "log.csv", m, header=header, acc_scale=1.0, time_scale=1000.0, sep=";")
    r = load_any(path)
    assert r.metadata["acc-unit"] == "m/s2 (as the format states)"
    assert r.metadata["gyr-unit"] == "deg/s (as the format states)"
    assert r.warnings == ()
    _check(r.block.time_s + m.time_s[0], r.block.acc_m_s2, r.block.gyr_rad_s, m, 1e-4, 1e-4)


def test_plain_csv_overrides_win_and_disagreement_is_warned(tmp_path: Path) -> None:
    m = motion()
    path = plain_csv(tmp_path / "log.csv", m)  # g and deg/s
    r = load_any(path, options=ImportOptions(acc_unit="g", gyr_unit="deg/s"))
    assert r.metadata["acc-unit"] == "g (given by the user)" and r.warnings == ()
    wrong = load_any(path, options=ImportOptions(acc_unit="g", gyr_unit="rad/s"))
    assert any("rad/s was given, but the data looks like deg/s" in w for w in wrong.warnings)


def test_plain_csv_accelerometer_only_still_unknown_units_refused(tmp_path: Path) -> None:
    m = motion(amplitude_rad=0.0)
    path = plain_csv(tmp_path / "still.csv", m, acc_scale=1.0, gyr_scale=float(np.degrees(1.0)))
    with pytest.raises(
        InputError, match=r"cannot tell whether the gyroscope is in rad/s or deg/s.*--gyr-unit"
    ):
        load_any(path)
    assert load_any(path, options=ImportOptions(gyr_unit="deg/s")).block.has_gyr


def test_phyphox_pause_and_restart_map_to_system_time(tmp_path: Path) -> None:
    m = motion(duration_s=20.0)
    folder = phyphox_export(tmp_path / "x", m, None, set_names=("Raw Data", ""))
    # Paused at experiment time 10 s, restarted 30 s of wall-clock time later.
    (folder / "meta" / "time.csv").write_text(
        '"event","experiment time","system time","system time text"\n'
        f'"START",0.000000000E0,{T0_UNIX_S:.3f},"a"\n'
        f'"PAUSE",1.000000000E1,{T0_UNIX_S + 10:.3f},"b"\n'
        f'"START",1.000000000E1,{T0_UNIX_S + 40:.3f},"c"\n'
    )
    r = load_any(folder)
    t = r.block.time_s
    assert t[0] == pytest.approx(T0_UNIX_S + 0.012)
    jump = int(np.argmax(np.diff(t)))
    assert np.diff(t)[jump] == pytest.approx(30.01, abs=1e-6)
    assert any("gap(s)" in w for w in r.warnings)
