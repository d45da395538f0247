"""A bad path in a batch (dangling or looping symlink, FIFO, device) is one error row, not the end.

A FIFO, device or socket is refused without being opened (opening a FIFO waits for a writer
forever); ``analyze`` refuses it the same way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from imurep.batch import read_results
from imurep.cli.main import main

from .conftest import GOOD, REAL


@pytest.fixture
def folder_with_bad_paths(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    shutil.copy(REAL / GOOD[0], root / "good.csv")
    (root / "dangling.csv").symlink_to(root / "nowhere.csv")
    (root / "loop.csv").symlink_to(root / "loop.csv")
    os.mkfifo(root / "fifo.csv")
    (root / "device.csv").symlink_to("/dev/zero")
    return root


def test_bad_paths_are_error_rows_and_the_batch_goes_on(
    folder_with_bad_paths: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.csv"
    code = main(["batch", str(folder_with_bad_paths), "-o", str(out), "--mount", "auto", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1, err  # some files failed; the others are in the table
    assert "5 recordings: 1 analysed, 4 failed" in err
    files = read_results(out).query("row_type == 'file'").set_index("path")
    errors = {Path(p).name: e for p, e in files["error"].items()}
    assert files["error"].isna().sum() == 1 and "good.csv" in errors
    assert "dangling symbolic link" in errors["dangling.csv"]
    assert "symbolic link loop" in errors["loop.csv"]
    assert "not a regular file (a FIFO)" in errors["fifo.csv"]
    assert "not a regular file (a character device)" in errors["device.csv"]

    # The re-run skips them all (unchanged), and says so.
    code = main(["batch", str(folder_with_bad_paths), "-o", str(out), "--mount", "auto", "--no-progress"])
    assert "5 recordings: 0 analysed, 5 already done" in capsys.readouterr().err


def test_batch_with_jobs_does_not_hang_on_a_fifo(folder_with_bad_paths: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    cmd = [sys.executable, "-m", "imurep.cli.main", "batch", str(folder_with_bad_paths), "-o", str(out)]
    done = subprocess.run([*cmd, "--jobs", "2", "--no-progress"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "1 analysed, 4 failed" in done.stderr


def test_analyze_refuses_a_device_without_opening_it(folder_with_bad_paths: Path) -> None:
    path = folder_with_bad_paths / "device.csv"
    cmd = [sys.executable, "-m", "imurep.cli.main", "analyze", str(path)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert (
        done.stderr
        == f"imurep: error: {path}: not a regular file (a character device); give a recording file\n"
    )


def test_analyze_does_not_wait_on_a_fifo_nothing_writes_to(folder_with_bad_paths: Path) -> None:
    path = folder_with_bad_paths / "fifo.csv"
    cmd = [sys.executable, "-m", "imurep.cli.main", "analyze", str(path)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert done.stderr == (
        f"imurep: error: {path}: is a named pipe with nothing written to it; start the writer first, "
        "or save the data as a file\n"
    )


def test_analyze_names_a_dangling_symlink(
    folder_with_bad_paths: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder_with_bad_paths / "dangling.csv"
    assert main(["analyze", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"imurep: error: {path}: dangling symbolic link") and err.count("\n") == 1
