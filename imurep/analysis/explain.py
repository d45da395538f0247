"""Why a movement was or was not counted: the candidate list and what a recording showed.

A user or clinician who doubts a count reads every candidate movement with its time, angle, hold
and the named reason it was not counted (``imurep analyze --explain``); a recording with movement
but no rep says what was seen instead of a bare zero.
"""

from __future__ import annotations

from collections import Counter

from imurep.analysis.result import AnalysisResult
from imurep.exercises.registry import all_exercises, exercise
from imurep.pipeline.rep_gate import GATE_REASONS
from imurep.pipeline.set_evidence import SET_REASONS, CandidateVerdict

__all__ = ["REASONS", "format_candidates", "what_was_seen"]

# Every named reason and what it means, gate reasons first.
REASONS: dict[str, str] = {str(k): v for k, v in GATE_REASONS.items()} | {
    str(k): v for k, v in SET_REASONS.items()
}

# Held this long in an exercise's start posture, a set of it could have been done.
_SET_POSTURE_S = 10.0

_POSTURE_WORDS = {
    "supine": "lying on the back",
    "all_fours": "on all fours",
    "standing": "upright",
    "side_lying": "lying on the side",
    "unknown": "posture unknown",
}


def _direction(v: CandidateVerdict, sided: bool) -> str:
    if sided:
        return "left" if v.direction > 0 else "right"
    return "+" if v.direction > 0 else "-"


def format_candidates(result: AnalysisResult) -> str:
    """One line per candidate movement: time, direction, peak, hold, counted or the reason why not."""
    t0 = result.quality.start_s
    lines = [f"{result.source}: {len(result.candidates)} candidate movements, {len(result.reps)} counted"]
    if result.candidates:
        lines.append("     start_s    end_s  exercise       dir   peak_deg  hold_s  verdict")
    known_mount = result.mount_known
    for v in result.candidates:
        sided = exercise(v.exercise).sided and known_mount
        verdict = "counted" if v.counted else f"not counted: {v.reason} ({REASONS.get(v.reason or '', '')})"
        if v.counted and v.decided_s - v.end_s > 1.0:
            verdict += f" (confirmed at {v.decided_s - t0:.1f} s)"
        lines.append(
            f"  {v.start_s - t0:10.1f} {v.end_s - t0:8.1f}  {v.exercise:<13s}  {_direction(v, sided):<5s} "
            f"{v.peak_deg:8.1f}  {v.hold_s:6.1f}  {verdict}"
        )
    lines.append("  (times counted from the first sample)")
    return "\n".join(lines)


def what_was_seen(
    result: AnalysisResult, mount_hint: str | None = None, exercise_asked: str = "auto"
) -> str | None:
    """For a recording without reps: the postures held and the movements made, in one line.

    ``None`` when there are reps, or nothing but stillness to report. ``exercise_asked``: the one
    exercise the user asked to count (``auto``: all); when another exercise's start posture was
    held instead, the line says so and suggests ``--exercise auto``.
    """
    if result.reps:
        return None
    held: dict[str, float] = {}
    for p in result.postures:
        held[p.posture] = held.get(p.posture, 0.0) + p.end_s - p.start_s
    postures = ", ".join(
        f"{_POSTURE_WORDS.get(name, name)} {seconds:.0f} s"
        for name, seconds in sorted(held.items(), key=lambda kv: -kv[1])[:3]
        if seconds >= 1.0
    )
    reasons = Counter(v.reason for v in result.candidates if not v.counted)
    parts = [f"no rep found; seen: {postures or 'no posture held'}"]
    if reasons:
        n = sum(reasons.values())
        top = ", ".join(f"{k} {c}" for k, c in reasons.most_common(3))
        parts.append(f"{n} movement{'s' if n != 1 else ''} not counted ({top})")
        if reasons.get("off_axis") and mount_hint:
            parts.append(mount_hint)
    else:
        starts = {p for spec in all_exercises() for p in spec.start_postures}
        if postures and not any(p.posture in starts or p.posture == "unknown" for p in result.postures):
            wanted = ", ".join(
                f"{' or '.join(_POSTURE_WORDS.get(p, p) for p in spec.start_postures)} "
                f"for {spec.display_name.lower()}"
                for spec in all_exercises()
            )
            parts.append(f"no exercise posture was held ({wanted})")
    other = _other_exercise_held(held, exercise_asked)
    if other:
        parts.append(other)
    return "; ".join(parts)


def _other_exercise_held(held_s: dict[str, float], exercise_asked: str) -> str | None:
    """A hint when the posture of an exercise the user did not ask for was held long enough for a set."""
    if exercise_asked == "auto":
        return None
    asked = exercise(exercise_asked)
    asked_s = sum(held_s.get(p, 0.0) for p in asked.start_postures)
    for spec in all_exercises():
        other_s = sum(held_s.get(p, 0.0) for p in spec.start_postures)
        if spec.name != asked.name and other_s >= _SET_POSTURE_S and other_s > asked_s:
            where = " or ".join(_POSTURE_WORDS.get(p, p) for p in spec.start_postures)
            return (
                f"{where} is where {spec.display_name.lower()} start, but --exercise "
                f"{asked.cli_name} counts only {asked.display_name.lower()}: try --exercise auto"
            )
    return None
