"""The session at a glance: reps grouped by set, per-side figures, symmetry, trends and verdicts."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from imurep.analysis.result import AnalysisResult
from imurep.events import Exercise, RepEvent, SetEvent
from imurep.summary.config import ReportConfig
from imurep.summary.trend import Trend, fit_trend

__all__ = [
    "ExerciseSummary",
    "HoldClass",
    "SessionSummary",
    "SetSummary",
    "Symmetry",
    "Verdict",
    "classify_hold",
    "summarize",
]

HoldClass = Literal["held", "short", "missed"]

_EXERCISES: tuple[Exercise, ...] = ("knee_rolls", "heels_stretch")


@dataclass(frozen=True)
class Verdict:
    """One plain-language judgement.

    Attributes
    ----------
    item
        What is judged (``reps``, ``alternation``, ``holds``, ``range``).
    ok
        ``True`` good, ``False`` worth attention, ``None`` cannot tell.
    text
        One sentence for the person doing the exercise.
    """

    item: str
    ok: bool | None
    text: str


@dataclass(frozen=True)
class Symmetry:
    """Left against right for knee rolls.

    Attributes
    ----------
    left_range_deg, right_range_deg
        Mean range per side, degrees (NaN with no rep on that side).
    left_hold_s, right_hold_s
        Mean hold per side, s.
    range_asymmetry_pct, hold_asymmetry_pct
        ``100 * (left - right) / mean(left, right)``: 0 is symmetric, positive = more to the left.
    """

    left_range_deg: float
    right_range_deg: float
    left_hold_s: float
    right_hold_s: float
    range_asymmetry_pct: float
    hold_asymmetry_pct: float


@dataclass(frozen=True)
class SetSummary:
    """One set and the reps that belong to it.

    Attributes
    ----------
    number
        1-based position of the set in the recording.
    event
        The set as the pipeline reported it.
    reps
        Its reps, in order.
    alternation
        Fraction of consecutive reps that switch side (knee rolls with known sides; else ``None``).
    trends
        Fatigue trend per metric (``range_deg``, ``hold_s``, ``smoothness_sparc``) where there were
        enough reps.
    """

    number: int
    event: SetEvent
    reps: list[RepEvent]
    alternation: float | None
    trends: dict[str, Trend] = field(default_factory=dict)

    @property
    def exercise(self) -> Exercise:
        return self.event.exercise


@dataclass(frozen=True)
class ExerciseSummary:
    """One exercise over the whole session.

    Attributes
    ----------
    exercise
        Which exercise.
    reps, left, right, unknown_side
        Rep counts (sides only for knee rolls).
    mean_range_deg, median_range_deg, range_sd_deg
        Range of motion over all reps (mean, median, standard deviation: its consistency), degrees.
    mean_hold_s
        Mean hold, s.
    time_under_stretch_s
        Sum of the holds, s.
    holds
        How many reps were held / short / missed (see :func:`classify_hold`).
    far_reps
        Indices (``RepEvent.index``) of reps far beyond the person's usual range.
    symmetry
        Knee rolls with reps on both sides; else ``None``.
    verdicts
        Plain-language judgements against the article.
    """

    exercise: Exercise
    reps: int
    left: int
    right: int
    unknown_side: int
    mean_range_deg: float
    median_range_deg: float
    range_sd_deg: float
    mean_hold_s: float
    time_under_stretch_s: float
    holds: dict[HoldClass, int]
    far_reps: list[int]
    symmetry: Symmetry | None
    verdicts: list[Verdict]


@dataclass(frozen=True)
class SessionSummary:
    """The session at a glance, built from one :class:`AnalysisResult`."""

    source: str
    duration_s: float
    start_s: float
    config: ReportConfig
    exercises: list[ExerciseSummary]
    sets: list[SetSummary]

    def to_json_obj(self) -> dict[str, Any]:
        """The ``summary`` object added to the FORMAT.md §2 JSON."""
        return {
            "target_reps": self.config.target_reps,
            "target_hold_s": self.config.target_hold_s,
            "exercises": [_exercise_json(e) for e in self.exercises],
            "sets": [
                {
                    "number": s.number,
                    "exercise": s.exercise,
                    "reps": len(s.reps),
                    "alternation": _num(s.alternation),
                    "trends": {
                        k: {
                            "slope_per_rep": _num(t.slope_per_rep),
                            "change_pct": _num(t.change_pct),
                            "n": t.n,
                        }
                        for k, t in s.trends.items()
                    },
                }
                for s in self.sets
            ],
        }


def _num(x: float | None) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), 4)


def _exercise_json(e: ExerciseSummary) -> dict[str, Any]:
    sym = None
    if e.symmetry is not None:
        sym = {k: _num(v) for k, v in e.symmetry.__dict__.items()}
    return {
        "exercise": e.exercise,
        "reps": e.reps,
        "left": e.left,
        "right": e.right,
        "unknown_side": e.unknown_side,
        "mean_range_deg": _num(e.mean_range_deg),
        "median_range_deg": _num(e.median_range_deg),
        "range_sd_deg": _num(e.range_sd_deg),
        "mean_hold_s": _num(e.mean_hold_s),
        "time_under_stretch_s": _num(e.time_under_stretch_s),
        "holds": dict(e.holds),
        "far_reps": list(e.far_reps),
        "symmetry": sym,
        "verdicts": [{"item": v.item, "ok": v.ok, "text": v.text} for v in e.verdicts],
    }


def classify_hold(hold_s: float, config: ReportConfig) -> HoldClass:
    """``held`` (at least ``config.held_s``), ``missed`` (under ``config.missed_hold_s``) or ``short``.

    Parameters
    ----------
    hold_s
        A rep's hold, s.
    config
        The targets (:attr:`ReportConfig.held_s`, :attr:`ReportConfig.missed_hold_s`).
    """
    if hold_s >= config.held_s:
        return "held"
    if hold_s < config.missed_hold_s:
        return "missed"
    return "short"


def _mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if len(values) else float("nan")


def _asym_pct(left: float, right: float) -> float:
    mid = 0.5 * (left + right)
    if not (math.isfinite(left) and math.isfinite(right)) or mid == 0:
        return float("nan")
    return 100.0 * (left - right) / mid


def _interval_gap_s(rep: RepEvent, s: SetEvent) -> float:
    """0 when the rep overlaps the set, else the time between them, s."""
    return max(0.0, s.start_s - rep.end_s, rep.start_s - s.end_s)


def _assign_reps(sets: Sequence[SetEvent], reps: Sequence[RepEvent]) -> list[list[RepEvent]]:
    """Each rep goes to the nearest set of its exercise (the pipeline's set edges can trail the
    first rep's onset by a second or so)."""
    groups: list[list[RepEvent]] = [[] for _ in sets]
    for rep in reps:
        candidates = [i for i, s in enumerate(sets) if s.exercise == rep.exercise]
        if candidates:
            best = min(candidates, key=lambda i: _interval_gap_s(rep, sets[i]))
            groups[best].append(rep)
    return groups


def _alternation(reps: Sequence[RepEvent]) -> float | None:
    sides = [r.side for r in reps if r.side is not None]
    if reps and reps[0].exercise != "knee_rolls":
        return None
    if len(sides) < 2:
        return None
    switches = sum(1 for a, b in itertools.pairwise(sides) if a != b)
    return switches / (len(sides) - 1)


def _set_summaries(result: AnalysisResult, config: ReportConfig) -> list[SetSummary]:
    assigned = _assign_reps(result.sets, result.reps)
    groups: list[tuple[SetEvent, list[RepEvent]]] = list(zip(result.sets, assigned, strict=True))
    taken = {r.index for g in assigned for r in g}
    orphans = [r for r in result.reps if r.index not in taken]
    # Reps of an exercise with no reported set still count: they get a set of their own.
    for exercise in _EXERCISES:
        rest = [r for r in orphans if r.exercise == exercise]
        if rest:
            ev = SetEvent(
                exercise=exercise,
                start_s=rest[0].start_s,
                end_s=rest[-1].end_s,
                reps=len(rest),
                left=sum(r.side == "left" for r in rest),
                right=sum(r.side == "right" for r in rest),
            )
            groups.append((ev, rest))
    groups.sort(key=lambda g: g[0].start_s)
    out = []
    for number, (ev, reps) in enumerate(groups, 1):
        trends: dict[str, Trend] = {}
        metrics: dict[str, list[float | None]] = {
            "range_deg": [r.peak_angle_deg for r in reps],
            "hold_s": [r.hold_s for r in reps],
            "smoothness_sparc": [r.smoothness_sparc for r in reps],
        }
        for name, values in metrics.items():
            t = fit_trend(name, values, min_n=config.min_reps_for_trend)
            if t is not None:
                trends[name] = t
        out.append(
            SetSummary(number=number, event=ev, reps=reps, alternation=_alternation(reps), trends=trends)
        )
    return out


def _far_reps(reps: Sequence[RepEvent], config: ReportConfig) -> list[int]:
    """Reps whose range is far above the usual range of the same exercise and side."""
    far: list[int] = []
    for side in {r.side for r in reps}:
        group = [r for r in reps if r.side == side]
        if len(group) < 3:
            continue
        usual = float(np.median([r.peak_angle_deg for r in group]))
        far.extend(r.index for r in group if r.peak_angle_deg > config.far_range_ratio * usual)
    return sorted(far)


def _verdicts(
    exercise: Exercise,
    reps: Sequence[RepEvent],
    sets: Sequence[SetSummary],
    holds: dict[HoldClass, int],
    far: Sequence[int],
    config: ReportConfig,
) -> list[Verdict]:
    n = len(reps)
    target = config.target_reps
    out: list[Verdict] = []
    left = sum(r.side == "left" for r in reps)
    right = sum(r.side == "right" for r in reps)
    if exercise == "knee_rolls" and left + right > 0:
        ok = left >= target and right >= target
        text = f"{left} to the left and {right} to the right, against {target} each side."
        out.append(Verdict("reps", ok, ("Done: " if ok else "Fewer than asked: ") + text))
    elif exercise == "knee_rolls":
        out.append(
            Verdict(
                "reps",
                None,
                f"{n} rolls; the sides are unknown (mounting unknown), target {target} each side.",
            )
        )
    else:
        ok = n >= target
        out.append(
            Verdict(
                "reps",
                ok,
                f"{n} rock-backs against at least {target}." + ("" if ok else " Fewer than asked."),
            )
        )
    if exercise == "knee_rolls":
        alts = [s.alternation for s in sets if s.exercise == exercise and s.alternation is not None]
        if not alts:
            out.append(
                Verdict(
                    "alternation",
                    None,
                    "Cannot tell whether the sides alternated (sides unknown).",
                )
            )
        else:
            worst = min(alts)
            ok = worst >= config.alternation_fraction
            msg = (
                "Yes, the sides alternated."
                if ok
                else f"Not always: only {100 * worst:.0f}% of consecutive rolls switched side; "
                "the article asks for both sides alternately."
            )
            out.append(Verdict("alternation", ok, msg))
    if n:
        held = holds["held"]
        ok_hold = held == n
        tgt = f"{config.target_hold_s:g} s"
        if ok_hold:
            msg = (
                f"Every stretch was held for about one breath (at least {config.held_s:.1f} s; target {tgt})."
            )
        else:
            msg = (
                f"{held} of {n} stretches held for about one breath ({tgt}); "
                f"{holds['short']} short, {holds['missed']} with no pause at the end of the movement."
            )
        out.append(Verdict("holds", ok_hold, msg))
        if len(reps) < 3:
            out.append(Verdict("range", None, "Too few reps to know the usual range."))
        elif far:
            idx = ", ".join(str(i) for i in far)
            out.append(
                Verdict(
                    "range",
                    False,
                    f"Rep {idx} went far beyond the usual range; stretch only as far as is comfortable.",
                )
            )
        else:
            out.append(Verdict("range", True, "Stayed within a comfortable, consistent range."))
    return out


def _exercise_summary(
    exercise: Exercise, reps: Sequence[RepEvent], sets: Sequence[SetSummary], config: ReportConfig
) -> ExerciseSummary:
    ranges = [r.peak_angle_deg for r in reps]
    hold_list = [r.hold_s for r in reps]
    holds: dict[HoldClass, int] = {"held": 0, "short": 0, "missed": 0}
    for h in hold_list:
        holds[classify_hold(h, config)] += 1
    left = [r for r in reps if r.side == "left"]
    right = [r for r in reps if r.side == "right"]
    symmetry = None
    if exercise == "knee_rolls" and left and right:
        lr = _mean([r.peak_angle_deg for r in left])
        rr = _mean([r.peak_angle_deg for r in right])
        lh = _mean([r.hold_s for r in left])
        rh = _mean([r.hold_s for r in right])
        symmetry = Symmetry(lr, rr, lh, rh, _asym_pct(lr, rr), _asym_pct(lh, rh))
    far = _far_reps(reps, config)
    return ExerciseSummary(
        exercise=exercise,
        reps=len(reps),
        left=len(left),
        right=len(right),
        unknown_side=sum(r.side is None for r in reps) if exercise == "knee_rolls" else 0,
        mean_range_deg=_mean(ranges),
        median_range_deg=float(np.median(ranges)) if ranges else float("nan"),
        range_sd_deg=float(np.std(ranges, ddof=1)) if len(ranges) > 1 else float("nan"),
        mean_hold_s=_mean(hold_list),
        time_under_stretch_s=float(sum(hold_list)),
        holds=holds,
        far_reps=far,
        symmetry=symmetry,
        verdicts=_verdicts(exercise, reps, sets, holds, far, config),
    )


def summarize(result: AnalysisResult, config: ReportConfig | None = None) -> SessionSummary:
    """Group reps into sets and judge the session against the article's targets.

    Parameters
    ----------
    result
        One analysed recording.
    config
        Targets and thresholds (default :class:`ReportConfig`).
    """
    cfg = config or ReportConfig()
    sets = _set_summaries(result, cfg)
    exercises = []
    for exercise in _EXERCISES:
        reps = [r for r in result.reps if r.exercise == exercise]
        if reps or any(s.exercise == exercise for s in sets):
            exercises.append(_exercise_summary(exercise, reps, sets, cfg))
    return SessionSummary(
        source=result.source,
        duration_s=result.duration_s,
        start_s=result.quality.start_s,
        config=cfg,
        exercises=exercises,
        sets=sets,
    )
