"""The simulator is the ground truth: check its physics against first principles."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from imurep.samples import STANDARD_GRAVITY_M_S2
from imurep.sim import SensorConfig, SimulationConfig, SubjectConfig, random_config, simulate
from imurep.sim.sensor import body_from_sensor, sense
from imurep.sim.session import build_timeline
from imurep.sim.timeline import POSTURE_ROTATIONS

QUIET = dict(acc_noise_ug_rthz=0.0, gyr_noise_mdps_rthz=0.0, packet_loss=0.0, jitter_share=0.0)


@pytest.mark.parametrize(
    ("posture", "mount", "axis", "sign"),
    [
        ("standing", "front-belt", 1, 1),  # sensor y = superior = up
        ("supine", "front-belt", 2, 1),  # sensor z = anterior = up
        ("all_fours", "front-belt", 2, -1),  # anterior faces the floor
        ("supine", "back-belt", 2, -1),  # sensor z = posterior
        ("supine", "side-left", 0, -1),  # sensor x = posterior
    ],
)
def test_a_still_pose_reads_one_g_along_up(posture, mount, axis, sign):
    t = np.arange(0.0, 2.0, 0.001)
    r = Rotation.from_quat(np.tile(POSTURE_ROTATIONS[posture].as_quat(), (t.size, 1)))
    pos = np.tile([0.0, 0.0, 0.5], (t.size, 1))
    block, _ = sense(t, r, pos, SensorConfig(mount=mount, **QUIET), np.random.default_rng(0))
    acc = block.acc_m_s2.mean(axis=0)
    assert acc[axis] == pytest.approx(sign * STANDARD_GRAVITY_M_S2, abs=0.01)
    assert np.linalg.norm(acc) == pytest.approx(STANDARD_GRAVITY_M_S2, abs=0.01)


def test_gyroscope_integrates_to_the_true_knee_roll_angle():
    cfg = SimulationConfig(seed=3, kind="knee_rolls", sensor=SensorConfig(**QUIET))
    sim = simulate(cfg)
    truth = sim.truth.to_json_obj()
    rep = truth["reps"][0]
    b = sim.block
    assert b.gyr_rad_s is not None
    # Superior axis in sensor coordinates: rotation about it is the knee roll.
    superior_s = body_from_sensor(cfg.sensor).T @ [0.0, 0.0, 1.0]
    rate = b.gyr_rad_s @ superior_s
    m = (b.time_s >= rep["start_s"]) & (b.time_s <= rep["hold_start_s"])
    angle = np.degrees(np.sum(rate[m] * np.diff(b.time_s, prepend=b.time_s[0])[m]))
    sign = 1 if rep["side"] == "left" else -1
    assert sign * angle == pytest.approx(rep["peak_angle_deg"], abs=1.5)


def test_lever_arm_adds_the_centripetal_term():
    # Standing, turning about the vertical at a constant rate: a belt sensor 0.12 m in front of the
    # pelvis centre feels ω² r towards the centre, on top of gravity.
    t = np.arange(0.0, 3.0, 0.001)
    w = 2.0  # rad/s
    r = Rotation.from_euler("z", (w * t)[:, np.newaxis])
    pos = np.tile([0.0, 0.0, 1.0], (t.size, 1))
    cfg = SensorConfig(mount="front-belt", lever_arm_m=(0.12, 0.0, 0.0), **QUIET)
    block, _ = sense(t, r, pos, cfg, np.random.default_rng(0))
    mid = slice(len(block) // 4, 3 * len(block) // 4)
    expected_body = np.array([-(w**2) * 0.12, 0.0, STANDARD_GRAVITY_M_S2])
    expected_sensor = body_from_sensor(cfg).T @ expected_body
    np.testing.assert_allclose(block.acc_m_s2[mid].mean(axis=0), expected_sensor, atol=0.02)
    assert block.gyr_rad_s is not None
    np.testing.assert_allclose(
        block.gyr_rad_s[mid].mean(axis=0), body_from_sensor(cfg).T @ [0, 0, w], atol=1e-3
    )


def test_truth_is_consistent():
    for kind in ("session", "knee_rolls", "heels_stretch"):
        truth = simulate(random_config(21, kind=kind)).truth.to_json_obj()  # type: ignore[arg-type]
        assert truth["reps"]
        for r in truth["reps"]:
            assert r["start_s"] <= r["hold_start_s"] <= r["hold_end_s"] <= r["end_s"]
            assert r["hold_s"] == pytest.approx(r["hold_end_s"] - r["hold_start_s"], abs=1e-3)
            assert 10.0 <= r["peak_angle_deg"] <= 50.0
        for s in truth["sets"]:
            reps = [
                r
                for r in truth["reps"]
                if r["exercise"] == s["exercise"] and s["start_s"] <= r["start_s"] <= s["end_s"]
            ]
            assert len(reps) == s["reps"]
            if s["exercise"] == "knee_rolls":
                assert s["left"] == s["right"] == s["reps"] // 2
                sides = [r["side"] for r in reps]
                assert all(a != b for a, b in itertools.pairwise(sides))  # alternating


def test_distractor_recordings_have_no_reps_and_determinism_by_seed():
    a = simulate(random_config(5, kind="distractors"))
    b = simulate(random_config(5, kind="distractors"))
    assert not a.truth.to_json_obj()["reps"]
    np.testing.assert_array_equal(a.block.acc_m_s2, b.block.acc_m_s2)
    c = simulate(random_config(6, kind="distractors"))
    assert len(c.block) != len(a.block) or not np.array_equal(c.block.acc_m_s2, a.block.acc_m_s2)


def test_random_config_spans_the_documented_ranges():
    cfgs = [random_config(s) for s in range(300)]
    ranges = np.array([c.subject.range_deg for c in cfgs])
    holds = np.array([c.subject.hold_s for c in cfgs])
    rates = {c.sensor.rate_hz for c in cfgs}
    mis = np.array([c.sensor.misalignment_deg for c in cfgs])
    assert ranges.min() < 13 and ranges.max() > 47
    assert holds.min() < 2.0 and holds.max() > 6.5
    assert {25.0, 400.0} <= rates
    total_deg = np.degrees([Rotation.from_euler("xyz", m, degrees=True).magnitude() for m in mis])
    assert total_deg.max() > 23 and total_deg.max() <= 25 + 1e-9
    assert {c.sensor.mount for c in cfgs} >= {"front-belt", "back-belt", "side-left", "side-right"}
    assert any(not c.sensor.with_gyr for c in cfgs)
    assert len({round(c.sensor.clock_origin_s) for c in cfgs}) > 100


def test_timeline_postures_follow_exercises_md():
    tl = build_timeline(SimulationConfig(seed=1, kind="session", subject=SubjectConfig()))
    names = [s.posture for s in tl.spans]
    for p in ("standing", "supine", "all_fours"):
        assert p in names
    # Up in body axes: standing +z, supine +x, all fours -x.
    up = np.array([0.0, 0.0, 1.0])
    np.testing.assert_allclose(POSTURE_ROTATIONS["standing"].inv().apply(up), [0, 0, 1], atol=1e-12)
    np.testing.assert_allclose(POSTURE_ROTATIONS["supine"].inv().apply(up), [1, 0, 0], atol=1e-12)
    np.testing.assert_allclose(POSTURE_ROTATIONS["all_fours"].inv().apply(up), [-1, 0, 0], atol=1e-12)
