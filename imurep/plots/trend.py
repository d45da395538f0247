"""Quality across a set: one metric against the rep's place in the set, with the fatigue slope."""

from __future__ import annotations

from typing import Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from imurep.exercises.registry import exercise_name
from imurep.plots.style import OKABE_ITO, integer_ticks, legend_beside, new_axes, side_colour
from imurep.summary.session import SetSummary

__all__ = ["TrendMetric", "plot_set_trend"]

TrendMetric = Literal["range_deg", "hold_s", "smoothness_sparc"]

_LABELS: dict[str, tuple[str, str, str]] = {
    "range_deg": ("range, deg", "peak_angle_deg", "°"),
    "hold_s": ("hold, s", "hold_s", " s"),
    "smoothness_sparc": ("SPARC (0 = smoothest)", "smoothness_sparc", ""),
}


_TITLES: dict[str, str] = {"range_deg": "range", "hold_s": "hold", "smoothness_sparc": "smoothness"}


def plot_set_trend(s: SetSummary, metric: TrendMetric = "range_deg", ax: Axes | None = None) -> Axes:
    """Plot one metric over the reps of a set with its least-squares line.

    Parameters
    ----------
    s
        One set of a session summary (:func:`imurep.summary.summarize`), with its reps and trends.
    metric
        ``range_deg``, ``hold_s`` or ``smoothness_sparc``.
    ax
        Axes to draw on; a new figure when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on: the reps as dots in their side's colour, the trend as a dashed line (or
        a note when the set has too few reps for one).
    """
    ax = new_axes(ax, (5.0, 3.2))
    ylabel, field, unit = _LABELS[metric]
    integer_ticks(ax)
    ax.set_xlabel("rep in set")
    ax.set_ylabel(ylabel)
    xs = np.arange(1, len(s.reps) + 1, dtype=float)
    ys = np.array([np.nan if getattr(r, field) is None else float(getattr(r, field)) for r in s.reps])
    ax.scatter(xs, ys, c=[side_colour(r.exercise, r.side) for r in s.reps], s=22, zorder=3)
    trend = s.trends.get(metric)
    handles: list[Line2D] = []
    if trend is not None:
        fx = np.array([xs[0], xs[-1]])
        (line,) = ax.plot(fx, [trend.fitted(v) for v in fx], color=OKABE_ITO["black"], lw=1.2, ls="--")
        line.set_label(f"{trend.slope_per_rep:+.2f}{unit} per rep ({trend.change_pct:+.0f}% over the set)")
        handles.append(line)
    else:
        ax.text(0.5, 0.9, "too few reps for a trend", transform=ax.transAxes, ha="center", fontsize="small")
    if handles:
        legend_beside(ax, handles, below=True)
    ax.set_title(f"Set {s.number} ({exercise_name(s.exercise)}): {_TITLES[metric]}", fontsize="medium")
    return ax
