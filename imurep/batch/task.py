"""The unit of work of a batch: analyse one file, never raise, return a small picklable outcome.

This runs in worker processes (a local pool or Dask workers), so it is a plain module-level
function of picklable arguments and returns only what the result table needs (no angle trace).
"""

from __future__ import annotations

import os
import signal
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Any, Protocol

from imurep.analysis.analyze import analyze_file
from imurep.batch.discover import FileKey
from imurep.errors import ImurepError
from imurep.events import RepEvent
from imurep.importers.imported import ImportOptions
from imurep.mounting_presets import FROM_FILE, MountChoice
from imurep.pipeline.config import ExerciseChoice
from imurep.sources.paths import check_path

__all__ = [
    "WORKER_DIED",
    "FileOutcome",
    "analyze_one",
    "analyze_one_reporting",
    "exit_with_parent",
    "failed_outcome",
    "init_worker",
]

_PARENT_CHECK_S = 1.0
# Start of the error of a file whose worker process died under it (a re-run analyses it again).
WORKER_DIED = "worker process died while analysing it"


class _StartQueue(Protocol):
    def put(self, obj: Any, /) -> None: ...


# Where a pool worker says which file it starts on (set by :func:`init_worker`).
_started: _StartQueue | None = None


@dataclass(frozen=True)
class FileOutcome:
    """What one file gave: its reps and file-level figures, or the error that stopped it.

    Attributes
    ----------
    key
        The file analysed.
    reps
        Repetitions found (empty on error).
    n_sets
        Number of sets found.
    duration_s, sample_rate_hz, n_samples, has_gyr
        As :class:`imurep.analysis.result.DataQuality`; ``None`` on error.
    warnings
        Data-quality warnings and any Python warnings raised while reading.
    error
        One line saying why the file could not be analysed, else ``None``.
    analysis_s
        Wall time spent on this file in the worker, s.
    """

    key: FileKey
    reps: tuple[RepEvent, ...]
    n_sets: int | None
    duration_s: float | None
    sample_rate_hz: float | None
    n_samples: int | None
    has_gyr: bool | None
    warnings: tuple[str, ...]
    error: str | None
    analysis_s: float


def failed_outcome(key: FileKey, error: str, analysis_s: float = 0.0) -> FileOutcome:
    """The outcome of a file whose analysis did not complete."""
    return FileOutcome(key, (), None, None, None, None, None, (), _one_line(error), analysis_s)


def analyze_one(
    key: FileKey,
    exercise: ExerciseChoice = "auto",
    mount: MountChoice = FROM_FILE,
    units: ImportOptions | None = None,
) -> FileOutcome:
    """Analyse ``key.path``; any error becomes :attr:`FileOutcome.error` instead of an exception.

    Parameters
    ----------
    key
        The file (its size and time are recorded as given, for resuming).
    exercise, mount, units
        As :func:`imurep.analysis.analyze.analyze_file`.
    """
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            check_path(key.path)  # a FIFO found in a folder would wait for a writer: one error row
            result = analyze_file(key.path, exercise=exercise, mount=mount, keep_trace=False, units=units)
        except ImurepError as exc:
            return failed_outcome(key, str(exc), time.perf_counter() - start)
        except Exception as exc:  # a bug in the analysis must not stop the other files
            return failed_outcome(
                key, f"internal error: {type(exc).__name__}: {exc}", time.perf_counter() - start
            )
    q = result.quality
    notes = [*q.warnings, *(_one_line(f"{w.category.__name__}: {w.message}") for w in caught)]
    return FileOutcome(
        key=key,
        reps=tuple(result.reps),
        n_sets=len(result.sets),
        duration_s=float(q.duration_s),
        sample_rate_hz=float(q.sample_rate_hz),
        n_samples=int(q.n_samples),
        has_gyr=bool(q.has_gyr),
        warnings=tuple(notes),
        error=None,
        analysis_s=time.perf_counter() - start,
    )


def analyze_one_reporting(
    key: FileKey,
    exercise: ExerciseChoice = "auto",
    mount: MountChoice = FROM_FILE,
    units: ImportOptions | None = None,
) -> FileOutcome:
    """:func:`analyze_one`, first telling the batch (``(pid, path)``) that this worker starts on ``key``.

    Should the worker die under the file, the batch then knows which file it was.
    """
    if _started is not None:
        _started.put((os.getpid(), key.path))
    return analyze_one(key, exercise, mount, units)


def init_worker(parent_pid: int, started: _StartQueue) -> None:
    """Pool worker initialiser: :func:`exit_with_parent`, report starts to ``started``, ignore SIGINT."""
    global _started
    _started = started
    # Ctrl-C in a terminal reaches the whole process group: the batch handles it (and ends the
    # workers); a worker must not record its file as failed with KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(parent_pid)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def exit_with_parent(parent_pid: int) -> None:
    """Worker initialiser: end this worker soon after process ``parent_pid`` is gone.

    A pool's workers otherwise outlive a batch killed with SIGKILL (they are children of the
    forkserver, not of the batch) and keep running or waiting for work.
    """

    def watch() -> None:
        while True:
            time.sleep(_PARENT_CHECK_S)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the pid was reused by another user's process
                os._exit(1)

    threading.Thread(target=watch, name="imurep-exit-with-parent", daemon=True).start()
