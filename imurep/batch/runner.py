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
import signal
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm  # type: ignore[import-untyped]

from imurep.batch.discover import FileKey, find_recordings
from imurep.batch.stop import BatchStopped, StopRequest, stop_signals
from imurep.batch.store import journal_path, open_store
from imurep.batch.task import (
    WORKER_DIED,
    FileOutcome,
    analyze_one,
    analyze_one_reporting,
    failed_outcome,
    init_worker,
)
from imurep.errors import ImurepError, InputError
from imurep.importers.imported import ImportOptions
from imurep.mounting_presets import MountChoice, mount_choice
from imurep.pipeline.config import ExerciseChoice

__all__ = ["BatchSummary", "run_batch"]

# Tasks in flight per worker: enough to keep workers busy, few enough to bound memory and to
# lose little work when interrupted.
_IN_FLIGHT_PER_WORKER = 2
# A file in flight in this many broken pools without its worker being the one that died is
# recorded as failed anyway (the dead worker could not be told apart; this bounds the retries).
_MAX_STRIKES = 3
# How often the batch looks for a stop signal while it waits for its workers, s.
_STOP_POLL_S = 0.1


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
    n_analyzed
        Attempted in this run, failed ones included (``n_analyzed - n_failed`` succeeded).
    n_failed
        Analysed in this run with an error (see the ``error`` column).
    elapsed_s
        Wall time of the run, s.
    """

    output: str
    n_found: int
    n_skipped: int
    n_analyzed: int
    n_failed: int
    elapsed_s: float


def run_batch(
    paths: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    exercise: ExerciseChoice = "auto",
    mount: MountChoice | str | None = None,
    units: ImportOptions | None = None,
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
    exercise, mount, units
        As :func:`imurep.analysis.analyze.analyze_file`, for every file (``mount`` is parsed once,
        before any file is read).
    jobs
        Local worker processes (ignored with ``scheduler``).
    scheduler
        Address of a Dask scheduler (``tcp://host:port``) to run on instead of locally.
    progress
        Show a progress bar on standard error.

    Raises
    ------
    InputError
        A path that does not exist, no recording under any of them, or an unusable output file.
    ImurepError
        The Dask scheduler cannot be reached.
    BatchStopped
        SIGINT or SIGTERM arrived: the workers are ended, the table holds every file finished so
        far (running the same batch again goes on from there).
    """
    start = time.perf_counter()
    if jobs < 1:
        raise ImurepError(f"--jobs must be at least 1, got {jobs}")
    choice = mount_choice(mount)
    with stop_signals() as stop:
        return _run(
            paths,
            os.path.abspath(os.fspath(output)),
            exercise,
            choice,
            units,
            jobs,
            scheduler,
            progress,
            stop,
            start,
        )


def _run(
    paths: Sequence[str | os.PathLike[str]],
    out: str,
    exercise: ExerciseChoice,
    choice: MountChoice,
    units: ImportOptions | None,
    jobs: int,
    scheduler: str | None,
    progress: bool,
    stop: StopRequest,
    start: float,
) -> BatchSummary:
    keys = find_recordings(paths, exclude=(out, journal_path(out)))
    if not keys:
        # A mistyped or empty folder: say so rather than write an empty table and exit 0.
        raise InputError("no recordings (*.csv) found", ", ".join(os.fspath(p) for p in paths))
    n_failed = 0
    stopped: BatchStopped | None = None
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
            stop.check()
            if scheduler is not None:
                outcomes = _on_dask(todo, scheduler, exercise, choice, units, stop)
            else:
                outcomes = _locally(todo, jobs, exercise, choice, units, stop)
            for outcome in outcomes:
                store.append(outcome)
                n_failed += outcome.error is not None
                bar.update(1)
                if n_failed:
                    bar.set_postfix(failed=n_failed, refresh=False)
        except BatchStopped as exc:
            stopped = exc
        finally:
            bar.close()
        n_done = sum(k in store.done for k in keys)
    if stopped is not None:
        raise BatchStopped(stopped.signal_name, n_done, len(keys), out)
    return BatchSummary(
        output=out,
        n_found=len(keys),
        n_skipped=len(keys) - len(todo),
        n_analyzed=len(todo),
        n_failed=n_failed,
        elapsed_s=time.perf_counter() - start,
    )


