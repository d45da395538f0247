"""``imurep compare FILE... | DIR [-o compare.png|compare.html]``: progress over sessions."""

from __future__ import annotations

import argparse
import html
import os
import sys
from pathlib import Path

from matplotlib.figure import Figure

from imurep.analysis.analyze import analyze_file
from imurep.cli.analyze import add_analysis_options
from imurep.cli.units import units_from_args
from imurep.errors import InputError
from imurep.exercises.registry import exercise_from_cli, exercise_name
from imurep.mounting_presets import mount_choice
from imurep.report.text import fmt
from imurep.summary import DayProgress, SessionPoint, daily_progress, session_points

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "compare",
        help="progress over sessions: range, hold, symmetry and smoothness per day",
        description="Analyse several recordings and show progress per day. A recording's day comes "
        "from its time base when that is Unix time, else from its 'start_time'/'started'/"
        "'recorded_at'/'recorded'/'date' metadata (ISO 8601), else from the file's modification "
        "time; the table says which for each file.",
    )
    p.add_argument("paths", nargs="+", metavar="FILE|DIR", help="recordings, or folders of recordings")
    p.add_argument("-o", "--output", metavar="OUT", help="figure (.png, .svg, .pdf) or page (.html)")
    add_analysis_options(p)
    p.set_defaults(func=run)


def _expand(paths: list[str]) -> list[str]:
    """The recordings to compare: files as given, folders of recordings as their files."""
    from imurep.sources.files import recordings_in

    return [f for p in paths for f in recordings_in(p)]


def _session_table(points: list[SessionPoint]) -> str:
    lines = ["recording                              exercise                  start (UTC)        from"]
    for pt in sorted(points, key=lambda q: q.when):
        lines.append(
            f"{pt.source[:38]:<38s} {exercise_name(pt.exercise):<25s} "
            f"{pt.when:%Y-%m-%d %H:%M}   {pt.when_from}"
        )
    return "\n".join(lines)


_DAY_HEADER = ("day", "exercise", "sessions", "reps", "range, deg", "hold, s", "asym L-R, %", "SPARC")


def _day_cells(d: DayProgress) -> tuple[str, ...]:
    return (
        f"{d.day:%Y-%m-%d}",
        exercise_name(d.exercise),
        str(d.sessions),
        str(d.reps),
        fmt(d.mean_range_deg, ".1f"),
        fmt(d.mean_hold_s, ".1f"),
        fmt(d.range_asymmetry_pct, "+.0f"),
        fmt(d.mean_smoothness_sparc, ".2f"),
    )


def _day_table(days: list[DayProgress]) -> str:
    widths = (10, 24, 8, 5, 10, 7, 11, 6)
    rows = [_DAY_HEADER, *(_day_cells(d) for d in days)]
    out = []
    for row in rows:
        cells = [
            c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells))
    return "\n".join(out)


def _figure(days: list[DayProgress]) -> Figure:
    from imurep.plots.progress import plot_progress

    fig = Figure(figsize=(11, 6.5), layout="constrained")
    axes = fig.subplots(2, 2)
    plot_progress(days, "mean_range_deg", axes[0, 0])
    plot_progress(days, "mean_hold_s", axes[0, 1])
    plot_progress(days, "range_asymmetry_pct", axes[1, 0])
    plot_progress(days, "mean_smoothness_sparc", axes[1, 1])
    fig.suptitle("Progress over sessions (one point per day)")
    return fig


def _write(out: Path, days: list[DayProgress], points: list[SessionPoint]) -> None:
    from imurep.report.figures import ReportFigure, figure_png

    fig = _figure(days)
    suffix = out.suffix.lower()
    if suffix in (".html", ".htm"):
        png = ReportFigure("progress", "Progress over sessions", figure_png(fig))
        head = "".join(f"<th>{html.escape(h)}</th>" for h in _DAY_HEADER)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in _day_cells(d)) + "</tr>" for d in days
        )
        files = "".join(
            f"<li>{html.escape(p.source)}: {p.when:%Y-%m-%d %H:%M} UTC (from {html.escape(p.when_from)})</li>"
            for p in sorted(points, key=lambda q: q.when)
        )
        page = (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>imurep progress</title>'
            "<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto}"
            "td,th{border:1px solid #ccc;padding:.2em .5em}table{border-collapse:collapse}"
            "img{max-width:100%}</style></head><body><h1>Progress over sessions</h1>"
            f"<table><tr>{head}</tr>{rows}</table>"
            f'<figure><img alt="progress over sessions" src="{png.data_uri()}"></figure>'
            f"<h2>Recordings</h2><ul>{files}</ul></body></html>\n"
        )
        out.write_text(page, encoding="utf-8")
    elif suffix in (".png", ".svg", ".pdf"):
        fig.savefig(out, format=suffix[1:], dpi=100)
    else:
        raise InputError(f"expected an output ending in .png, .svg, .pdf or .html, got {suffix or 'none'!r}")


def _metadata(path: str) -> dict[str, str]:
    """The recording's ``# key: value`` metadata, or what the importer found for an app export."""
    from imurep.recording.header import read_header
    from imurep.sources.files import open_samples

    if os.path.isfile(path):
        try:
            return dict(read_header(path).metadata)
        except InputError:
            pass  # not our CSV: an app export
    # (For our own CSVs open_samples would open the file for its unread block iterator.)
    return open_samples(path).metadata


def run(args: argparse.Namespace) -> int:
    exercise = exercise_from_cli(args.exercise)
    mount = mount_choice(args.mount)
    points: list[SessionPoint] = []
    for path in _expand(args.paths):
        result = analyze_file(path, exercise=exercise, mount=mount, units=units_from_args(args))
        for warning in result.quality.warnings:
            print(f"imurep: warning: {path}: {warning}", file=sys.stderr)
        metadata = _metadata(path)
        points.extend(session_points(result, metadata, path))
    days = daily_progress(points)
    print(_day_table(days))
    print()
    print(_session_table(points))
    if args.output:
        out = Path(args.output)
        try:
            _write(out, days, points)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror}", os.fspath(out)) from exc
        print(f"wrote {out}", file=sys.stderr)
    return 0
