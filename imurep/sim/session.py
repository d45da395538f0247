"""What happens in a simulated recording: postures, transitions, sets of reps and distractors."""

from __future__ import annotations

import numpy as np

from imurep.sim.config import NEGATIVE_KINDS, SimulationConfig, SubjectConfig
from imurep.sim.negatives import negative_set, start_posture
from imurep.sim.timeline import Timeline, TruthRep, TruthSet

__all__ = ["build_timeline"]


def _jit(rng: np.random.Generator, value: float, share: float) -> float:
    return float(value * (1.0 + rng.uniform(-share, share)))


def _settle(tl: Timeline, s: SubjectConfig, seconds: float) -> None:
    """Lie or kneel still for a while, with a fidget or two (never a rep)."""
    rng = tl.rng
    tl.hold(seconds * 0.4)
    for _ in range(int(rng.integers(0, 2))):
        tl.fidget(float(rng.uniform(1.0, s.fidget_max_deg)), float(rng.uniform(0.6, 1.5)))
        tl.hold(float(rng.uniform(0.8, 2.0)))
    tl.hold(seconds * 0.6)


def knee_roll_set(tl: Timeline, s: SubjectConfig) -> TruthSet:
    """Alternate sides, left first or right first; sometimes straight through the middle."""
    rng = tl.rng
    ts = TruthSet("knee_rolls", tl.t, tl.t)
    side = 1 if rng.random() < 0.5 else -1
    n = 2 * s.reps_per_side
    left_amp = s.range_deg * np.sqrt(s.left_right_ratio)
    right_amp = s.range_deg / np.sqrt(s.left_right_ratio)
    fidgets_at = set(rng.choice(max(n - 1, 1), size=min(s.fidgets, max(n - 1, 1)), replace=False).tolist())
    shifts_at = _weight_shift_positions(rng, s, n)
    continuing: TruthRep | None = None
    carried_amp = 0.0
    for i in range(n):
        amp = _jit(rng, left_amp if side > 0 else right_amp, s.range_jitter)
        amp = float(np.clip(amp, s.min_range_deg, s.max_range_deg)) if continuing is None else carried_amp
        out_s = _jit(rng, s.move_s, s.move_jitter)
        back_s = _jit(rng, s.move_s, s.move_jitter)
        hold = 0.0 if rng.random() < s.no_hold_share else _jit(rng, s.hold_s, s.hold_jitter)
        label = "left" if side > 0 else "right"
        if continuing is None:
            start = tl.t
            tl.move_roll(side * amp, out_s)
        else:
            start = continuing.end_s
        hold_start = tl.t
        if hold > 0:
            tl.hold(hold)
        hold_end = tl.t
        last = i == n - 1
        through = not last and rng.random() < s.continuous_share
        if through:
            # Straight on to the other side: one movement; this rep ends as it passes the middle.
            next_amp = float(
                np.clip(
                    _jit(rng, right_amp if side > 0 else left_amp, s.range_jitter),
                    s.min_range_deg,
                    s.max_range_deg,
                )
            )
            duration = out_s + back_s
            t = tl.move_roll(-side * next_amp, duration)
            frac = amp / (amp + next_amp)
            mid = _crossing_time(t, frac, duration)
            rep = TruthRep("knee_rolls", label, start, hold_start, hold_end, mid, amp)
            continuing = rep
            carried_amp = next_amp
            ts.reps.append(rep)
            side = -side
            continue
        tl.move_roll(0.0, back_s)
        rep = TruthRep("knee_rolls", label, start, hold_start, hold_end, tl.t, amp)
        ts.reps.append(rep)
        continuing = None
        tl.hold(_jit(tl.rng, s.pause_s, 0.4))
        if i in fidgets_at:
            tl.fidget(float(rng.uniform(1.0, s.fidget_max_deg)), float(rng.uniform(0.6, 1.5)))
            tl.hold(float(rng.uniform(0.5, 1.5)))
        if i in shifts_at:
            _weight_shift(tl, s, (0.0, 0.0, 1.0))  # the hips settle a little to one side
        side = -side
    ts.end_s = tl.t
    return ts


def _weight_shift_positions(rng: np.random.Generator, s: SubjectConfig, n_reps: int) -> set[int]:
    """After which reps a held weight shift comes (none drawn, and no draw, for most people)."""
    if s.weight_shifts <= 0:
        return set()
    slots = max(n_reps - 1, 1)
    return set(rng.choice(slots, size=min(s.weight_shifts, slots), replace=False).tolist())


