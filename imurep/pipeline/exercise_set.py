"""One set in progress: the neutral pose, the angle from it, and the excursion state machine.

Runs once per control-rate step in plain Python floats (a few microseconds a step): the
vectorised work happens before (filtering, frames) and after (rep timing on the buffered trace).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from imurep.events import Exercise, RepEvent, SetEvent, Side
from imurep.pipeline.config import ExerciseThresholds
from imurep.pipeline.quality import hold_steadiness_deg, sparc
from imurep.pipeline.rep_timing import estimate_rep_timing

__all__ = ["ExerciseSet", "SetEnd"]

Vec = tuple[float, float, float]
_NEUTRAL, _OUT, _RETURNING = 0, 1, 2
# Neutral follows the centre of the movement with this time constant until a still pose anchors it.
_CENTRE_TAU_S = 8.0
# Up vector moving slower than this (deg/s) counts as still; this long a still pose at neutral anchors it.
_STILL_DEG_S = 4.0
_ANCHOR_S = 0.8
_HISTORY_KEEP = 1500
_PRE_ONSET_S = 3.0
# Unknown mounting: reps of one set turn about one axis (within 35°) and keep a similar size.
_COS_SAME_AXIS = math.cos(math.radians(35.0))
_MAX_PEAK_RATIO = 2.5


@dataclass
class SetEnd:
    """Why and when a set ended."""

    time_s: float
    reason: Literal["posture_change", "no_return", "end_of_data", "dynamic"]


def _norm(v: Vec) -> Vec:
    n = math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
    return (v[0] / n, v[1] / n, v[2] / n)


@dataclass
class ExerciseSet:
    """State of one set.

    Parameters
    ----------
    exercise
        What this set counts (may be relabelled at the end when the mounting is unknown).
    thresholds
        The exercise's limits.
    sign_axis
        Unit vector in the frame of ``up``: the angle is positive when the rotation from neutral
        is about this axis (left knee roll / rocking back). ``None``: unknown mounting, the axis is
        learnt from the data and sides are not reported.
    start_s
        Set start, s.
    neutral
        Initial neutral up-vector.
    delay_s
        Filter delay added back to report ``emitted_at_s``.
    """

    exercise: Exercise
    thresholds: ExerciseThresholds
    sign_axis: Vec | None
    start_s: float
    neutral: Vec
    delay_s: float
    relabel: bool = False
    first_index: int = 1
    centre_tracking: bool = False
    has_gyr: bool = False
    confirm_reps: int = 1
    max_rep_gap_s: float = 10.0
    reps: list[RepEvent] = field(default_factory=list)
    # state
    _anchored: bool = False
    _centre: Vec = (0.0, 0.0, 0.0)
    _elapsed_s: float = 0.0
    _state: int = _NEUTRAL
    _side: int = 0
    _peak: float = 0.0
    _onset_s: float = 0.0
    _onset_i: int = 0
    _dyn_max: float = 0.0
    _motion_sum: float = 0.0
    _motion_n: int = 0
    _rate_max: float = 0.0
    _near_peak_since: float | None = None
    _pending: list[RepEvent] = field(default_factory=list)
    _pending_axes: list[Vec] = field(default_factory=list)
    _pending_sides: list[int] = field(default_factory=list)
    _prev_up: Vec | None = None
    _still_s: float = 0.0
    _still_sum: Vec = (0.0, 0.0, 0.0)
    _learnt_axis: Vec | None = None
    _axis_at: list[Vec] = field(default_factory=list)
    _axis_moment: list[float] = field(default_factory=lambda: [0.0] * 9)
    _t: list[float] = field(default_factory=list)
    _a: list[float] = field(default_factory=list)
    _last_t_s: float = 0.0
    _sides_seen: set[int] = field(default_factory=set)
    _next_index: int = 1

    def __post_init__(self) -> None:
        self._centre = self.neutral
        self._next_index = self.first_index

    def step(
        self,
        t_s: float,
        dt_s: float,
        up: Vec,
        dyn_m_s2: float,
        motion_m_s2: float,
        rate_deg_s: float,
    ) -> list[RepEvent] | SetEnd | None:
        """Advance by one control step; returns new reps, the end of the set, or nothing."""
        th = self.thresholds
        self._last_t_s = t_s
        n = self.neutral
        ux, uy, uz = up
        nx, ny, nz = n
        d = nx * ux + ny * uy + nz * uz
        cx, cy, cz = ny * uz - nz * uy, nz * ux - nx * uz, nx * uy - ny * ux
        mag = math.degrees(math.acos(max(-1.0, min(1.0, d))))
        axis = self.sign_axis if self.sign_axis is not None else self._learnt_axis
        if axis is None:
            proj = 1.0
        else:
            proj = cx * axis[0] + cy * axis[1] + cz * axis[2]
        angle = mag if proj >= 0.0 else -mag
        self._t.append(t_s)
        self._a.append(angle)

        # Neutral: centre of the movement until a still pose at neutral anchors it.
        self._elapsed_s += dt_s
        if self.centre_tracking and not self._anchored:
            w = dt_s / min(_CENTRE_TAU_S, max(self._elapsed_s, dt_s))
            c = self._centre
            self._centre = _norm((c[0] + w * (ux - c[0]), c[1] + w * (uy - c[1]), c[2] + w * (uz - c[2])))
            self.neutral = self._centre
        speed = 0.0
        if self._prev_up is not None and dt_s > 0:
            p = self._prev_up
            dd = p[0] * ux + p[1] * uy + p[2] * uz
            speed = math.degrees(math.acos(max(-1.0, min(1.0, dd)))) / dt_s
        self._prev_up = up
        if speed < _STILL_DEG_S and self._state == _NEUTRAL and mag < th.onset_deg:
            self._still_s += dt_s
            s = self._still_sum
            self._still_sum = (s[0] + ux, s[1] + uy, s[2] + uz)
            if self._still_s >= _ANCHOR_S:
                self.neutral = _norm(self._still_sum)
                self._centre = self.neutral
                self._anchored = True
                self._still_s = 0.0
                self._still_sum = (0.0, 0.0, 0.0)
        else:
            self._still_s = 0.0
            self._still_sum = (0.0, 0.0, 0.0)

        event: list[RepEvent] | SetEnd | None = None
        if self._state == _NEUTRAL:
            if mag > th.onset_deg:
                self._begin_out(t_s, 1 if angle >= 0 else -1, mag, cx, cy, cz)
        elif self._state == _OUT:
            if mag > th.abort_deg:
                return SetEnd(self._onset_s, "posture_change")
            if t_s - self._onset_s > th.max_out_s:
                return SetEnd(self._onset_s, "no_return")
            self._dyn_max = max(self._dyn_max, dyn_m_s2)
            self._motion_sum += motion_m_s2
            if rate_deg_s > self._rate_max:
                self._rate_max = rate_deg_s
            self._motion_n += 1
            signed = self._side * angle
            self._axis_at.append(_norm((cx, cy, cz)) if mag > 1e-6 else (0.0, 0.0, 1.0))
            if signed >= self._peak - max(2.0, 0.1 * self._peak):
                if self._near_peak_since is None:
                    self._near_peak_since = t_s
            else:
                self._near_peak_since = None
            if signed > self._peak:
                self._peak = signed
                if self.sign_axis is None:
                    self._accumulate_axis(cx, cy, cz)
            if signed < th.return_fraction * self._peak:
                event = self._complete(t_s)
                self._state = _RETURNING
        else:  # returning
            signed = self._side * angle
            if mag < th.onset_deg:
                self._state = _NEUTRAL
            elif signed < 0:
                self._begin_out(t_s, -self._side, mag, cx, cy, cz)
            elif signed > 0.6 * self._peak:
                self._begin_out(t_s, self._side, mag, cx, cy, cz)
        if len(self._t) > 2 * _HISTORY_KEEP and self._state != _OUT:
            drop = len(self._t) - _HISTORY_KEEP
            del self._t[:drop]
            del self._a[:drop]
            self._onset_i -= drop
        return event

    @property
    def phase(self) -> Literal["rest", "out", "returning"]:
        return "out" if self._state == _OUT else "returning" if self._state == _RETURNING else "rest"

    @property
    def live_hold_s(self) -> float:
        """How long the pelvis has stayed near the far position of the current excursion, s."""
        if self._state != _OUT or self._near_peak_since is None:
            return 0.0
        return self._last_t_s - self._near_peak_since

    @property
    def live_side(self) -> Side | None:
        if self._state == _NEUTRAL or self.sign_axis is None or self.exercise != "knee_rolls":
            return None
        return "left" if self._side > 0 else "right"

    def _begin_out(self, t_s: float, side: int, mag: float, cx: float, cy: float, cz: float) -> None:
        self._state = _OUT
        self._side = side
        self._peak = mag
        self._onset_s = t_s
        self._dyn_max = 0.0
        self._motion_sum = 0.0
        self._motion_n = 0
        self._rate_max = 0.0
        self._near_peak_since = None
        i = len(self._t) - 1
        # Back to where the angle was last on the other side of neutral (or a few seconds).
        t_min = t_s - _PRE_ONSET_S
        while i > 0 and self._t[i - 1] >= t_min and side * self._a[i - 1] > 0.0:
            i -= 1
        self._onset_i = max(i - 1, 0)
        self._axis_at = [_norm((cx, cy, cz))] * (len(self._t) - self._onset_i)
        if self.sign_axis is None and self._learnt_axis is None:
            self._learnt_axis = _norm((cx * side, cy * side, cz * side))

    def _accumulate_axis(self, cx: float, cy: float, cz: float) -> None:
        m = self._axis_moment
        v = (cx, cy, cz)
        for r in range(3):
            for c in range(3):
                m[3 * r + c] += v[r] * v[c]

    def _refresh_axis(self) -> None:
        if self.sign_axis is not None or self._learnt_axis is None:
            return
        w, vecs = np.linalg.eigh(np.asarray(self._axis_moment).reshape(3, 3))
        v = vecs[:, int(np.argmax(w))]
        old = self._learnt_axis
        if v[0] * old[0] + v[1] * old[1] + v[2] * old[2] < 0:
            v = -v
        self._learnt_axis = (float(v[0]), float(v[1]), float(v[2]))

    def _complete(self, t_s: float) -> list[RepEvent] | None:
        th = self.thresholds
        i0 = self._onset_i
        t = np.asarray(self._t[i0:])
        a = self._side * np.asarray(self._a[i0:])
        self._refresh_axis()
        if (
            self._peak < th.min_peak_deg
            or t_s - self._onset_s < th.min_duration_s
            or self._dyn_max > th.max_dynamic_m_s2
            or self._motion_sum / max(self._motion_n, 1) > th.max_motion_m_s2
        ):
            return None
        timing = estimate_rep_timing(t, a)
        peak_speed = max(timing.out_peak_speed_deg_s, timing.back_peak_speed_deg_s)
        if max(peak_speed, self._rate_max) > th.max_speed_deg_s:
            return None
        if min(timing.hold_start_s - timing.start_s, timing.end_s - timing.hold_end_s) < th.min_move_s:
            return None
        if self.has_gyr and self._rate_max < th.min_gyro_agreement * peak_speed:
            return None
        side: Side | None = None
        if self.exercise == "knee_rolls" and self.sign_axis is not None:
            side = "left" if self._side > 0 else "right"
        self._sides_seen.add(self._side)
        rate_hz = (len(t) - 1) / (t[-1] - t[0]) if len(t) > 1 else 1.0
        in_move = (t >= timing.start_s) & (t <= timing.end_s)
        speed = np.abs(np.diff(a[in_move])) * rate_hz if np.count_nonzero(in_move) > 4 else a[:0]
        in_hold = (t >= timing.hold_start_s) & (t <= timing.hold_end_s)
        hold_s = timing.hold_end_s - timing.hold_start_s
        rep = RepEvent(
            exercise=self.exercise,
            side=side,
            index=self._next_index,
            start_s=timing.start_s,
            hold_start_s=timing.hold_start_s,
            hold_end_s=timing.hold_end_s,
            end_s=timing.end_s,
            hold_s=hold_s,
            peak_angle_deg=timing.peak_deg,
            emitted_at_s=t_s + self.delay_s,
            out_s=timing.hold_start_s - timing.start_s,
            back_s=timing.end_s - timing.hold_end_s,
            smoothness_sparc=sparc(speed, rate_hz) if speed.size else float("nan"),
            hold_steadiness_deg=hold_steadiness_deg(a[in_hold]) if hold_s >= 0.3 else float("nan"),
            peak_speed_deg_s=peak_speed,
        )
        return self._confirm(rep)

    def _confirm(self, rep: RepEvent) -> list[RepEvent] | None:
        """Hold reps back until the set shows a consistent pattern (unknown mounting only).

        With a known mounting the posture already says an exercise is under way and each rep is
        reported at once. With an unknown one, a single excursion could be sitting down or turning
        over; a run of ``confirm_reps`` excursions about one axis, each within ``max_rep_gap_s``
        of the last, is a set of exercise.
        """
        if self.reps or self.confirm_reps <= 1:
            return [self._accept(rep)]
        axis = self._excursion_axis()
        if self._pending:
            ref = self._pending_axes[0]
            same_axis = abs(axis[0] * ref[0] + axis[1] * ref[1] + axis[2] * ref[2]) >= _COS_SAME_AXIS
            if not same_axis or rep.start_s - self._pending[-1].end_s > self.max_rep_gap_s:
                self._pending.clear()
                self._pending_axes.clear()
                self._pending_sides.clear()
        self._pending.append(rep)
        self._pending_axes.append(axis)
        self._pending_sides.append(self._side)
        if len(self._pending) < self.confirm_reps:
            return None
        if not self._pending_is_a_set():
            self._pending.pop(0)
            self._pending_axes.pop(0)
            self._pending_sides.pop(0)
            return None
        accepted = [self._accept(replace(r, emitted_at_s=rep.emitted_at_s)) for r in self._pending]
        self._pending.clear()
        self._pending_axes.clear()
        self._pending_sides.clear()
        return accepted

    def _pending_is_a_set(self) -> bool:
        """Knee rolls alternate sides; the heels stretch always goes one way; both keep a similar size."""
        sides = self._pending_sides
        alternating = all(a != b for a, b in itertools.pairwise(sides))
        one_way = len(set(sides)) == 1
        peaks = [r.peak_angle_deg for r in self._pending]
        similar = max(peaks) <= _MAX_PEAK_RATIO * min(peaks)
        return (alternating or one_way) and similar

    def _accept(self, rep: RepEvent) -> RepEvent:
        rep = replace(rep, index=self._next_index)
        self._next_index += 1
        self.reps.append(rep)
        return rep

    def _excursion_axis(self) -> Vec:
        """Rotation axis of the excursion just completed (from neutral to its peak)."""
        i_peak = max(range(self._onset_i, len(self._a)), key=lambda i: self._side * self._a[i])
        return self._axis_at[i_peak - self._onset_i] if self._axis_at else (0.0, 0.0, 1.0)

    def finish(self, end: SetEnd) -> SetEvent | None:
        """Close the set; ``None`` if it held no rep. Relabels reps when the exercise was inferred."""
        if not self.reps:
            return None
        if self.relabel:
            # Unknown mounting: knee rolls go to both sides of neutral, the heels stretch to one.
            exercise: Exercise = (
                "heels_stretch" if len(self._sides_seen) == 1 and len(self.reps) >= 3 else "knee_rolls"
            )
            if exercise != self.exercise:
                self.reps = [replace(r, exercise=exercise) for r in self.reps]
                self.exercise = exercise
        left = sum(1 for r in self.reps if r.side == "left")
        right = sum(1 for r in self.reps if r.side == "right")
        return SetEvent(
            exercise=self.exercise,
            start_s=self.start_s,
            end_s=end.time_s,
            reps=len(self.reps),
            left=left,
            right=right,
        )
