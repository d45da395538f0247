"""``imurep batch PATH... -o results.{csv,parquet} [--jobs N] [--scheduler tcp://HOST:PORT]``."""

from __future__ import annotations

import argparse
import atexit
import os
import shlex
import sys

from imurep.batch import BatchStopped, run_batch
from imurep.cli.analyze import add_analysis_options
from imurep.cli.units import units_from_args
from imurep.exercises.registry import exercise_from_cli
from imurep.mounting_presets import mount_choice
from imurep.plural import count

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "batch",
        help="analyse many recordings in parallel into one table (resumable)",
        description="Analyse recordings (files, or folders searched recursively for *.csv, *.csv.gz "
        "and *.zip) into one tidy table: a row per rep and a row per file (with an 'error' column "
        "for files that could not be analysed). Files already in the output, unchanged, are "
        "skipped, so an interrupted batch continues where it stopped. Ctrl-C or SIGTERM stops it "
        "within a second, keeping every finished file and printing the command that goes on. Exit "
        "status: 0, 1 when a file failed in this run, 130 / 143 when stopped by Ctrl-C / SIGTERM.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="recording file or folder")
    p.add_argument(
        "-o", "--output", required=True, help="result table: a .csv or .parquet file (created or resumed)"
    )
    p.add_argument(
        "-j", "--jobs", type=int, default=1, help="local worker processes (default: 1, in this process)"
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="tcp://HOST:PORT",
        help="run on this Dask distributed scheduler instead of locally (workers need imurep "
        "installed and the files at the same paths)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")
    add_analysis_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        summary = run_batch(
            args.paths,
            args.output,
            exercise=exercise_from_cli(args.exercise),
            mount=mount_choice(args.mount),
            units=units_from_args(args),
            jobs=args.jobs,
            scheduler=args.scheduler,
            progress=not args.no_progress,
        )
    except BatchStopped as stopped:
        print(
            f"imurep batch: stopped by {stopped.signal_name}: {stopped.n_done} of "
            f"{count(stopped.n_found, 'recording')} done, kept in {stopped.output}\n"
            f"imurep batch: to go on, run: {resume_command(args)}",
            file=sys.stderr,
        )
        end_process_now(stopped.exit_code)
        return stopped.exit_code  # not reached
    failed = f", {summary.n_failed} failed (see the 'error' column)" if summary.n_failed else ""
    print(
        f"imurep batch: {count(summary.n_found, 'recording')}: "
        f"{summary.n_analyzed - summary.n_failed} analysed{failed}, "
        f"{summary.n_skipped} already done; {summary.elapsed_s:.1f} s -> {summary.output}",
        file=sys.stderr,
    )
    return 1 if summary.n_failed else 0


def end_process_now(code: int) -> None:
    """End the process at once, as the stop signal's own default action would.

    Everything is on disk by now (the table is closed and fsynced, the workers are gone). A normal
    interpreter exit would then spend 0.3-0.8 s tearing down the scientific libraries, which is
    what made a stopped batch take more than a second to go; the exit handlers still run (they
    release the worker pool's semaphores).
    """
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code)


def resume_command(args: argparse.Namespace) -> str:
    """The command that runs this batch again (it skips the files already in the table)."""
    words = ["imurep", "batch", *args.paths, "-o", args.output]
    for flag, value, default in (
        ("--exercise", args.exercise, "auto"),
        ("--mount", args.mount, None),
        ("--jobs", args.jobs, 1),
        ("--scheduler", args.scheduler, None),
    ):
        if value != default:
            words += [flag, str(value)]
    return shlex.join(words)
