"""Floor exercises that are not ours, measured on the simulated motion: each turns the pelvis
about the axis it should, by the drawn amplitude, in sets of 8-12 movements; the truth has no rep
but names every movement and labels the postures."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from imurep.sim import NEGATIVE_KINDS, random_config, simulate
from imurep.sim.negatives import NEGATIVE_MOTIONS
from imurep.sim.session import build_timeline
from imurep.sim.timeline import POSTURE_ROTATIONS, Timeline, TruthMovement

SEEDS = (0, 1, 2)
POSTURE_OF = {
    "pelvic_tilt": {"supine"},
    "bridging": {"supine"},
    "clam": {"side_lying"},
    "cat_cow": {"all_fours"},
    "bird_dog": {"all_fours"},
    "superman": {"prone"},
    "press_up": {"prone"},
    "rolling_over": {"supine", "side_lying", "prone", "moving"},
}


def _motion(tl: Timeline) -> tuple[np.ndarray, Rotation, np.ndarray]:
    """Fine time, the pelvis orientation relative to the set's start posture, and its position."""
    t, r, pos = tl.arrays()
    return t, POSTURE_ROTATIONS[tl.posture].inv() * r, pos


def _at(t: np.ndarray, time_s: float) -> int:
    return min(int(np.searchsorted(t, time_s)), t.size - 1)


def _hold_mid(t: np.ndarray, m: TruthMovement) -> int:
    return _at(t, 0.5 * (m.hold_start_s + m.hold_end_s))


def _movements(tl: Timeline) -> list[TruthMovement]:
    (ns,) = tl.negatives
    return ns.movements


@pytest.mark.parametrize("kind", NEGATIVE_KINDS)
def test_a_set_of_8_to_12_movements_no_rep_and_labelled_postures(kind):
    sim = simulate(random_config(4, kind=kind, rate_hz=25.0))
    truth = sim.truth.to_json_obj()
    assert truth["reps"] == [] and truth["sets"] == []
    (neg,) = truth["negatives"]
    assert neg["kind"] == kind and 8 <= neg["count"] == len(neg["movements"]) <= 12
    o = sim.config.sensor.clock_origin_s
    assert neg["start_s"] - o >= 0.0 and neg["end_s"] - o <= truth["duration_s"] + 1e-3
    for m in neg["movements"]:
        assert neg["start_s"] <= m["start_s"] <= m["hold_start_s"] <= m["hold_end_s"] <= m["end_s"]
        assert m["end_s"] <= neg["end_s"]
    assert {p["posture"] for p in truth["postures"]} == POSTURE_OF[kind]


@pytest.mark.parametrize("kind", ["pelvic_tilt", "bridging", "superman", "press_up"])
def test_tilts_turn_the_pelvis_about_its_left_right_axis_by_the_drawn_amplitude(kind):
    # Positive pitch (posterior tilt, as the heels stretch) is a rotation about body −y.
    sign = 1.0 if kind in ("pelvic_tilt", "bridging") else -1.0
    lo, hi = NEGATIVE_MOTIONS[kind].amplitude_deg
    for seed in SEEDS:
        cfg = random_config(seed, kind=kind)
        tl = build_timeline(cfg)
        t, rel, pos = _motion(tl)
        tol = 0.05 + cfg.subject.breath_deg  # breathing tilts about the same axis
        rest_height_m = pos[0, 2]
        for m in _movements(tl):
            assert lo * 0.88 <= m.peak_angle_deg <= hi * 1.12
            rv = np.degrees(rel[_hold_mid(t, m)].as_rotvec())
            assert -sign * rv[1] == pytest.approx(m.peak_angle_deg, abs=tol)
            assert np.hypot(rv[0], rv[2]) < 1e-6  # about y only
            lift_m = pos[_hold_mid(t, m), 2] - rest_height_m
            if kind == "bridging":
                assert 0.08 <= lift_m <= 0.2  # the hips lift
            elif kind == "superman":
                assert 0.005 <= lift_m <= 0.02
            else:
                assert lift_m == pytest.approx(0.0, abs=1e-9)  # the pelvis stays on the floor
            assert pos[_at(t, m.end_s), 2] == pytest.approx(rest_height_m, abs=1e-9)
            back = np.degrees(rel[_at(t, m.end_s)].magnitude())
            assert back <= tol  # back at neutral


