"""Timing and size of one rep from the angle trace of its excursion.

A human point-to-point movement has a bell-shaped speed profile; the minimum-jerk model (Flash &
Hogan 1985) describes it well. Its middle part is the least noisy to measure: the movement covers
30 % → 70 % of its amplitude in 22 % of its duration, centred on the half-way time. So each
movement's onset and end follow from the interpolated 30 %, 50 % and 70 % crossings of the
plateau level, which are steep and barely touched by sensor noise or breathing during the hold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from imurep.pipeline.arrays import first_true, last_true
from imurep.samples import FloatArray

__all__ = ["RepTiming", "estimate_rep_timing"]

# Share of a minimum-jerk movement's duration spent between 30 % and 70 % of its amplitude.
_MID_SHARE = 0.2202
_MAX_MOVE_S = 6.0
_MIN_MOVE_S = 0.2


@dataclass(frozen=True)
class RepTiming:
    """Times (s, recording base) and size of one rep; see ``EXERCISES.md`` "Timing of a rep"."""

    start_s: float
    hold_start_s: float
    hold_end_s: float
    end_s: float
    peak_deg: float
    out_peak_speed_deg_s: float
    back_peak_speed_deg_s: float


def _crossing(t: FloatArray, a: FloatArray, level: float, rising: bool) -> float:
    """Interpolated time of the first crossing of ``level`` (rising) or the last (falling)."""
    above = a >= level
    if rising:
        i = min(first_true(above), len(a) - 1)
        if i == 0:
            return float(t[0])
    else:
        j = max(last_true(above), 0)
        if j >= len(a) - 1:
            return float(t[-1])
        i = j + 1
    # Python floats: the same double arithmetic as on numpy scalars, with less overhead.
    a0, a1 = float(a[i - 1]), float(a[i])
    t0, t1 = float(t[i - 1]), float(t[i])
    w = 0.0 if a1 == a0 else (level - a0) / (a1 - a0)
    return t0 + min(max(w, 0.0), 1.0) * (t1 - t0)


def _median(x: FloatArray) -> float:
    """``np.median`` of a non-empty (K,) array without NaN: the middle value, or the mean of the two.

    The same arithmetic as ``np.median`` (which adds the two middle values and halves the sum),
    without its per-call set-up, which costs more than the sort for the few samples of a plateau.
    """
    if x.size == 0:
        return float(np.median(x))  # nan, as before (only if the angles held NaN)
    s = np.sort(x)
    m = s.size // 2
    return float(s[m]) if s.size % 2 else float((s[m - 1] + s[m]) / 2.0)


def estimate_rep_timing(time_s: FloatArray, angle_deg: FloatArray) -> RepTiming:
    """Estimate the phases of one rep.

    Parameters
    ----------
    time_s
        (K,) control-rate times of the excursion, from before onset to after the return has begun.
    angle_deg
        (K,) angle from neutral towards the rep's side, degrees (positive at the far position).
    """
    a = angle_deg
    i_max = int(a.argmax())
    a_max = float(a[i_max])
    plateau = a[a >= a_max - max(0.5, 0.1 * a_max)]
    peak = _median(plateau)
    t_out, a_out = time_s[: i_max + 1], a[: i_max + 1]
    t_back, a_back = time_s[i_max:], a[i_max:]

    out30 = _crossing(t_out, a_out, 0.3 * peak, rising=True)
    out70 = _crossing(t_out, a_out, 0.7 * peak, rising=True)
    back70 = _crossing(t_back, a_back, 0.7 * peak, rising=False)
    back30 = _crossing(t_back, a_back, 0.3 * peak, rising=False)

    out_move_s = min(max((out70 - out30) / _MID_SHARE, _MIN_MOVE_S), _MAX_MOVE_S)
    back_move_s = min(max((back30 - back70) / _MID_SHARE, _MIN_MOVE_S), _MAX_MOVE_S)
    out_mid = 0.5 * (out30 + out70)
    back_mid = 0.5 * (back30 + back70)
    start = out_mid - 0.5 * out_move_s
    hold_start = out_mid + 0.5 * out_move_s
    hold_end = back_mid - 0.5 * back_move_s
    end = back_mid + 0.5 * back_move_s
    if hold_end < hold_start:
        # No pause at the far position: the two movements meet at the turning point.
        turn = min(max(float(time_s[i_max]), out_mid), back_mid)
        hold_start = hold_end = turn
    speed_scale = 0.4 * peak
    return RepTiming(
        start_s=start,
        hold_start_s=hold_start,
        hold_end_s=hold_end,
        end_s=end,
        peak_deg=peak,
        out_peak_speed_deg_s=1.875 * peak / out_move_s if out70 > out30 else speed_scale,
        back_peak_speed_deg_s=1.875 * peak / back_move_s if back30 > back70 else speed_scale,
    )