def _weight_shift(tl: Timeline, s: SubjectConfig, exercise_axis: tuple[float, float, float]) -> None:
    """At neutral between reps: 2 deg to ``weight_shift_max_deg`` mostly about the exercise's own
    axis (the hardest shift to tell from a small rep), held 0.5-2.5 s, and back. Never a rep."""
    rng = tl.rng
    axis = np.asarray(exercise_axis) * rng.choice([-1.0, 1.0]) + rng.normal(0.0, 0.2, 3)
    axis /= np.linalg.norm(axis)
    amp_deg = float(rng.uniform(2.0, s.weight_shift_max_deg))
    x, y, z = (float(v) for v in axis * amp_deg)
    tl.move_pose(float(rng.uniform(0.6, 1.5)), extra_deg=(x, y, z))
    tl.hold(float(rng.uniform(0.5, 2.5)))
    tl.move_pose(float(rng.uniform(0.6, 1.5)), extra_deg=(0.0, 0.0, 0.0))
    tl.hold(_jit(rng, s.pause_s, 0.4))


def _crossing_time(t: np.ndarray, frac: float, duration: float) -> float:
    """When a minimum-jerk move covers ``frac`` of its way (bisection on the profile)."""
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        x = 10 * mid**3 - 15 * mid**4 + 6 * mid**5
        lo, hi = (mid, hi) if x < frac else (lo, mid)
    return float(t[0] + lo * duration)


def heels_stretch_set(tl: Timeline, s: SubjectConfig) -> TruthSet:
    """Rock back towards the heels, hold one breath, come back to all fours."""
    rng = tl.rng
    ts = TruthSet("heels_stretch", tl.t, tl.t)
    fidgets_at = set(
        rng.choice(
            max(s.heels_reps - 1, 1), size=min(s.fidgets, max(s.heels_reps - 1, 1)), replace=False
        ).tolist()
    )
    shifts_at = _weight_shift_positions(rng, s, s.heels_reps)
    for i in range(s.heels_reps):
        pitch = float(np.clip(_jit(rng, s.range_deg, s.range_jitter), s.min_range_deg, s.max_range_deg))
        travel = float(np.clip(_jit(rng, s.hip_travel_m, 0.2), 0.1, 0.4))
        out_s = _jit(rng, s.move_s, s.move_jitter)
        back_s = _jit(rng, s.move_s, s.move_jitter)
        hold = 0.0 if rng.random() < s.no_hold_share else _jit(rng, s.hold_s, s.hold_jitter)
        start = tl.t
        tl.move_pitch(pitch, travel, out_s)
        hold_start = tl.t
        if hold > 0:
            tl.hold(hold)
        hold_end = tl.t
        tl.move_pitch(0.0, 0.0, back_s)
        ts.reps.append(TruthRep("heels_stretch", None, start, hold_start, hold_end, tl.t, pitch))
        tl.hold(_jit(rng, s.pause_s, 0.4))
        if i in fidgets_at:
            # A weight shift on all fours: a few degrees, and back.
            tl.fidget(float(rng.uniform(1.0, s.fidget_max_deg)), float(rng.uniform(0.8, 1.6)))
            tl.hold(float(rng.uniform(0.5, 1.5)))
        if i in shifts_at:
            _weight_shift(tl, s, (0.0, -1.0, 0.0))  # a little back towards the heels, and forward
    ts.end_s = tl.t
    return ts


def _sit_down(tl: Timeline) -> None:
    """Turn round on the spot, then sit down (on the mat, or on a chair)."""
    tl.turn(float(tl.rng.choice([-1.0, 1.0]) * tl.rng.uniform(160.0, 200.0)), float(tl.rng.uniform(1.5, 3.0)))
    tl.transition("sitting", float(tl.rng.uniform(1.5, 2.5)))


def _lie_down(tl: Timeline) -> None:
    _sit_down(tl)
    tl.hold(float(tl.rng.uniform(0.5, 2.0)))
    tl.transition("supine", float(tl.rng.uniform(2.0, 3.5)))


def _roll_onto_all_fours(tl: Timeline) -> None:
    tl.transition("side_lying", float(tl.rng.uniform(1.5, 2.5)))
    tl.hold(float(tl.rng.uniform(0.5, 2.0)))
    tl.transition("all_fours", float(tl.rng.uniform(2.0, 3.0)))


def _rest_on_heels_and_stand(tl: Timeline) -> None:
    """At the end: sit back on the heels to rest (no return: not a rep), then stand up."""
    tl.move_pitch(float(tl.rng.uniform(60.0, 80.0)), 0.35, float(tl.rng.uniform(2.0, 3.0)))
    tl.hold(float(tl.rng.uniform(3.0, 8.0)))
    tl.fold_exercise_pose()
    tl.transition("standing", float(tl.rng.uniform(2.5, 4.0)))


