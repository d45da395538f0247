"""Batch analysis of many recordings into one tidy table, locally or on a Dask cluster."""

from imurep.batch.discover import FileKey, find_recordings
from imurep.batch.runner import BatchSummary, run_batch
from imurep.batch.stop import BatchStopped
from imurep.batch.table import COLUMNS, read_results
from imurep.batch.task import FileOutcome, analyze_one

__all__ = [
    "COLUMNS",
    "BatchStopped",
    "BatchSummary",
    "FileKey",
    "FileOutcome",
    "analyze_one",
    "find_recordings",
    "read_results",
    "run_batch",
]
