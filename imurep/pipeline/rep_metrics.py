"""The measures of a counted rep: timing, range, smoothness, hold steadiness and speed."""

from __future__ import annotations

import math

import numpy as np

from imurep.events import RepEvent, Side
from imurep.pipeline.quality import hold_steadiness_deg, sparc
from imurep.pipeline.rep_timing import RepTiming
from imurep.samples import FloatArray

__all__ = ["MIN_STEADY_HOLD_S", "measure_rep"]

# Steadiness needs a hold long enough to have one.
MIN_STEADY_HOLD_S = 0.3


def measure_rep(
    exercise: str,
    side: Side | None,
    t_s: FloatArray,
    angle_deg: FloatArray,
    timing: RepTiming,
    gap_s: float,
    peak_speed_deg_s: float,
    emitted_at_s: float,
) -> RepEvent:
    """The rep of one excursion (its ``index`` is set when it is counted).

    Parameters
    ----------
    exercise, side
        What it is.
    t_s, angle_deg
        (M,) times (s) and the angle from neutral in the rep's direction (degrees) from onset.
    timing
        Its timing (:func:`~imurep.pipeline.rep_timing.estimate_rep_timing`).
    gap_s
        A step between samples longer than this is lost data: a phase with one inside cannot be
        timed or measured (its duration, speed and smoothness are reported as unavailable).
    peak_speed_deg_s
        Its peak angular speed, deg/s.
    emitted_at_s
        When the detector reported it, s.
    """
    rate_hz = (len(t_s) - 1) / (t_s[-1] - t_s[0]) if len(t_s) > 1 else 1.0
    # Gaps in the running maximum of the times: one sample stamped out of order is no gap.
    t_max = np.maximum.accumulate(t_s)
    gaps = np.flatnonzero(np.diff(t_max) > gap_s)
    gap_from, gap_to = t_max[gaps], t_max[gaps + 1]

    def clean(a_s: float, b_s: float) -> bool:
        """No lost data between ``a_s`` and ``b_s``."""
        return not gaps.size or not bool(np.any((gap_to > a_s) & (gap_from < b_s)))

    out_ok = clean(timing.start_s, timing.hold_start_s)
    back_ok = clean(timing.hold_end_s, timing.end_s)
    hold_ok = clean(timing.hold_start_s, timing.hold_end_s)
    hold_s = timing.hold_end_s - timing.hold_start_s
    move = (t_s >= timing.start_s) & (t_s <= timing.end_s)
    a_move = angle_deg[move]
    speed = np.abs(np.diff(a_move)) * rate_hz if a_move.size > 4 else angle_deg[:0]
    steadiness_deg: float | None = None  # not measured: a hold too short, or with lost data
    if hold_s >= MIN_STEADY_HOLD_S and hold_ok:
        steadiness_deg = _measured(
            hold_steadiness_deg(angle_deg[(t_s >= timing.hold_start_s) & (t_s <= timing.hold_end_s)])
        )
    smoothness = sparc(speed, rate_hz) if speed.size and out_ok and back_ok else None
    return RepEvent(
        exercise=exercise,
        side=side,
        index=0,
        start_s=timing.start_s,
        hold_start_s=timing.hold_start_s,
        hold_end_s=timing.hold_end_s,
        end_s=timing.end_s,
        hold_s=hold_s,
        peak_angle_deg=timing.peak_deg,
        emitted_at_s=emitted_at_s,
        out_s=timing.hold_start_s - timing.start_s if out_ok else None,
        back_s=timing.end_s - timing.hold_end_s if back_ok else None,
        smoothness_sparc=None if smoothness is None else _measured(smoothness),
        hold_steadiness_deg=steadiness_deg,
        peak_speed_deg_s=peak_speed_deg_s if out_ok and back_ok else None,
    )


def _measured(value: float) -> float | None:
    """``value``, or ``None`` when it could not be measured (the kernels return NaN)."""
    return None if math.isnan(value) else value
