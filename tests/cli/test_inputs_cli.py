"""Every command that reads recordings takes folders, zips, gzip files and standard input."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from imurep.cli.main import main

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "recordings"
SENSOR_LOGGER = ROOT / "tests" / "data" / "formats" / "sensor-logger-android"
SHARED_REAL = ROOT.parent / "shared" / "data" / "real"


def _cli(
    *args: str, stdin: bytes | None = None, timeout_s: float = 120
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "imurep", *args],
        input=stdin,
        capture_output=True,
        timeout=timeout_s,
        check=False,
    )


@pytest.fixture
def export_zip(tmp_path: Path) -> Path:
    """A phone export zip (Sensor Logger, as the app shares it)."""
    z = tmp_path / "sensor-logger.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(SENSOR_LOGGER.iterdir()):
            zf.write(p, f"2024-05-01_10-00-00/{p.name}")
    return z


@pytest.fixture
def session_gz(tmp_path: Path) -> Path:
    gz = tmp_path / "session.csv.gz"
    gz.write_bytes(gzip.compress((SAMPLES / "session.csv").read_bytes()))
    return gz


def test_analyze_a_folder_of_recordings_analyses_each(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(SAMPLES / "progress"), "--json"]) == 0
    objs = json.loads(capsys.readouterr().out)
    assert [o["source"] for o in objs] == [f"day{i}_knee_rolls.csv" for i in (1, 2, 3)]
    truths = [
        json.loads((SAMPLES / "progress" / f"day{i}_knee_rolls.truth.json").read_text()) for i in (1, 2, 3)
    ]
    assert [len(o["reps"]) for o in objs] == [len(t["reps"]) for t in truths]


def test_analyze_a_mixed_folder_analyses_the_recording_and_the_phyphox_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.sources.test_inputs import write_phyphox_csv

    shutil.copy(SAMPLES / "session.csv", tmp_path / "session.csv")
    write_phyphox_csv(tmp_path / "Accelerometer.csv")
    assert main(["analyze", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "Accelerometer.csv: 216.9 s at 50 Hz, 18 reps in 1 set" in out
    assert "session.csv: 167.4 s at 50 Hz, 17 reps in 2 sets" in out
    assert err == "imurep analyze: 2 recordings: 2 analysed, 0 failed\n"


def test_analyze_a_folder_names_each_file_that_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(SAMPLES / "knee_rolls.csv", tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("what,when\nrolls,monday\n")
    assert main(["analyze", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert "a.csv: 216.9 s at 50 Hz, 18 reps in 1 set" in out
    lines = err.splitlines()
    assert lines[0].startswith(f"imurep: error: {tmp_path / 'b.csv'}: ")
    assert lines[1:] == ["imurep analyze: 2 recordings: 1 analysed, 1 failed"]


def test_analyze_a_sensor_logger_folder_keeps_its_gyroscope(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(SENSOR_LOGGER), "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["source"] == "sensor-logger-android" and obj["data_quality"]["has_gyr"] is True


def test_report_on_a_folder_of_recordings_suggests_batch(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(SAMPLES / "progress"), "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert "folder of 3 recordings" in err and "imurep batch" in err and "Traceback" not in err


def test_compare_a_folder_and_a_gzip_file(session_gz: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(SAMPLES / "progress"), str(session_gz)]) == 0
    out = capsys.readouterr().out
    assert out.count("day1_knee_rolls.csv") == 1 and "session.csv.gz" in out


def test_a_phone_export_zip_through_analyze_report_compare(
    export_zip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(export_zip), "--json"]) == 0
    analysed = json.loads(capsys.readouterr().out)
    assert analysed["data_quality"]["has_gyr"] is True and analysed["data_quality"]["n_samples"] > 300
    assert main(["report", str(export_zip), "-o", str(tmp_path / "r.json")]) == 0
    assert (
        json.loads((tmp_path / "r.json").read_text())["data_quality"]["n_samples"]
        == analysed["data_quality"]["n_samples"]
    )
    capsys.readouterr()
    # compare lists sessions by exercise; the 8 s export holds none, but is read, not refused.
    assert main(["compare", str(export_zip), str(SAMPLES / "session.csv")]) == 0
    err = capsys.readouterr().err  # each file's data-quality warnings, but no error
    assert "error" not in err and all(line.startswith("imurep: warning: ") for line in err.splitlines())


def test_batch_reads_zips_and_gzip_files(export_zip: Path, session_gz: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.move(export_zip, folder / export_zip.name)
    shutil.move(session_gz, folder / session_gz.name)
    out = tmp_path / "b.csv"
    assert main(["batch", str(folder), "-o", str(out), "--no-progress"]) == 0
    table = pd.read_csv(out)
    files = table[table["row_type"] == "file"]
    files = files.set_index(files["path"].map(os.path.basename))
    assert files["error"].isna().all()
    assert files.loc["session.csv.gz", "n_reps"] == 17
    assert bool(files.loc["sensor-logger.zip", "has_gyr"]) is True


@pytest.mark.skipif(not SHARED_REAL.is_dir(), reason="shared real recordings not available")
def test_batch_on_a_folder_of_real_gzip_recordings(tmp_path: Path) -> None:
    out = tmp_path / "b.csv"
    folder = SHARED_REAL / "umafall-waist"
    assert main(["batch", str(folder), "-o", str(out), "--no-progress", "--jobs", "2"]) == 0
    table = pd.read_csv(out)
    files = table[table["row_type"] == "file"]
    assert len(files) == len(list(folder.glob("*.csv.gz"))) > 0
    assert files["error"].isna().all()


def test_live_replay_of_a_zip_and_a_gzip_file(
    export_zip: Path, session_gz: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["live", "--device", "virtual", "--speed", "20", "--json", "--replay"]
    assert main([*argv, str(session_gz)]) == 0
    assert len(json.loads(capsys.readouterr().out)["reps"]) == 17
    assert main([*argv, str(export_zip)]) == 0
    assert json.loads(capsys.readouterr().out)["data_quality"]["n_samples"] > 300


def test_analyze_reads_standard_input() -> None:
    data = (SAMPLES / "session.csv").read_bytes()
    for path in ("-", "/dev/stdin"):
        done = _cli("analyze", path, "--json", stdin=data)
        assert done.returncode == 0, done.stderr
        assert len(json.loads(done.stdout)["reps"]) == 17
    done = _cli("analyze", "-", "--json", stdin=gzip.compress(data))
    assert done.returncode == 0 and len(json.loads(done.stdout)["reps"]) == 17


def test_analyze_of_binary_standard_input_is_one_line() -> None:
    done = _cli("analyze", "-", stdin=b"\x00" * 100_000)
    assert done.returncode == 2
    assert (
        done.stderr.decode().strip()
        == "imurep: error: <stdin>: is not a text file (binary content: NUL bytes)"
    )


def test_a_named_pipe_without_a_writer_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "rec.csv"
    os.mkfifo(fifo)
    start = time.monotonic()
    done = _cli("analyze", str(fifo), timeout_s=20)
    assert time.monotonic() - start < 15
    assert done.returncode == 2
    assert "named pipe with nothing written to it" in done.stderr.decode()


def test_a_named_pipe_with_a_writer_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "rec.csv"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [sys.executable, "-m", "imurep", "analyze", str(fifo), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    with open(fifo, "wb") as w:  # blocks until the reader has opened it
        w.write((SAMPLES / "session.csv").read_bytes())
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert len(json.loads(out)["reps"]) == 17
