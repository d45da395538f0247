"""The tuning and held-out splits: disjoint seed ranges, every population and negative in each,
files that say what they are, per-population and per-negative-kind scores, the CLI option."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from imurep.cli.main import main
from imurep.errors import InputError
from imurep.evaluation.score import file_group, score_file, summarize_groups
from imurep.evaluation.suite import (
    EVALUATION_FIRST_SEED,
    HELD_OUT_FIRST_SEED,
    TUNING_FIRST_SEED,
    SuiteEntry,
    evaluate_dir,
    make_suite,
    split_plan,
)
from imurep.events import RepEvent
from imurep.sim import NEGATIVE_KINDS, POPULATIONS


def test_splits_are_disjoint_seed_ranges_with_everything_in_each():
    tuning, held_out = split_plan("tuning", 120), split_plan("held-out", 120)
    assert {e.seed for e in tuning} == set(range(TUNING_FIRST_SEED, TUNING_FIRST_SEED + 120))
    assert {e.seed for e in held_out} == set(range(HELD_OUT_FIRST_SEED, HELD_OUT_FIRST_SEED + 120))
    assert EVALUATION_FIRST_SEED + 1_000_000 <= TUNING_FIRST_SEED < HELD_OUT_FIRST_SEED
    for plan in (tuning, held_out):
        kinds = Counter(e.kind for e in plan)
        assert {e.population for e in plan} == set(POPULATIONS)
        assert all(kinds[k] == 5 for k in NEGATIVE_KINDS) and kinds["distractors"] == 5
        assert sum(kinds[k] for k in ("session", "knee_rolls", "heels_stretch")) == 75
        assert all(e.population == "typical" for e in plan if e.kind in (*NEGATIVE_KINDS, "distractors"))
    # The same seed is the same recording whichever first seed a plan starts from.
    assert split_plan("held-out", 10, HELD_OUT_FIRST_SEED + 110) == held_out[110:]
    # Any first 24 are a mix: every population and every negative kind.
    first = split_plan("tuning", 24)
    assert {e.population for e in first} == set(POPULATIONS)
    assert set(NEGATIVE_KINDS) <= {e.kind for e in first}


@pytest.mark.parametrize(
    ("split", "n", "first", "message"),
    [
        ("training", 10, None, "unknown split 'training'"),
        ("held-out", 0, None, "at least 1"),
        ("held-out", 10, TUNING_FIRST_SEED, "leave the held-out split"),
        ("tuning", 10, HELD_OUT_FIRST_SEED - 5, "leave the tuning split"),
    ],
)
def test_bad_plans_are_refused(split, n, first, message):
    with pytest.raises(InputError, match=message):
        split_plan(split, n, first)


def test_file_names_and_groups_say_what_each_recording_is(tmp_path):
    plan = [
        SuiteEntry(TUNING_FIRST_SEED, "knee_rolls", "small"),
        SuiteEntry(TUNING_FIRST_SEED + 5, "clam"),
        SuiteEntry(TUNING_FIRST_SEED + 19, "distractors"),
    ]
    paths = make_suite(tmp_path, plan)
    assert [p.name for p in paths] == [
        f"knee_rolls-small-{TUNING_FIRST_SEED}.csv",
        f"clam-{TUNING_FIRST_SEED + 5}.csv",
        f"distractors-{TUNING_FIRST_SEED + 19}.csv",
    ]
    truths = [json.loads(p.with_suffix(".truth.json").read_text()) for p in paths]
    assert [file_group(t) for t in truths] == ["small", "clam", "distractors"]
    scores = evaluate_dir(tmp_path)  # the real analysis
    groups = summarize_groups(scores)
    assert list(groups) == ["small", "clam", "distractors"]
    clam = groups["clam"]
    assert clam.files == clam.distractor_files == 1
    assert clam.negative_movements == truths[1]["negatives"][0]["count"] >= 8
    assert groups["small"].distractor_files == 0 and groups["small"].negative_movements == 0
    assert file_group({"reps": [{"start_s": 0}]}) == "typical"  # a labelled file of another source
    assert file_group({"reps": []}) == "no_reps"


def test_a_rep_found_in_a_negative_is_a_false_rep_of_its_kind():
    truth = {
        "reps": [],
        "sets": [],
        "negatives": [{"kind": "bridging", "count": 9, "movements": []}],
        "parameters": {"kind": "bridging"},
    }
    rep = RepEvent("heels_stretch", None, 1, 10.0, 12.0, 14.0, 16.0, 2.0, 12.0, 16.2)
    ((name, g),) = summarize_groups([score_file("b.csv", truth, [rep, rep])]).items()
    assert name == "bridging" and g.distractor_reps == 2 and g.negative_movements == 9
    assert g.rep_precision == 0.0
    with pytest.raises(InputError, match="negatives entry"):
        score_file("b.csv", {**truth, "negatives": [{"kind": "bridging"}]}, [])


def test_evaluate_split_prints_per_population_and_per_negative_figures(tmp_path, capsys):
    argv = ["evaluate", str(tmp_path), "--generate", "2", "--split", "tuning", "--first-seed"]
    assert main([*argv, str(TUNING_FIRST_SEED)]) == 0  # knee rolls of a small mover, a pelvic tilt
    out = capsys.readouterr().out
    truth = json.loads((tmp_path / f"pelvic_tilt-{TUNING_FIRST_SEED + 1}.truth.json").read_text())
    count = truth["negatives"][0]["count"]
    assert "small " in out and "rep_f1" in out
    assert f"false reps of {count} movements (1 file)" in out and "pelvic_tilt:" in out
    assert main(["evaluate", str(tmp_path), "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert set(obj["groups"]) == {"small", "pelvic_tilt"}
    assert obj["groups"]["pelvic_tilt"]["negative_movements"] == count
    assert main(["evaluate", str(tmp_path), "--json", "--mount", "auto"]) == 0  # unknown mounting
    auto = json.loads(capsys.readouterr().out)
    assert auto["groups"]["pelvic_tilt"]["negative_movements"] == count
    assert auto["summary"]["files"] == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--split", "tuning"], "--split chooses what --generate simulates"),
        (["--generate", "3", "--split", "held-out", "--first-seed", "5"], "leave the held-out split"),
        (["--generate", "-1"], "--generate needs at least 1"),
        (["--mount", "nowhere"], "unknown mounting 'nowhere'"),
    ],
)
def test_bad_evaluate_options_give_one_clear_line(tmp_path, capsys, extra, message):
    assert main(["evaluate", str(tmp_path / "suite"), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "suite").exists()
