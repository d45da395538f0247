"""Bad input: one InputError naming file, line and rule; garbage never raises anything else."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importer_layouts import metawear_export, motion, phyphox_export, plain_csv, polar_export, zip_dir

from imurep.errors import InputError
from imurep.importers import load_any

FORMATS_DIR = Path(__file__).parents[1] / "data" / "formats"


def _replace_line(path: Path, line_no: int, old: str, new: str) -> None:
    lines = path.read_text().splitlines()
    assert old in lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n")


def test_sensor_logger_bad_cell_names_file_line_column(tmp_path: Path) -> None:
    folder = tmp_path / "sl"
    shutil.copytree(FORMATS_DIR / "sensor-logger-android", folder)
    path = folder / "TotalAcceleration.csv"
    cells = path.read_text().splitlines()[6].split(",")
    _replace_line(path, 7, cells[3], "abc")
    with pytest.raises(InputError, match=r"TotalAcceleration\.csv:7: column 'y': 'abc' is not a number"):
        load_any(folder)


def test_sensor_logger_short_row_in_zip_names_member(tmp_path: Path) -> None:
    folder = tmp_path / "sl"
    shutil.copytree(FORMATS_DIR / "sensor-logger-android", folder)
    path = folder / "Gyroscope.csv"
    lines = path.read_text().splitlines()
    lines[9] = ",".join(lines[9].split(",")[:3])
    path.write_text("\n".join(lines) + "\n")
    z = zip_dir(folder, tmp_path / "sl.zip")
    with pytest.raises(
        InputError, match=r"sl\.zip:Gyroscope\.csv:10: expected 5 cells separated by commas, found 3"
    ):
        load_any(z)


def test_sensor_logger_time_backwards(tmp_path: Path) -> None:
    folder = tmp_path / "sl"
    shutil.copytree(FORMATS_DIR / "sensor-logger-android", folder)
    path = folder / "TotalAcceleration.csv"
    lines = path.read_text().splitlines()
    lines[20], lines[21] = lines[21], lines[20]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"TotalAcceleration\.csv:22: accelerometer: time goes backwards"):
        load_any(folder)


def test_polar_bad_value(tmp_path: Path) -> None:
    folder = polar_export(tmp_path / "p", motion(duration_s=2, rate_hz=52), None)
    path = next(folder.glob("*_ACC.txt"))
    cells = path.read_text().splitlines()[3].split(";")
    _replace_line(path, 4, ";" + cells[2] + ";", ";12x;")
    with pytest.raises(InputError, match=r"_ACC\.txt:4: column 'X \[mg\]': '12x' is not a number"):
        load_any(folder)


def test_phyphox_bad_value_decimal_comma(tmp_path: Path) -> None:
    folder = phyphox_export(
        tmp_path / "x", motion(duration_s=2), None, sep=";", decimal=",", set_names=("Raw Data", "")
    )
    path = folder / "Raw Data.csv"
    lines = path.read_text().splitlines()
    cells = lines[4].split(";")
    cells[1] = "1.2.3"
    lines[4] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        InputError, match=r"Raw Data\.csv:5: column 'Acceleration x \(m/s\^2\)': '1\.2\.3' is not a number"
    ):
        load_any(folder)


def test_metawear_missing_value(tmp_path: Path) -> None:
    folder = metawear_export(tmp_path / "mw", motion(duration_s=2), None)
    path = next(folder.glob("*Accelerometer*"))
    lines = path.read_text().splitlines()
    cells = lines[7].split(",")
    cells[4] = ""
    lines[7] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        InputError, match=r"Accelerometer_1\.5\.0\.csv:8: column 'y-axis \(g\)': '' is not a number"
    ):
        load_any(folder)


def test_plain_csv_unknown_unit_in_header(tmp_path: Path) -> None:
    path = plain_csv(
        tmp_path / "a.csv",
        motion(duration_s=1),
        header="t,ax (furlong),ay (furlong),az (furlong)",
        with_gyr=False,
    )
    with pytest.raises(InputError, match=r"a\.csv:1: unknown acceleration unit 'furlong'"):
        load_any(path)


def test_empty_folder_and_zip_name_what_was_looked_for(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("hello\n")
    with pytest.raises(
        InputError, match=r"empty: no recognisable recording or export in this folder; looked for"
    ):
        load_any(empty)
    z = zip_dir(empty, tmp_path / "e.zip")
    with pytest.raises(InputError, match=r"in this zip; looked for.*WitMotion.*plain CSV"):
        load_any(z)


def test_missing_path_and_bad_format_name(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        load_any(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="unknown format 'excel'"):
        load_any(FORMATS_DIR / "polar-sensor-logger", format="excel")
    with pytest.raises(InputError, match="not a phyphox export: expected phyphox"):
        load_any(FORMATS_DIR / "polar-sensor-logger", format="phyphox")


def test_damaged_zip_member(tmp_path: Path) -> None:
    z = zip_dir(FORMATS_DIR / "polar-sensor-logger", tmp_path / "p.zip")
    with zipfile.ZipFile(z) as zf:
        info = zf.getinfo("Polar_Sense_ACC.txt")
    data = bytearray(z.read_bytes())
    # Overwrite the middle of the ACC member's compressed bytes; the zip directory stays intact.
    start = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[start : start + 200] = bytes(200)
    z.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"p\.zip:Polar_Sense_ACC\.txt: cannot read"):
        load_any(z)


def test_not_a_zip_with_zip_name(tmp_path: Path) -> None:
    z = tmp_path / "export.zip"
    z.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputError):
        load_any(z)


def test_binary_file_refused(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(b"time,ax,ay,az\n\x00\x01\x02")
    with pytest.raises(InputError):
        load_any(p)


_NAMES = [
    "TotalAcceleration.csv",
    "Raw Data.csv",
    "Polar_Sense_ACC.txt",
    "MetaWear_Accelerometer.csv",
    "data.csv",
    "log.txt",
]
_HEADERS = [
    "time,seconds_elapsed,z,y,x\n",
    '"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)"\n',
    "Phone timestamp;sensor timestamp [ns];X [mg];Y [mg];Z [mg]\n",
    "epoch (ms),time (-13:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)\n",
    "Time\tDevice name\tChip Time()\tAcceleration X(g)\tAcceleration Y(g)\tAcceleration Z(g)\n",
    "t,ax,ay,az,gx,gy,gz\n",
    "time_s,acc_x,acc_y,acc_z\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(_NAMES),
    header=st.sampled_from(_HEADERS),
    body=st.one_of(
        st.binary(max_size=400),
        st.text(alphabet="0123456789.,;-\t eE\nNaN:T", max_size=400),
        st.lists(
            st.sampled_from(["1e300", "-1e999", "0", "9.81", "1", ",", ";", "\t", "\n", "NaN"]), max_size=80
        ).map("".join),
        st.lists(
            st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), min_size=0, max_size=8),
            max_size=20,
        ).map(lambda rows: "\n".join(",".join(repr(x) for x in r) for r in rows)),
    ),
    as_zip=st.booleans(),
)
def test_garbage_raises_only_input_error(
    tmp_path: Path, name: str, header: str, body: bytes | str, as_zip: bool
) -> None:
    folder = tmp_path / "g"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    data = header.encode() + (body if isinstance(body, bytes) else body.encode())
    (folder / name).write_bytes(data)
    src = folder / name
    if as_zip:
        src = tmp_path / "g.zip"
        with zipfile.ZipFile(src, "w") as zf:
            zf.writestr(name, data)
    try:
        r = load_any(src)
    except InputError:
        return
    assert len(r.block) >= 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=30000), junk=st.binary(min_size=0, max_size=20))
def test_truncated_or_spliced_real_export_raises_only_input_error(
    tmp_path: Path, cut: int, junk: bytes
) -> None:
    folder = tmp_path / "sl"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(FORMATS_DIR / "sensor-logger-android", folder)
    for f in ("TotalAcceleration.csv", "Gyroscope.csv"):
        p = folder / f
        data = p.read_bytes()
        p.write_bytes(data[: cut % (len(data) + 1)] + junk + data[cut % (len(data) + 1) :][:50])
    try:
        load_any(folder)
    except InputError:
        pass


@pytest.mark.parametrize("value", ["1e300", "inf", "-1e999"])
def test_huge_values_in_accelerometer_without_gravity(tmp_path: Path, value: str) -> None:
    folder = tmp_path / "sl"
    shutil.copytree(FORMATS_DIR / "sensor-logger-android", folder)
    (folder / "TotalAcceleration.csv").unlink()
    path = folder / "Accelerometer.csv"
    cells = path.read_text().splitlines()[2].split(",")
    _replace_line(path, 3, "," + cells[2] + ",", f",{value},")
    with pytest.raises(InputError, match=r"Accelerometer\.csv:3: accelerometer: "):
        load_any(folder)
