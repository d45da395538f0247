"""Match detected reps to true reps by interval overlap and score counts, sides, holds, latency."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from imurep.errors import InputError
from imurep.events import RepEvent, SetEvent
from imurep.sim.config import EXERCISE_KINDS, NEGATIVE_KINDS, POPULATIONS

__all__ = [
    "FileScore",
    "SuiteScore",
    "file_group",
    "parse_reps",
    "parse_sets",
    "score_file",
    "summarize_groups",
    "summarize_scores",
]


def parse_reps(obj: dict[str, Any], source: str) -> list[RepEvent]:
    """Reps of a ``FORMAT.md`` §2 object (truth files share the schema)."""
    try:
        return [
            RepEvent(
                exercise=r["exercise"],
                side=r.get("side"),
                index=int(r.get("index", i + 1)),
                start_s=float(r["start_s"]),
                hold_start_s=float(r["hold_start_s"]),
                hold_end_s=float(r["hold_end_s"]),
                end_s=float(r["end_s"]),
                hold_s=float(r["hold_s"]),
                peak_angle_deg=float(r.get("peak_angle_deg") or 0.0),
                emitted_at_s=float(r.get("emitted_at_s") or r["end_s"]),
            )
            for i, r in enumerate(obj.get("reps", []))
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"rep entry lacks or garbles field {exc}", source) from None


def parse_sets(obj: dict[str, Any], source: str) -> list[SetEvent]:
    try:
        return [
            SetEvent(
                exercise=s["exercise"],
                start_s=float(s["start_s"]),
                end_s=float(s["end_s"]),
                reps=int(s["reps"]),
                left=int(s.get("left", 0)),
                right=int(s.get("right", 0)),
            )
            for s in obj.get("sets", [])
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"set entry lacks or garbles field {exc}", source) from None


def _overlap_s(a: RepEvent, b: RepEvent) -> float:
    return max(0.0, min(a.end_s, b.end_s) - max(a.start_s, b.start_s))


def match_reps(truth: list[RepEvent], found: list[RepEvent]) -> list[tuple[int, int]]:
    """Pairs (truth index, found index), one-to-one, same exercise, greatest overlap first."""
    cands: list[tuple[float, int, int]] = []
    for i, t in enumerate(truth):
        for j, f in enumerate(found):
            if f.start_s > t.end_s:
                break
            if f.exercise == t.exercise:
                ov = _overlap_s(t, f)
                if ov > 0:
                    union = max(t.end_s, f.end_s) - min(t.start_s, f.start_s)
                    cands.append((ov / union, i, j))
    cands.sort(reverse=True)
    used_t: set[int] = set()
    used_f: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_t and j not in used_f:
            used_t.add(i)
            used_f.add(j)
            pairs.append((i, j))
    return sorted(pairs)


@dataclass
class FileScore:
    """Scores of one labelled recording."""

    name: str
    n_truth: int
    n_found: int
    n_matched: int
    sets_total: int
    sets_exact: int
    side_total: int  # matched knee rolls whose side was found (``side_correct`` of them right)
    side_correct: int
    side_unknown: int = 0  # matched knee rolls reported without a side (unknown mounting)
    hold_errors_s: list[float] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)
    distractor_only: bool = False
    notes: list[str] = field(default_factory=list)
    group: str = "typical"
    negative_movements: int = 0


def file_group(truth_obj: dict[str, Any]) -> str:
    """The group a labelled recording is reported in: the population of a simulated recording of
    our exercises (``typical``, ``small``, ...), else its kind (``clam``, ``distractors``, ...).
    A truth file without simulation parameters is ``typical`` if it has reps, else ``no_reps``."""
    params = truth_obj.get("parameters")
    kind = params.get("kind") if isinstance(params, dict) else None
    if not isinstance(kind, str):
        return "typical" if truth_obj.get("reps") else "no_reps"
    if kind in EXERCISE_KINDS:
        subject = params.get("subject") if isinstance(params, dict) else None
        population = subject.get("population", "typical") if isinstance(subject, dict) else "typical"
        return str(population)
    return kind


def _negative_movements(obj: dict[str, Any], source: str) -> int:
    try:
        return sum(int(n["count"]) for n in obj.get("negatives", []))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"negatives entry lacks or garbles field {exc}", source) from None


def _in_set(r: RepEvent, s: SetEvent) -> bool:
    return r.exercise == s.exercise and s.start_s - 1.0 <= 0.5 * (r.start_s + r.end_s) <= s.end_s + 1.0


def _count_in(reps: list[RepEvent], s: SetEvent, side: str | None) -> int:
    """Reps found in set ``s``: of one side, or (``None``) all of them."""
    return sum(1 for r in reps if _in_set(r, s) and (side is None or r.side == side))


def score_file(name: str, truth_obj: dict[str, Any], found_reps: list[RepEvent]) -> FileScore:
    """Score one recording's detected reps against its truth."""
    truth = parse_reps(truth_obj, name)
    sets = parse_sets(truth_obj, name)
    pairs = match_reps(truth, found_reps)
    sets_exact = 0
    for s in sets:
        sides_unknown = _count_in(found_reps, s, None) > 0 and all(
            r.side is None for r in found_reps if _in_set(r, s)
        )
        if s.exercise == "knee_rolls" and not sides_unknown:
            ok = _count_in(found_reps, s, "left") == s.left and _count_in(found_reps, s, "right") == s.right
        else:
            ok = _count_in(found_reps, s, None) == s.reps
        sets_exact += ok
    side_total = side_correct = side_unknown = 0
    holds: list[float] = []
    lat: list[float] = []
    for i, j in pairs:
        t, f = truth[i], found_reps[j]
        if t.exercise == "knee_rolls" and t.side is not None:
            if f.side is None:  # an unknown mounting: the side is not known, not wrong
                side_unknown += 1
            else:
                side_total += 1
                side_correct += t.side == f.side
        holds.append(abs(f.hold_s - t.hold_s))
        lat.append(f.emitted_at_s - t.end_s)
    notes = []
    unmatched_t = sorted(set(range(len(truth))) - {i for i, _ in pairs})
    unmatched_f = sorted(set(range(len(found_reps))) - {j for _, j in pairs})
    for i in unmatched_t:
        t = truth[i]
        notes.append(
            f"missed {t.exercise} {t.side or ''} rep at {t.start_s:.1f} s (peak {t.peak_angle_deg:.0f}°)"
        )
    for j in unmatched_f:
        f = found_reps[j]
        notes.append(
            f"extra {f.exercise} {f.side or ''} rep at {f.start_s:.1f} s (peak {f.peak_angle_deg:.0f}°)"
        )
    return FileScore(
        name=name,
        n_truth=len(truth),
        n_found=len(found_reps),
        n_matched=len(pairs),
        sets_total=len(sets),
        sets_exact=sets_exact,
        side_total=side_total,
        side_correct=side_correct,
        side_unknown=side_unknown,
        hold_errors_s=holds,
        latencies_s=lat,
        distractor_only=not truth,
        notes=notes,
        group=file_group(truth_obj),
        negative_movements=_negative_movements(truth_obj, name),
    )


