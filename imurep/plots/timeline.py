"""Body angle over time, with each rep shaded in its side's colour and its hold shaded darker.

Consecutive reps alternate between a darker and a lighter shade, so that two reps that touch
read as two bands, not one.
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from imurep.analysis.result import AnalysisResult
from imurep.exercises.registry import all_exercises, exercise
from imurep.plots.style import OKABE_ITO, legend_beside, new_axes, plain_text, side_colour, side_label
from imurep.plural import count

__all__ = ["plot_angle_timeline"]


def plot_angle_timeline(
    result: AnalysisResult,
    ax: Axes | None = None,
    start_s: float | None = None,
    end_s: float | None = None,
) -> Axes:
    """Plot the exercise angle against time from the first sample.

    Parameters
    ----------
    result
        An analysed recording (its ``trace`` gives the lines, its ``reps`` the shading).
    ax
        Axes to draw on; a new figure when ``None``.
    start_s, end_s
        Optional window, s in the recording's time base (e.g. one set's span).

    Returns
    -------
    The axes.
    """
    ax = new_axes(ax, (10.0, 3.5))
    t0 = result.quality.start_s
    lo = -np.inf if start_s is None else start_s
    hi = np.inf if end_s is None else end_s
    handles: list[Artist] = []
    labels: list[str] = []
    trace = result.trace
    if trace is not None and trace.time_s.size:
        keep = (trace.time_s >= lo) & (trace.time_s <= hi)
        t = trace.time_s[keep] - t0
        for name in trace.exercises():
            angle = trace.angle_of(name)[keep]
            if np.isfinite(angle).any():
                spec = exercise(name)
                (line,) = ax.plot(t, angle, color=_line_colour(name), lw=1.1)
                handles.append(line)
                labels.append(f"{spec.display_name.lower()} ({spec.angle_name})")
    seen: set[str] = set()
    shown = [r for r in result.reps if r.end_s >= lo and r.start_s <= hi]
    for k, rep in enumerate(shown):
        colour = side_colour(rep.exercise, rep.side)
        # Every other rep a shade lighter, so that reps that touch (or overlap) stay two bands.
        light = k % 2 == 1
        ax.axvspan(rep.start_s - t0, rep.end_s - t0, color=colour, alpha=0.1 if light else 0.22, lw=0)
        if rep.hold_s > 0:
            hold_alpha = 0.35 if light else 0.55
            ax.axvspan(rep.hold_start_s - t0, rep.hold_end_s - t0, color=colour, alpha=hold_alpha, lw=0)
        label = side_label(rep.exercise, rep.side)
        if label not in seen:
            seen.add(label)
            handles.append(Patch(color=colour, alpha=0.3))
            labels.append(f"rep, {label} (hold darker)")
    ax.axhline(0.0, color="#777777", lw=0.6, ls=":")
    ax.set_xlabel(f"time from start, s (start = {t0:.3f} s in the recording's time base)")
    ax.set_ylabel("angle from neutral, deg")
    n_shown = len(shown)
    window = "" if start_s is None and end_s is None else f" {lo - t0:.0f}–{hi - t0:.0f} s"
    ax.set_title(f"{plain_text(result.source)}: body angle{window}, {count(n_shown, 'rep')}")
    if handles:
        legend_beside(ax, handles, labels)
    return ax


# Angle lines, one colour per exercise in registry order (side colours shade the reps).
_LINE_COLOURS = ("black", "orange", "reddish_purple", "bluish_green", "sky_blue")


def _line_colour(name: str) -> str:
    place = [s.name for s in all_exercises()].index(name)
    return OKABE_ITO[_LINE_COLOURS[place % len(_LINE_COLOURS)]]