_START_POSTURE = {"session": "standing", "knee_rolls": "supine", "heels_stretch": "all_fours"}


def build_timeline(config: SimulationConfig) -> Timeline:
    """The whole recording for ``config.kind``.

    With ``config.duration_s`` set, the kind's script runs again (after a rest in its starting
    posture, where every script also ends) until the recording is at least that long.
    """
    rng = np.random.default_rng([config.seed, 1])
    s = config.subject
    if config.kind in NEGATIVE_KINDS:
        tl = Timeline(rng, start_posture(config.kind, rng))
    else:
        tl = Timeline(rng, _START_POSTURE.get(config.kind, "standing"))
    tl.breath_deg, tl.breath_hz, tl.thigh_m = s.breath_deg, s.breath_hz, s.thigh_m
    _script(tl, config, s)
    while config.duration_s is not None and tl.t < config.duration_s:
        tl.hold(float(rng.uniform(20.0, 120.0)))
        _script(tl, config, s)
    return tl


def _script(tl: Timeline, config: SimulationConfig, s: SubjectConfig) -> None:
    rng = tl.rng
    if config.kind == "knee_rolls":
        _settle(tl, s, float(rng.uniform(4.0, 8.0)))
        tl.sets.append(knee_roll_set(tl, s))
        tl.hold(float(rng.uniform(3.0, 6.0)))
    elif config.kind == "heels_stretch":
        _settle(tl, s, float(rng.uniform(4.0, 8.0)))
        tl.sets.append(heels_stretch_set(tl, s))
        tl.hold(float(rng.uniform(3.0, 6.0)))
    elif config.kind in NEGATIVE_KINDS:
        _settle(tl, s, float(rng.uniform(4.0, 8.0)))
        tl.negatives.append(negative_set(tl, config.kind, s))
        tl.hold(float(rng.uniform(3.0, 6.0)))
    elif config.kind == "session":
        tl.hold(float(rng.uniform(3.0, 8.0)))
        if rng.random() < 0.5:
            tl.walk(float(rng.uniform(6.0, 12.0)), float(rng.uniform(1.7, 2.1)))
            tl.hold(float(rng.uniform(1.0, 3.0)))
        _lie_down(tl)
        _settle(tl, s, float(rng.uniform(4.0, 10.0)))
        tl.sets.append(knee_roll_set(tl, s))
        tl.hold(float(rng.uniform(2.0, 6.0)))
        _roll_onto_all_fours(tl)
        _settle(tl, s, float(rng.uniform(3.0, 8.0)))
        tl.sets.append(heels_stretch_set(tl, s))
        tl.hold(float(rng.uniform(1.0, 3.0)))
        _rest_on_heels_and_stand(tl)
        tl.hold(float(rng.uniform(2.0, 5.0)))
    else:  # distractors: daily movements and exercise-like fidgets that must never count
        tl.hold(float(rng.uniform(3.0, 6.0)))
        tl.walk(float(rng.uniform(8.0, 15.0)), float(rng.uniform(1.7, 2.1)))
        tl.hold(float(rng.uniform(2.0, 4.0)))
        _sit_down(tl)
        tl.hold(float(rng.uniform(5.0, 10.0)))
        tl.fidget(float(rng.uniform(2.0, 4.0)), 1.0)
        tl.hold(float(rng.uniform(2.0, 4.0)))
        tl.transition("supine", float(rng.uniform(2.0, 3.5)))
        _settle(tl, s, float(rng.uniform(8.0, 15.0)))
        for _ in range(int(rng.integers(2, 5))):
            tl.fidget(float(rng.uniform(1.0, s.fidget_max_deg)), float(rng.uniform(0.6, 1.5)))
            tl.hold(float(rng.uniform(2.0, 6.0)))
        tl.transition("side_lying", float(rng.uniform(1.5, 2.5)))
        tl.hold(float(rng.uniform(4.0, 8.0)))
        tl.transition("all_fours", float(rng.uniform(2.0, 3.0)))
        tl.hold(float(rng.uniform(3.0, 6.0)))
        for _ in range(int(rng.integers(2, 5))):
            tl.fidget(float(rng.uniform(1.0, s.fidget_max_deg)), float(rng.uniform(0.8, 1.6)))
            tl.hold(float(rng.uniform(2.0, 5.0)))
        tl.transition("standing", float(rng.uniform(2.5, 4.0)))
        tl.hold(float(rng.uniform(3.0, 6.0)))
