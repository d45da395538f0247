"""Truth against the simulated motion itself: the times and angles in the truth are where the
pelvis really is; what is not a rep stays small; sessions are built as documented."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from imurep.sim import SensorConfig, SimulationConfig, SubjectConfig, random_config, simulate
from imurep.sim.session import build_timeline
from imurep.sim.timeline import POSTURE_ROTATIONS, Timeline

POSTURES = {"standing", "sitting", "supine", "side_lying", "all_fours", "moving"}


def _exercise_angle_deg(tl: Timeline, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Fine time and the exercise angle measured from the orientation: knee roll = rotation of the
    anterior axis about the superior axis; rock-back = tilt of the superior axis towards posterior."""
    t, r, _ = tl.arrays()
    start = "supine" if kind == "knee_rolls" else "all_fours"
    rel = POSTURE_ROTATIONS[start].inv() * r
    if kind == "knee_rolls":
        v = rel.apply([1.0, 0.0, 0.0])
        return t, np.degrees(np.arctan2(v[:, 1], v[:, 0]))
    v = rel.apply([0.0, 0.0, 1.0])
    return t, np.degrees(np.arctan2(-v[:, 0], v[:, 2]))


def _at(t: np.ndarray, angle: np.ndarray, time_s: float) -> float:
    return float(angle[min(np.searchsorted(t, time_s), t.size - 1)])


@pytest.mark.parametrize("kind", ["knee_rolls", "heels_stretch"])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_truth_times_and_angles_match_the_motion(kind, seed):
    cfg = random_config(seed, kind=kind)
    cfg = SimulationConfig(  # plenty of rolls through the middle and of reps without a hold
        seed=seed,
        kind=kind,
        subject=SubjectConfig(**{**vars(cfg.subject), "continuous_share": 0.5, "no_hold_share": 0.3}),
        sensor=cfg.sensor,
    )
    tl = build_timeline(cfg)
    t, angle = _exercise_angle_deg(tl, kind)
    breath = cfg.subject.breath_deg if kind == "heels_stretch" else 0.0  # breathing tilts about y
    tol = 0.3 + breath
    reps = [r for s in tl.sets for r in s.reps]
    assert reps
    ends = {r.end_s for r in reps}
    for r in reps:
        sign = -1.0 if r.side == "right" else 1.0
        through = r.start_s in ends and _at(t, angle, r.start_s - 0.2) * sign < -1.0
        assert abs(_at(t, angle, r.start_s)) < tol  # starts at neutral...
        if not through:  # ...where it was still (a roll through the middle arrives moving)
            assert abs(_at(t, angle, r.start_s - 0.3)) < tol
        out = angle[(t >= r.start_s) & (t <= r.hold_start_s)] * sign
        assert np.all(np.diff(out) > -0.01)  # moving out, never back
        hold = angle[(t >= r.hold_start_s) & (t <= r.hold_end_s)] * sign
        np.testing.assert_allclose(hold, r.peak_angle_deg, atol=tol)  # still at the far position
        assert abs(_at(t, angle, r.end_s)) < tol  # back at neutral
        assert r.hold_end_s - r.hold_start_s >= 0.0
    assert any(r.hold_end_s == r.hold_start_s for r in reps)


@pytest.mark.parametrize("kind", ["knee_rolls", "heels_stretch"])
def test_between_reps_nothing_exceeds_a_fidget(kind):
    # Fidgets, weight shifts and breathing (≤ 4° + < 1°) are all that happens outside reps.
    for seed in range(4):
        cfg = random_config(seed, kind=kind)
        tl = build_timeline(cfg)
        t, angle = _exercise_angle_deg(tl, kind)
        outside = np.ones(t.size, dtype=bool)
        for r in (r for s in tl.sets for r in s.reps):
            outside &= ~((t >= r.start_s) & (t <= r.end_s))
        assert np.abs(angle[outside]).max() <= 4.0 + cfg.subject.breath_deg


def test_distractors_stay_near_their_postures():
    # Between movements, every pose is its posture plus at most a fidget (≤ 4°) and a breath (< 1°).
    for seed in range(4):
        tl = build_timeline(random_config(seed, kind="distractors"))
        t, r, _ = tl.arrays()
        assert not tl.sets
        seen = set()
        for span in tl.spans:
            if span.posture == "moving":
                continue
            seen.add(span.posture)
            m = (t >= span.start_s) & (t < span.end_s)
            if span.posture == "standing":
                # Standing is any heading: compare the up axis only.
                up_b = r[m].inv().apply([0.0, 0.0, 1.0])
                tilt = np.degrees(np.arccos(np.clip(up_b[:, 2], -1.0, 1.0)))
            else:
                tilt = np.degrees((POSTURE_ROTATIONS[span.posture].inv() * r[m]).magnitude())
            assert tilt.max() <= 5.0, span
        assert seen == {"standing", "sitting", "supine", "side_lying", "all_fours"}


