"""``imurep analyze`` through its real entry point: the JSON contract and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from imurep.cli.main import main

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "recordings"


def test_json_follows_format_md(capsys):
    assert main(["analyze", str(SAMPLES / "knee_rolls.csv"), "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert set(obj) >= {"source", "duration_s", "sample_rate_hz", "reps", "sets"}
    truth = json.loads((SAMPLES / "knee_rolls.truth.json").read_text())
    assert len(obj["reps"]) == len(truth["reps"])
    rep = obj["reps"][0]
    for key in (
        "exercise",
        "side",
        "index",
        "start_s",
        "hold_start_s",
        "hold_end_s",
        "end_s",
        "hold_s",
        "peak_angle_deg",
        "emitted_at_s",
    ):
        assert key in rep
    assert rep["hold_s"] == pytest.approx(rep["hold_end_s"] - rep["hold_start_s"], abs=1e-3)
    # Times are in the recording's own time base.
    assert rep["start_s"] >= truth["reps"][0]["start_s"] - 2.0
    s = obj["sets"][0]
    assert s["reps"] == s["left"] + s["right"]


def test_several_files_give_an_array(capsys):
    assert (
        main(["analyze", str(SAMPLES / "knee_rolls.csv"), str(SAMPLES / "heels_stretch.csv"), "--json"]) == 0
    )
    arr = json.loads(capsys.readouterr().out)
    assert [o["source"] for o in arr] == ["knee_rolls.csv", "heels_stretch.csv"]
    assert arr[1]["reps"] and all(r["side"] is None for r in arr[1]["reps"])


def test_exercise_filter(capsys):
    assert main(["analyze", str(SAMPLES / "session.csv"), "--json", "--exercise", "heels-stretch"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["reps"] and {r["exercise"] for r in obj["reps"]} == {"heels_stretch"}


def test_summary_table(capsys):
    assert main(["analyze", str(SAMPLES / "session.csv")]) == 0
    out = capsys.readouterr().out
    assert "knee rolls" in out and "bottom-to-heels stretch" in out


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"", "empty"),
        (b"time_s,acc_x,acc_y,acc_z\n", "no data"),
        (b"\x00\x01\x02garbage\xff\xfe", "binary"),
        (b"time_s,acc_x,acc_y\n0,1,2\n", "acc_z"),
        (b"time_s,acc_x,acc_y,acc_z\n0,1,2,3\n1,nan,2,3\n", "bad.csv:3: nan"),
        (b"time_s,acc_x,acc_y,acc_z\n0,1,2,3\n1,1,2,3\n0.5,1,2,3\n", "bad.csv:4: decreasing"),
        (b"time_s;acc_x;acc_y;acc_z\n0;1;2;3\n", "delimiter"),
    ],
)
def test_bad_input_is_one_clear_line_and_a_non_zero_exit(tmp_path, content, rule):
    f = tmp_path / "bad.csv"
    f.write_bytes(content)
    proc = subprocess.run(
        [sys.executable, "-m", "imurep.cli.main", "analyze", str(f)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "bad.csv" in lines[0]
    assert rule.lower() in lines[0].lower(), lines[0]
    assert f.read_bytes() == content  # no data lost


def test_missing_file_and_bad_mount(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["analyze", str(SAMPLES / "knee_rolls.csv"), "--mount", "sideways"]) == 2
    assert "unknown mounting" in capsys.readouterr().err


def test_analyze_does_not_import_the_other_commands_libraries():
    """Only the chosen command's module is loaded: `analyze` starts without the BLE stack or Dask."""
    code = (
        "import sys; from imurep.cli.main import main; "
        f"rc = main(['analyze', {str(SAMPLES / 'knee_rolls.csv')!r}]); "
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'bumble', 'bleak', 'dask', 'rich'}); "
        "print(rc, heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "0 []"
