"""Matplotlib plots of analysis results: each takes results, accepts ``ax=None`` and returns the axes."""

from __future__ import annotations

from imurep.plots.posture import plot_posture_timeline
from imurep.plots.progress import ProgressMetric, plot_progress
from imurep.plots.quality import plot_data_quality
from imurep.plots.reps import plot_rep_hold, plot_rep_range
from imurep.plots.style import EXERCISE_COLOURS, OKABE_ITO, POSTURE_COLOURS, SIDE_COLOURS
from imurep.plots.symmetry import plot_symmetry
from imurep.plots.timeline import plot_angle_timeline
from imurep.plots.trend import TrendMetric, plot_set_trend

__all__ = [
    "EXERCISE_COLOURS",
    "OKABE_ITO",
    "POSTURE_COLOURS",
    "SIDE_COLOURS",
    "ProgressMetric",
    "TrendMetric",
    "plot_angle_timeline",
    "plot_data_quality",
    "plot_posture_timeline",
    "plot_progress",
    "plot_rep_hold",
    "plot_rep_range",
    "plot_set_trend",
    "plot_symmetry",
]
