"""Hand-built analysis results for report and plot tests (no pipeline involved)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from imurep.analysis.result import AnalysisResult, AngleTrace, DataQuality, PostureSpan
from imurep.events import Exercise, RepEvent, SetEvent, Side

T0_S = 1_700_000_000.0  # Unix time base: 2023-11-14 22:13:20 UTC


def rep(
    index: int,
    start_s: float,
    side: Side | None = "left",
    exercise: Exercise = "knee_rolls",
    peak_deg: float = 30.0,
    hold_s: float = 4.0,
    out_s: float = 1.5,
    back_s: float = 1.5,
    smoothness: float | None = -2.0,
) -> RepEvent:
    hold_start = start_s + out_s
    return RepEvent(
        exercise=exercise,
        side=side,
        index=index,
        start_s=start_s,
        hold_start_s=hold_start,
        hold_end_s=hold_start + hold_s,
        end_s=hold_start + hold_s + back_s,
        hold_s=hold_s,
        peak_angle_deg=peak_deg,
        emitted_at_s=hold_start + hold_s + back_s + 0.3,
        out_s=out_s,
        back_s=back_s,
        smoothness_sparc=smoothness,
        hold_steadiness_deg=0.5 if hold_s >= 0.3 else None,
        peak_speed_deg_s=40.0,
    )


def knee_roll_reps(
    n: int,
    t_start_s: float = T0_S + 10.0,
    peaks_deg: Sequence[float] | None = None,
    holds_s: Sequence[float] | None = None,
    sides: Sequence[Side] | None = None,
    first_index: int = 1,
) -> list[RepEvent]:
    out = []
    t = t_start_s
    for i in range(n):
        side: Side = sides[i] if sides is not None else ("left" if i % 2 == 0 else "right")
        r = rep(
            first_index + i,
            t,
            side=side,
            peak_deg=peaks_deg[i] if peaks_deg is not None else 30.0,
            hold_s=holds_s[i] if holds_s is not None else 4.0,
        )
        out.append(r)
        t = r.end_s + 1.0
    return out


def heels_reps(n: int, t_start_s: float, first_index: int = 1, hold_s: float = 4.0) -> list[RepEvent]:
    out = []
    t = t_start_s
    for i in range(n):
        r = rep(first_index + i, t, side=None, exercise="heels_stretch", peak_deg=20.0, hold_s=hold_s)
        out.append(r)
        t = r.end_s + 1.0
    return out


def set_of(reps: Sequence[RepEvent]) -> SetEvent:
    return SetEvent(
        exercise=reps[0].exercise,
        start_s=reps[0].start_s + 0.8,  # the pipeline's set onset can trail the first rep's onset
        end_s=reps[-1].end_s,
        reps=len(reps),
        left=sum(r.side == "left" for r in reps),
        right=sum(r.side == "right" for r in reps),
    )


def make_result(
    reps: Sequence[RepEvent],
    sets: Sequence[SetEvent] | None = None,
    source: str = "synthetic.csv",
    has_gyr: bool = True,
    gaps: Sequence[tuple[float, float]] = (),
    warnings: Sequence[str] = (),
) -> AnalysisResult:
    reps = list(reps)
    if sets is None:
        sets = []
        for ex in ("knee_rolls", "heels_stretch"):
            group = [r for r in reps if r.exercise == ex]
            if group:
                sets.append(set_of(group))
    end_s = max([r.end_s for r in reps], default=T0_S + 30.0) + 10.0
    time_s = np.arange(T0_S, end_s, 0.04)
    angle_deg = np.full(time_s.shape, np.nan)
    exercise = np.full(time_s.shape, "", dtype="<U32")
    for r in reps:
        sign = -1.0 if r.side == "right" else 1.0
        inside = (time_s >= r.start_s) & (time_s <= r.end_s)
        phase = np.clip((time_s[inside] - r.start_s) / max(r.end_s - r.start_s, 1e-6), 0, 1)
        angle = sign * r.peak_angle_deg * np.sin(np.pi * phase)
        angle_deg[inside] = angle
        exercise[inside] = r.exercise
    postures = [PostureSpan("standing", T0_S, T0_S + 5.0)]
    for s in sets:
        postures.append(
            PostureSpan("supine" if s.exercise == "knee_rolls" else "all_fours", s.start_s - 3, s.end_s)
        )
    quality = DataQuality(
        sample_rate_hz=50.0,
        n_samples=int((end_s - T0_S) * 50),
        duration_s=end_s - T0_S,
        gaps=list(gaps),
        lost_samples=3 * len(gaps),
        has_gyr=has_gyr,
        warnings=list(warnings),
        start_s=T0_S,
    )
    return AnalysisResult(
        source=source,
        reps=reps,
        sets=list(sets),
        quality=quality,
        postures=postures,
        trace=AngleTrace(time_s=time_s, angle_deg=angle_deg, exercise=exercise),
        unavailable_metrics=[] if has_gyr else ["smoothness_sparc"],
    )


def full_session() -> AnalysisResult:
    """10 alternating knee rolls each side, then 10 heels stretches: meets every target."""
    kr = knee_roll_reps(20)
    hs = heels_reps(10, kr[-1].end_s + 20.0, first_index=21)
    return make_result(kr + hs)
