"""``imurep simulate`` through its real entry point: the CSV reads back as the simulated samples,
the truth file is the simulator's truth, bad options give one clear line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from imurep.cli.main import main
from imurep.recording import read_recording
from imurep.sim import random_config, simulate


def test_writes_the_recording_and_its_truth(tmp_path, capsys):
    out = tmp_path / "k.csv"
    args = ["simulate", "-o", str(out), "--kind", "knee_rolls", "--seed", "3", "--rate-hz", "52"]
    assert main([*args, "--mount", "back-belt", "--acc-only"]) == 0
    assert "k.truth.json" in capsys.readouterr().out
    rec = read_recording(out)
    sim = simulate(random_config(3, kind="knee_rolls", rate_hz=52.0, mount="back-belt", with_gyr=False))
    assert rec.samples.gyr_rad_s is None
    np.testing.assert_allclose(rec.samples.time_s, sim.block.time_s, atol=1e-5)
    np.testing.assert_allclose(rec.samples.acc_m_s2, sim.block.acc_m_s2, atol=1e-4)
    assert rec.header.mount == "back-belt"
    truth = json.loads((tmp_path / "k.truth.json").read_text())
    assert truth == json.loads(json.dumps(sim.truth.to_json_obj()))
    assert truth["reps"] and truth["sets"][0]["reps"] == len(truth["reps"])


def test_rotation_mounting_and_duration(tmp_path):
    out, truth_path = tmp_path / "s.csv", tmp_path / "elsewhere.json"
    argv = ["simulate", "-o", str(out), "--truth", str(truth_path), "--kind", "heels_stretch"]
    argv += ["--mount", "front-belt+euler:x:15", "--duration", "250", "--max-misalignment-deg", "0"]
    assert main(argv) == 0
    rec = read_recording(out)
    assert rec.header.mount == "front-belt+euler:x:15"
    truth = json.loads(truth_path.read_text())
    assert truth["duration_s"] >= 250.0 and len(truth["sets"]) >= 2
    assert rec.samples.time_s[-1] - rec.samples.time_s[0] >= 249.0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--mount", "upside-down"], "unknown mounting 'upside-down'"),
        (["--mount", "euler:zyx:1,2"], "mounting"),
        (["--mount", "auto"], "--mount auto is for analysis"),
        (["--rate-hz", "2"], "--rate-hz"),
        (["--duration", "0"], "--duration"),
        (["--kind", "clam", "--population", "small"], "population 'small' applies to session"),
    ],
)
def test_bad_options_give_one_clear_line(tmp_path, capsys, extra, message):
    assert main(["simulate", "-o", str(tmp_path / "x.csv"), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "x.csv").exists()


def test_existing_files_are_kept_unless_overwrite(tmp_path, capsys):
    out = tmp_path / "d.csv"
    argv = ["simulate", "-o", str(out), "--kind", "distractors", "--seed", "1", "--rate-hz", "25"]
    assert main(argv) == 0
    before = out.read_bytes()
    assert main([*argv[:-2], "--rate-hz", "50"]) == 2
    err = capsys.readouterr().err
    assert "file exists" in err and "--overwrite" in err
    assert out.read_bytes() == before
    assert main([*argv[:-2], "--rate-hz", "50", "--overwrite"]) == 0
    assert out.read_bytes() != before
    # The old name still works, and is no longer offered.
    assert main([*argv[:-2], "--rate-hz", "25", "--force"]) == 0
    assert out.read_bytes() == before
    with pytest.raises(SystemExit):
        main(["simulate", "--help"])
    shown = capsys.readouterr().out
    assert "--overwrite" in shown and "--force" not in shown


def test_a_population_and_a_negative_kind(tmp_path, capsys):
    out = tmp_path / "m.csv"
    assert (
        main(["simulate", "-o", str(out), "--kind", "knee_rolls", "--population", "small", "--seed", "2"])
        == 0
    )
    truth = json.loads(out.with_suffix(".truth.json").read_text())
    assert truth["parameters"]["subject"]["population"] == "small"
    assert truth["reps"] and all(5.0 <= r["peak_angle_deg"] <= 10.0 for r in truth["reps"])
    capsys.readouterr()
    out = tmp_path / "c.csv"
    assert main(["simulate", "-o", str(out), "--kind", "cat_cow", "--seed", "2", "--rate-hz", "25"]) == 0
    truth = json.loads(out.with_suffix(".truth.json").read_text())
    (neg,) = truth["negatives"]
    assert f"0 reps in 0 sets, {neg['count']} cat_cow movements (not reps)" in capsys.readouterr().out
    assert read_recording(out).header.metadata["simulation"] == "kind=cat_cow seed=2"
