"""Accuracy on simulated recordings whose seeds were never used while tuning (imurep evaluate).

The default run scores a representative subset (every kind of recording, 12 files); the full suite
(60 labelled recordings + 12 distractor-only ones, the README's table) runs with ``pytest -m slow``.
"""

from __future__ import annotations

import pytest

from imurep.evaluation.score import summarize_scores
from imurep.evaluation.suite import EVALUATION_FIRST_SEED, evaluate_dir, make_suite, suite_plan


def _score(tmp_path, n_exercise: int):
    make_suite(tmp_path, suite_plan(n_exercise, EVALUATION_FIRST_SEED))
    return summarize_scores(evaluate_dir(tmp_path))


def test_representative_subset(tmp_path):
    s = _score(tmp_path, 10)
    assert s.files == 12 and s.distractor_files == 2
    assert s.rep_precision >= 0.98
    assert s.rep_recall >= 0.97
    assert s.side_accuracy == 1.0
    assert s.distractor_reps == 0
    assert s.hold_abs_err_median_s <= 0.3
    assert s.hold_abs_err_p90_s <= 0.6
    assert s.latency_p90_s <= 0.5


@pytest.mark.slow
def test_full_evaluation_suite(tmp_path):
    s = _score(tmp_path, 60)
    print(s.to_json_obj())
    assert s.files == 72
    assert s.rep_f1 >= 0.99
    assert s.side_accuracy == 1.0
    assert s.distractor_reps == 0
    assert s.hold_abs_err_median_s <= 0.3
    assert s.hold_abs_err_p90_s <= 0.6
    assert s.latency_p90_s <= 0.5
    assert s.sets_exact_share >= 0.97
