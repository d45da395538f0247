"""Progress over sessions: one point per recording and exercise, then one row per day."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from imurep.analysis.result import AnalysisResult
from imurep.events import Exercise
from imurep.summary.config import ReportConfig
from imurep.summary.session import summarize

__all__ = [
    "DATE_METADATA_KEYS",
    "DayProgress",
    "SessionPoint",
    "daily_progress",
    "session_points",
    "session_time",
]

#: ``# key: value`` metadata keys read (in this order) for the session's date, ISO 8601 values.
DATE_METADATA_KEYS: tuple[str, ...] = ("start_time", "started", "recorded_at", "recorded", "date")

# Between 2000-01-01 and 2100-01-01 a time base is taken as Unix time.
_UNIX_MIN_S = 946_684_800.0
_UNIX_MAX_S = 4_102_444_800.0


@dataclass(frozen=True)
class SessionPoint:
    """One exercise in one recording.

    Attributes
    ----------
    source
        The recording's name.
    exercise
        Which exercise.
    when
        Start of the recording (UTC when it came from Unix time).
    when_from
        Where ``when`` came from: ``time_s`` (the time base is Unix time), ``metadata:<key>``, or
        ``mtime`` (the file's modification time).
    reps, left, right
        Rep counts.
    mean_range_deg, mean_hold_s
        Means over the reps; degrees, s.
    range_asymmetry_pct
        ``100 * (left - right) / mean`` of the range (NaN without both sides).
    mean_smoothness_sparc
        Mean SPARC over the reps that have it (NaN without gyroscope).
    """

    source: str
    exercise: Exercise
    when: dt.datetime
    when_from: str
    reps: int
    left: int
    right: int
    mean_range_deg: float
    mean_hold_s: float
    range_asymmetry_pct: float
    mean_smoothness_sparc: float


@dataclass(frozen=True)
class DayProgress:
    """All sessions of one exercise on one day, reps pooled."""

    day: dt.date
    exercise: Exercise
    sessions: int
    reps: int
    mean_range_deg: float
    mean_hold_s: float
    range_asymmetry_pct: float
    mean_smoothness_sparc: float


def _parse_iso(value: str) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def session_time(
    start_s: float, metadata: Mapping[str, str], path: str | os.PathLike[str] | None
) -> tuple[dt.datetime, str]:
    """When a recording was made, and how that was found out.

    Parameters
    ----------
    start_s
        First sample's time in the recording's time base, s.
    metadata
        The file's ``# key: value`` metadata.
    path
        The file, for its modification time as the last resort.

    Returns
    -------
    (when, when_from)
        ``when_from`` is ``time_s``, ``metadata:<key>`` or ``mtime`` (``unknown`` with no path).
    """
    if _UNIX_MIN_S <= start_s < _UNIX_MAX_S:
        return dt.datetime.fromtimestamp(start_s, dt.UTC), "time_s"
    for key in DATE_METADATA_KEYS:
        if key in metadata:
            when = _parse_iso(metadata[key])
            if when is not None:
                return when, f"metadata:{key}"
    if path is not None:
        return dt.datetime.fromtimestamp(os.path.getmtime(path), dt.UTC), "mtime"
    return dt.datetime.fromtimestamp(0, dt.UTC), "unknown"


def _nanmean(values: Sequence[float | None]) -> float:
    arr = np.array([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    return float(arr.mean()) if arr.size else float("nan")


def session_points(
    result: AnalysisResult,
    metadata: Mapping[str, str] | None = None,
    path: str | os.PathLike[str] | None = None,
    config: ReportConfig | None = None,
) -> list[SessionPoint]:
    """One :class:`SessionPoint` per exercise with reps in ``result``.

    Parameters
    ----------
    result
        An analysed recording.
    metadata
        The file's ``# key: value`` metadata, for when it was recorded (:func:`session_time`).
    path
        The file, for its modification time when neither the time base nor the metadata dates it.
    config
        The targets the session is summarised against (default :class:`ReportConfig`).
    """
    when, when_from = session_time(result.quality.start_s, metadata or {}, path)
    out = []
    for ex in summarize(result, config).exercises:
        reps = [r for r in result.reps if r.exercise == ex.exercise]
        if not reps:
            continue
        asym = ex.symmetry.range_asymmetry_pct if ex.symmetry is not None else float("nan")
        out.append(
            SessionPoint(
                source=result.source,
                exercise=ex.exercise,
                when=when,
                when_from=when_from,
                reps=ex.reps,
                left=ex.left,
                right=ex.right,
                mean_range_deg=ex.mean_range_deg,
                mean_hold_s=ex.mean_hold_s,
                range_asymmetry_pct=asym,
                mean_smoothness_sparc=_nanmean([r.smoothness_sparc for r in reps]),
            )
        )
    return out


def _weighted(points: Sequence[SessionPoint], attr: str) -> float:
    pairs = [(getattr(p, attr), p.reps) for p in points if math.isfinite(getattr(p, attr))]
    total = sum(w for _, w in pairs)
    return float(sum(v * w for v, w in pairs) / total) if total else float("nan")


def daily_progress(points: Sequence[SessionPoint]) -> list[DayProgress]:
    """Pool the sessions of each (day, exercise), weighting each session by its reps; in date order.

    Parameters
    ----------
    points
        Sessions from :func:`session_points`, of any recordings, in any order.
    """
    groups: dict[tuple[dt.date, Exercise], list[SessionPoint]] = {}
    for p in points:
        groups.setdefault((p.when.date(), p.exercise), []).append(p)
    out = []
    for (day, exercise), group in sorted(groups.items()):
        left = sum(p.left for p in group)
        right = sum(p.right for p in group)
        asym = float("nan")
        if left and right:
            with_sides = [p for p in group if p.left and p.right]
            asym = _weighted(with_sides, "range_asymmetry_pct")
        out.append(
            DayProgress(
                day=day,
                exercise=exercise,
                sessions=len(group),
                reps=sum(p.reps for p in group),
                mean_range_deg=_weighted(group, "mean_range_deg"),
                mean_hold_s=_weighted(group, "mean_hold_s"),
                range_asymmetry_pct=asym,
                mean_smoothness_sparc=_weighted(group, "mean_smoothness_sparc"),
            )
        )
    return out
