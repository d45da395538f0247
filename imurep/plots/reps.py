"""Per-rep range of motion and hold, one bar per rep coloured by side."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from imurep.analysis.result import AnalysisResult
from imurep.events import RepEvent
from imurep.plots.style import integer_ticks, legend_beside, new_axes, side_colour, side_label

__all__ = ["plot_rep_hold", "plot_rep_range"]


def _side_legend(ax: Axes, reps: Sequence[RepEvent], extra: list[tuple[Artist, str]]) -> None:
    handles: list[Artist] = []
    labels: list[str] = []
    seen: set[str] = set()
    for r in reps:
        label = side_label(r.exercise, r.side)
        if label not in seen:
            seen.add(label)
            handles.append(Patch(color=side_colour(r.exercise, r.side)))
            labels.append(label)
    for h, lab in extra:
        handles.append(h)
        labels.append(lab)
    if handles:
        legend_beside(ax, handles, labels)


def plot_rep_range(result: AnalysisResult, ax: Axes | None = None) -> Axes:
    """Peak angle (range of motion) of every rep, with each exercise's median as a dashed line.

    Parameters
    ----------
    result
        An analysed recording.
    ax
        Axes to draw on; a new figure when ``None``.
    """
    ax = new_axes(ax)
    reps = result.reps
    x = np.array([r.index for r in reps], dtype=float)
    y = np.array([r.peak_angle_deg for r in reps], dtype=float)
    ax.bar(x, y, color=[side_colour(r.exercise, r.side) for r in reps], width=0.8)
    extra: list[tuple[Artist, str]] = []
    for exercise in ("knee_rolls", "heels_stretch"):
        mine = [i for i, r in enumerate(reps) if r.exercise == exercise]
        if mine:
            med = float(np.median(y[mine]))
            line = ax.hlines(med, x[mine[0]] - 0.5, x[mine[-1]] + 0.5, color="#444444", ls="--", lw=1)
            extra.append((line, f"median {med:.0f}°" + (" (heels)" if exercise == "heels_stretch" else "")))
    _side_legend(ax, reps, extra)
    integer_ticks(ax)
    ax.set_xlabel("rep number")
    ax.set_ylabel("range (peak angle), deg")
    ax.set_title("Range of motion per rep")
    return ax


def plot_rep_hold(result: AnalysisResult, ax: Axes | None = None, target_hold_s: float = 4.0) -> Axes:
    """Hold of every rep against the one-breath target.

    Parameters
    ----------
    result
        An analysed recording.
    ax
        Axes to draw on; a new figure when ``None``.
    target_hold_s
        The one-breath hold, s, drawn as a dashed line.
    """
    ax = new_axes(ax)
    reps = result.reps
    x = np.array([r.index for r in reps], dtype=float)
    y = np.array([r.hold_s for r in reps], dtype=float)
    ax.bar(x, y, color=[side_colour(r.exercise, r.side) for r in reps], width=0.8)
    line = ax.axhline(target_hold_s, color="#444444", ls="--", lw=1)
    _side_legend(ax, reps, [(line, f"one-breath target {target_hold_s:g} s")])
    ax.set_ylim(0, max(target_hold_s * 1.6, float(y.max()) * 1.15 if y.size else 0.0))
    integer_ticks(ax)
    ax.set_xlabel("rep number")
    ax.set_ylabel("hold, s")
    ax.set_title("Hold per rep")
    return ax
