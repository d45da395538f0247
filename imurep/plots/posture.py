"""The session's posture timeline, with the exercise sets underneath."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import Patch

from imurep.analysis.result import AnalysisResult
from imurep.exercises.registry import exercise_name
from imurep.plots.style import POSTURE_COLOURS, exercise_colour, legend_beside, new_axes

__all__ = ["plot_posture_timeline"]


def plot_posture_timeline(result: AnalysisResult, ax: Axes | None = None) -> Axes:
    """Two rows against time from the first sample: posture spans, and exercise sets.

    Parameters
    ----------
    result
        An analysed recording.
    ax
        Axes to draw on; a new figure when ``None``.
    """
    ax = new_axes(ax, (10.0, 2.2))
    t0 = result.quality.start_s
    handles: list[Patch] = []
    seen: set[str] = set()
    for span in result.postures:
        colour = POSTURE_COLOURS.get(span.posture, POSTURE_COLOURS["unknown"])
        ax.broken_barh([(span.start_s - t0, span.end_s - span.start_s)], (1.1, 0.8), color=colour)
        if span.posture not in seen:
            seen.add(span.posture)
            handles.append(Patch(color=colour, label=span.posture.replace("_", " ")))
    for s in result.sets:
        colour = exercise_colour(s.exercise)
        ax.broken_barh(
            [(s.start_s - t0, s.end_s - s.start_s)], (0.1, 0.8), color=colour, hatch="//", alpha=0.9
        )
        key = f"set:{s.exercise}"
        if key not in seen:
            seen.add(key)
            handles.append(Patch(facecolor=colour, hatch="//", label=f"set: {exercise_name(s.exercise)}"))
    ax.set_yticks([0.5, 1.5], ["sets", "posture"])
    ax.set_ylim(0, 2)
    ax.set_xlim(0, max(result.duration_s, 1e-3))
    ax.set_xlabel("time from start, s")
    ax.set_title("Posture timeline", fontsize="medium")
    if handles:
        legend_beside(ax, handles)
    else:
        ax.text(0.5, 0.5, "no posture information", transform=ax.transAxes, ha="center", va="center")
    return ax
