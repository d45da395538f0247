"""Set-level evidence: a movement is judged with the set around it."""

from __future__ import annotations

from imurep.events import RepEvent
from imurep.pipeline.set_evidence import SET_REASONS, Candidate, EvidenceSettings, SetEvidence

AXIS = (0.0, 0.0, -1.0)


def _cand(
    start_s: float, peak_deg: float, direction: int, axis: tuple[float, float, float] = AXIS
) -> Candidate:
    rep = RepEvent(
        exercise="knee_rolls",
        side="left" if direction > 0 else "right",
        index=0,
        start_s=start_s,
        hold_start_s=start_s + 1.5,
        hold_end_s=start_s + 3.5,
        end_s=start_s + 5.0,
        hold_s=2.0,
        peak_angle_deg=peak_deg,
        emitted_at_s=start_s + 5.0,
    )
    return Candidate(rep, direction, axis, None)


def _run(ev: SetEvidence, cands: list[Candidate]) -> list[RepEvent]:
    counted = []
    for c in cands:
        counted += ev.judge(c, c.rep.end_s)
    ev.finish(cands[-1].rep.end_s + 10.0 if cands else 0.0)
    return counted


def _knee_rolls(**kw: object) -> SetEvidence:
    return SetEvidence(EvidenceSettings(pattern="alternating", **kw), "knee_rolls")  # type: ignore[arg-type]


def _reasons(ev: SetEvidence) -> list[str | None]:
    return [v.reason for v in ev.verdicts]


def test_the_first_rep_waits_for_its_confirmation_then_both_count() -> None:
    ev = _knee_rolls()
    first = _cand(0.0, 20.0, +1)
    assert ev.judge(first, 5.0) == [] and ev.pending == 1
    counted = ev.judge(_cand(7.0, 22.0, -1), 12.0)
    assert [r.start_s for r in counted] == [0.0, 7.0]
    assert counted[0].emitted_at_s == 12.0  # reported when it was confirmed
    assert ev.pending == 0 and ev.established


def test_a_lone_movement_is_not_a_set() -> None:
    ev = _knee_rolls()
    assert _run(ev, [_cand(0.0, 30.0, +1)]) == []
    assert _reasons(ev) == ["unconfirmed"]


def test_small_movers_reps_count_in_a_set_of_their_size() -> None:
    """A 7° roll in a set of 7–10° rolls counts; the smaller side (30 % smaller) too."""
    peaks = [9.5, 6.5, 10.0, 7.0, 9.0, 6.8, 9.8, 7.2]
    cands = [_cand(7.0 * i, p, +1 if i % 2 == 0 else -1) for i, p in enumerate(peaks)]
    ev = _knee_rolls()
    assert len(_run(ev, cands)) == len(peaks)


def test_a_set_of_only_small_movements_needs_one_clear_rep() -> None:
    cands = [_cand(7.0 * i, 6.0, +1 if i % 2 == 0 else -1) for i in range(6)]
    ev = _knee_rolls()
    assert _run(ev, cands) == []
    assert set(_reasons(ev)) == {"unconfirmed"}


def test_a_small_shift_in_a_set_of_big_reps_is_not_a_rep() -> None:
    """A 9° shift among heels stretches of 30–45° does not count."""
    ev = SetEvidence(EvidenceSettings(pattern="one_way"), "heels_stretch")
    cands = [_cand(0.0, 35.0, +1), _cand(7.0, 40.0, +1), _cand(14.0, 9.0, +1), _cand(21.0, 32.0, +1)]
    counted = _run(ev, cands)
    assert [r.peak_angle_deg for r in counted] == [35.0, 40.0, 32.0]
    assert _reasons(ev)[2] == "smaller_than_set"


def test_a_small_movement_to_the_side_just_counted_is_a_fidget() -> None:
    ev = _knee_rolls()
    cands = [_cand(0.0, 15.0, +1), _cand(7.0, 15.0, -1), _cand(14.0, 7.0, -1), _cand(21.0, 15.0, +1)]
    counted = _run(ev, cands)
    assert len(counted) == 3
    assert _reasons(ev)[2] == "same_side_small"


