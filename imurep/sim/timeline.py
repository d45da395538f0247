"""The pelvis as a rigid body over time: orientation and position painted segment by segment.

Orientation (world from body) = base posture · knee roll about body z · rock-back pitch about
body −y · small extra rotations (breathing, fidgets, walking sway). Position = the pelvis centre's
base position plus the heels-stretch hip arc around the knees. Everything is sampled on a fine
grid (1 kHz) that the sensor model differentiates and resamples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial.transform import Rotation

from imurep.samples import FloatArray
from imurep.sim.profiles import min_jerk
from imurep.sim.quaternions import quat_from_rotvec, quat_mul

__all__ = [
    "POSTURE_ROTATIONS",
    "Timeline",
    "TruthMovement",
    "TruthNegativeSet",
    "TruthRep",
    "TruthSet",
    "TruthSpan",
]

FINE_RATE_HZ = 1000.0


def _columns(
    x: tuple[float, float, float], y: tuple[float, float, float], z: tuple[float, float, float]
) -> Rotation:
    return Rotation.from_matrix(np.array([x, y, z], dtype=np.float64).T)


# World: x forward (the way the head points when lying), y left, z up. Columns: body axes in world.
POSTURE_ROTATIONS: dict[str, Rotation] = {
    "standing": _columns((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "supine": _columns((0, 0, 1), (0, -1, 0), (1, 0, 0)),
    "all_fours": _columns((0, 0, -1), (0, 1, 0), (1, 0, 0)),
    "side_lying": _columns((0, -1, 0), (0, 0, -1), (1, 0, 0)),  # on the left side
    "side_lying_right": _columns((0, 1, 0), (0, 0, 1), (1, 0, 0)),
    # Lying face down: the pelvis as on all fours (anterior down, superior forward), on the floor.
    "prone": _columns((0, 0, -1), (0, 1, 0), (1, 0, 0)),
    # Sitting on the mat facing −x (the person turned round to sit down), pelvis tilted 20° back:
    # lying back from here is a 70° rotation about the left-right axis that ends in ``supine``.
    "sitting": Rotation.from_euler("z", 180, degrees=True) * Rotation.from_euler("y", -20, degrees=True),
}
HEIGHT_M = {
    "standing": 1.0,
    "sitting": 0.55,
    "supine": 0.12,
    "side_lying": 0.18,
    "side_lying_right": 0.18,
    "all_fours": 0.55,
    "prone": 0.1,
}
# The truth's posture names (``imurep analyze`` has one ``side_lying`` for both sides).
_SPAN_LABEL = {"side_lying_right": "side_lying"}


@dataclass(frozen=True)
class TruthRep:
    """One simulated rep; times in s from the recording's start (``EXERCISES.md`` "Timing of a rep"),
    ``peak_angle_deg`` the knee-roll rotation or rock-back pitch at the far position."""

    exercise: str
    side: str | None
    start_s: float
    hold_start_s: float
    hold_end_s: float
    end_s: float
    peak_angle_deg: float


@dataclass
class TruthSet:
    """A set while it is being built (frozen into :class:`imurep.sim.truth.SetTruth`)."""

    exercise: str
    start_s: float
    end_s: float
    reps: list[TruthRep] = field(default_factory=list)


@dataclass(frozen=True)
class TruthMovement:
    """One movement of a floor exercise that is not ours (a negative: it must not become a rep).

    Times as :class:`TruthRep`: ``start_s`` leaving neutral, ``hold_start_s`` .. ``hold_end_s`` from
    reaching the (first) far position to leaving the (last) one, ``end_s`` back at neutral;
    ``peak_angle_deg`` the largest rotation of the pelvis from neutral; ``side`` the side it moves
    to or lifts (``None`` for movements without one).
    """

    kind: str
    side: str | None
    start_s: float
    hold_start_s: float
    hold_end_s: float
    end_s: float
    peak_angle_deg: float


@dataclass
class TruthNegativeSet:
    """A set of a floor exercise that is not ours, while it is being built."""

    kind: str
    start_s: float
    end_s: float
    movements: list[TruthMovement] = field(default_factory=list)


@dataclass
class TruthSpan:
    """A posture span while it is being built (frozen into :class:`imurep.sim.truth.PostureSpan`)."""

    posture: str
    start_s: float
    end_s: float


def _breath_weight(posture: str) -> float:
    """How much breathing shows as pelvis tilt: lying and kneeling, not standing or sitting."""
    return 1.0 if posture in ("supine", "all_fours", "side_lying", "side_lying_right", "prone") else 0.0


class Timeline:
    """Appends segments of movement; each channel is a list of per-segment arrays."""

    def __init__(self, rng: np.random.Generator, posture: str = "standing") -> None:
        self.rng = rng
        self.dt = 1.0 / FINE_RATE_HZ
        self.t = 0.0
        self.base = POSTURE_ROTATIONS[posture]
        self.posture = posture
        self.pos = np.array([0.0, 0.0, HEIGHT_M[posture]])
        self.roll_deg = 0.0
        self.pitch_deg = 0.0
        self.arc_m = 0.0
        self.extra_rad = np.zeros(3)  # a held extra rotation (rotation vector, body axes), rad
        self._q: list[FloatArray] = []
        self._pos: list[FloatArray] = []
        self._roll: list[FloatArray] = []
        self._pitch: list[FloatArray] = []
        self._arc: list[FloatArray] = []
        self._extra: list[FloatArray] = []
        self._breath_w: list[FloatArray] = []  # 0 (no visible breathing) .. 1 (lying, kneeling)
        self.spans: list[TruthSpan] = []
        self.sets: list[TruthSet] = []
        self.negatives: list[TruthNegativeSet] = []
        self.breath_deg = 0.5
        self.breath_hz = 0.25
        self.thigh_m = 0.45

    # -- painting ------------------------------------------------------------------------------
    def _grid(self, duration_s: float) -> FloatArray:
        n = max(1, round(duration_s * FINE_RATE_HZ))
        return np.asarray(self.t + self.dt * np.arange(n), dtype=np.float64)

    def _push(
        self,
        t: FloatArray,
        base: Rotation | None = None,
        pos: FloatArray | None = None,
        roll: FloatArray | None = None,
        pitch: FloatArray | None = None,
        arc: FloatArray | None = None,
        extra: FloatArray | None = None,
        label: str | None = None,
        breath_weight: FloatArray | None = None,
    ) -> None:
        n = t.size
        q = (base if base is not None else Rotation.from_quat(np.tile(self.base.as_quat(), (n, 1)))).as_quat()
        self._q.append(q.reshape(n, 4))
        self._pos.append(pos if pos is not None else np.tile(self.pos, (n, 1)))
        self._roll.append(roll if roll is not None else np.full(n, self.roll_deg))
        self._pitch.append(pitch if pitch is not None else np.full(n, self.pitch_deg))
        self._arc.append(arc if arc is not None else np.full(n, self.arc_m))
        self._breath_w.append(
            breath_weight if breath_weight is not None else np.full(n, _breath_weight(self.posture))
        )
        if extra is None:
            extra = np.tile(self.extra_rad, (n, 1)) if self.extra_rad.any() else np.zeros((n, 3))
        self._extra.append(extra)
        name = label or _SPAN_LABEL.get(self.posture, self.posture)
        if self.spans and self.spans[-1].posture == name and abs(self.spans[-1].end_s - self.t) < 1e-9:
            self.spans[-1].end_s = float(t[-1] + self.dt)
        else:
            self.spans.append(TruthSpan(name, float(t[0]), float(t[-1] + self.dt)))
        self.t = float(t[-1] + self.dt)

    def hold(self, duration_s: float) -> None:
        """Stay in the current pose (breathing)."""
        self._push(self._grid(duration_s))

    def transition(self, posture: str, duration_s: float) -> None:
        """Move to another posture (lying down, rolling over, standing up): a change of posture."""
        t = self._grid(duration_s)
        s = min_jerk((t - t[0]) / duration_s)
        target = POSTURE_ROTATIONS[posture]
        rv = (self.base.inv() * target).as_rotvec()
        base = self.base * Rotation.from_rotvec(s[:, np.newaxis] * rv)
        end_pos = np.array([self.pos[0], self.pos[1], HEIGHT_M[posture]])
        pos = self.pos + s[:, np.newaxis] * (end_pos - self.pos)
        w0, w1 = _breath_weight(self.posture), _breath_weight(posture)
        self._push(t, base=base, pos=pos, label="moving", breath_weight=w0 + s * (w1 - w0))
        self.base, self.posture, self.pos = target, posture, end_pos

    def turn(self, yaw_deg: float, duration_s: float) -> None:
        """Turn on the spot about the vertical (to sit down facing the other way): a movement."""
        t = self._grid(duration_s)
        s = min_jerk((t - t[0]) / duration_s)
        yaw = Rotation.from_rotvec(np.outer(s, [0.0, 0.0, math.radians(yaw_deg)]))
        self._push(t, base=yaw * self.base, label="moving")
        self.base = Rotation.from_rotvec([0.0, 0.0, math.radians(yaw_deg)]) * self.base

    def move_roll(self, target_deg: float, duration_s: float) -> FloatArray:
        t = self._grid(duration_s)
        s = min_jerk((t - t[0]) / duration_s)
        self._push(t, roll=self.roll_deg + s * (target_deg - self.roll_deg))
        self.roll_deg = target_deg
        return t

    def move_pitch(self, pitch_deg: float, arc_m: float, duration_s: float) -> FloatArray:
        t = self._grid(duration_s)
        s = min_jerk((t - t[0]) / duration_s)
        self._push(
            t,
            pitch=self.pitch_deg + s * (pitch_deg - self.pitch_deg),
            arc=self.arc_m + s * (arc_m - self.arc_m),
        )
        self.pitch_deg, self.arc_m = pitch_deg, arc_m
        return t

    def move_pose(
        self,
        duration_s: float,
        roll_deg: float | None = None,
        pitch_deg: float | None = None,
        extra_deg: tuple[float, float, float] | None = None,
        pos_m: FloatArray | None = None,
    ) -> FloatArray:
        """One minimum-jerk movement of any of: the roll about body z, the pitch about body −y, the
        extra rotation (a rotation vector in body axes, deg: side tilt about x, ...) and the pelvis
        centre's position (world, m). What is not given stays."""
        t = self._grid(duration_s)
        s = min_jerk((t - t[0]) / duration_s)
        roll = None if roll_deg is None else self.roll_deg + s * (roll_deg - self.roll_deg)
        pitch = None if pitch_deg is None else self.pitch_deg + s * (pitch_deg - self.pitch_deg)
        extra = None
        if extra_deg is not None:
            target = np.radians(np.asarray(extra_deg, dtype=np.float64))
            extra = self.extra_rad + np.outer(s, target - self.extra_rad)
        pos = None if pos_m is None else self.pos + np.outer(s, np.asarray(pos_m) - self.pos)
        self._push(t, roll=roll, pitch=pitch, extra=extra, pos=pos)
        if roll_deg is not None:
            self.roll_deg = roll_deg
        if pitch_deg is not None:
            self.pitch_deg = pitch_deg
        if extra_deg is not None:
            self.extra_rad = np.radians(np.asarray(extra_deg, dtype=np.float64))
        if pos_m is not None:
            self.pos = np.asarray(pos_m, dtype=np.float64).copy()
        return t

    def fold_exercise_pose(self) -> None:
        """Make the current knee roll, pitch and hip arc part of the base pose (no jump), so that
        the next :meth:`transition` starts from where the pelvis really is."""
        offset = np.zeros(3)
        if self.arc_m:
            beta = self.arc_m / self.thigh_m
            back = -self.base.apply([0.0, 0.0, 1.0])
            offset = self.thigh_m * np.sin(beta) * back
            offset[2] += self.thigh_m * (np.cos(beta) - 1.0)
        self.base = (
            self.base
            * Rotation.from_rotvec([0.0, 0.0, math.radians(self.roll_deg)])
            * Rotation.from_rotvec([0.0, -math.radians(self.pitch_deg), 0.0])
        )
        self.pos = self.pos + offset
        self.roll_deg = self.pitch_deg = self.arc_m = 0.0

    def fidget(self, amplitude_deg: float, duration_s: float) -> None:
        """A small movement that comes back: settling, scratching, a weight shift (not a rep)."""
        t = self._grid(duration_s)
        tau = (t - t[0]) / duration_s
        bump = np.where(tau < 0.5, min_jerk(2 * tau), min_jerk(2 - 2 * tau))
        axis = self.rng.normal(size=3)
        axis /= np.linalg.norm(axis)
        extra = np.outer(bump, axis * math.radians(amplitude_deg))
        shift = np.outer(bump, self.rng.normal(0.0, 0.01, 3))
        self._push(t, extra=extra, pos=self.pos + shift)

    def walk(self, duration_s: float, step_hz: float) -> None:
        """Walking: the pelvis bounces, sways and turns with each step; the body moves forward."""
        t = self._grid(duration_s)
        tt = t - t[0]
        ramp = min_jerk(tt / 1.0) * min_jerk((duration_s - tt) / 1.0)
        v = 1.1 * ramp
        fwd = np.cumsum(v) * self.dt
        pos = np.tile(self.pos, (t.size, 1))
        pos[:, 0] += fwd
        pos[:, 2] += 0.025 * ramp * np.sin(2 * np.pi * step_hz * tt)
        pos[:, 1] += 0.02 * ramp * np.sin(np.pi * step_hz * tt)
        extra = np.zeros((t.size, 3))
        extra[:, 2] = math.radians(4.0) * ramp * np.sin(np.pi * step_hz * tt)
        extra[:, 0] = math.radians(3.0) * ramp * np.sin(np.pi * step_hz * tt + 0.5)
        extra[:, 1] = math.radians(2.0) * ramp * np.sin(2 * np.pi * step_hz * tt)
        self._push(t, pos=pos, extra=extra, label="moving")
        self.pos = pos[-1].copy()

    # -- result ----------------------------------------------------------------------------------
    def arrays(self) -> tuple[FloatArray, Rotation, FloatArray]:
        """Fine time (N,), world-from-body orientation, pelvis-centre position (N, 3) in m."""
        t = np.asarray(self.dt * np.arange(sum(len(r) for r in self._roll)), dtype=np.float64)
        base_q = np.concatenate(self._q)
        base = Rotation.from_quat(base_q)
        roll = np.radians(np.concatenate(self._roll))
        pitch = np.radians(np.concatenate(self._pitch))
        arc = np.concatenate(self._arc)
        extra = np.concatenate(self._extra)
        # Each breath tilts the pelvis a little about its left-right axis; the weight fades it in and
        # out smoothly with the posture (no step in orientation at the end of a transition).
        breath_rad = math.radians(self.breath_deg) * 0.5 * (1 - np.cos(2 * np.pi * self.breath_hz * t))
        extra[:, 1] += np.concatenate(self._breath_w) * breath_rad
        zeros = np.zeros_like(roll)
        q = quat_mul(
            quat_mul(base_q, quat_from_rotvec(np.column_stack([zeros, zeros, roll]))),
            quat_mul(quat_from_rotvec(np.column_stack([zeros, -pitch, zeros])), quat_from_rotvec(extra)),
        )
        r = Rotation.from_quat(q)
        pos = np.concatenate(self._pos)
        # Rocking back: the hips travel back and down on an arc around the knees.
        beta = arc / self.thigh_m
        back = -base.apply(np.tile([0.0, 0.0, 1.0], (len(t), 1)))  # opposite the head direction
        pos = pos + self.thigh_m * (np.sin(beta)[:, np.newaxis] * back)
        pos[:, 2] += self.thigh_m * (np.cos(beta) - 1.0)
        return t, r, np.asarray(pos, dtype=np.float64)
