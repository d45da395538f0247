"""The session in figures: summaries, verdicts against the article, trends, progress across sessions.

Data only, no drawing: :mod:`imurep.plots` draws these and :mod:`imurep.report` renders them.
"""

from __future__ import annotations

from imurep.summary.config import ReportConfig
from imurep.summary.json_report import report_json_obj
from imurep.summary.progress import DayProgress, SessionPoint, daily_progress, session_points, session_time
from imurep.summary.rep_table import REP_COLUMNS, rep_rows, rep_rows_csv
from imurep.summary.session import (
    ExerciseSummary,
    SessionSummary,
    SetSummary,
    Symmetry,
    Verdict,
    classify_hold,
    summarize,
)
from imurep.summary.trend import Trend, fit_trend

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
    "rep_rows",
    "rep_rows_csv",
    "report_json_obj",
    "session_points",
    "session_time",
    "summarize",
]
