"""One set in progress: the angle from the set's neutral, and the excursion state machine.

The neutral is :class:`imurep.pipeline.neutral.NeutralTracker`'s; the rep gate, the set's
evidence and the rep metrics have modules of their own. The state machine (rest → out →
returning) is run a state at a time over whole windows of control steps: each state's exit
conditions are evaluated vectorised and the machine jumps to the first step that meets one. Every
decision depends only on the steps up to it and on carried state, so any split of the input into
windows gives the same events.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from imurep.events import RepEvent, SetEvent, Side
from imurep.exercises.spec import RepLimits
from imurep.pipeline.arrays import angle_deg, first_true, row_dots
from imurep.pipeline.neutral import STILL_DEG_S, CentreWindow, NeutralTracker
from imurep.pipeline.rep_gate import MovementMeasures, gate
from imurep.pipeline.rep_metrics import measure_rep
from imurep.pipeline.rep_timing import estimate_rep_timing
from imurep.pipeline.set_evidence import Candidate, SetEvidence
from imurep.samples import FloatArray, gap_limit_s

__all__ = ["ExerciseSet", "SetEnd"]

Vec = tuple[float, float, float]
_NEUTRAL, _OUT, _RETURNING = 0, 1, 2
_HISTORY_KEEP = 1500
# Steps looked ahead at once for the next state change (bounds the work per event).
_LOOKAHEAD = 128
_MAX_LOOKAHEAD = 4096
# Fewest steps of angle magnitudes and cross products computed at once (reused until the neutral moves).
_GEOMETRY_CHUNK = 1024
_PRE_ONSET_S = 3.0


@dataclass
class SetEnd:
    """Why and when a set ended."""

    time_s: float
    reason: Literal["posture_change", "no_return", "end_of_data", "dynamic"]


class _Window:
    """Inputs of one window of control steps, and the angles filled in as steps are consumed.

    ``centre``: the followed centre over the window while the neutral follows it (else ``None``).
    The attributes below the inputs default at class level (a window costs only its inputs).
    """

    centre: CentreWindow | None = None
    # Angle magnitude from neutral (deg) and cross products (neutral × up) of steps
    # geo_lo..geo_hi-1, for the neutral ``geo_neutral`` (the centre while not ``geo_anchored``).
    mag: FloatArray | None = None
    cross: FloatArray | None = None
    geo_lo: int = 0
    geo_hi: int = 0
    geo_neutral: Vec | None = None
    geo_anchored: bool = False

    def __init__(
        self,
        t: FloatArray,
        dt: FloatArray,
        up: FloatArray,
        dyn: FloatArray,
        motion: FloatArray,
        rate: FloatArray,
    ) -> None:
        self.t = t
        self.dt = dt
        self.up = up
        self.dyn = dyn
        self.motion = motion
        self.rate = rate
        self.angles = np.full(len(t), math.nan)

    def geometry_covers(self, k: int, j: int, neutral: Vec, anchored: bool) -> bool:
        """Whether ``mag``/``cross`` hold steps k..j-1 (k..k: the cache reaches step k) for this neutral."""
        return (
            self.geo_lo <= k <= j <= self.geo_hi
            and self.geo_neutral is neutral
            and self.geo_anchored == anchored
        )


class _History:
    """Growing buffer of recent steps of the set: time (s), angle (deg), cross product (neutral × up)."""

    def __init__(self) -> None:
        self.n = 0
        self.t = np.empty(2048)
        self.a = np.empty(2048)
        self.cross = np.empty((2048, 3))

    def append(self, t: FloatArray, a: FloatArray, cross: FloatArray) -> None:
        m = len(t)
        if self.n + m > len(self.t):
            cap = max(2 * len(self.t), self.n + m)
            for name in ("t", "a", "cross"):
                old = getattr(self, name)
                new = np.empty((cap, *old.shape[1:]))
                new[: self.n] = old[: self.n]
                setattr(self, name, new)
        self.t[self.n : self.n + m] = t
        self.a[self.n : self.n + m] = a
        self.cross[self.n : self.n + m] = cross
        self.n += m

    def drop_first(self, m: int) -> None:
        keep = self.n - m
        self.t[:keep] = self.t[m : self.n]
        self.a[:keep] = self.a[m : self.n]
        self.cross[:keep] = self.cross[m : self.n]
        self.n = keep


@dataclass
class ExerciseSet:
    """State of one set.

    Parameters
    ----------
    exercise
        What this set counts (an exercise name of the registry).
    limits
        The exercise's limits for one movement (the rep gate).
    evidence
        How the set's movements are judged together (pending, counted, not counted and why).
    sign_axis
        Unit vector in the frame of ``up``: the angle is positive when the rotation from neutral
        is about this axis (left knee roll / rocking back). ``None``: unknown mounting, the axis is
        learnt from the data and sides are not reported.
    start_s
        Set start, s.
    neutral
        The set's neutral pose (it follows the centre of the movement with an unknown mounting).
    delay_s
        Filter delay added back to report ``emitted_at_s``.
    sided
        Whether reps carry a side (with a known mounting).
    first_index
        Index of the set's first rep within the recording.
    has_gyr
        Whether a gyroscope is measured.
    control_rate_hz
        Rate of the control steps, Hz.
    """

    exercise: str
    limits: RepLimits
    evidence: SetEvidence
    sign_axis: Vec | None
    start_s: float
    neutral: NeutralTracker
    delay_s: float
    sided: bool = False
    first_index: int = 1
    has_gyr: bool = False
    control_rate_hz: float = 25.0
    reps: list[RepEvent] = field(default_factory=list)
    # state
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
    _prev_up: FloatArray | None = None
    _learnt_axis: Vec | None = None
    _axis_moment: FloatArray = field(default_factory=lambda: np.zeros((3, 3)))
    _hist: _History = field(default_factory=_History)
    _lookahead: int = _LOOKAHEAD
    _last_t_s: float = 0.0
    _next_index: int = 1

    def __post_init__(self) -> None:
        self._next_index = self.first_index

    @property
    def last_angle_deg(self) -> float:
        return float(self._hist.a[self._hist.n - 1]) if self._hist.n else math.nan

    def process(
        self,
        t_s: FloatArray,
        dt_s: FloatArray,
        up: FloatArray,
        dyn_m_s2: FloatArray,
        motion_m_s2: FloatArray,
        rate_deg_s: FloatArray,
    ) -> tuple[list[RepEvent], SetEnd | None, FloatArray]:
        """Advance over a window of control steps.

        Parameters
        ----------
        t_s, dt_s
            (K,) step times and durations, s.
        up
            (K, 3) unit *up* vectors (body frame, or sensor frame for an unknown mounting).
        dyn_m_s2, motion_m_s2, rate_deg_s
            (K,) departure of the low-passed acceleration from 1 g, m/s²; high-frequency
            acceleration RMS, m/s²; low-passed gyroscope rate, deg/s (zeros without a gyroscope).

        Returns
        -------
        reps
            Reps confirmed in the window.
        end
            The end of the set if it ended in the window (the steps after it are not consumed).
        angles
            (J,) angle from neutral of each consumed step, degrees (J = K unless the set ended).
        """
        w = _Window(t_s, dt_s, up, dyn_m_s2, motion_m_s2, rate_deg_s)
        w.centre = self.neutral.window(up, dt_s)
        reps: list[RepEvent] = []
        k = 0
        n = len(t_s)
        end: SetEnd | None = None
        while k < n and end is None:
            state = self._state
            k_before = k
            if state == _NEUTRAL:
                k = self._run_neutral(w, k)
            elif state == _OUT:
                k, new, end = self._run_out(w, k)
                reps.extend(new)
            else:
                k = self._run_returning(w, k)
            # Nothing happened over the whole look-ahead: look further next time (cheaper per step).
            if self._state == state and k - k_before >= self._lookahead:
                self._lookahead = min(2 * self._lookahead, _MAX_LOOKAHEAD)
            else:
                self._lookahead = _LOOKAHEAD
        if self._state == _OUT and self._hist.n > 0:
            self._update_near_peak()
        if self._state != _OUT and self._hist.n > 2 * _HISTORY_KEEP:
            drop = self._hist.n - _HISTORY_KEEP
            self._hist.drop_first(drop)
            self._onset_i -= drop
        self._last_t_s = float(t_s[min(k, n) - 1]) if k > 0 else self._last_t_s
        return reps, end, w.angles[:k]

    # -- vectorised runs of one state ------------------------------------------------------
    def _angles(self, w: _Window, k: int, j: int) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Magnitude and signed angle (deg) from neutral, and cross products, for steps k..j-1.

        The arrays are views of the window's cache or fresh: callers must not modify them.
        """
        nt = self.neutral
        if not w.geometry_covers(k, j, nt.neutral, nt.anchored):
            self._fill_geometry(w, k, j)
        assert w.mag is not None and w.cross is not None
        mag = w.mag[k:j]
        cross = w.cross[k:j]
        axis = self.sign_axis if self.sign_axis is not None else self._learnt_axis
        if axis is None:
            return mag, mag, cross
        # Over exactly these steps: a matrix product's rounding can depend on the rows it is given.
        return mag, np.where(cross @ np.asarray(axis) >= 0.0, mag, -mag), cross

    def _fill_geometry(self, w: _Window, k: int, j: int) -> None:
        """Cache magnitudes and cross products from step k (or from the end of the cache, if it
        reaches k and is for the neutral in force) to at least step j."""
        n = len(w.t)
        nt = self.neutral
        if w.mag is None or w.cross is None:
            w.mag = np.empty(n)
            w.cross = np.empty((n, 3))
        if not w.geometry_covers(k, k, nt.neutral, nt.anchored):
            w.geo_lo = w.geo_hi = k
            w.geo_neutral = nt.neutral
            w.geo_anchored = nt.anchored
        a = w.geo_hi
        b = min(n, max(j, a + _GEOMETRY_CHUNK))
        u = w.up[a:b]
        d = w.mag[a:b]
        cross = w.cross[a:b]
        if w.centre is not None and not nt.anchored:
            neutral = w.centre.before_steps(b)[a:b]
            d[:] = row_dots(neutral, u)
            n0, n1, n2 = neutral[:, 0], neutral[:, 1], neutral[:, 2]
            u0, u1, u2 = u[:, 0], u[:, 1], u[:, 2]
            cross[:, 0] = n1 * u2 - n2 * u1
            cross[:, 1] = n2 * u0 - n0 * u2
            cross[:, 2] = n0 * u1 - n1 * u0
        else:
            # One neutral for every step: the dot and cross products are matrix products.
            x, y, z = nt.neutral
            np.dot(u, np.array(nt.neutral), out=d)
            # neutral × u = [neutral]× u, rows of u times the transposed skew matrix.
            np.dot(u, np.array([[0.0, z, -y], [-z, 0.0, x], [y, -x, 0.0]]), out=cross)
        angle_deg(d)
        w.geo_hi = b

    def _commit(
        self, w: _Window, k: int, j: int, mag: FloatArray, angle: FloatArray, cross: FloatArray
    ) -> None:
        """Steps k..j-1 are consumed: store their angles and advance the centre state."""
        if j <= k:
            return
        m = j - k
        w.angles[k:j] = angle[:m]
        self._hist.append(w.t[k:j], angle[:m], cross[:m])
        self.neutral.consumed(w.centre, w.dt[k:j], j)
        self._prev_up = w.up[j - 1].copy()

    def _speeds(self, w: _Window, k: int, j: int) -> FloatArray:
        """Angular speed of *up* at steps k..j-1 (from the step before), deg/s."""
        u = w.up[k:j]
        if k > 0:
            prev = w.up[k - 1 : j - 1]  # the step before k was consumed: it is ``_prev_up``
        else:
            prev = np.empty_like(u)
            if u.shape[0]:
                prev[0] = self._prev_up if self._prev_up is not None else u[0]
                prev[1:] = u[:-1]
        dt = w.dt[k:j]
        return np.asarray(angle_deg(row_dots(prev, u)) / np.where(dt > 0, dt, 1.0))

    def _run_neutral(self, w: _Window, k: int) -> int:
        th = self.limits
        n = min(len(w.t), k + self._lookahead)
        mag, angle, cross = self._angles(w, k, n)
        onset = mag > th.onset_deg
        still = (self._speeds(w, k, n) < STILL_DEG_S) & ~onset
        # Stillness run (carried across windows): seconds held at each step.
        run = self.neutral.still_run_s(still, w.dt[k:n])
        anchor = still & (run >= self.neutral.anchor_after_s)
        i_on = first_true(onset)
        i_an = first_true(anchor)
        if i_an < i_on:
            j = i_an
            self._commit(w, k, k + j + 1, mag, angle, cross)
            self.neutral.anchor(still[: j + 1], w.up[k : k + j + 1])
            return k + j + 1
        j = i_on
        self._commit(w, k, k + j, mag, angle, cross)
        if j < n - k:
            # The onset step itself: it belongs to the excursion.
            self.neutral.left_rest()
            self._commit(w, k + j, k + j + 1, mag[j:], angle[j:], cross[j:])
            self._begin_out(float(w.t[k + j]), 1 if angle[j] >= 0 else -1, float(mag[j]), cross[j])
            return k + j + 1
        self.neutral.carry_still(still, run, w.up[k:n])
        return n

    def _run_out(self, w: _Window, k: int) -> tuple[int, list[RepEvent], SetEnd | None]:
        th = self.limits
        n = min(len(w.t), k + self._lookahead)
        mag, angle, cross = self._angles(w, k, n)
        signed = self._side * angle
        peak = np.maximum(self._peak, np.maximum.accumulate(signed))
        abort = mag > th.abort_deg
        timeout = (w.t[k:n] - self._onset_s) > th.max_out_s
        back = signed < th.return_fraction * peak
        ends = abort | timeout
        i_end = first_true(ends)
        i_back = first_true(back)
        if i_end <= i_back and i_end < n - k:
            self._commit(w, k, k + i_end, mag, angle, cross)
            reason: Literal["posture_change", "no_return"] = "posture_change" if abort[i_end] else "no_return"
            return k + i_end, [], SetEnd(self._onset_s, reason)
        j = i_back
        m = min(j + 1, n - k)
        self._dyn_max = max(self._dyn_max, float(w.dyn[k : k + m].max()))
        self._motion_sum += float(w.motion[k : k + m].sum())
        self._motion_n += m
        self._rate_max = max(self._rate_max, float(w.rate[k : k + m].max()))
        if self.sign_axis is None:
            prev_peak = np.concatenate(([self._peak], peak[: m - 1]))
            rising = signed[:m] > prev_peak
            c = cross[:m][rising]
            self._axis_moment += c.T @ c
        self._peak = float(peak[m - 1])
        self._commit(w, k, k + m, mag, angle, cross)
        if j == n - k:
            return n, [], None
        new = self._complete(float(w.t[k + j])) or []
        self._state = _RETURNING
        return k + j + 1, new, None

    def _run_returning(self, w: _Window, k: int) -> int:
        th = self.limits
        n = min(len(w.t), k + self._lookahead)
        mag, angle, cross = self._angles(w, k, n)
        signed = self._side * angle
        rest = mag < th.onset_deg
        other = ~rest & (signed < 0)
        again = ~rest & (signed > 0.6 * self._peak)
        ev = rest | other | again
        j = first_true(ev)
        if j == ev.size:
            self._commit(w, k, n, mag, angle, cross)
            return n
        self._commit(w, k, k + j + 1, mag, angle, cross)
        if rest[j]:
            self._state = _NEUTRAL
            self.neutral.back_at_rest()
        else:
            side = -self._side if other[j] else self._side
            self._begin_out(float(w.t[k + j]), side, float(mag[j]), cross[j])
        return k + j + 1

    def _update_near_peak(self) -> None:
        """Live hold timer: since when the current excursion has stayed near its peak."""
        a = self._side * self._hist.a[self._onset_i : self._hist.n]
        t = self._hist.t[self._onset_i : self._hist.n]
        peak = np.maximum.accumulate(a)
        near = a >= peak - np.maximum(2.0, 0.1 * peak)
        if not near[-1]:
            self._near_peak_since = None
            return
        far = np.flatnonzero(~near)
        self._near_peak_since = float(t[far[-1] + 1]) if far.size else float(t[0])

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
        if self._state == _NEUTRAL or self.sign_axis is None or not self.sided:
            return None
        return "left" if self._side > 0 else "right"

    def _begin_out(self, t_s: float, side: int, mag: float, cross: FloatArray) -> None:
        self._state = _OUT
        self._side = side
        self._peak = mag
        self._onset_s = t_s
        self._dyn_max = 0.0
        self._motion_sum = 0.0
        self._motion_n = 0
        self._rate_max = 0.0
        self._near_peak_since = None
        # Back to where the angle was last on the other side of neutral (or a few seconds).
        h = self._hist
        last = h.n - 1
        t_min = t_s - _PRE_ONSET_S
        lo = int(np.searchsorted(h.t[: h.n], t_min, side="left"))
        before = side * h.a[lo:last] > 0.0
        # Walk back over the contiguous run of same-side samples that ends just before ``last``.
        if before.size and before[-1]:
            not_same = np.flatnonzero(~before)
            i = lo + (int(not_same[-1]) + 1 if not_same.size else 0)
        else:
            i = last
        self._onset_i = max(i - 1, 0)
        if self.sign_axis is None and self._learnt_axis is None:
            v = cross * side
            nv = float(np.linalg.norm(v))
            self._learnt_axis = (
                (float(v[0] / nv), float(v[1] / nv), float(v[2] / nv)) if nv else (0.0, 0.0, 1.0)
            )

    def _refresh_axis(self) -> None:
        """Learnt axis: the principal eigenvector of the moment of the rising cross products,
        turned to the side of the previous axis."""
        if self.sign_axis is not None or self._learnt_axis is None:
            return
        w, vecs = np.linalg.eigh(self._axis_moment)
        # Python floats: the same products, sum and negation as on numpy scalars.
        x, y, z = vecs[:, int(w.argmax())].tolist()
        old = self._learnt_axis
        if x * old[0] + y * old[1] + z * old[2] < 0:
            x, y, z = -x, -y, -z
        self._learnt_axis = (x, y, z)

    def _complete(self, t_s: float) -> list[RepEvent]:
        """The excursion is back: measure it, pass it through the rep gate and the set's evidence."""
        lim = self.limits
        i0 = self._onset_i
        # A view: nothing below writes it or keeps it.
        t = self._hist.t[i0 : self._hist.n]
        a = self._side * self._hist.a[i0 : self._hist.n]
        self._refresh_axis()
        timing = estimate_rep_timing(t, a)
        # Lost packets inside the excursion blur its timing: pace and duration cannot be judged
        # (the rep still counts; its times are less certain).
        step_s = t[1:] - t[:-1]
        gap_s = gap_limit_s(1.0 / self.control_rate_hz)
        gapped = bool(np.any(step_s > gap_s))
        peak_speed = max(timing.out_peak_speed_deg_s, timing.back_peak_speed_deg_s)
        i_peak = int(a.argmax()) if a.size else 0
        axis = self._excursion_axis(i_peak)
        sa = self.sign_axis
        measures = MovementMeasures(
            peak_deg=timing.peak_deg,
            duration_s=t_s - self._onset_s,
            dynamic_max_m_s2=self._dyn_max,
            motion_mean_m_s2=self._motion_sum / max(self._motion_n, 1),
            # Both movements of a rep are human-paced; one odd estimate (a roll straight through
            # the middle speeds up its second half) does not make it a knock.
            pace_deg_s=min(timing.out_peak_speed_deg_s, timing.back_peak_speed_deg_s),
            peak_speed_deg_s=peak_speed,
            gyro_max_deg_s=self._rate_max,
            min_move_s=min(timing.hold_start_s - timing.start_s, timing.end_s - timing.hold_end_s),
            gapped=gapped,
            axis_cos=None if sa is None else abs(axis[0] * sa[0] + axis[1] * sa[1] + axis[2] * sa[2]),
            has_gyroscope=self.has_gyr,
        )
        reason = gate(measures, lim)
        side: Side | None = None
        if self.sided and self.sign_axis is not None:
            side = "left" if self._side > 0 else "right"
        if reason is None:
            rep = measure_rep(self.exercise, side, t, a, timing, gap_s, peak_speed, t_s + self.delay_s)
        else:
            rep = RepEvent(
                exercise=self.exercise,
                side=side,
                index=0,
                start_s=timing.start_s,
                hold_start_s=timing.hold_start_s,
                hold_end_s=timing.hold_end_s,
                end_s=timing.end_s,
                hold_s=timing.hold_end_s - timing.hold_start_s,
                peak_angle_deg=timing.peak_deg,
                emitted_at_s=t_s + self.delay_s,
            )
        counted = self.evidence.judge(Candidate(rep, self._side, axis, reason), t_s + self.delay_s)
        out = []
        for r in counted:
            if self.reps and self.reps[-1].end_s > r.start_s:
                # A roll straight through the middle: the last rep's end was extrapolated past the
                # moment this one left neutral. Reps never overlap: the last one ends here.
                self.reps[-1] = _ended_at(self.reps[-1], r.start_s)
            out.append(replace(r, index=self._next_index))
            self._next_index += 1
            self.reps.append(out[-1])
        return out

    def _excursion_axis(self, i_peak: int) -> Vec:
        """Rotation axis of the excursion just completed (from neutral to its peak).

        ``i_peak``: the step of the peak angle from the onset, ``argmax`` of the signed angles.
        """
        c = self._hist.cross[self._onset_i + i_peak]
        # np.linalg.norm of a (3,) float64 vector: sqrt of its dot product with itself.
        nc = math.sqrt(float(c.dot(c)))
        return (float(c[0] / nc), float(c[1] / nc), float(c[2] / nc)) if nc > 1e-9 else (0.0, 0.0, 1.0)

    def finish(self, end: SetEnd) -> SetEvent | None:
        """Close the set; ``None`` if it held no rep. Movements still pending are not counted."""
        self.evidence.finish(end.time_s + self.delay_s)
        if not self.reps:
            return None
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


def _ended_at(rep: RepEvent, end_s: float) -> RepEvent:
    """``rep`` ending at ``end_s`` (its hold and movement back cut to fit, never below zero)."""
    hold_end_s = min(rep.hold_end_s, end_s)
    hold_start_s = min(rep.hold_start_s, hold_end_s)
    return replace(
        rep,
        end_s=end_s,
        hold_start_s=hold_start_s,
        hold_end_s=hold_end_s,
        hold_s=hold_end_s - hold_start_s,
        back_s=None if rep.back_s is None else end_s - hold_end_s,
        out_s=None if rep.out_s is None else hold_start_s - rep.start_s,
    )
