"""``imurep batch`` through the real entry point."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imurep.cli.main import main


def test_batch_command(mixed_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.csv"
    code = main(["batch", str(mixed_folder), "-o", str(out), "--mount", "auto", "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == 1  # some files failed; their error is in the table
    assert "6 recordings: 3 analysed, 3 failed" in err
    table = pd.read_csv(out)
    assert set(table["row_type"]) == {"rep", "file"}
    assert (table["row_type"] == "file").sum() == 6

    code = main(["batch", str(mixed_folder / "mex_s01_knee_rolling.csv"), "-o", str(out), "--no-progress"])
    assert code == 0
    assert "1 recording: 0 analysed, 1 already done" in capsys.readouterr().err


def test_bad_output_is_one_line_and_exit_2(
    mixed_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["batch", str(mixed_folder), "-o", str(tmp_path / "results.json")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "output must end in .csv or .parquet" in err


def test_a_folder_without_recordings_is_an_error_not_an_empty_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "sessions"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a recording\n")
    out = tmp_path / "results.csv"
    code = main(["batch", str(empty), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == f"imurep: error: {empty}: no recordings (*.csv) found\n"
    assert not out.exists()
