from __future__ import annotations

import numpy as np
import pytest
from report_synthetic import full_session, heels_reps, knee_roll_reps, make_result

from imurep.errors import InputError
from imurep.summary import ReportConfig, classify_hold, summarize


def _verdicts(summary, exercise):  # type: ignore[no-untyped-def]
    (e,) = [e for e in summary.exercises if e.exercise == exercise]
    return {v.item: v for v in e.verdicts}


def test_full_session_meets_every_target() -> None:
    s = summarize(full_session())
    assert [e.exercise for e in s.exercises] == ["knee_rolls", "heels_stretch"]
    kr, hs = s.exercises
    assert (kr.reps, kr.left, kr.right) == (20, 10, 10)
    assert kr.holds == {"held": 20, "short": 0, "missed": 0}
    assert kr.time_under_stretch_s == pytest.approx(80.0)
    assert hs.reps == 10 and hs.left == 0 and hs.right == 0
    for exercise in ("knee_rolls", "heels_stretch"):
        assert all(v.ok is True for v in _verdicts(s, exercise).values()), _verdicts(s, exercise)
    assert set(_verdicts(s, "knee_rolls")) == {"reps", "alternation", "holds", "range"}
    assert [len(x.reps) for x in s.sets] == [20, 10]
    assert s.sets[0].alternation == 1.0


def test_reps_whose_onset_precedes_the_set_still_belong_to_it() -> None:
    # report_synthetic.set_of starts each set 0.8 s after its first rep's onset
    s = summarize(full_session())
    assert s.sets[0].reps[0].index == 1
    assert sum(len(x.reps) for x in s.sets) == 30


def test_too_few_reps_and_same_side_twice_are_flagged() -> None:
    reps = knee_roll_reps(6, sides=["left", "left", "right", "right", "left", "left"])
    s = summarize(make_result(reps))
    v = _verdicts(s, "knee_rolls")
    assert v["reps"].ok is False and "4 to the left and 2 to the right" in v["reps"].text
    assert v["alternation"].ok is False
    assert s.sets[0].alternation == pytest.approx(2 / 5)


def test_missed_and_short_holds_are_counted() -> None:
    holds = [4.0, 0.0, 2.0, 3.0, 0.2, 4.5]
    s = summarize(make_result(knee_roll_reps(6, holds_s=holds)))
    assert s.exercises[0].holds == {"held": 3, "short": 1, "missed": 2}
    v = _verdicts(s, "knee_rolls")["holds"]
    assert v.ok is False and "3 of 6" in v.text


def test_a_rep_far_beyond_the_usual_range_is_named() -> None:
    peaks = [30, 31, 29, 30, 60, 28, 30, 31]  # rep 5 (left) is twice the left median
    s = summarize(make_result(knee_roll_reps(8, peaks_deg=peaks)))
    assert s.exercises[0].far_reps == [5]
    v = _verdicts(s, "knee_rolls")["range"]
    assert v.ok is False and "Rep 5" in v.text


def test_unknown_sides_cannot_be_judged_for_alternation() -> None:
    reps = knee_roll_reps(6)
    reps = [r.__class__(**{**r.to_dict(), "side": None}) for r in reps]
    v = _verdicts(summarize(make_result(reps)), "knee_rolls")
    assert v["reps"].ok is None and v["alternation"].ok is None


def test_heels_stretch_short_of_target() -> None:
    s = summarize(make_result(heels_reps(7, 1_700_000_010.0)))
    v = _verdicts(s, "heels_stretch")
    assert v["reps"].ok is False and "7 rock-backs" in v["reps"].text
    assert "alternation" not in v


def test_symmetry_and_fatigue_trend() -> None:
    peaks = [40, 30, 39, 29, 38, 28, 37, 27, 36, 26]  # left ~10 deg more, both falling 0.5 deg/rep
    s = summarize(make_result(knee_roll_reps(10, peaks_deg=peaks)))
    sym = s.exercises[0].symmetry
    assert sym is not None
    assert sym.left_range_deg == pytest.approx(38.0) and sym.right_range_deg == pytest.approx(28.0)
    assert s.exercises[0].range_sd_deg == pytest.approx(float(np.std(peaks, ddof=1)))
    assert sym.range_asymmetry_pct == pytest.approx(100 * 10 / 33)
    trend = s.sets[0].trends["range_deg"]
    assert trend.slope_per_rep < 0
    assert "hold_s" in s.sets[0].trends and "smoothness_sparc" in s.sets[0].trends


def test_empty_result_has_no_exercises() -> None:
    s = summarize(make_result([]))
    assert s.exercises == [] and s.sets == []
    assert s.to_json_obj()["exercises"] == []


def test_config_is_validated_and_used() -> None:
    with pytest.raises(InputError):
        ReportConfig(target_reps=0)
    with pytest.raises(ValueError):
        ReportConfig(target_hold_s=-1)
    cfg = ReportConfig(target_reps=3, target_hold_s=2.0)
    assert classify_hold(1.6, cfg) == "held" and classify_hold(1.4, cfg) == "short"
    s = summarize(make_result(knee_roll_reps(6, holds_s=[1.6] * 6)), cfg)
    assert all(v.ok for v in s.exercises[0].verdicts)
