"""The scorer on hand-made truth and reps: an unknown side is not a wrong side."""

from __future__ import annotations

from imurep.evaluation.score import score_file, summarize_scores
from imurep.events import RepEvent


def _rep(side: str | None, start_s: float) -> RepEvent:
    return RepEvent(
        "knee_rolls", side, 1, start_s, start_s + 2, start_s + 5, start_s + 7, 3.0, 20.0, start_s + 7
    )


TRUTH = {
    "reps": [
        {
            "exercise": "knee_rolls",
            "side": "left",
            "start_s": 10,
            "hold_start_s": 12,
            "hold_end_s": 15,
            "end_s": 17,
            "hold_s": 3,
        },
        {
            "exercise": "knee_rolls",
            "side": "right",
            "start_s": 20,
            "hold_start_s": 22,
            "hold_end_s": 25,
            "end_s": 27,
            "hold_s": 3,
        },
    ],
    "sets": [{"exercise": "knee_rolls", "start_s": 10, "end_s": 27, "reps": 2, "left": 1, "right": 1}],
}


def test_reps_without_a_side_count_by_total_and_stay_out_of_side_accuracy():
    unknown = score_file("k.csv", TRUTH, [_rep(None, 10), _rep(None, 20)])
    assert (unknown.n_matched, unknown.sets_exact, unknown.side_total, unknown.side_unknown) == (2, 1, 0, 2)
    total = summarize_scores([unknown])
    assert total.side_unknown_reps == 2 and total.side_accuracy != total.side_accuracy  # NaN: none known
    wrong = score_file("k.csv", TRUTH, [_rep("right", 10), _rep("right", 20)])
    assert (wrong.sets_exact, wrong.side_total, wrong.side_correct) == (0, 2, 1)
    mixed = score_file("k.csv", TRUTH, [_rep("left", 10), _rep(None, 20)])  # sides known: per side
    assert (mixed.sets_exact, mixed.side_total, mixed.side_correct, mixed.side_unknown) == (0, 1, 1, 1)
