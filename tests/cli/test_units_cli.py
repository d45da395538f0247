"""Every command that reads recordings decides units the same way: report, batch, compare, import, live.

The file is ``recordings/session.csv`` (17 reps) written in g and deg/s.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from imurep.cli.main import main

sys.path.insert(0, str(Path(__file__).parents[1] / "sources"))
from session_variants import SESSION_REPS, deg_gyr, g_acc, write_variant


@pytest.fixture
def g_deg(tmp_path: Path) -> Path:
    return write_variant(tmp_path / "g_deg.csv", acc_scale=g_acc(), gyr_scale=deg_gyr())


def test_report(g_deg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(g_deg), "--format", "json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert len(obj["reps"]) == SESSION_REPS
    assert any("read as g" in w for w in obj["data_quality"]["warnings"])


def test_report_with_stated_units(g_deg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(g_deg), "--format", "json", "--acc-unit", "g", "--gyr-unit", "deg/s"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert len(obj["reps"]) == SESSION_REPS
    assert not any("read as" in w for w in obj["data_quality"]["warnings"])


def test_batch(g_deg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.csv"
    assert main(["batch", str(g_deg), "-o", str(out), "--no-progress", "--gyr-unit", "deg/s"]) == 0
    table = pd.read_csv(out)
    assert (table["row_type"] == "rep").sum() == SESSION_REPS
    (warnings,) = table.loc[table["row_type"] == "file", "warnings"]
    assert "read as g" in warnings and "read as deg/s" not in warnings


def test_compare_says_what_it_decided(g_deg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(g_deg)]) == 0
    captured = capsys.readouterr()
    reps = sum(int(line.split()[-5]) for line in captured.out.splitlines() if line.startswith("2026-"))
    assert reps == SESSION_REPS
    assert f"imurep: warning: {g_deg}: acceleration read as g" in captured.err


def test_import_follows_the_flags_and_writes_si(g_deg: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "si.csv"
    assert main(["import", str(g_deg), "-o", str(out), "--acc-unit", "g", "--gyr-unit", "deg/s"]) == 0
    capsys.readouterr()
    assert main(["analyze", str(out), "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert len(obj["reps"]) == SESSION_REPS
    assert not any("read as" in w for w in obj["data_quality"]["warnings"])
    text = out.read_text()
    assert "# acc-unit: g (converted to m/s²)" in text and "# acc_unit" not in text


def test_import_refuses_units_it_cannot_use_without_a_traceback(g_deg: Path, tmp_path: Path, capsys) -> None:
    code = main(["import", str(g_deg), "-o", str(tmp_path / "x.csv"), "--time-unit", "ms"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "--time-unit" in err


def test_live_replay(g_deg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["live", "--device", "virtual", "--replay", str(g_deg), "--speed", "40", "--json"]
    assert main(argv) == 0
    obj = json.loads(capsys.readouterr().out)
    assert len(obj["reps"]) == SESSION_REPS
    said = " ".join(obj["data_quality"]["warnings"])
    assert "read as g" in said and "read as deg/s" in said


def test_live_recording_of_a_replay_is_written_in_si_without_the_unit_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stated = write_variant(
        tmp_path / "stated.csv",
        acc_scale=g_acc(),
        gyr_scale=deg_gyr(),
        extra_meta=("# acc_unit: g", "# gyr_unit: deg/s"),
    )
    out = tmp_path / "again.csv"
    argv = ["live", "--device", "virtual", "--replay", str(stated), "--speed", "40", "--json", "-o", str(out)]
    assert main(argv) == 0
    capsys.readouterr()
    assert "_unit:" not in out.read_text()
    assert main(["analyze", str(out), "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert len(obj["reps"]) == SESSION_REPS
    assert not any("read as" in w or "stated" in w for w in obj["data_quality"]["warnings"])
