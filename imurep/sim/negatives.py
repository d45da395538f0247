"""Floor exercises that are not ours: sets of movements a counter must not turn into reps.

Each is painted like a real set (``EXERCISES.md`` style): settle in the start posture, 8-12
movements with holds and rests, a fidget or two, rest. The person's amplitude and tempo are drawn
once per set from the exercise's plausible range (:data:`NEGATIVE_MOTIONS`, ``docs/simulator.md``
"Negatives"); each movement varies around them. Rotations are about the body axes of
``timeline.py``: roll about superior z (knee rolls turn about it), pitch about −y (positive: a
posterior pelvic tilt, the superior axis tilting towards the back as in the heels stretch's
rock-back), side tilt (obliquity) about anterior x.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from imurep.samples import FloatArray
from imurep.sim.config import SimKind, SubjectConfig
from imurep.sim.timeline import Timeline, TruthMovement, TruthNegativeSet

__all__ = ["NEGATIVE_MOTIONS", "NegativeMotion", "negative_set", "start_posture"]


@dataclass(frozen=True)
class NegativeMotion:
    """Plausible ranges of one floor exercise (each a (low, high) drawn uniformly per set).

    Attributes
    ----------
    posture
        Where it is done (``side_lying`` is drawn left or right for the clam).
    amplitude_deg
        The main rotation of the pelvis at the far position.
    move_s, hold_s, pause_s
        Each movement out or back; the hold at the far position; the rest between movements.
    what
        What the pelvis does, for the docs and the truth.
    """

    posture: str
    amplitude_deg: tuple[float, float]
    move_s: tuple[float, float]
    hold_s: tuple[float, float]
    pause_s: tuple[float, float]
    what: str


NEGATIVE_MOTIONS: dict[str, NegativeMotion] = {
    "pelvic_tilt": NegativeMotion(
        "supine",
        (5.0, 15.0),
        (1.0, 2.5),
        (0.0, 5.0),
        (1.0, 3.0),
        "posterior tilt about the left-right axis (back flattened onto the floor), back",
    ),
    "bridging": NegativeMotion(
        "supine",
        (10.0, 25.0),
        (1.5, 3.0),
        (2.0, 8.0),
        (1.5, 4.0),
        "hips lift 0.08-0.20 m while the pelvis pitches with the thighs, hold, down",
    ),
    "clam": NegativeMotion(
        "side_lying",
        (3.0, 10.0),
        (0.8, 2.0),
        (0.5, 3.0),
        (0.5, 2.0),
        "top knee opens: the pelvis rolls back about its long axis, always to the same side",
    ),
    "cat_cow": NegativeMotion(
        "all_fours",
        (10.0, 20.0),
        (1.5, 3.0),
        (1.0, 4.0),
        (0.5, 2.0),
        "pelvis pitches one way (cat, rounded back), through neutral the other way (cow), back",
    ),
    "bird_dog": NegativeMotion(
        "all_fours",
        (2.0, 6.0),
        (1.0, 2.5),
        (3.0, 8.0),
        (1.0, 3.0),
        "opposite arm and leg lift: the pelvis rolls and tilts a few degrees towards the lifted "
        "leg and shifts 1-3 cm onto the other knee, sides alternating",
    ),
    "superman": NegativeMotion(
        "prone",
        (3.0, 10.0),
        (1.0, 2.0),
        (3.0, 10.0),
        (2.0, 4.0),
        "face down, arms and legs lift: anterior pelvic tilt, the pelvis rises 0.5-2 cm",
    ),
    "press_up": NegativeMotion(
        "prone",
        (2.0, 8.0),
        (1.5, 3.0),
        (1.0, 5.0),
        (1.0, 3.0),
        "face down, the arms press the chest up: the pelvis stays down and tilts a little",
    ),
    "rolling_over": NegativeMotion(
        "supine",
        (90.0, 90.0),
        (1.5, 3.0),
        (1.0, 4.0),
        (2.0, 5.0),
        "from the back onto a side (90 deg about the long axis), back, or on to face down and back",
    ),
}


def start_posture(kind: SimKind, rng: np.random.Generator) -> str:
    """The posture the kind's script starts (and ends) in; the clam on the left or right side."""
    posture = NEGATIVE_MOTIONS[kind].posture
    if posture == "side_lying" and rng.random() < 0.5:
        return "side_lying_right"
    return posture