def test_transitions_are_the_natural_movements():
    def rotation(a: Rotation, b: Rotation) -> tuple[float, np.ndarray]:
        rv = (a.inv() * b).as_rotvec()
        return float(np.degrees(np.linalg.norm(rv))), rv / np.linalg.norm(rv)

    p = POSTURE_ROTATIONS
    turned = Rotation.from_euler("z", 180, degrees=True) * p["standing"]
    cases = [
        (turned, p["sitting"], 20.0, [0, -1, 0]),  # sit down: the pelvis tilts back
        (p["sitting"], p["supine"], 70.0, [0, -1, 0]),  # lie back, about the left-right axis
        (p["supine"], p["side_lying"], 90.0, [0, 0, 1]),  # onto the left side: about the long axis
        (p["side_lying"], p["all_fours"], 90.0, [0, 0, 1]),  # on over onto hands and knees
        (p["all_fours"], p["standing"], 90.0, [0, -1, 0]),  # stand up: the trunk comes upright
    ]
    for a, b, angle_deg, axis in cases:
        got_angle, got_axis = rotation(a, b)
        assert got_angle == pytest.approx(angle_deg, abs=1e-6)
        np.testing.assert_allclose(got_axis, axis, atol=1e-9)


def test_human_speeds_and_no_jumps():
    for seed in range(3):
        for kind in ("session", "distractors"):
            _, r, pos = build_timeline(random_config(seed, kind=kind)).arrays()  # type: ignore[arg-type]
            w = (r[:-1].inv() * r[1:]).as_rotvec() / 1e-3
            ang_acc = np.linalg.norm(np.diff(w, axis=0), axis=1) / 1e-3
            lin_acc = np.linalg.norm(np.gradient(np.gradient(pos, 1e-3, axis=0), 1e-3, axis=0), axis=1)
            assert np.linalg.norm(w, axis=1).max() < np.radians(270.0)  # turning round: ≤ 250°/s peak
            assert ang_acc.max() < 30.0  # rad/s²: smooth everywhere, no step in orientation
            assert lin_acc.max() < 8.0  # m/s²: walking is the most vigorous part


def test_sets_reps_and_sides():
    subject = SubjectConfig(reps_per_side=6, heels_reps=7, continuous_share=1.0, no_hold_share=1.0)
    truth = simulate(SimulationConfig(seed=9, kind="session", subject=subject)).truth.to_json_obj()
    knee = [r for r in truth["reps"] if r["exercise"] == "knee_rolls"]
    heels = [r for r in truth["reps"] if r["exercise"] == "heels_stretch"]
    assert len(knee) == 12 and len(heels) == 7
    assert all(a["side"] != b["side"] for a, b in itertools.pairwise(knee))
    assert all(r["side"] is None for r in heels)
    assert all(r["hold_s"] == 0.0 for r in truth["reps"])
    # Every roll but the last goes straight on: each rep ends where the next one starts.
    for a, b in itertools.pairwise(knee):
        assert a["end_s"] == b["start_s"]
    assert [r["index"] for r in truth["reps"]] == list(range(1, 20))
    assert truth["sets"] == [
        {
            "exercise": "knee_rolls",
            "start_s": truth["sets"][0]["start_s"],
            "end_s": truth["sets"][0]["end_s"],
            "reps": 12,
            "left": 6,
            "right": 6,
        },
        {
            "exercise": "heels_stretch",
            "start_s": truth["sets"][1]["start_s"],
            "end_s": truth["sets"][1]["end_s"],
            "reps": 7,
            "left": 0,
            "right": 0,
        },
    ]
    for s in truth["sets"]:
        inside = [r for r in truth["reps"] if s["start_s"] <= r["start_s"] and r["end_s"] <= s["end_s"]]
        assert len(inside) == s["reps"]


def test_posture_timeline_covers_the_recording():
    origin = 1.75e9
    sim = simulate(SimulationConfig(seed=4, kind="session", sensor=SensorConfig(clock_origin_s=origin)))
    truth = sim.truth.to_json_obj()
    spans = truth["postures"]
    assert spans[0]["start_s"] == pytest.approx(origin)
    assert spans[-1]["end_s"] == pytest.approx(origin + truth["duration_s"], abs=2e-3)
    for a, b in itertools.pairwise(spans):
        assert a["end_s"] == pytest.approx(b["start_s"], abs=1e-6) and a["posture"] != b["posture"]
    assert {s["posture"] for s in spans} <= POSTURES
    names = [s["posture"] for s in spans if s["posture"] != "moving"]
    assert names[0] == names[-1] == "standing"
    assert names.index("supine") < names.index("side_lying") < names.index("all_fours")
    # Each set lies within a span of its posture; times carry the clock origin.
    where = {"knee_rolls": "supine", "heels_stretch": "all_fours"}
    for s in truth["sets"]:
        assert any(
            p["posture"] == where[s["exercise"]] and p["start_s"] <= s["start_s"] and s["end_s"] <= p["end_s"]
            for p in spans
        )
    assert sim.block.time_s[0] == pytest.approx(origin, abs=0.01)


def test_duration_repeats_the_script():
    truth = simulate(random_config(8, kind="knee_rolls", duration_s=500.0)).truth.to_json_obj()
    assert truth["duration_s"] >= 500.0
    assert len(truth["sets"]) >= 2
    assert all(s["exercise"] == "knee_rolls" for s in truth["sets"])
    assert sum(s["reps"] for s in truth["sets"]) == len(truth["reps"])
    starts = [r["start_s"] for r in truth["reps"]]
    assert starts == sorted(starts)
