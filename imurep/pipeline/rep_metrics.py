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
    gapped: bool,
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
    gapped
        Lost samples inside it.
    peak_speed_deg_s
        Its peak angular speed, deg/s.
    emitted_at_s
        When the detector reported it, s.
    """
    rate_hz = (len(t_s) - 1) / (t_s[-1] - t_s[0]) if len(t_s) > 1 else 1.0
    hold_s = timing.hold_end_s - timing.hold_start_s
    move = (t_s >= timing.start_s) & (t_s <= timing.end_s)
    a_move = angle_deg[move]
    speed = np.abs(np.diff(a_move)) * rate_hz if a_move.size > 4 else angle_deg[:0]
    steadiness_deg = math.nan
    if hold_s >= MIN_STEADY_HOLD_S:
        steadiness_deg = hold_steadiness_deg(
            angle_deg[(t_s >= timing.hold_start_s) & (t_s <= timing.hold_end_s)]
        )
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
        out_s=timing.hold_start_s - timing.start_s,
        back_s=timing.end_s - timing.hold_end_s,
        smoothness_sparc=sparc(speed, rate_hz) if speed.size else float("nan"),
        hold_steadiness_deg=steadiness_deg,
        peak_speed_deg_s=peak_speed_deg_s,
    )