def _locally(
    todo: list[FileKey],
    jobs: int,
    exercise: ExerciseChoice,
    mount: MountChoice,
    units: ImportOptions | None,
    stop: StopRequest,
) -> Iterator[FileOutcome]:
    """Outcomes in completion order from ``jobs`` local processes (this process if 1)."""
    if jobs == 1 or len(todo) <= 1:
        for key in todo:
            with stop.interrupting():
                outcome = analyze_one(key, exercise, mount, units)
            yield outcome
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
    strikes: dict[FileKey, int] = {}
    while pending:
        stop.check()
        broken: list[FileKey] = []
        started = ctx.SimpleQueue()
        workers: dict[int, Any] = {}
        yield from _pool_run(ctx, jobs, pending, exercise, mount, units, started, workers, broken, stop)
        if not broken:
            continue
        # A worker died (killed by the out-of-memory killer, a crash in native code): the pool is
        # broken and every file in it failed with it. Record the file(s) the dead worker had; put
        # the others back, and go on with a fresh pool.
        on_pid = _drain_starts(started)
        died = {
            key: code
            for key in broken
            if (pid := on_pid.get(key.path)) is not None
            and (code := getattr(workers.get(pid), "exitcode", None)) is not None
            and code != -signal.SIGTERM  # the pool ends the surviving workers with SIGTERM
        }
        for key in broken:
            if key not in died:
                strikes[key] = strikes.get(key, 0) + 1
                if strikes[key] >= _MAX_STRIKES:  # cannot tell which; a file in every break
                    died[key] = None
        for key, code in died.items():
            yield failed_outcome(key, f"{WORKER_DIED} ({_describe_exit(code)})")
        pending.extendleft(reversed([k for k in broken if k not in died]))
        started.close()


def _pool_run(
    ctx: Any,
    jobs: int,
    pending: deque[FileKey],
    exercise: ExerciseChoice,
    mount: MountChoice,
    units: ImportOptions | None,
    started: Any,
    workers: dict[int, Any],
    broken: list[FileKey],
    stop: StopRequest,
) -> Iterator[FileOutcome]:
    """Run ``pending`` on one process pool until done or the pool breaks (keys then in ``broken``).

    ``workers`` collects the pool's processes by pid, to read their exit codes afterwards. A stop
    signal ends the workers at once (their files are not recorded) and raises :class:`BatchStopped`.
    """
    running: dict[Future[FileOutcome], FileKey] = {}
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(pending)),
        mp_context=ctx,
        initializer=init_worker,
        initargs=(os.getpid(), started),
    ) as pool:
        try:
            while pending or running:
                while pending and len(running) < jobs * _IN_FLIGHT_PER_WORKER:
                    key = pending.popleft()
                    try:
                        future = pool.submit(analyze_one_reporting, key, exercise, mount, units)
                    except BrokenProcessPool:
                        broken.append(key)
                        break
                    running[future] = key
                # The pool's own record of its processes (pid -> Process), for their exit codes.
                workers.update(getattr(pool, "_processes", None) or {})
                if broken or not running:
                    break
                done, _ = wait(running, timeout=_STOP_POLL_S, return_when=FIRST_COMPLETED)
                stop.check()
                for future in done:
                    key = running.pop(future)
                    error = future.exception()
                    if error is None:
                        yield future.result()
                    elif isinstance(error, BrokenProcessPool):
                        broken.append(key)
                    else:
                        yield failed_outcome(key, f"worker failed: {type(error).__name__}: {error}")
                if broken:
                    break
            # After a break every file still in the pool fails too (those finished first stand).
            for future in wait(running).done if broken else ():
                key = running.pop(future)
                if future.exception() is None:
                    yield future.result()
                else:
                    broken.append(key)
        except BatchStopped:
            # Waiting for the files in progress would take as long as they do: end the workers
            # now (the pool's shutdown then finds them gone and returns at once).
            for process in workers.values():
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)
            for process in workers.values():
                process.join(1.0)
            raise
        finally:
            for future in running:
                future.cancel()


def _drain_starts(started: Any) -> dict[str, int]:
    """``path -> pid`` of the workers' start reports still in the queue."""
    on_pid: dict[str, int] = {}
    try:
        while not started.empty():
            pid, path = started.get()
            on_pid[path] = pid
    except (EOFError, OSError, ValueError):  # a worker killed mid-report leaves a torn message
        pass
    return on_pid


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "it died each time it had this file"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _on_dask(
    todo: list[FileKey],
    address: str,
    exercise: ExerciseChoice,
    mount: MountChoice,
    units: ImportOptions | None,
    stop: StopRequest,
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
            future = client.submit(analyze_one, key, exercise, mount, units, pure=False)
            owner[future.key] = key
            return future

        window = n_workers * _IN_FLIGHT_PER_WORKER + 1
        flow = distributed.as_completed(
            [submit() for _ in range(min(window, len(pending)))], loop=client.loop
        )
        while True:
            with stop.interrupting():  # the cluster's files in progress are cancelled on close
                future = next(flow, None)
            if future is None:
                break
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
