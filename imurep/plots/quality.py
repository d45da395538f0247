"""Data quality: the recording's span with its gaps, and the figures that say how far to trust it."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import Patch

from imurep.analysis.result import AnalysisResult
from imurep.plots.style import OKABE_ITO, legend_beside, new_axes
from imurep.plural import count

__all__ = ["plot_data_quality"]


def plot_data_quality(result: AnalysisResult, ax: Axes | None = None) -> Axes:
    """A time bar with the gaps marked, and the sample rate, loss, clipping and warnings as text.

    Parameters
    ----------
    result
        An analysed recording.
    ax
        Axes to draw on; a new figure when ``None``.
    """
    ax = new_axes(ax, (10.0, 2.4))
    q = result.quality
    t0 = q.start_s
    ax.broken_barh([(0.0, q.duration_s)], (0.6, 0.3), color=OKABE_ITO["bluish_green"], alpha=0.5)
    for a, b in q.gaps:
        ax.broken_barh(
            [(a - t0, max(b - a, q.duration_s * 0.002))], (0.55, 0.4), color=OKABE_ITO["vermillion"]
        )
    lines = [
        f"{q.n_samples} samples over {q.duration_s:.1f} s at {q.sample_rate_hz:.1f} Hz; "
        f"{count(len(q.gaps), 'gap')}, {q.lost_samples} lost, {q.clipped_samples} clipped; "
        f"gyroscope: {'yes' if q.has_gyr else 'no'}",
    ]
    lines += [f"warning: {w}" for w in q.warnings[:4]]
    if len(q.warnings) > 4:
        lines.append(f"... and {len(q.warnings) - 4} more warnings")
    ax.text(
        0.0, 0.45, "\n".join(lines), transform=ax.transAxes, va="top", fontsize="small", family="monospace"
    )
    ax.set_ylim(-0.6, 1.0)
    ax.set_xlim(0, max(q.duration_s, 1e-3))
    ax.set_yticks([])
    ax.set_xlabel("time from start, s")
    ax.set_title("Data quality", fontsize="medium")
    legend_beside(
        ax,
        [
            Patch(color=OKABE_ITO["bluish_green"], alpha=0.5, label="recorded"),
            Patch(color=OKABE_ITO["vermillion"], label="gap"),
        ],
    )
    return ax