def _draw(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(rng.uniform(*bounds))


def _jit(rng: np.random.Generator, value: float, share: float) -> float:
    return float(value * (1.0 + rng.uniform(-share, share)))


def negative_set(tl: Timeline, kind: SimKind, s: SubjectConfig) -> TruthNegativeSet:
    """Paint one set of ``kind`` from the current pose (its start posture, at neutral)."""
    rng = tl.rng
    m = NEGATIVE_MOTIONS[kind]
    n = int(rng.integers(8, 13))
    amp = _draw(rng, m.amplitude_deg)
    move_s = _draw(rng, m.move_s)
    hold_s = _draw(rng, m.hold_s)
    pause_s = _draw(rng, m.pause_s)
    ns = TruthNegativeSet(kind, tl.t, tl.t)
    fidgets_at = set(rng.choice(n - 1, size=min(s.fidgets, n - 1), replace=False).tolist())
    side_sign = 1.0 if rng.random() < 0.5 else -1.0  # first side (bird-dog, rolling over)
    lying_on_right = tl.posture == "side_lying_right"
    for i in range(n):
        a = _jit(rng, amp, 0.12)
        out_s = _jit(rng, move_s, 0.2)
        back_s = _jit(rng, move_s, 0.2)
        hold = _jit(rng, hold_s, 0.25)
        start = tl.t
        side: str | None = None
        if kind == "rolling_over":
            side, hold_start, hold_end, peak = _roll_over(tl, side_sign, out_s, hold, back_s)
        elif kind == "cat_cow":
            tl.move_pose(out_s, pitch_deg=a)  # cat: the lower back rounds, posterior tilt
            hold_start = tl.t
            tl.hold(hold)
            cow = _jit(rng, amp, 0.12)
            tl.move_pose(out_s + back_s, pitch_deg=-cow)  # cow: the back hollows, anterior tilt
            tl.hold(_jit(rng, hold_s, 0.25))
            hold_end = tl.t
            tl.move_pose(back_s, pitch_deg=0.0)
            peak = max(a, cow)
        else:
            rest_m = tl.pos.copy()
            side = _out(tl, kind, a, side_sign, lying_on_right, out_s)
            hold_start = tl.t
            tl.hold(hold)
            hold_end = tl.t
            _back(tl, kind, back_s, rest_m)
            peak = a
        ns.movements.append(TruthMovement(kind, side, start, hold_start, hold_end, tl.t, peak))
        if kind in ("bird_dog", "rolling_over"):
            side_sign = -side_sign
        tl.hold(_jit(rng, pause_s, 0.4))
        if i in fidgets_at:
            tl.fidget(float(rng.uniform(1.0, s.fidget_max_deg)), float(rng.uniform(0.6, 1.5)))
            tl.hold(float(rng.uniform(0.5, 1.5)))
    ns.end_s = tl.t
    return ns


def _out(
    tl: Timeline, kind: SimKind, a: float, side_sign: float, lying_on_right: bool, out_s: float
) -> str | None:
    """Move from neutral to the far position of one movement; returns its side."""
    rng = tl.rng
    up = np.array([0.0, 0.0, 1.0])
    if kind == "pelvic_tilt":
        tl.move_pose(out_s, pitch_deg=a)
        return None
    if kind == "bridging":
        lift_m = float(rng.uniform(0.08, 0.2))
        tl.move_pose(out_s, pitch_deg=a, pos_m=tl.pos + lift_m * up)
        return None
    if kind == "clam":
        # The top knee opens, the pelvis rolls back: the anterior axis turns towards up, which is
        # body −y lying on the left side and +y on the right: always the same sign in a set.
        tl.move_pose(out_s, roll_deg=a if lying_on_right else -a)
        return "right" if not lying_on_right else "left"  # the top leg's side
    if kind == "bird_dog":
        # Lifting the left leg: the pelvis rolls and tilts towards the left a few degrees and the
        # weight goes onto the right knee (body −y is world −y on all fours).
        tilt = float(rng.uniform(1.0, 4.0))
        shift_m = float(rng.uniform(0.01, 0.03))
        tl.move_pose(
            out_s,
            extra_deg=(side_sign * tilt, 0.0, side_sign * a),
            pos_m=tl.pos + np.array([0.0, -side_sign * shift_m, 0.0]),
        )
        return "left" if side_sign > 0 else "right"
    if kind == "superman":
        rise_m = float(rng.uniform(0.005, 0.02))
        tl.move_pose(out_s, pitch_deg=-a, pos_m=tl.pos + rise_m * up)
        return None
    # press_up: the pelvis stays on the floor, the lower back extends a little.
    tl.move_pose(out_s, pitch_deg=-a)
    return None


def _back(tl: Timeline, kind: SimKind, back_s: float, rest_m: FloatArray) -> None:
    """Return to neutral: the pose, and ``rest_m`` (world, m), where the movement started."""
    if kind in ("bridging", "superman"):
        tl.move_pose(back_s, pitch_deg=0.0, pos_m=rest_m)
    elif kind == "bird_dog":
        tl.move_pose(back_s, extra_deg=(0.0, 0.0, 0.0), pos_m=rest_m)
    elif kind == "clam":
        tl.move_pose(back_s, roll_deg=0.0)
    else:
        tl.move_pose(back_s, pitch_deg=0.0)


def _roll_over(
    tl: Timeline, side_sign: float, out_s: float, hold_s: float, back_s: float
) -> tuple[str, float, float, float]:
    """Supine → onto a side → back, or on to face down and back the same way; a change of
    posture each time (``moving`` spans between ``supine``, ``side_lying`` and ``prone``)."""
    rng = tl.rng
    side = "side_lying" if side_sign > 0 else "side_lying_right"
    tl.transition(side, out_s)
    hold_start = tl.t
    peak = 90.0
    if rng.random() < 0.4:
        tl.hold(float(rng.uniform(0.5, 1.5)))
        tl.transition("prone", out_s)
        tl.hold(hold_s)
        tl.transition(side, back_s)
        peak = 180.0
    else:
        tl.hold(hold_s)
    hold_end = tl.t
    tl.transition("supine", back_s)
    return ("left" if side_sign > 0 else "right"), hold_start, hold_end, peak
