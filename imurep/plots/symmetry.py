"""Left against right (knee rolls): every rep as a dot, the side's mean as a bar."""

from __future__ import annotations

from typing import Literal

import numpy as np
from matplotlib.axes import Axes

from imurep.analysis.result import AnalysisResult
from imurep.plots.style import SIDE_COLOURS, legend_beside, new_axes

__all__ = ["plot_symmetry"]

_METRICS: dict[str, tuple[str, str]] = {
    "range_deg": ("range (peak angle), deg", "peak_angle_deg"),
    "hold_s": ("hold, s", "hold_s"),
}


def plot_symmetry(
    result: AnalysisResult,
    metric: Literal["range_deg", "hold_s"] = "range_deg",
    ax: Axes | None = None,
) -> Axes:
    """Compare the knee-roll reps to the left and to the right.

    Parameters
    ----------
    result
        An analysed recording.
    metric
        ``range_deg`` (peak angle) or ``hold_s``.
    ax
        Axes to draw on; a new figure when ``None``.

    Returns
    -------
    The axes; with no knee roll of known side it says so in the plot.
    """
    ax = new_axes(ax, (4.5, 3.5))
    ylabel, field = _METRICS[metric]
    means: dict[str, float] = {}
    for pos, side in enumerate(("left", "right")):
        values = np.array(
            [float(getattr(r, field)) for r in result.reps if r.exercise == "knee_rolls" and r.side == side]
        )
        colour = SIDE_COLOURS[side]
        if values.size:
            mean = float(values.mean())
            means[side] = mean
            ax.bar(
                pos,
                mean,
                color=colour,
                alpha=0.35,
                width=0.6,
                label=f"{side}: mean {mean:.1f} (n={values.size})",
            )
            jitter = np.linspace(-0.15, 0.15, values.size) if values.size > 1 else np.zeros(1)
            ax.scatter(pos + jitter, values, color=colour, s=18, zorder=3)
    ax.set_xticks([0, 1], ["left", "right"])
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("side the knees fall to")
    if len(means) == 2 and (means["left"] + means["right"]) > 0:
        asym = 100.0 * (means["left"] - means["right"]) / (0.5 * (means["left"] + means["right"]))
        ax.set_title(f"Left/right symmetry: {asym:+.0f}% (+ = more to the left)", fontsize="medium")
    else:
        ax.set_title("Left/right symmetry", fontsize="medium")
        ax.text(0.5, 0.5, "no knee rolls with known sides", transform=ax.transAxes, ha="center", va="center")
    if means:
        legend_beside(ax, below=True)
    return ax