def test_strict_alternation_refuses_any_repeat_of_a_side() -> None:
    ev = _knee_rolls(strict_alternation=True)
    counted = _run(ev, [_cand(0.0, 20.0, +1), _cand(7.0, 20.0, -1), _cand(14.0, 25.0, -1)])
    assert len(counted) == 2
    assert _reasons(ev)[2] == "not_alternating"


def test_a_repeated_one_sided_movement_never_establishes_an_alternating_set() -> None:
    """A clam: the same movement to one side, again and again."""
    ev = _knee_rolls()
    assert _run(ev, [_cand(7.0 * i, 25.0, +1) for i in range(8)]) == []


def test_a_one_way_exercise_refuses_the_other_way_and_two_way_movements() -> None:
    """A cat-cow alternates a pitch one way with one the other way: not a heels stretch."""
    ev = SetEvidence(EvidenceSettings(pattern="one_way"), "heels_stretch")
    cands = [_cand(7.0 * i, 15.0, +1 if i % 2 == 0 else -1) for i in range(8)]
    assert _run(ev, cands) == []
    reasons = _reasons(ev)
    assert "wrong_way" in reasons and "two_way" in reasons


def test_establishing_movements_must_be_of_a_size_and_close_in_time() -> None:
    ev = _knee_rolls()
    assert _run(ev, [_cand(0.0, 10.0, +1), _cand(7.0, 40.0, -1)]) == []
    ev = _knee_rolls()
    assert _run(ev, [_cand(0.0, 20.0, +1), _cand(40.0, 20.0, -1)]) == []


def test_a_rest_of_several_breaths_between_the_first_reps_still_confirms_them() -> None:
    # A person in pain may rest and shift between reps: 13.5 s from one rep's end to the next's
    # start (the rep lasts 5 s) is still one set; 16 s is not.
    ev = _knee_rolls()
    assert len(_run(ev, [_cand(0.0, 20.0, +1), _cand(18.5, 20.0, -1)])) == 2
    ev = _knee_rolls()
    assert _run(ev, [_cand(0.0, 20.0, +1), _cand(21.0, 20.0, -1)]) == []
    assert _reasons(ev) == ["unconfirmed", "unconfirmed"]


def test_unknown_mounting_needs_one_axis_and_balanced_sides() -> None:
    other = (1.0, 0.0, 0.0)
    ev = _knee_rolls(confirm_reps=3, same_axis_cos=0.819)
    assert _run(ev, [_cand(0.0, 20.0, +1), _cand(7.0, 20.0, -1, other), _cand(14.0, 20.0, +1)]) == []
    ev = _knee_rolls(confirm_reps=3, max_side_duration_ratio=1.8)
    long_rest = _cand(7.0, 20.0, -1)
    long_rest = Candidate(
        RepEvent(**{**long_rest.rep.to_dict(), "end_s": long_rest.rep.start_s + 15.0}), -1, AXIS, None
    )
    cands = [_cand(0.0, 20.0, +1), long_rest, _cand(23.0, 20.0, +1)]
    assert _run(ev, cands) == []
    assert "lopsided" in _reasons(ev)


def test_refused_by_the_gate_is_logged_with_the_gate_reason_and_does_not_break_the_set() -> None:
    ev = _knee_rolls()
    knock = Candidate(_cand(5.0, 20.0, -1).rep, -1, AXIS, "too_abrupt")
    counted = _run(ev, [_cand(0.0, 20.0, +1), knock, _cand(7.0, 20.0, -1)])
    assert len(counted) == 2
    assert _reasons(ev) == ["too_abrupt", None, None]


def test_every_set_reason_is_explained() -> None:
    assert all(SET_REASONS[k] for k in SET_REASONS)
