"""Shared wording of the report: numbers with units, the glance rows and the per-rep table cells."""

from __future__ import annotations

import datetime as dt
import math

from imurep.analysis.explain import what_was_seen
from imurep.analysis.near_limits import near_limits, rep_limits
from imurep.analysis.result import AnalysisResult
from imurep.analysis.summary import METRIC_NOTES
from imurep.events import RepEvent
from imurep.report.summary import EXERCISE_NAMES, ExerciseSummary, SessionSummary, classify_hold

__all__ = [
    "REP_TABLE_HEADER",
    "REP_TABLE_NOTES",
    "fmt",
    "glance_rows",
    "near_limit_text",
    "no_exercise_found",
    "recorded_when",
    "rep_cells",
    "verdict_mark",
]

REP_TABLE_HEADER: tuple[str, ...] = (
    "#",
    "side",
    "start, s",
    "range, deg",
    "hold, s",
    "hold",
    "out, s",
    "back, s",
    "smoothness (SPARC)",
    "steadiness, deg",
    "peak speed, deg/s",
    "near a limit",
)

#: Notes under the rep table: what the less obvious columns mean (the words of ``imurep analyze``).
REP_TABLE_NOTES: tuple[str, ...] = tuple(
    f"{header}: {text}"
    for header, (_, text) in zip(("smoothness (SPARC)", "steadiness, deg"), METRIC_NOTES, strict=True)
)


def recorded_when(summary: SessionSummary) -> str:
    """``, recorded 2026-11-28 14:05 UTC`` when the times are Unix times (2000–2099), else ``""``."""
    if 946_684_800 <= summary.start_s < 4_102_444_800:
        start = dt.datetime.fromtimestamp(summary.start_s, dt.UTC)
        return f", recorded {start:%Y-%m-%d %H:%M} UTC"
    return ""


def fmt(x: float | None, spec: str = ".1f", unit: str = "") -> str:
    """A number formatted with ``spec`` and ``unit``; ``-`` when missing or NaN."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return format(x, spec) + unit


def verdict_mark(ok: bool | None) -> str:
    """``✓`` good, ``✗`` worth attention, ``?`` cannot tell."""
    return "?" if ok is None else ("✓" if ok else "✗")


def glance_rows(e: ExerciseSummary, summary: SessionSummary) -> list[tuple[str, str]]:
    """(label, value) rows of the session-at-a-glance table for one exercise."""
    cfg = summary.config
    if e.exercise == "knee_rolls":
        if e.left + e.right:
            reps = f"{e.left} left, {e.right} right (target {cfg.target_reps} each side)"
            if e.unknown_side:
                reps += f", {e.unknown_side} side unknown"
        else:
            reps = f"{e.reps} (sides unknown; target {cfg.target_reps} each side)"
    else:
        reps = f"{e.reps} (target at least {cfg.target_reps})"
    rows = [
        ("exercise", EXERCISE_NAMES[e.exercise]),
        ("reps", reps),
        (
            "holds",
            f"{e.holds['held']} held, {e.holds['short']} short, {e.holds['missed']} missed "
            f"(one breath ≈ {cfg.target_hold_s:g} s; held = at least {cfg.held_s:.1f} s)",
        ),
        ("mean hold", fmt(e.mean_hold_s, ".1f", " s")),
        ("time under stretch", fmt(e.time_under_stretch_s, ".1f", " s")),
        (
            "mean range",
            f"{fmt(e.mean_range_deg, '.1f', '°')} (median {fmt(e.median_range_deg, '.1f', '°')}, "
            f"SD {fmt(e.range_sd_deg, '.1f', '°')} across reps)",
        ),
    ]
    if e.symmetry is not None:
        s = e.symmetry
        rows.append(
            (
                "left / right",
                f"range {fmt(s.left_range_deg, '.1f', '°')} / {fmt(s.right_range_deg, '.1f', '°')} "
                f"({fmt(s.range_asymmetry_pct, '+.0f', '%')}); hold {fmt(s.left_hold_s, '.1f', ' s')} / "
                f"{fmt(s.right_hold_s, '.1f', ' s')} ({fmt(s.hold_asymmetry_pct, '+.0f', '%')})",
            )
        )
    return rows


def near_limit_text(result: AnalysisResult, rep: RepEvent) -> str:
    """What a counted rep came near (:func:`imurep.analysis.near_limits.near_limits`), or ``""``."""
    return "; ".join(near_limits(rep, rep_limits(result, rep.exercise)))


def rep_cells(rep: RepEvent, summary: SessionSummary, near_limit: str = "") -> tuple[str, ...]:
    """The cells of one rep, matching :data:`REP_TABLE_HEADER` (``near_limit``: its last cell)."""
    side = "-" if rep.exercise == "heels_stretch" else (rep.side or "unknown")
    return (
        str(rep.index),
        side,
        fmt(rep.start_s - summary.start_s, ".1f"),
        fmt(rep.peak_angle_deg, ".1f"),
        fmt(rep.hold_s, ".1f"),
        classify_hold(rep.hold_s, summary.config),
        fmt(rep.out_s, ".1f"),
        fmt(rep.back_s, ".1f"),
        fmt(rep.smoothness_sparc, ".2f"),
        fmt(rep.hold_steadiness_deg, ".2f"),
        fmt(rep.peak_speed_deg_s, ".0f"),
        near_limit,
    )


def no_exercise_found(result: AnalysisResult) -> str:
    """The verdict of a recording without reps, with what it showed (postures, movements not counted)."""
    seen = what_was_seen(result)
    return f"No exercise found: {seen}." if seen else "No exercise found."