def test_a_clams_roll_is_one_sided_about_the_long_axis():
    sides = set()
    for seed in (*SEEDS, 3, 4):
        cfg = random_config(seed, kind="clam")
        tl = build_timeline(cfg)
        t, rel, _ = _motion(tl)
        on_right = tl.posture == "side_lying_right"
        sides.add(on_right)
        rolls = []
        for m in _movements(tl):
            rv = np.degrees(rel[_hold_mid(t, m)].as_rotvec())
            rolls.append(rv[2])
            assert abs(rv[2]) == pytest.approx(m.peak_angle_deg, abs=0.01)  # (a breath tilts about y)
            assert 3.0 * 0.88 <= m.peak_angle_deg <= 10.0 * 1.12
            assert m.side == ("left" if on_right else "right")  # the top leg opens
        # The pelvis rolls back: its anterior axis turns towards up (body −y on the left side).
        rolls_arr = np.asarray(rolls)
        assert np.all(rolls_arr > 0) if on_right else np.all(rolls_arr < 0)
        anterior = rel[[_hold_mid(t, m) for m in _movements(tl)]].apply([1.0, 0.0, 0.0])
        up_body = POSTURE_ROTATIONS[tl.posture].inv().apply([0.0, 0.0, 1.0])
        assert np.all(anterior @ up_body > 0.0)
    assert sides == {True, False}  # both sides occur


def test_cat_cow_pitches_both_ways_each_movement():
    for seed in SEEDS:
        cfg = random_config(seed, kind="cat_cow")
        tl = build_timeline(cfg)
        t, rel, _ = _motion(tl)
        pitch = -np.degrees(rel.as_rotvec()[:, 1])  # + posterior (cat), − anterior (cow)
        tol = 0.05 + cfg.subject.breath_deg
        for m in _movements(tl):
            span = pitch[_at(t, m.start_s) : _at(t, m.end_s)]
            cat, cow = span.max(), -span.min()
            assert 10.0 * 0.88 - tol <= min(cat, cow) and max(cat, cow) <= 20.0 * 1.12 + tol
            assert max(cat, cow) == pytest.approx(m.peak_angle_deg, abs=tol)


def test_bird_dog_rolls_a_few_degrees_and_shifts_sides_alternating():
    for seed in SEEDS:
        tl = build_timeline(random_config(seed, kind="bird_dog"))
        t, rel, pos = _motion(tl)
        ms = _movements(tl)
        assert [m.side for m in ms[::2]] == [ms[0].side] * len(ms[::2])
        assert {m.side for m in ms} == {"left", "right"}
        rest_m = pos[0]
        for m in ms:
            rv = np.degrees(rel[_hold_mid(t, m)].as_rotvec())
            sign = 1.0 if m.side == "left" else -1.0
            assert sign * rv[2] == pytest.approx(m.peak_angle_deg, abs=0.05 + 0.8)  # the roll...
            assert 0.5 <= sign * rv[0] <= 4.0 + 0.8  # ...and a side tilt of a few degrees
            shift_m = pos[_hold_mid(t, m)] - rest_m
            assert 0.01 <= -sign * shift_m[1] <= 0.03  # onto the other knee
            np.testing.assert_allclose(pos[_at(t, m.end_s)], rest_m, atol=1e-9)


def test_rolling_over_is_a_quarter_or_half_turn_about_the_long_axis():
    seen_peaks = set()
    for seed in SEEDS:
        tl = build_timeline(random_config(seed, kind="rolling_over"))
        t, rel, _ = _motion(tl)
        for m in _movements(tl):
            seen_peaks.add(m.peak_angle_deg)
            rv = np.degrees(rel[_at(t, m.hold_start_s + 0.05)].as_rotvec())
            assert np.linalg.norm(rv) == pytest.approx(90.0, abs=1.0)  # on the side first
            assert abs(rv[2]) == pytest.approx(90.0, abs=1.0)
            assert np.degrees(rel[_at(t, m.end_s)].magnitude()) < 1.0  # back on the back
    assert seen_peaks == {90.0, 180.0}


def test_human_speeds_and_no_jumps():
    for kind in NEGATIVE_KINDS:
        _, r, pos = build_timeline(random_config(0, kind=kind)).arrays()
        w = (r[:-1].inv() * r[1:]).as_rotvec() / 1e-3
        ang_acc = np.linalg.norm(np.diff(w, axis=0), axis=1) / 1e-3
        lin_acc = np.linalg.norm(np.gradient(np.gradient(pos, 1e-3, axis=0), 1e-3, axis=0), axis=1)
        assert np.linalg.norm(w, axis=1).max() < np.radians(270.0), kind
        assert ang_acc.max() < 30.0, kind
        assert lin_acc.max() < 8.0, kind


def test_same_seed_same_recording_with_the_sensor_options():
    a = simulate(random_config(7, kind="clam", rate_hz=25.0, with_gyr=False))
    b = simulate(random_config(7, kind="clam", rate_hz=25.0, with_gyr=False))
    assert a.block.gyr_rad_s is None
    np.testing.assert_array_equal(a.block.acc_m_s2, b.block.acc_m_s2)
    assert a.truth.to_json_obj() == b.truth.to_json_obj()
    assert a.metadata["simulation"] == "kind=clam seed=7"
