"""What can be given as a recording: folders (one export or many recordings), zips, gzip files."""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from imurep.analysis.analyze import analyze_file
from imurep.errors import InputError
from imurep.recording import read_recording
from imurep.samples import SampleBlock
from imurep.sources.files import open_samples, recordings_in

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "recordings"
SENSOR_LOGGER = ROOT / "tests" / "data" / "formats" / "sensor-logger-android"
SHARED_REAL = ROOT.parent / "shared" / "data" / "real"


def _samples(path: str | Path) -> SampleBlock:
    return SampleBlock.concat(list(open_samples(path).blocks))


def write_phyphox_csv(path: Path, source: Path = SAMPLES / "knee_rolls.csv") -> Path:
    """One phyphox acceleration CSV (header as phyphox writes it) with the samples of ``source``."""
    block = read_recording(source).samples
    t = block.time_s - block.time_s[0]
    rows = np.column_stack([t, block.acc_m_s2, np.linalg.norm(block.acc_m_s2, axis=1)])
    names = ["Time (s)", *(f"Acceleration {a} (m/s^2)" for a in "xyz"), "Absolute acceleration (m/s^2)"]
    lines = [",".join(f'"{n}"' for n in names)]
    lines += [",".join(f"{v:.9E}" for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_folder_of_our_recordings_lists_each() -> None:
    folder = SAMPLES / "progress"
    found = recordings_in(str(folder))
    assert [Path(p).name for p in found] == [f"day{i}_knee_rolls.csv" for i in (1, 2, 3)]


def test_a_folder_of_several_recordings_is_refused_by_open_samples_naming_batch() -> None:
    with pytest.raises(InputError, match=r"folder of 3 recordings.*imurep batch"):
        open_samples(SAMPLES / "progress")


def test_a_sensor_logger_folder_is_one_export_with_its_gyroscope() -> None:
    assert recordings_in(str(SENSOR_LOGGER)) == [str(SENSOR_LOGGER)]
    block = _samples(SENSOR_LOGGER)
    assert block.has_gyr and len(block) > 300


def test_a_folder_with_a_recording_and_a_phyphox_csv_lists_both(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "session.csv", tmp_path / "session.csv")
    write_phyphox_csv(tmp_path / "Accelerometer.csv")
    found = recordings_in(str(tmp_path))
    assert [Path(p).name for p in found] == ["Accelerometer.csv", "session.csv"]
    assert len(analyze_file(found[1]).reps) == 17
    assert len(_samples(found[0])) == len(read_recording(SAMPLES / "knee_rolls.csv").samples)


def test_a_recording_beside_a_multi_file_export_is_refused_naming_both(tmp_path: Path) -> None:
    shutil.copytree(SENSOR_LOGGER, tmp_path / "export")
    shutil.copy(SAMPLES / "session.csv", tmp_path / "export" / "session.csv")
    with pytest.raises(InputError, match=r"1 recording \(session\.csv\) and .* export files"):
        recordings_in(str(tmp_path / "export"))


def test_an_unrecognised_csv_beside_recordings_is_listed_not_dropped(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "knee_rolls.csv", tmp_path / "a.csv")
    (tmp_path / "notes.csv").write_text("what,when\nrolls,monday\n")
    (tmp_path / "a.truth.json").write_text("{}")
    assert [Path(p).name for p in recordings_in(str(tmp_path))] == ["a.csv", "notes.csv"]


def test_a_gzip_recording_of_ours_reads_as_the_plain_file(tmp_path: Path) -> None:
    gz = tmp_path / "session.csv.gz"
    gz.write_bytes(gzip.compress((SAMPLES / "session.csv").read_bytes()))
    plain = read_recording(SAMPLES / "session.csv").samples
    np.testing.assert_array_equal(_samples(gz).time_s, plain.time_s)
    assert len(analyze_file(gz).reps) == 17


def test_a_gzip_error_names_the_gzip_file_and_line(tmp_path: Path) -> None:
    text = (SAMPLES / "session.csv").read_text().splitlines()
    text[40] = "1.0,oops,0,0,0,0,0"
    gz = tmp_path / "bad.csv.gz"
    gz.write_bytes(gzip.compress(("\n".join(text) + "\n").encode()))
    with pytest.raises(InputError) as err:
        _samples(gz)
    assert str(err.value).startswith(f"{gz}:41:")


def test_a_zip_holding_one_recording_of_ours_reads_it(tmp_path: Path) -> None:
    z = tmp_path / "rec.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(SAMPLES / "session.csv", "session.csv")
        zf.writestr("notes.txt", "monday")
    assert len(analyze_file(z).reps) == 17


def test_a_zip_holding_two_recordings_is_refused_naming_them(tmp_path: Path) -> None:
    z = tmp_path / "two.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(SAMPLES / "session.csv", "a.csv")
        zf.write(SAMPLES / "knee_rolls.csv", "b.csv")
    with pytest.raises(InputError, match=r"holds 2 recording\(s\) of ours \(a\.csv, b\.csv\)"):
        open_samples(z)


def test_a_sensor_logger_zip_reads_as_the_folder(tmp_path: Path) -> None:
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(SENSOR_LOGGER.iterdir()):
            zf.write(p, p.name)
    np.testing.assert_array_equal(_samples(z).acc_m_s2, _samples(SENSOR_LOGGER).acc_m_s2)


@pytest.mark.skipif(not SHARED_REAL.is_dir(), reason="shared real recordings not available")
@pytest.mark.parametrize("folder", ["mex-other-exercises", "sisfall-waist", "umafall-waist"])
def test_real_gzip_recordings_read(folder: str) -> None:
    first = sorted((SHARED_REAL / folder).glob("*.csv.gz"))[0]
    block = _samples(first)
    assert len(block) > 100
    assert 8.0 < float(np.median(np.linalg.norm(block.acc_m_s2, axis=1))) < 11.0


def test_a_folder_of_zips_lists_each(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as zf:
        for p in sorted(SENSOR_LOGGER.iterdir()):
            zf.write(p, p.name)
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as zf:
        zf.write(SAMPLES / "session.csv", "session.csv")
    found = recordings_in(str(tmp_path))
    assert [Path(p).name for p in found] == ["a.zip", "b.zip"]
    assert len(analyze_file(found[0]).reps) == 17
    assert _samples(found[1]).has_gyr


def test_a_folder_of_too_many_files_is_refused_not_cut(tmp_path: Path) -> None:
    from imurep.importers.container import MAX_MEMBERS

    shutil.copy(SAMPLES / "knee_rolls.csv", tmp_path / "a.csv")
    for i in range(MAX_MEMBERS):
        (tmp_path / f"empty{i}.csv").touch()
    with pytest.raises(InputError, match=r"holds 2000 files or more.*imurep batch"):
        recordings_in(str(tmp_path))
