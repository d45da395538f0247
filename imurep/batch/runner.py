"""Run a batch: find the files, skip those already done, analyse the rest in parallel, store rows.

Two engines produce the same outcomes: a local process pool (``jobs`` processes; ``jobs=1``
runs in this process) and a Dask distributed cluster (``scheduler="tcp://host:port"``; Dask does
the scheduling, imurep only submits one task per file and gathers them as they complete).
Either way, results come back to this process, which alone writes the output.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm  # type: ignore[import-untyped]

from imurep.batch.discover import FileKey, find_recordings
from imurep.batch.store import journal_path, open_store
from imurep.batch.task import FileOutcome, analyse_one, exit_with_parent, failed_outcome
from imurep.errors import ImurepError
from imurep.pipeline.config import ExerciseChoice

__all__ = ["BatchSummary", "run_batch"]

# Tasks in flight per worker: enough to keep workers busy, few enough to bound memory and to
# lose little work when interrupted.
_IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True)
class BatchSummary:
    """What a batch run did.

    Attributes
    ----------
    output
        Absolute path of the result table.
    n_found
        Recordings found under the given paths.
    n_skipped
        Already in the output, unchanged: not analysed again.
    n_analysed
        Analysed in this run (including failed ones).
    n_failed
        Analysed in this run with an error (see the ``error`` column).
    elapsed_s
        Wall time of the run, s.
    """

    output: str
    n_found: int
    n_skipped: int
    n_analysed: int
    n_failed: int
    elapsed_s: float


def run_batch(
    paths: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    exercise: ExerciseChoice = "auto",
    mount: str | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
) -> BatchSummary:
    """Analyse every recording under ``paths`` into the table ``output`` (resuming it).

    Parameters
    ----------
    paths
        Recording files and folders (searched recursively for ``*.csv``).
    output
        ``.csv`` or ``.parquet`` result table; created, or resumed when it exists.
    exercise, mount
        As :func:`imurep.analysis.analyze.analyze_file`, for every file.
    jobs
        Local worker processes (ignored with ``scheduler``).
    scheduler
        Address of a Dask scheduler (``tcp://host:port``) to run on instead of locally.
    progress
        Show a progress bar on standard error.

    Raises
    ------
    InputError
        A path that does not exist, or an unusable output file.
    ImurepError
        The Dask scheduler cannot be reached.
    """
    start = time.perf_counter()
    if jobs < 1:
        raise ImurepError(f"--jobs must be at least 1, got {jobs}")
    out = os.path.abspath(os.fspath(output))
    keys = find_recordings(paths, exclude=(out, journal_path(out)))
    n_failed = 0
    with open_store(out, keys) as store:
        todo = [k for k in keys if k not in store.done]
        bar = tqdm(
            total=len(todo),
            unit="file",
            file=sys.stderr,
            disable=not progress or None,
            desc="imurep batch",
            dynamic_ncols=True,
        )
        try:
            if scheduler is not None:
                outcomes = _on_dask(todo, scheduler, exercise, mount)
            else:
                outcomes = _locally(todo, jobs, exercise, mount)
            for outcome in outcomes:
                store.append(outcome)
                n_failed += outcome.error is not None
                bar.update(1)
                if n_failed:
                    bar.set_postfix(failed=n_failed, refresh=False)
        finally:
            bar.close()
    return BatchSummary(
        output=out,
        n_found=len(keys),
        n_skipped=len(keys) - len(todo),
        n_analysed=len(todo),
        n_failed=n_failed,
        elapsed_s=time.perf_counter() - start,
    )


def _locally(
    todo: list[FileKey], jobs: int, exercise: ExerciseChoice, mount: str | None
) -> Iterator[FileOutcome]:
    """Outcomes in completion order from ``jobs`` local processes (this process if 1)."""
    if jobs == 1 or len(todo) <= 1:
        for key in todo:
            yield analyse_one(key, exercise, mount)
        return
    # forkserver: workers start from a clean, single-threaded process (fork from a process with
    # threads, such as tqdm's monitor, can deadlock); the preload pays the imports once.
    ctx: Any
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["imurep.batch.task"])
    else:
        ctx = multiprocessing.get_context("spawn")
    pending = deque(todo)
    running: dict[Future[FileOutcome], FileKey] = {}
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(todo)),
        mp_context=ctx,
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        try:
            while pending or running:
                while pending and len(running) < jobs * _IN_FLIGHT_PER_WORKER:
                    key = pending.popleft()
                    running[pool.submit(analyse_one, key, exercise, mount)] = key
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    key = running.pop(future)
                    try:
                        yield future.result()
                    except Exception as exc:  # the worker died (killed, out of memory)
                        yield failed_outcome(key, f"worker failed: {type(exc).__name__}: {exc}")
        finally:
            for future in running:
                future.cancel()


def _on_dask(
    todo: list[FileKey], address: str, exercise: ExerciseChoice, mount: str | None
) -> Iterator[FileOutcome]:
    """Outcomes in completion order from the Dask cluster at ``address``."""
    try:
        distributed: Any = importlib.import_module("distributed")  # untyped: kept behind Any
    except ImportError as exc:  # pragma: no cover - distributed is a dependency
        raise ImurepError(
            "--scheduler needs the 'distributed' package: pip install 'dask[distributed]'"
        ) from exc
    try:
        # connection timeout: Dask's own setting, distributed.comm.timeouts.connect (30 s by default)
        client: Any = distributed.Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ImurepError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        if not todo:
            return
        n_workers = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
        pending = deque(todo)
        owner: dict[Any, FileKey] = {}

        def submit() -> Any:
            key = pending.popleft()
            future = client.submit(analyse_one, key, exercise, mount, pure=False)
            owner[future.key] = key
            return future

        window = n_workers * _IN_FLIGHT_PER_WORKER + 1
        flow = distributed.as_completed(
            [submit() for _ in range(min(window, len(pending)))], loop=client.loop
        )
        for future in flow:
            key = owner.pop(future.key)
            try:
                outcome: FileOutcome = future.result()
            except Exception as exc:  # a worker died on this file (KilledWorker, lost data)
                outcome = failed_outcome(key, f"worker failed: {type(exc).__name__}: {exc}")
            future.release()
            if pending:
                flow.add(submit())
            yield outcome
    finally:
        client.close()
