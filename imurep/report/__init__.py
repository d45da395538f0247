"""Session reports: the session at a glance, verdicts against the article, and HTML/Markdown/JSON/CSV.

The data layer (summaries, trends, progress) is imported here; the renderers, which draw figures
with :mod:`imurep.plots`, load on first use (``render_html``, ``render_markdown``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from imurep.report.config import ReportConfig
from imurep.report.json_report import report_json_obj
from imurep.report.progress import DayProgress, SessionPoint, daily_progress, session_points, session_time
from imurep.report.rep_table import REP_COLUMNS, rep_rows, rep_rows_csv
from imurep.report.summary import (
    ExerciseSummary,
    SessionSummary,
    SetSummary,
    Symmetry,
    Verdict,
    classify_hold,
    summarize,
)
from imurep.report.trend import Trend, fit_trend

if TYPE_CHECKING:
    from imurep.report.html import render_html
    from imurep.report.markdown import render_markdown

__all__ = [
    "REP_COLUMNS",
    "DayProgress",
    "ExerciseSummary",
    "ReportConfig",
    "SessionPoint",
    "SessionSummary",
    "SetSummary",
    "Symmetry",
    "Trend",
    "Verdict",
    "classify_hold",
    "daily_progress",
    "fit_trend",
    "render_html",
    "render_markdown",
    "rep_rows",
    "rep_rows_csv",
    "report_json_obj",
    "session_points",
    "session_time",
    "summarize",
]


def __getattr__(name: str) -> Any:
    # Renderers import imurep.plots, which imports this package's data layer: load them lazily.
    if name == "render_html":
        from imurep.report.html import render_html

        return render_html
    if name == "render_markdown":
        from imurep.report.markdown import render_markdown

        return render_markdown
    raise AttributeError(f"module 'imurep.report' has no attribute {name!r}")
