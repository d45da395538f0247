"""``imurep report`` and ``imurep compare`` through the real entry point, on real recordings."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from imurep.analysis.analyze import analyze_file
from imurep.cli.main import main

MEX = Path(__file__).parents[1] / "data" / "real" / "mex-knee-rolling"
S01 = MEX / "mex_s01_knee_rolling.csv"
S02 = MEX / "mex_s02_knee_rolling.csv"


def test_html_report_of_two_recordings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(S01), str(S02), "--mount", "auto", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count('<section class="session">') == 2
    assert "mex_s01_knee_rolling.csv" in page and "mex_s02_knee_rolling.csv" in page
    assert "no (accelerometer only)" in page  # MEx has no gyroscope
    assert "recorded 2018-11-08 11:34 UTC" in page
    assert "wrote" in capsys.readouterr().err


def test_json_report_is_the_analysis_object_plus_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(S01), "--mount", "auto", "--format", "json", "--target-reps", "12"]) == 0
    obj = json.loads(capsys.readouterr().out)
    expected = analyze_file(S01, mount="auto").to_json_obj()
    assert obj["reps"] == expected["reps"] and obj["sets"] == expected["sets"]
    summary = obj["summary"]
    assert summary["target_reps"] == 12
    (ex,) = summary["exercises"]
    assert ex["exercise"] == "knee_rolls" and ex["reps"] == len(expected["reps"])
    assert {v["item"] for v in ex["verdicts"]} == {"reps", "alternation", "holds", "range"}


def test_csv_report_loads_in_pandas(tmp_path: Path) -> None:
    out = tmp_path / "reps.csv"
    assert main(["report", str(S01), str(S02), "--mount", "auto", "-o", str(out)]) == 0
    df = pd.read_csv(out)
    n = len(analyze_file(S01, mount="auto").reps) + len(analyze_file(S02, mount="auto").reps)
    assert len(df) == n
    assert set(df["source"]) == {S01.name, S02.name}
    assert df["peak_angle_deg"].between(5, 120).all()


def test_markdown_report_writes_figures_beside(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    assert main(["report", str(S01), "--mount", "auto", "-o", str(out)]) == 0
    pngs = sorted((tmp_path / "r_files").glob("*.png"))
    assert len(pngs) >= 4
    assert f"(r_files/{pngs[0].name})" in out.read_text(encoding="utf-8")


def test_bad_input_is_one_clean_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("# imurep-recording: 1\ntime_s,acc_x,acc_y,acc_z\n0.0,1,2,3\n0.0,1,2,3\n")
    assert main(["report", str(bad), "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("imurep: error:") and "bad.csv" in err[0]
    assert not (tmp_path / "x.html").exists()


def test_compare_folder_table_and_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    for name in ("mex_s01_knee_rolling.csv", "mex_s13_knee_rolling.csv", "mex_s02_knee_rolling.csv"):
        (folder / name).write_bytes((MEX / name).read_bytes())
    out = tmp_path / "compare.html"
    assert main(["compare", str(folder), "--mount", "auto", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["day", "exercise"]
    # s01 and s13 were recorded on the same day (Unix time base): one row for both
    assert lines[1].startswith("2018-11-08  knee rolls") and lines[1].split()[3] == "2"
    assert lines[2].startswith("2019-02-20  knee rolls")
    assert text.count("time_s") == 3
    page = out.read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "2018-11-08" in page


def test_compare_png_and_bad_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "c.png"
    assert main(["compare", str(S01), str(S02), "--mount", "auto", "-o", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert main(["compare", str(S01), "--mount", "auto", "-o", str(tmp_path / "c.txt")]) == 2
    assert "expected an output ending in" in capsys.readouterr().err


def test_markdown_report_keeps_the_date_and_explains_the_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["report", str(S01), "--mount", "auto", "--format", "md"]) == 0
    text = capsys.readouterr().out
    assert "recorded 2018-11-08 11:34 UTC" in text
    assert "- smoothness (SPARC): " in text and "- steadiness, deg: hold steadiness" in text


def test_html_report_explains_the_columns(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(S01), "--mount", "auto", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "smoothness (SPARC): smoothness of the movement" in page and "steadiness, deg: hold" in page


def test_csv_report_rounds_floats_as_the_json_does(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(S01), "--mount", "auto", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert main(["report", str(S01), "--mount", "auto", "--format", "json"]) == 0
    reps = json.loads(capsys.readouterr().out)["reps"]
    floats = [c for c in table.columns if c in reps[0] and isinstance(reps[0][c], float)]
    assert floats  # start_s, hold_s, peak_angle_deg, ...
    for col in floats:
        for cell, rep in zip(table[col], reps, strict=True):
            if rep[col] is None:
                assert pd.isna(cell)
            else:
                assert len(cell.partition(".")[2]) <= 4, (col, cell)
                assert float(cell) == rep[col]


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_a_report_without_reps_says_what_was_seen(tmp_path: Path, suffix: str) -> None:
    knee_rolls = Path(__file__).parents[2] / "recordings" / "knee_rolls.csv"
    out = tmp_path / f"report{suffix}"
    assert main(["report", str(knee_rolls), "--mount", "back-belt", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "No exercise found: no rep found; seen: on all fours" in page
    assert "movements not counted" in page
