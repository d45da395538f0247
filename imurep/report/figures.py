"""The report's figures, drawn without pyplot (no global state, any backend) and kept as PNG bytes."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from imurep.analysis.result import AnalysisResult
from imurep.plots.posture import plot_posture_timeline
from imurep.plots.quality import plot_data_quality
from imurep.plots.reps import plot_rep_hold, plot_rep_range
from imurep.plots.symmetry import plot_symmetry
from imurep.plots.timeline import plot_angle_timeline
from imurep.plots.trend import plot_set_trend
from imurep.summary.session import SessionSummary

__all__ = ["ReportFigure", "figure_png", "report_figures", "set_figures"]


@dataclass(frozen=True)
class ReportFigure:
    """One rendered figure.

    Attributes
    ----------
    key
        Short name, usable in a file name (``timeline``, ``set1_trend``, ...).
    title
        Caption.
    png
        The PNG image.
    """

    key: str
    title: str
    png: bytes

    def data_uri(self) -> str:
        """``data:image/png;base64,...`` for an ``<img src>``."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def figure_png(fig: Figure, dpi: float = 96.0) -> bytes:
    """Render a figure to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _draw(
    key: str,
    title: str,
    size_in: tuple[float, float],
    ncols: int,
    draw: Callable[[list[Axes]], object],
    dpi: float,
) -> ReportFigure:
    fig = Figure(figsize=size_in, layout="constrained")
    axes = [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]
    draw(axes)
    return ReportFigure(key, title, figure_png(fig, dpi))


def report_figures(result: AnalysisResult, summary: SessionSummary, dpi: float = 96.0) -> list[ReportFigure]:
    """The session-wide figures: posture timeline, body angle, per-rep range and hold, symmetry,
    data quality."""
    figs = [
        _draw(
            "posture",
            "Posture timeline of the session",
            (10, 2.2),
            1,
            lambda a: [plot_posture_timeline(result, a[0])],
            dpi,
        ),
        _draw(
            "timeline",
            "Body angle over time (reps shaded by side, holds darker)",
            (10, 3.6),
            1,
            lambda a: [plot_angle_timeline(result, a[0])],
            dpi,
        ),
    ]
    if result.reps:
        hold_target = summary.config.target_hold_s
        figs.append(
            _draw(
                "reps",
                "Range and hold per rep",
                (10, 3.2),
                2,
                lambda a: [plot_rep_range(result, a[0]), plot_rep_hold(result, a[1], hold_target)],
                dpi,
            )
        )
    if any(e.symmetry is not None for e in summary.exercises):
        figs.append(
            _draw(
                "symmetry",
                "Left/right symmetry (knee rolls)",
                (9, 3.4),
                2,
                lambda a: [plot_symmetry(result, "range_deg", a[0]), plot_symmetry(result, "hold_s", a[1])],
                dpi,
            )
        )
    figs.append(
        _draw("quality", "Data quality", (10, 2.4), 1, lambda a: [plot_data_quality(result, a[0])], dpi)
    )
    return figs


def set_figures(
    result: AnalysisResult, summary: SessionSummary, set_number: int, dpi: float = 96.0
) -> list[ReportFigure]:
    """Figures of one set: its angle trace (when there are several sets) and its quality trend (when
    it has enough reps)."""
    s = summary.sets[set_number - 1]
    figs = []
    if len(summary.sets) > 1:  # with one set, the session's timeline already shows it
        figs.append(
            _draw(
                f"set{set_number}_timeline",
                f"Set {set_number}: body angle",
                (10, 3.0),
                1,
                lambda a: [plot_angle_timeline(result, a[0], s.event.start_s - 2.0, s.event.end_s + 2.0)],
                dpi,
            )
        )
    if s.trends:
        figs.append(
            _draw(
                f"set{set_number}_trend",
                f"Set {set_number}: quality across the set (fatigue trend)",
                (11, 3.0),
                3,
                lambda a: [
                    plot_set_trend(s, "range_deg", a[0]),
                    plot_set_trend(s, "hold_s", a[1]),
                    plot_set_trend(s, "smoothness_sparc", a[2]),
                ],
                dpi,
            )
        )
    return figs
