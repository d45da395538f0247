"""The streaming pipeline: sample blocks in, rep and set events out, identically live and offline."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from imurep.analysis.result import AngleTrace, Posture, PostureSpan
from imurep.events import Exercise, RepEvent, SetEvent
from imurep.pipeline.config import PipelineConfig
from imurep.pipeline.exercise_set import ExerciseSet, SetEnd, Vec
from imurep.pipeline.gravity import ControlBlock, GravityStage
from imurep.pipeline.posture import (
    ALL_FOURS,
    POSTURE_NAMES,
    SIDE_LYING,
    STANDING,
    SUPINE,
    classify_posture,
)
from imurep.samples import SampleBlock

__all__ = ["Pipeline", "PipelineEvent", "PipelineState"]

STANDARD_GRAVITY_M_S2 = 9.80665
# Knee rolls: the knees to the left turn the pelvis positively about body z; *up* seen from the
# body then turns negatively, so the sign axis for the up-vector is −z. Rocking back tilts the
# superior axis up: up turns positively about body y.
_KNEE_ROLL_AXIS: Vec = (0.0, 0.0, -1.0)
_HEELS_AXIS: Vec = (0.0, 1.0, 0.0)
# With an unknown mounting, a set starts after this long without large accelerations.
_AUTO_CALM_M_S2 = 1.5
_AUTO_DYNAMIC_END_S = 2.0
_FOREIGN_POSTURE_S = 1.0
# Unknown mounting: a set is only believed after this many consistent reps.
_AUTO_CONFIRM_REPS = 3

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
        self._calm_s = 0.0
        self._dynamic_s = 0.0
        self._foreign_s = 0.0
        self._has_gyr = False
        self._last_t_s: float | None = None
        self._n_reps = 0
        self.reps: list[RepEvent] = []
        self.sets: list[SetEvent] = []
        self._postures: list[PostureSpan] = []
        self._trace_t: list[float] = []
        self._trace_knee: list[float] = []
        self._trace_heels: list[float] = []
        self._trace_stride = 1
        self._state: PipelineState | None = None

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
        if self._postures and self._last_t_s is not None:
            last = self._postures[-1]
            self._postures[-1] = PostureSpan(last.posture, last.start_s, self._last_t_s)
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

    def trace(self) -> AngleTrace:
        return AngleTrace(
            np.asarray(self._trace_t),
            np.asarray(self._trace_knee),
            np.asarray(self._trace_heels),
        )

    # -- internals ---------------------------------------------------------------------------
    def _control(self, cb: ControlBlock) -> list[PipelineEvent]:
        if len(cb) == 0:
            return []
        acc = cb.acc_lp_m_s2
        norm = np.linalg.norm(acc, axis=1)
        norm[norm == 0.0] = 1.0
        up_s = acc / norm[:, np.newaxis]
        dyn = np.abs(norm - STANDARD_GRAVITY_M_S2)
        if self._r is not None:
            up = up_s @ self._r.T
            codes = classify_posture(up)
        else:
            up = up_s
            codes = np.zeros(len(cb), dtype=np.int8)
        events: list[PipelineEvent] = []
        times = cb.time_s.tolist()
        ups = up.tolist()
        dyns = dyn.tolist()
        motions = cb.motion_rms_m_s2.tolist()
        self._has_gyr = cb.gyr_lp_rad_s is not None
        if cb.gyr_lp_rad_s is not None:
            rates = np.degrees(np.linalg.norm(cb.gyr_lp_rad_s, axis=1)).tolist()
        else:
            rates = [0.0] * len(cb)
        code_list = codes.tolist()
        period_s = 1.0 / self.config.control_rate_hz
        min_run_s = self.config.min_posture_s
        for i, t in enumerate(times):
            dt = period_s if self._last_t_s is None else min(t - self._last_t_s, 1.0)
            self._last_t_s = t
            u = ups[i]
            up_v: Vec = (u[0], u[1], u[2])
            code = code_list[i]
            self._track_posture(t, code, dt)
            d = dyns[i]
            angle = math.nan
            if self._set is None:
                if self._r is None:
                    self._calm_s = self._calm_s + dt if d < _AUTO_CALM_M_S2 else 0.0
                    if self._calm_s >= min_run_s:
                        self._open_set(t, up_v, None)
                elif self._run_s >= min_run_s and code in (SUPINE, ALL_FOURS):
                    self._open_set(t, up_v, "knee_rolls" if code == SUPINE else "heels_stretch")
            else:
                s = self._set
                out = s.step(t, dt, up_v, d, motions[i], rates[i])
                if self._r is not None and out is None:
                    out = self._posture_end(t, code, dt)
                angle = s._a[-1]
                if self._r is None:
                    self._dynamic_s = self._dynamic_s + dt if d > s.thresholds.max_dynamic_m_s2 else 0.0
                    if self._dynamic_s >= _AUTO_DYNAMIC_END_S and out is None:
                        out = SetEnd(t, "dynamic")
                if isinstance(out, list):
                    self.reps.extend(out)
                    self._n_reps += len(out)
                    events.extend(out)
                elif isinstance(out, SetEnd):
                    ev = self._close_set(out)
                    if ev is not None:
                        events.append(ev)
                    self._run_s = 0.0
                    self._calm_s = 0.0
            self._record_trace(t, angle)
        cur = self._set
        self._state = PipelineState(
            time_s=times[-1],
            posture=POSTURE_NAMES[code_list[-1]] if self._r is not None else "unknown",
            exercise=None if cur is None else cur.exercise,
            angle_deg=math.nan if cur is None or not cur._a else cur._a[-1],
            reps=0 if cur is None else len(cur.reps),
            left=0 if cur is None else sum(1 for r in cur.reps if r.side == "left"),
            right=0 if cur is None else sum(1 for r in cur.reps if r.side == "right"),
        )
        return events

    def _posture_end(self, t: float, code: int, dt: float) -> SetEnd | None:
        """A set also ends when the body is plainly in a posture its exercise never passes through."""
        s = self._set
        assert s is not None
        foreign = (STANDING, ALL_FOURS) if s.exercise == "knee_rolls" else (SUPINE, SIDE_LYING)
        self._foreign_s = self._foreign_s + dt if code in foreign else 0.0
        if self._foreign_s >= _FOREIGN_POSTURE_S:
            return SetEnd(t - self._foreign_s, "posture_change")
        return None

    def _track_posture(self, t: float, code: int, dt: float) -> None:
        if code == self._run_code:
            self._run_s += dt
        else:
            self._run_code = code
            self._run_s = 0.0
        name = POSTURE_NAMES[code] if self._r is not None else "unknown"
        if not self._postures:
            self._postures.append(PostureSpan(name, t, t))
        elif self._postures[-1].posture != name:
            last = self._postures[-1]
            self._postures[-1] = PostureSpan(last.posture, last.start_s, t)
            self._postures.append(PostureSpan(name, t, t))

    def _open_set(self, t: float, up: Vec, posture_exercise: Exercise | None) -> None:
        choice = self.config.exercise
        if posture_exercise is not None:
            if choice != "auto" and choice != posture_exercise:
                return
            exercise: Exercise = posture_exercise
            axis = _KNEE_ROLL_AXIS if exercise == "knee_rolls" else _HEELS_AXIS
            relabel = False
        else:
            exercise = "knee_rolls" if choice == "auto" else choice
            axis = None
            relabel = choice == "auto"
        self._set = ExerciseSet(
            exercise=exercise,
            thresholds=self.config.thresholds(exercise),
            sign_axis=axis,
            start_s=t,
            neutral=up,
            delay_s=self._gravity._delay_s,
            relabel=relabel,
            first_index=self._n_reps + 1,
            centre_tracking=axis is None,
            has_gyr=self._has_gyr,
            confirm_reps=_AUTO_CONFIRM_REPS if axis is None else 1,
        )
        self._foreign_s = 0.0

    def _close_set(self, end: SetEnd) -> SetEvent | None:
        s = self._set
        self._set = None
        if s is None:
            return None
        n_before = len(s.reps)
        ev = s.finish(end)
        if ev is not None:
            # The set may have relabelled its reps (unknown mounting): keep ours in step.
            self.reps[len(self.reps) - n_before :] = s.reps
            self.sets.append(ev)
        return ev

    def _record_trace(self, t: float, angle: float) -> None:
        s = self._set
        self._trace_t.append(t)
        knee = angle if s is not None and s.exercise == "knee_rolls" else math.nan
        heels = angle if s is not None and s.exercise == "heels_stretch" else math.nan
        self._trace_knee.append(knee)
        self._trace_heels.append(heels)