@dataclass(frozen=True)
class SuiteScore:
    """Scores over a whole evaluation suite."""

    files: int
    rep_precision: float
    rep_recall: float
    rep_f1: float
    sets_exact_share: float
    side_accuracy: float
    hold_abs_err_median_s: float
    hold_abs_err_p90_s: float
    latency_p90_s: float
    distractor_files: int
    distractor_reps: int
    negative_movements: int = 0  # movements of floor exercises that are not ours (in those files)
    side_unknown_reps: int = 0  # knee rolls counted without a side: not in side_accuracy

    def to_json_obj(self) -> dict[str, float | int]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def summarize_scores(scores: list[FileScore]) -> SuiteScore:
    n_truth = sum(s.n_truth for s in scores)
    n_found = sum(s.n_found for s in scores)
    n_match = sum(s.n_matched for s in scores)
    precision = n_match / n_found if n_found else 1.0
    recall = n_match / n_truth if n_truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    sets_total = sum(s.sets_total for s in scores)
    side_total = sum(s.side_total for s in scores)
    holds = np.asarray([h for s in scores for h in s.hold_errors_s])
    lat = np.asarray([x for s in scores for x in s.latencies_s])
    nan = float("nan")
    return SuiteScore(
        files=len(scores),
        rep_precision=precision,
        rep_recall=recall,
        rep_f1=f1,
        sets_exact_share=sum(s.sets_exact for s in scores) / sets_total if sets_total else nan,
        side_accuracy=sum(s.side_correct for s in scores) / side_total if side_total else nan,
        hold_abs_err_median_s=float(np.median(holds)) if holds.size else nan,
        hold_abs_err_p90_s=float(np.percentile(holds, 90)) if holds.size else nan,
        latency_p90_s=float(np.percentile(lat, 90)) if lat.size else nan,
        distractor_files=sum(1 for s in scores if s.distractor_only),
        distractor_reps=sum(s.n_found for s in scores if s.distractor_only),
        negative_movements=sum(s.negative_movements for s in scores),
        side_unknown_reps=sum(s.side_unknown for s in scores),
    )


def summarize_groups(scores: list[FileScore]) -> dict[str, SuiteScore]:
    """:func:`summarize_scores` per group (:func:`file_group`): the populations, then the negative kinds,
    then any other group (``distractors``, ...) by name."""
    groups: dict[str, list[FileScore]] = {}
    for s in scores:
        groups.setdefault(s.group, []).append(s)
    order: dict[str, int] = {name: i for i, name in enumerate((*POPULATIONS, *NEGATIVE_KINDS))}
    names = sorted(groups, key=lambda g: (order.get(g, len(order)), g))
    return {name: summarize_scores(groups[name]) for name in names}
