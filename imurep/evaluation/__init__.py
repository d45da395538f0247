"""Scoring the analysis against labelled recordings (the simulator's truth files)."""

from imurep.evaluation.score import FileScore, SuiteScore, score_file, summarize_scores

__all__ = ["FileScore", "SuiteScore", "score_file", "summarize_scores"]
