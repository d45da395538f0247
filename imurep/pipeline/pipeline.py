"""The streaming pipeline: sample blocks in, rep and set events out, identically live and offline."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from imurep.events import Exercise, RepEvent, SetEvent, Side
from imurep.exercises.registry import all_exercises, exercises_for_posture
from imurep.exercises.registry import exercise as exercise_spec
from imurep.exercises.spec import ExerciseSpec, Posture
from imurep.pipeline.arrays import angle_deg, row_dots, row_norms, run_seconds
from imurep.pipeline.config import PipelineConfig
from imurep.pipeline.exercise_set import ExerciseSet, SetEnd, Vec
from imurep.pipeline.gravity import ControlBlock, GravityStage
from imurep.pipeline.neutral import NeutralTracker
from imurep.pipeline.posture import POSTURE_NAMES, classify_posture
from imurep.pipeline.records import AngleTrace, PostureSpan
from imurep.pipeline.set_evidence import CandidateVerdict, SetEvidence
from imurep.samples import STANDARD_GRAVITY_M_S2, FloatArray, SampleBlock

__all__ = ["Pipeline", "PipelineEvent", "PipelineState"]

# With an unknown mounting, a set starts after this long without large accelerations.
_AUTO_CALM_M_S2 = 1.5
_AUTO_DYNAMIC_END_S = 2.0
_FOREIGN_POSTURE_S = 1.0
# A posture held this much less than ``min_posture_s`` counts as held (float sums of the steps).
_HELD_TOLERANCE_S = 1e-9
# The pelvis turning slower than this counts as settled (breathing moves it about 1 deg/s).
_SETTLED_DEG_S = 4.0

PipelineEvent = RepEvent | SetEvent


@dataclass(frozen=True)
class PipelineState:
    """What a live display shows: the current posture, angle and set."""

    time_s: float
    posture: Posture
    exercise: Exercise | None
    angle_deg: float
    reps: int
    left: int
    right: int
    phase: Literal["none", "rest", "out", "returning"] = "none"
    hold_s: float = 0.0
    side: Side | None = None
    total_reps: int = 0
    pending: int = 0


class Pipeline:
    """Stateful analysis of one session.

    Feed :class:`~imurep.samples.SampleBlock` s of any size to :meth:`process`; it returns the
    events found so far, in order. Call :meth:`finish` at the end of the stream. Any chunking of
    the same samples gives the same events.
    """

    def __init__(self, config: PipelineConfig | None = None) -> None:
        self.config = config or PipelineConfig()
        self._gravity = GravityStage(self.config.lowpass_hz, self.config.control_rate_hz)
        self._r = (
            None
            if self.config.body_from_sensor is None
            else np.asarray(self.config.body_from_sensor, dtype=np.float64)
        )
        self.reset()

    def reset(self) -> None:
        self._gravity.reset()
        self._set: ExerciseSet | None = None
        self._run_code = -1
        self._run_s = 0.0
        self._foreign_s = 0.0
        self._has_gyr = False
        self._prev_up: FloatArray | None = None
        self._last_t_s: float | None = None
        self._n_reps = 0
        self._set_first_rep = 0
        self.reps: list[RepEvent] = []
        self.sets: list[SetEvent] = []
        self._postures: list[PostureSpan] = []
        # Per block: control-step times, angles (NaN outside sets) and exercise codes (0: no set).
        self._trace_t: list[FloatArray] = []
        self._trace_angle: list[FloatArray] = []
        self._trace_kind: list[NDArray[np.int8]] = []
        self._state: PipelineState | None = None
        self._verdicts: list[CandidateVerdict] = []
        self._spec: ExerciseSpec = all_exercises()[0]
        self._mounting = self.config.mounting
        # Fixed by the config: the postures a set may start in (unknown mounting: code 1, calm).
        self._start_postures = (1,) if self._r is None else self._set_postures()
        # Of the open set: the postures that end it, and its code in the trace.
        self._foreign: tuple[int, ...] = ()
        self._set_code = 0

    # -- public ------------------------------------------------------------------------------
    def process(self, block: SampleBlock) -> list[PipelineEvent]:
        cb = self._gravity.process(block)
        return [] if cb is None else self._control(cb)

    def finish(self) -> list[PipelineEvent]:
        """End of stream: close the open set."""
        events: list[PipelineEvent] = []
        cb = self._gravity.flush()
        if cb is not None:
            events.extend(self._control(cb))
        if self._set is not None and self._last_t_s is not None:
            ev = self._close_set(SetEnd(self._last_t_s, "end_of_data"))
            if ev is not None:
                events.append(ev)
        return events

    @property
    def state(self) -> PipelineState | None:
        return self._state

    @property
    def nominal_rate_hz(self) -> float | None:
        return self._gravity.nominal_rate_hz

    @property
    def postures(self) -> list[PostureSpan]:
        return list(self._postures)

    @property
    def verdicts(self) -> list[CandidateVerdict]:
        """Every candidate movement decided so far, counted or not and why (closed sets and the open one)."""
        out = list(self._verdicts)
        if self._set is not None:
            out.extend(self._set.evidence.verdicts)
        return sorted(out, key=lambda v: v.start_s)

    def trace(self) -> AngleTrace:
        if not self._trace_t:
            return AngleTrace.empty()
        kinds = np.concatenate(self._trace_kind)
        names = np.array(["", *(s.name for s in all_exercises())])
        return AngleTrace(np.concatenate(self._trace_t), np.concatenate(self._trace_angle), names[kinds])

    # -- internals ---------------------------------------------------------------------------
    def _control(self, cb: ControlBlock) -> list[PipelineEvent]:
        n = len(cb)
        if n == 0:
            return []
        acc = cb.acc_lp_m_s2
        norm = row_norms(acc)
        norm[norm == 0.0] = 1.0
        up_s = acc / norm[:, np.newaxis]
        dyn = np.abs(norm - STANDARD_GRAVITY_M_S2)
        if self._r is not None:
            up = up_s @ self._r.T
            codes = classify_posture(up)
        else:
            up = up_s
            codes = np.zeros(n, dtype=np.int8)
        period_s = 1.0 / self.config.control_rate_hz
        t_arr = cb.time_s
        prev_t = t_arr[0] - period_s if self._last_t_s is None else self._last_t_s
        dt_arr = np.empty(n)
        dt_arr[0] = t_arr[0] - prev_t
        np.subtract(t_arr[1:], t_arr[:-1], out=dt_arr[1:])
        np.minimum(dt_arr, 1.0, out=dt_arr)
        self._record_postures(t_arr, codes)
        self._has_gyr = cb.gyr_lp_rad_s is not None
        prev_up = self._prev_up if self._prev_up is not None else up[0]
        self._prev_up = up[-1].copy()
        # Only needed where no set is open (most blocks of a session have one open throughout).
        start_codes: NDArray[np.int8] | None = None
        allowed = self._start_postures
        angles = np.full(n, math.nan)
        kinds = np.zeros(n, dtype=np.int8)
        events: list[PipelineEvent] = []
        i = 0
        while i < n:
            if self._set is None:
                if start_codes is None:
                    start_codes = self._start_codes(up, prev_up, codes, dyn, dt_arr)
                j = self._find_set_start(start_codes, dt_arr, i, allowed)
                if j is None:
                    break
                u = up[j]
                code = int(codes[j])
                posture = POSTURE_NAMES[code] if self._r is not None else None
                self._open_set(float(t_arr[j]), (float(u[0]), float(u[1]), float(u[2])), posture)
                i = j + 1
                continue
            i = self._run_set(i, cb, up, codes, dyn, dt_arr, angles, kinds, events)
        self._last_t_s = float(t_arr[-1])
        self._append_trace(t_arr, angles, kinds)
        cur = self._set
        self._state = PipelineState(
            time_s=float(t_arr[-1]),
            posture=POSTURE_NAMES[int(codes[-1])] if self._r is not None else "unknown",
            exercise=None if cur is None else cur.exercise,
            angle_deg=math.nan if cur is None else cur.last_angle_deg,
            reps=0 if cur is None else len(cur.reps),
            left=0 if cur is None else sum(1 for r in cur.reps if r.side == "left"),
            right=0 if cur is None else sum(1 for r in cur.reps if r.side == "right"),
            phase="none" if cur is None else cur.phase,
            hold_s=0.0 if cur is None else cur.live_hold_s,
            side=None if cur is None else cur.live_side,
            total_reps=len(self.reps),
            pending=0 if cur is None else cur.evidence.pending,
        )
        return events

    def _start_codes(
        self, up: FloatArray, prev_up: FloatArray, codes: NDArray[np.int8], dyn: FloatArray, dt: FloatArray
    ) -> NDArray[np.int8]:
        """Per step, the code a set may start from (−1: none), for :meth:`_find_set_start`."""
        if self._r is None:
            # Unknown mounting: a set may start after a calm spell (no large accelerations).
            return (dyn < _AUTO_CALM_M_S2).astype(np.int8)
        # A set starts once the body has settled in its posture: held and still. A neutral
        # caught while still lying down would make the first rep look like a posture change.
        before = np.empty_like(up)
        before[0] = prev_up
        before[1:] = up[:-1]
        turn_deg = angle_deg(row_dots(before, up))
        still = turn_deg / np.where(dt > 0, dt, 1.0) < _SETTLED_DEG_S
        return np.where(still, codes, -1).astype(np.int8)

    def _set_postures(self) -> tuple[int, ...]:
        """Posture codes a set may start in: those of the chosen exercise, or of every exercise."""
        choice = self.config.exercise
        specs = all_exercises() if choice == "auto" else (exercise_spec(choice),)
        return tuple(sorted({POSTURE_NAMES.index(p) for s in specs for p in s.start_postures}))

    def _find_set_start(
        self, codes: NDArray[np.int8], dt: FloatArray, i0: int, allowed: tuple[int, ...]
    ) -> int | None:
        """First step at or after ``i0`` that has held an allowed posture for ``min_posture_s``.

        Keeps the run (posture code, seconds held) across blocks so any chunking agrees.
        """
        c = codes[i0:]
        d = dt[i0:]
        change = np.empty(c.size, dtype=bool)
        change[0] = int(c[0]) != self._run_code
        change[1:] = c[1:] != c[:-1]
        # Seconds held at each step: dt summed since the step that began the run (that step: 0).
        csum = np.cumsum(d)
        run_start = np.maximum.accumulate(np.where(change, np.arange(c.size), 0))
        held = csum - csum[run_start]
        if not change[0]:
            first_run = run_start == 0
            held = np.where(first_run, held + self._run_s + d[0], held)
        # Held times are float sums whose last bits depend on where blocks were cut; on a regular
        # grid they land exactly on the threshold, so compare with a tolerance far below one step.
        ok = _in_codes(c, allowed) & (held >= self.config.min_posture_s - _HELD_TOLERANCE_S)
        hits = np.flatnonzero(ok)
        if hits.size == 0:
            self._run_code = int(c[-1])
            self._run_s = float(held[-1])
            return None
        j = int(hits[0])
        self._run_code = int(c[j])
        self._run_s = float(held[j])
        return i0 + j

    def _run_set(
        self,
        i0: int,
        cb: ControlBlock,
        up: FloatArray,
        codes: NDArray[np.int8],
        dyn: FloatArray,
        dt_arr: FloatArray,
        angles: FloatArray,
        kinds: NDArray[np.int8],
        events: list[PipelineEvent],
    ) -> int:
        """Run the open set from step ``i0`` until it ends (returns the next step) or the block ends."""
        s = self._set
        assert s is not None
        n = len(cb)
        # The set also ends when the body holds a posture its exercise never passes through (known
        # mounting), or keeps accelerating like walking (unknown mounting): find where, carried.
        if self._r is not None:
            foreign = self._foreign
            mask = _in_codes(codes[i0:], foreign) if foreign else np.zeros(n - i0, dtype=bool)
            limit_s = _FOREIGN_POSTURE_S
        else:
            mask = dyn[i0:] > s.limits.max_dynamic_m_s2
            limit_s = _AUTO_DYNAMIC_END_S
        run = run_seconds(mask, dt_arr[i0:], self._foreign_s)
        hit = np.flatnonzero(run >= limit_s)
        stop = i0 + int(hit[0]) + 1 if hit.size else n
        rates = (
            np.degrees(row_norms(cb.gyr_lp_rad_s[i0:stop]))
            if cb.gyr_lp_rad_s is not None
            else np.zeros(stop - i0)
        )
        reps, end, set_angles = s.process(
            cb.time_s[i0:stop], dt_arr[i0:stop], up[i0:stop], dyn[i0:stop], cb.motion_rms_m_s2[i0:stop], rates
        )
        used = len(set_angles)
        angles[i0 : i0 + used] = set_angles
        kinds[i0 : i0 + used] = self._set_code
        if reps:
            self._n_reps += len(reps)
            events.extend(reps)
        # The set's reps (a new rep may have ended the one before it earlier).
        self.reps[self._set_first_rep :] = s.reps
        if end is None and hit.size:
            j = stop - 1
            reason: Literal["posture_change", "dynamic"] = (
                "posture_change" if self._r is not None else "dynamic"
            )
            end = SetEnd(float(cb.time_s[j]) - float(run[j - i0]), reason)
        if end is None:
            self._foreign_s = float(run[-1]) if run.size else self._foreign_s
            return n
        ev = self._close_set(end)
        if ev is not None:
            events.append(ev)
        # A new set needs its posture held afresh from the next step.
        self._run_code = -1
        self._run_s = 0.0
        return i0 + used

    def _record_postures(self, t: FloatArray, codes: NDArray[np.int8]) -> None:
        if self._r is None:
            if not self._postures:
                self._postures.append(PostureSpan("unknown", float(t[0]), float(t[-1])))
            else:
                p = self._postures[-1]
                self._postures[-1] = PostureSpan(p.posture, p.start_s, float(t[-1]))
            return
        change = np.flatnonzero(codes[1:] != codes[:-1]) + 1
        starts = [0, *change.tolist()]
        for a in starts:
            name = POSTURE_NAMES[int(codes[a])]
            ta = float(t[a])
            if self._postures and self._postures[-1].posture == name:
                continue
            if self._postures:
                p = self._postures[-1]
                self._postures[-1] = PostureSpan(p.posture, p.start_s, ta)
            self._postures.append(PostureSpan(name, ta, ta))
        p = self._postures[-1]
        self._postures[-1] = PostureSpan(p.posture, p.start_s, float(t[-1]))

    def _open_set(self, t: float, up: Vec, posture: Posture | None) -> None:
        """Open a set of the exercise that starts in ``posture`` (``None``: unknown mounting)."""
        choice = self.config.exercise
        chosen = choice != "auto"
        if posture is not None:
            specs = exercises_for_posture(posture)
            if not specs or (chosen and specs[0].name != choice):
                return
            spec = specs[0]
        else:
            # The posture is unknown: only a pattern can name the exercise (alternating sides).
            spec = (
                exercise_spec(choice)
                if chosen
                else next(x for x in all_exercises() if x.pattern == "alternating")
            )
        m = self._mounting
        axis = m.sign_axis(spec)
        self._set = ExerciseSet(
            exercise=spec.name,
            limits=m.limits(spec),
            evidence=SetEvidence(m.evidence(spec, chosen), spec.name),
            sign_axis=axis,
            start_s=t,
            neutral=NeutralTracker(
                up, follow_centre=axis is None, control_rate_hz=self.config.control_rate_hz
            ),
            delay_s=self._gravity.delay_s,
            sided=m.sided(spec),
            first_index=self._n_reps + 1,
            has_gyr=self._has_gyr,
            control_rate_hz=self.config.control_rate_hz,
        )
        self._spec = spec
        self._foreign = tuple(POSTURE_NAMES.index(p) for p in spec.foreign_postures)
        self._set_code = self._exercise_code(spec.name)
        self._set_first_rep = len(self.reps)
        self._foreign_s = 0.0

    def _close_set(self, end: SetEnd) -> SetEvent | None:
        s = self._set
        self._set = None
        if s is None:
            return None
        ev = s.finish(end)
        self._verdicts.extend(s.evidence.verdicts)
        if ev is not None:
            self.sets.append(ev)
        return ev

    def _append_trace(self, t: FloatArray, angles: FloatArray, kinds: NDArray[np.int8]) -> None:
        if not self.config.keep_trace:
            return
        self._trace_t.append(t.copy())
        self._trace_angle.append(angles)
        self._trace_kind.append(kinds)

    @staticmethod
    def _exercise_code(name: str) -> int:
        """Trace code of an exercise: 1 + its place in the registry (0: no set)."""
        return 1 + [s.name for s in all_exercises()].index(name)


def _in_codes(codes: NDArray[np.int8], wanted: tuple[int, ...]) -> NDArray[np.bool_]:
    """``np.isin(codes, wanted)`` for a few wanted codes, without its per-call set-up cost."""
    mask: NDArray[np.bool_] = np.equal(codes, wanted[0])
    for code in wanted[1:]:
        mask |= codes == code
    return mask
