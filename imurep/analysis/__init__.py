"""Offline analysis: a recording through the pipeline into one :class:`AnalysisResult`."""

from __future__ import annotations

from imurep.analysis.analyze import analyze_blocks, analyze_file
from imurep.analysis.result import AnalysisResult
from imurep.analysis.session import SessionAnalyzer

__all__ = ["AnalysisResult", "SessionAnalyzer", "analyze_blocks", "analyze_file"]
