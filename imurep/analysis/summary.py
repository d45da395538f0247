"""A readable plain-text summary of an analysis result (what ``imurep analyze`` prints)."""

from __future__ import annotations

import math

from imurep.analysis.explain import what_was_seen
from imurep.analysis.result import AnalysisResult
from imurep.exercises.registry import exercise
from imurep.plural import count

__all__ = ["METRIC_NOTES", "format_summary"]

#: What the less obvious rep columns mean, in the words the summary, the report and ``--help`` use.
METRIC_NOTES: tuple[tuple[str, str], ...] = (
    (
        "smooth",
        "smoothness of the movement, the spectral arc length (SPARC) of its angular speed: "
        "always below 0, closer to 0 is smoother; a shaky or stop-and-go rep scores lower. "
        "Compare reps of one person with each other rather than with a fixed threshold",
    ),
    (
        "steady_deg",
        "hold steadiness: how much the angle wavers during the hold (its standard deviation, "
        "degrees); smaller is steadier, '-' when the hold is too short to judge",
    ),
)


def _f(x: float | None, fmt: str) -> str:
    """``x`` formatted, or ``-`` (unavailable) padded to the same width."""
    width = int(fmt.split(".")[0] or 0)
    return "-".rjust(width) if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, fmt)


def format_summary(
    result: AnalysisResult, mount_hint: str | None = None, exercise_asked: str = "auto"
) -> str:
    """Sets, then one line per rep, what was seen if nothing counted, then data-quality warnings.

    ``mount_hint``: what to suggest when movements turned about another axis than the exercise's.
    ``exercise_asked``: the one exercise the user asked to count, or ``auto``.
    """
    q = result.quality
    lines = [
        f"{result.source}: {q.duration_s:.1f} s at {q.sample_rate_hz:.0f} Hz, "
        f"{count(len(result.reps), 'rep')} in {count(len(result.sets), 'set')}"
    ]
    t0 = q.start_s
    for i, s in enumerate(result.sets, 1):
        sides = ""
        spec = exercise(s.exercise)
        if spec.sided:
            sides = f" (left {s.left}, right {s.right})" if s.left + s.right else " (sides unknown)"
        span_s = s.end_s - s.start_s
        lines.append(f"  set {i}: {spec.display_name.lower()}, {count(s.reps, 'rep')}{sides}, {span_s:.0f} s")
    if result.reps:
        lines.append(
            "     #  exercise       side    start_s   hold_s  peak_deg  out_s  back_s  smooth  steady_deg"
        )
        for r in result.reps:
            start = r.start_s - t0
            lines.append(
                f"  {r.index:4d}  {r.exercise:<13s}  {r.side or '-':<6s}  {start:7.1f}  "
                f"{r.hold_s:6.1f}  {r.peak_angle_deg:8.1f}  {_f(r.out_s, '5.1f')}  {_f(r.back_s, '6.1f')}  "
                f"{_f(r.smoothness_sparc, '6.2f')}  {_f(r.hold_steadiness_deg, '10.2f')}"
            )
        lines.append(f"  (start_s counted from the first sample, at {t0:.3f} s in the recording's time base)")
        lines += [f"  {name}: {text}" for name, text in METRIC_NOTES]
    seen = what_was_seen(result, mount_hint, exercise_asked)
    if seen:
        lines.append(f"  {seen}")
    for w in q.warnings:
        lines.append(f"  warning: {w}")
    if result.unavailable_metrics:
        lines.append(f"  not computed (no gyroscope): {', '.join(result.unavailable_metrics)}")
    return "\n".join(lines)
