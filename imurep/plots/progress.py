"""Progress across sessions: one metric per day, a line per exercise."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes

from imurep.exercises.registry import exercise_name
from imurep.plots.style import exercise_colour, legend_beside, new_axes
from imurep.summary.progress import DayProgress

__all__ = ["ProgressMetric", "plot_progress"]

ProgressMetric = Literal["mean_range_deg", "mean_hold_s", "range_asymmetry_pct", "mean_smoothness_sparc"]

_LABELS: dict[str, str] = {
    "mean_range_deg": "mean range, deg",
    "mean_hold_s": "mean hold, s",
    "range_asymmetry_pct": "range asymmetry L−R, %",
    "mean_smoothness_sparc": "smoothness (SPARC)",
}


def plot_progress(
    days: Sequence[DayProgress],
    metric: ProgressMetric = "mean_range_deg",
    ax: Axes | None = None,
) -> Axes:
    """Plot one metric per day, one line per exercise.

    Parameters
    ----------
    days
        From :func:`imurep.summary.daily_progress`.
    metric
        Which :class:`DayProgress` field.
    ax
        Axes to draw on; a new figure when ``None``.
    """
    ax = new_axes(ax, (6.0, 3.2))
    plotted = False
    for exercise in ("knee_rolls", "heels_stretch"):
        rows = [d for d in days if d.exercise == exercise]
        y = np.array([float(getattr(d, metric)) for d in rows])
        if not rows or not np.isfinite(y).any():
            continue
        x = [np.datetime64(d.day, "D") for d in rows]
        ax.plot(x, y, marker="o", color=exercise_colour(exercise), label=exercise_name(exercise))
        plotted = True
    if metric == "range_asymmetry_pct":
        ax.axhline(0.0, color="#777777", lw=0.6, ls=":")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))  # type: ignore[no-untyped-call]
    ax.tick_params(axis="x", labelrotation=30)
    ax.set_xlabel("day")
    ax.set_ylabel(_LABELS[metric])
    if plotted:
        legend_beside(ax)
    else:
        ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center")
        ax.set_xticks([])
    return ax
