"""The report as JSON: the FORMAT.md §2 object of each recording plus a ``summary`` object."""

from __future__ import annotations

from typing import Any

from imurep.analysis.result import AnalysisResult
from imurep.summary.config import ReportConfig
from imurep.summary.session import summarize

__all__ = ["report_json_obj"]


def report_json_obj(result: AnalysisResult, config: ReportConfig | None = None) -> dict[str, Any]:
    """``result.to_json_obj()`` with ``summary`` (targets, per-exercise figures, verdicts, trends) added.

    Parameters
    ----------
    result
        An analysed recording.
    config
        The targets the summary judges against (default :class:`ReportConfig`).
    """
    obj = result.to_json_obj()
    obj["summary"] = summarize(result, config).to_json_obj()
    return obj
