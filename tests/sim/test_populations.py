"""The populations a counter must not miss, measured on the simulated motion itself: small movers
peak at 5-10°, slow and quick people move at their tempo, one side is as much smaller as drawn,
continuous rolls have no hold, fidgets and weight shifts stay within 5° of neutral."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from imurep.errors import InputError
from imurep.sim import POPULATIONS, SimulationConfig, random_config, simulate
from imurep.sim.session import build_timeline
from imurep.sim.timeline import POSTURE_ROTATIONS, Timeline, TruthRep

SEEDS = (0, 1, 2)


def _angle_deg(tl: Timeline, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Fine time and the exercise angle from the orientation: the knee roll (anterior axis about
    superior) or the rock-back (superior axis tilting towards posterior)."""
    t, r, _ = tl.arrays()
    rel = POSTURE_ROTATIONS["supine" if kind == "knee_rolls" else "all_fours"].inv() * r
    if kind == "knee_rolls":
        v = rel.apply([1.0, 0.0, 0.0])
        return t, np.degrees(np.arctan2(v[:, 1], v[:, 0]))
    v = rel.apply([0.0, 0.0, 1.0])
    return t, np.degrees(np.arctan2(-v[:, 0], v[:, 2]))


def _reps(tl: Timeline) -> list[TruthRep]:
    return [r for s in tl.sets for r in s.reps]


def _hold_angle_deg(t: np.ndarray, angle: np.ndarray, rep: TruthRep) -> float:
    """The far position: the middle of the hold (the peak of a rep without one)."""
    mid = 0.5 * (rep.hold_start_s + rep.hold_end_s)
    return float(angle[min(np.searchsorted(t, mid), t.size - 1)])


def test_typical_is_the_original_draw_and_the_sensor_is_the_seeds_own():
    for kind in ("knee_rolls", "session"):
        typical = random_config(5, kind=kind)  # type: ignore[arg-type]
        assert random_config(5, kind=kind, population="typical") == typical  # type: ignore[arg-type]
        for population in POPULATIONS[1:]:
            other = random_config(5, kind=kind, population=population)  # type: ignore[arg-type]
            assert other.sensor == typical.sensor
            assert other.subject.population == population and other.subject != typical.subject


@pytest.mark.parametrize("kind", ["knee_rolls", "heels_stretch"])
def test_small_movers_peak_at_5_to_10_degrees(kind):
    for seed in SEEDS:
        cfg = random_config(seed, kind=kind, population="small")
        tl = build_timeline(cfg)
        t, angle = _angle_deg(tl, kind)
        tol = 0.3 + (cfg.subject.breath_deg if kind == "heels_stretch" else 0.0)
        reps = _reps(tl)
        assert len(reps) >= 5
        for rep in reps:
            assert 5.0 <= rep.peak_angle_deg <= 10.0
            sign = -1.0 if rep.side == "right" else 1.0
            assert sign * _hold_angle_deg(t, angle, rep) == pytest.approx(rep.peak_angle_deg, abs=tol)


@pytest.mark.parametrize(("population", "low_s", "high_s"), [("slow", 2.2, 6.3), ("quick", 0.5, 1.4)])
def test_tempo_of_slow_and_quick_people(population, low_s, high_s):
    # Each movement out takes move_s ± move_jitter: slow 3-5 s, quick 0.7-1.1 s (±25 % at most).
    for seed in SEEDS:
        for kind in ("knee_rolls", "heels_stretch"):
            tl = build_timeline(random_config(seed, kind=kind, population=population))  # type: ignore[arg-type]
            outs = [r.hold_start_s - r.start_s for r in _reps(tl)]
            assert low_s <= min(outs) and max(outs) <= high_s, (kind, seed, outs)


def test_asymmetric_sides_are_as_much_smaller_as_drawn():
    for seed in SEEDS:
        cfg = random_config(seed, kind="knee_rolls", population="asymmetric")
        ratio = cfg.subject.left_right_ratio
        assert 0.7 <= min(ratio, 1.0 / ratio) <= 0.85  # the smaller side is 15-30 % smaller
        tl = build_timeline(cfg)
        t, angle = _angle_deg(tl, "knee_rolls")
        reps = _reps(tl)
        left = np.mean([_hold_angle_deg(t, angle, r) for r in reps if r.side == "left"])
        right = np.mean([-_hold_angle_deg(t, angle, r) for r in reps if r.side == "right"])
        # Per-rep spread (≤ 15 %) averages out over 5-10 reps per side to a few per cent.
        assert left / right == pytest.approx(ratio, rel=0.08)


