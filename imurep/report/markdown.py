"""The report as Markdown: the same sections as the HTML; figures written as PNG files beside it."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from imurep.analysis.result import AnalysisResult
from imurep.events import RepEvent
from imurep.plural import count
from imurep.report.config import ReportConfig
from imurep.report.figures import ReportFigure, report_figures, set_figures
from imurep.report.summary import EXERCISE_NAMES, SessionSummary, summarize
from imurep.report.text import (
    REP_TABLE_HEADER,
    REP_TABLE_NOTES,
    glance_rows,
    near_limit_text,
    no_exercise_found,
    recorded_when,
    rep_cells,
    verdict_mark,
)

__all__ = ["render_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|])")


def _md(x: object) -> str:
    """Text from files, made inert: Markdown and HTML characters escaped, newlines flattened."""
    return _MD_SPECIAL.sub(r"\\\1", str(x).replace("\r", " ").replace("\n", " "))


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def _safe_name(source: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", source)[:80] or "recording"


class _FigureSink:
    """Writes figures into ``directory`` and returns Markdown image links relative to ``link_base``."""

    def __init__(self, directory: Path | None, link_base: Path | None) -> None:
        self.directory = directory
        self.link_base = link_base

    def emit(self, fig: ReportFigure, prefix: str) -> list[str]:
        if self.directory is None:
            return []
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{prefix}_{fig.key}.png"
        path.write_bytes(fig.png)
        link = os.path.relpath(path, self.link_base) if self.link_base is not None else str(path)
        return [f"![{_md(fig.title)}]({Path(link).as_posix()})", ""]


def _session(
    result: AnalysisResult, config: ReportConfig | None, sink: _FigureSink, index: int, dpi: float
) -> list[str]:
    summary: SessionSummary = summarize(result, config)
    prefix = f"{index:02d}_{_safe_name(result.source)}"
    want_figs = sink.directory is not None
    figs = {f.key: f for f in report_figures(result, summary, dpi)} if want_figs else {}
    lines = [
        f"## {_md(result.source)}",
        "",
        f"{result.duration_s:.1f} s at {result.sample_rate_hz:.0f} Hz{recorded_when(summary)}; "
        f"{count(len(result.reps), 'rep')} in {count(len(summary.sets), 'set')}. Times are counted "
        f"from the first sample ({summary.start_s:.3f} s in the recording's time base).",
        "",
        "### At a glance",
        "",
    ]
    for e in summary.exercises:
        lines += _table(("item", "value"), glance_rows(e, summary))
    lines += ["### Verdict", ""]
    for e in summary.exercises:
        for v in e.verdicts:
            name = _md(EXERCISE_NAMES[e.exercise])
            lines.append(f"- {verdict_mark(v.ok)} **{name}, {v.item}:** {_md(v.text)}")
    if not summary.exercises:
        lines.append(_md(no_exercise_found(result)))
    lines.append("")
    for key in ("posture", "timeline", "reps", "symmetry"):
        if key in figs:
            lines += sink.emit(figs[key], prefix)
    for s in summary.sets:
        lines += [f"### Set {s.number}: {EXERCISE_NAMES[s.exercise]}, {count(len(s.reps), 'rep')}", ""]
        if s.alternation is not None:
            lines += [f"Sides alternated on {100 * s.alternation:.0f}% of consecutive reps.", ""]
        for name, t in s.trends.items():
            lines.append(
                f"- trend of {name}: {t.slope_per_rep:+.3f} per rep ({t.change_pct:+.0f}% over the set)"
            )
        if s.trends:
            lines.append("")
        lines += _table(REP_TABLE_HEADER, [rep_cells(r, summary, _near(result, r)) for r in s.reps])
        lines += [*(f"- {_md(note)}" for note in REP_TABLE_NOTES), ""]
        if want_figs:
            for f in set_figures(result, summary, s.number, dpi):
                lines += sink.emit(f, prefix)
    q = result.quality
    lines += ["### Data quality", ""]
    lines += _table(
        ("item", "value"),
        [
            ("sample rate", f"{q.sample_rate_hz:.2f} Hz"),
            ("samples", f"{q.n_samples} over {q.duration_s:.1f} s"),
            ("gaps", str(len(q.gaps))),
            ("lost samples", str(q.lost_samples)),
            ("clipped samples", str(q.clipped_samples)),
            ("gyroscope", "yes" if q.has_gyr else "no (accelerometer only)"),
            ("not computed", ", ".join(result.unavailable_metrics) or "-"),
        ],
    )
    lines += [f"- warning: {_md(w)}" for w in q.warnings]
    if q.warnings:
        lines.append("")
    if "quality" in figs:
        lines += sink.emit(figs["quality"], prefix)
    return lines


def render_markdown(
    results: Sequence[AnalysisResult],
    config: ReportConfig | None = None,
    figures_dir: str | os.PathLike[str] | None = None,
    link_base: str | os.PathLike[str] | None = None,
    title: str = "imurep session report",
    dpi: float = 96.0,
) -> str:
    """The report as Markdown.

    Parameters
    ----------
    results
        Analysed recordings, one section each.
    config
        Targets and thresholds.
    figures_dir
        Where to write the figures as PNG files (created if needed); ``None`` leaves the figures out
        (the document says so).
    link_base
        Directory the image links are relative to (the Markdown file's folder).
    title
        Document title.
    dpi
        Resolution of the PNG figures.
    """
    sink = _FigureSink(
        None if figures_dir is None else Path(figures_dir), None if link_base is None else Path(link_base)
    )
    lines = [f"# {_md(title)}", ""]
    if figures_dir is None:
        lines += [
            "Figures are left out of this Markdown (use `-o FILE.md` to write them beside it, or HTML).",
            "",
        ]
    for i, r in enumerate(results, 1):
        lines += _session(r, config, sink, i, dpi)
    return "\n".join(lines).rstrip() + "\n"


def _near(result: AnalysisResult, rep: RepEvent) -> str:
    text = near_limit_text(result, rep)
    return f"⚠ {text}" if text else ""
