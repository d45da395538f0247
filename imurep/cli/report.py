"""``imurep report FILE... [-o report.html] [--format html|md|json|csv] [--target-reps 10]``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from imurep.analysis.analyze import analyze_file
from imurep.cli.analyze import METRICS_EPILOG, add_analysis_options
from imurep.cli.units import units_from_args
from imurep.errors import InputError
from imurep.exercises.registry import exercise_from_cli
from imurep.mounting_presets import mount_choice
from imurep.plural import count
from imurep.summary import ReportConfig, rep_rows_csv, report_json_obj, summarize

__all__ = ["register"]

_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".json": "json", ".csv": "csv"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report",
        help="write a session report (HTML with figures, Markdown, JSON or CSV)",
        description="Analyse recordings and write a report: the session at a glance, verdicts against "
        "the exercise article, a table of reps per set, figures and data quality. HTML is "
        "self-contained (figures inline). Markdown writes its figures as PNG files into FILE_files/ "
        "beside -o FILE.md (without -o they are left out). JSON: the analysis object plus a summary; "
        "CSV: one row per rep.",
        epilog=METRICS_EPILOG,
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="recording CSV (or .csv.gz), export file, folder or zip; - for standard input",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: standard output)")
    p.add_argument(
        "--format",
        choices=["html", "md", "json", "csv"],
        default=None,
        help="output format (default: from the -o suffix, else html)",
    )
    p.add_argument("--target-reps", type=int, default=10, help="reps asked for (per side for knee rolls)")
    p.add_argument("--target-hold-s", type=float, default=4.0, help="one-breath hold target, s (default 4)")
    add_analysis_options(p)
    p.set_defaults(func=run)


def _format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return str(args.format)
    if args.output:
        return _SUFFIX_FORMATS.get(Path(args.output).suffix.lower(), "html")
    return "html"


def run(args: argparse.Namespace) -> int:
    mount = mount_choice(args.mount)
    config = ReportConfig(target_reps=args.target_reps, target_hold_s=args.target_hold_s)
    fmt = _format(args)
    exercise = exercise_from_cli(args.exercise)
    units = units_from_args(args)
    results = [analyze_file(path, exercise=exercise, mount=mount, units=units) for path in args.files]
    out_path = Path(args.output) if args.output else None
    if fmt == "html":
        from imurep.report.html import render_html

        text = render_html(results, config)
    elif fmt == "md":
        from imurep.report.markdown import render_markdown

        fig_dir = None if out_path is None else out_path.with_name(out_path.stem + "_files")
        text = render_markdown(results, config, fig_dir, None if out_path is None else out_path.parent)
    elif fmt == "json":
        objs = [report_json_obj(r, config) for r in results]
        text = json.dumps(objs[0] if len(objs) == 1 else objs, indent=2) + "\n"
    else:
        text = rep_rows_csv([summarize(r, config) for r in results])
    if out_path is None:
        sys.stdout.write(text)
        return 0
    try:
        out_path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the report: {exc.strerror}", os.fspath(out_path)) from exc
    n_reps = sum(len(r.reps) for r in results)
    what = f"{count(len(results), 'recording')}, {count(n_reps, 'rep')}"
    print(f"wrote {out_path} ({fmt}, {what})", file=sys.stderr)
    return 0