def test_continuous_rolls_have_no_hold_and_pass_through_the_middle():
    for seed in SEEDS:
        tl = build_timeline(random_config(seed, kind="knee_rolls", population="continuous"))
        reps = _reps(tl)
        assert all(r.hold_end_s == r.hold_start_s for r in reps)
        # Every roll but the last goes straight on to the other side: it ends where the next starts.
        assert all(a.end_s == b.start_s and a.side != b.side for a, b in itertools.pairwise(reps))
        heels = _reps(build_timeline(random_config(seed, kind="heels_stretch", population="continuous")))
        assert all(r.hold_end_s == r.hold_start_s for r in heels)


@pytest.mark.parametrize("kind", ["knee_rolls", "heels_stretch"])
def test_fidgets_and_weight_shifts_stay_within_5_degrees_of_neutral(kind):
    for seed in SEEDS:
        cfg = random_config(seed, kind=kind, population="fidgety")
        s = cfg.subject
        assert s.weight_shifts >= 2 and s.fidget_max_deg == s.weight_shift_max_deg == 5.0
        tl = build_timeline(cfg)
        t, r, _ = tl.arrays()
        start = POSTURE_ROTATIONS["supine" if kind == "knee_rolls" else "all_fours"]
        tilt_deg = np.degrees((start.inv() * r).magnitude())  # any direction, not only the exercise's
        rate_deg_s = np.degrees(np.append((r[:-1].inv() * r[1:]).magnitude(), 0.0)) / (t[1] - t[0])
        outside = np.ones(t.size, dtype=bool)
        for rep in _reps(tl):
            outside &= ~((t >= rep.start_s) & (t <= rep.end_s))
        assert tilt_deg[outside].max() <= 5.0 + s.breath_deg
        # Each weight shift is held still (only breathing moves, < 1 deg/s) at 2 deg or more for
        # 0.5 s or more; a fidget comes straight back.
        held = outside & (tilt_deg > 1.9 - s.breath_deg) & (rate_deg_s < 1.2)
        edges = np.flatnonzero(np.diff(np.concatenate(([0], held.astype(int), [0]))))
        runs_s = (edges[1::2] - edges[::2]) * (t[1] - t[0])
        drawn = min(s.weight_shifts, len(_reps(tl)) - 1)
        found = np.count_nonzero(runs_s >= 0.4)
        if kind == "heels_stretch":
            assert found == drawn, runs_s
        else:  # a shift drawn after a knee roll that goes straight on to the other side is skipped
            assert 1 <= found <= drawn, runs_s


def test_same_seed_same_recording():
    population = "fidgety"  # the most draws: fidgets, weight shifts
    a = simulate(random_config(11, kind="knee_rolls", population=population, rate_hz=25.0))
    b = simulate(random_config(11, kind="knee_rolls", population=population, rate_hz=25.0))
    np.testing.assert_array_equal(a.block.acc_m_s2, b.block.acc_m_s2)
    np.testing.assert_array_equal(a.block.time_s, b.block.time_s)
    assert a.truth.to_json_obj() == b.truth.to_json_obj()
    assert a.truth.to_json_obj()["parameters"]["subject"]["population"] == population
    c = simulate(random_config(12, kind="knee_rolls", population=population, rate_hz=25.0))
    assert c.truth.to_json_obj()["reps"] != a.truth.to_json_obj()["reps"]


def test_a_population_is_for_our_exercises_only():
    cfg = random_config(1, kind="knee_rolls", population="small")
    with pytest.raises(InputError, match="population 'small' applies to session"):
        SimulationConfig(seed=1, kind="clam", subject=cfg.subject)
    with pytest.raises(InputError, match="unknown population 'tiny'"):
        SimulationConfig(kind="knee_rolls", subject=dataclasses.replace(cfg.subject, population="tiny"))  # type: ignore[arg-type]
