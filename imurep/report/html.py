"""The self-contained HTML report: everything from the files is escaped, figures are inline PNGs."""

from __future__ import annotations

import html
from collections.abc import Sequence

from imurep.analysis.result import AnalysisResult
from imurep.plural import count
from imurep.report.config import ReportConfig
from imurep.report.figures import ReportFigure, report_figures, set_figures
from imurep.report.summary import EXERCISE_NAMES, SessionSummary, summarize
from imurep.report.text import (
    REP_TABLE_HEADER,
    REP_TABLE_NOTES,
    fmt,
    glance_rows,
    near_limit_text,
    no_exercise_found,
    recorded_when,
    rep_cells,
    verdict_mark,
)

__all__ = ["render_html"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;
color:#222;padding:0 1em;line-height:1.4}
h1{font-size:1.6em}h2{border-bottom:2px solid #56B4E9;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0 1em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f2f2f2}table.reps td{text-align:right}table.reps td:nth-child(2),table.reps td:nth-child(6)
{text-align:left}figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.9em;color:#555}.ok{color:#009E73}.bad{color:#D55E00}.unk{color:#777}
tr.near td{background:#fff3d6}table.reps td:last-child{text-align:left}
ul.verdicts{list-style:none;padding-left:0}ul.verdicts li{margin:.2em 0}.mark{font-weight:bold;
display:inline-block;width:1.4em}.warn{color:#D55E00}.small{font-size:.9em;color:#555}
"""


def _e(x: object) -> str:
    return html.escape(str(x), quote=True)


def _figure(f: ReportFigure) -> str:
    return (
        f'<figure id="fig-{_e(f.key)}"><img alt="{_e(f.title)}" src="{f.data_uri()}">'
        f"<figcaption>{_e(f.title)}</figcaption></figure>"
    )


def _table(rows: Sequence[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f'<table class="glance">{body}</table>'


def _verdicts(result: AnalysisResult, summary: SessionSummary) -> str:
    items = []
    for e in summary.exercises:
        for v in e.verdicts:
            cls = "unk" if v.ok is None else ("ok" if v.ok else "bad")
            items.append(
                f'<li class="{cls}"><span class="mark">{verdict_mark(v.ok)}</span>'
                f"<b>{_e(EXERCISE_NAMES[e.exercise])}, {_e(v.item)}:</b> {_e(v.text)}</li>"
            )
    return (
        '<ul class="verdicts">' + "".join(items) + "</ul>"
        if items
        else f"<p>{_e(no_exercise_found(result))}</p>"
    )


def _set_section(result: AnalysisResult, summary: SessionSummary, number: int, dpi: float) -> str:
    s = summary.sets[number - 1]
    ev = s.event
    parts = [f"<h3>Set {number}: {_e(EXERCISE_NAMES[s.exercise])}, {count(len(s.reps), 'rep')}</h3>"]
    info = (
        f"from {fmt(ev.start_s - summary.start_s, '.1f', ' s')} "
        f"to {fmt(ev.end_s - summary.start_s, '.1f', ' s')}"
    )
    if s.alternation is not None:
        info += f"; sides alternated on {100 * s.alternation:.0f}% of consecutive reps"
    trend_txt = []
    for name, t in s.trends.items():
        trend_txt.append(f"{name} {t.slope_per_rep:+.3f} per rep ({t.change_pct:+.0f}% over the set)")
    if trend_txt:
        info += "; trends: " + ", ".join(trend_txt)
    parts.append(f'<p class="small">{_e(info)}</p>')
    head = "".join(f"<th>{_e(h)}</th>" for h in REP_TABLE_HEADER)
    rows = ""
    for r in s.reps:
        near = near_limit_text(result, r)
        cells = "".join(f"<td>{_e(c)}</td>" for c in rep_cells(r, summary, f"⚠ {near}" if near else ""))
        rows += f'<tr class="near" title="{_e(near)}">{cells}</tr>' if near else f"<tr>{cells}</tr>"
    parts.append(f'<table class="reps"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')
    parts.append('<p class="small">' + "<br>".join(_e(note) for note in REP_TABLE_NOTES) + "</p>")
    parts.extend(_figure(f) for f in set_figures(result, summary, number, dpi))
    return "\n".join(parts)


def _quality(result: AnalysisResult) -> str:
    q = result.quality
    rows = [
        ("sample rate", f"{q.sample_rate_hz:.2f} Hz"),
        ("samples", f"{q.n_samples} over {q.duration_s:.1f} s"),
        ("gaps", f"{len(q.gaps)} (total {sum(b - a for a, b in q.gaps):.2f} s)"),
        ("lost samples", str(q.lost_samples)),
        ("clipped samples", str(q.clipped_samples)),
        ("gyroscope", "yes" if q.has_gyr else "no (accelerometer only)"),
    ]
    if result.unavailable_metrics:
        rows.append(("not computed", ", ".join(result.unavailable_metrics)))
    warn = "".join(f'<li class="warn">{_e(w)}</li>' for w in q.warnings)
    return _table(rows) + (f"<ul>{warn}</ul>" if warn else "<p>No warnings.</p>")


def _session(result: AnalysisResult, config: ReportConfig | None, dpi: float) -> str:
    summary = summarize(result, config)
    figs = {f.key: f for f in report_figures(result, summary, dpi)}
    when = recorded_when(summary)
    parts = [
        f'<section class="session"><h2>{_e(result.source)}</h2>',
        f'<p class="small">{result.duration_s:.1f} s at {result.sample_rate_hz:.0f} Hz{_e(when)}; '
        f"{count(len(result.reps), 'rep')} in {count(len(summary.sets), 'set')}. "
        "Times are counted from the first sample "
        f"({summary.start_s:.3f} s in the recording's time base).</p>",
        "<h3>At a glance</h3>",
    ]
    parts.extend(_table(glance_rows(e, summary)) for e in summary.exercises)
    parts.append("<h3>Verdict</h3>" + _verdicts(result, summary))
    for key in ("posture", "timeline", "reps", "symmetry"):
        if key in figs:
            parts.append(_figure(figs[key]))
    for s in summary.sets:
        parts.append(_set_section(result, summary, s.number, dpi))
    parts.append("<h3>Data quality</h3>" + _quality(result))
    parts.append(_figure(figs["quality"]))
    parts.append("</section>")
    return "\n".join(parts)


def render_html(
    results: Sequence[AnalysisResult],
    config: ReportConfig | None = None,
    title: str = "imurep session report",
    dpi: float = 96.0,
) -> str:
    """A self-contained HTML page (no network access needed) reporting every result in order.

    Parameters
    ----------
    results
        Analysed recordings, one section each.
    config
        Targets and thresholds.
    title
        Page title.
    dpi
        Resolution of the embedded PNG figures.
    """
    body = "\n".join(_session(r, config, dpi) for r in results)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>\n'
        f"<body><h1>{_e(title)}</h1>\n{body}\n"
        '<p class="small">Made by imurep. Targets from the exercise article: both sides alternately, '
        "10 times; hold for one deep breath (about 4 s); stretch only as far as is comfortable.</p>"
        "</body></html>\n"
    )
