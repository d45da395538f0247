"""``imurep analyze FILE... [--json] [--exercise ...] [--mount ...]``."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from imurep.analysis.analyze import analyze_file
from imurep.analysis.explain import format_candidates
from imurep.analysis.summary import METRIC_NOTES, format_summary
from imurep.errors import ImurepError
from imurep.exercises.registry import all_exercises, exercise_from_cli
from imurep.mounting_presets import describe_mount_choices
from imurep.pipeline.set_evidence import CandidateVerdict

__all__ = ["exercise_choices", "register"]


def exercise_choices() -> list[str]:
    """``auto`` and the command-line name of every registered exercise."""
    return ["auto", *(s.cli_name for s in all_exercises())]


#: The ``--help`` epilog that explains the rep columns (``smooth``, ``steady_deg``).
METRICS_EPILOG = "Rep columns: " + "; ".join(f"{name}: {text}" for name, text in METRIC_NOTES) + "."


def add_analysis_options(p: argparse.ArgumentParser, *, whole_recording: bool = True) -> None:
    """Options shared by every command that analyses samples.

    Parameters
    ----------
    p
        The command's parser.
    whole_recording
        The command reads a whole recording before analysing it, so it can offer
        ``--mount calibrate`` (which takes the axes from its first poses); a live stream cannot.
    """
    p.add_argument(
        "--exercise",
        choices=exercise_choices(),
        default="auto",
        help="count only this exercise (default: recognise each from the posture)",
    )
    p.add_argument(
        "--mount",
        default=None,
        help=f"{describe_mount_choices(calibrate=whole_recording)}; default: the "
        f"{'file' if whole_recording else 'replayed file'}'s own 'mount' metadata, else front-belt",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "analyze",
        help="count and time the exercises in recordings",
        description="Analyse recordings (our CSV, or an app export) and report reps, holds and quality.",
        epilog=METRICS_EPILOG,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="recording CSV, export file, folder or zip")
    p.add_argument(
        "--json", action="store_true", help="print the analysis JSON (docs/format.md; an array for several)"
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="list every candidate movement with its time, angle, hold and why it was or was not counted",
    )
    add_analysis_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    exercise = exercise_from_cli(args.exercise)
    hint = None if args.mount == "auto" else "try --mount auto, or the preset of how the sensor sits"
    objects = []
    failed = 0
    for path in args.files:
        try:
            result = analyze_file(path, exercise=exercise, mount=args.mount, keep_trace=False)
        except ImurepError as exc:
            print(f"imurep: error: {exc}", file=sys.stderr)
            failed += 1
            continue
        if args.json:
            obj = result.to_json_obj()
            if args.explain:
                obj["candidates"] = [_verdict_obj(v) for v in result.candidates]
            objects.append(obj)
        else:
            print(format_summary(result, hint, exercise))
            if args.explain:
                print(format_candidates(result))
    if args.json and objects:
        payload = objects[0] if len(args.files) == 1 else objects
        json.dump(payload, sys.stdout, indent=2)
        sys.stdout.write("\n")
    return 2 if failed else 0


def _verdict_obj(v: CandidateVerdict) -> dict[str, object]:
    return {k: round(x, 4) if isinstance(x, float) else x for k, x in asdict(v).items()}
