"""The truth of a simulated recording, in the same schema as ``imurep analyze --json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from imurep.sim.timeline import Timeline, TruthRep

__all__ = ["PostureSpan", "SetTruth", "Truth", "TruthRep"]


@dataclass(frozen=True)
class SetTruth:
    """One simulated set: its exercise, span (s from the recording's start) and reps in order."""

    exercise: str
    start_s: float
    end_s: float
    reps: tuple[TruthRep, ...]


@dataclass(frozen=True)
class PostureSpan:
    """A stretch of one posture (``standing``, ``sitting``, ``supine``, ``side_lying``,
    ``all_fours``) or of ``moving`` between postures, s from the recording's start."""

    posture: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Truth:
    """Reps, sets and postures as they were simulated.

    Attributes
    ----------
    sets
        The sets in time order; times in s from the recording's start (the true sampling clock).
    postures
        The posture timeline, contiguous from 0 to ``duration_s``.
    clock_origin_s
        Added to every time by :meth:`to_json_obj`: the recording's time base (``time_s`` column).
    duration_s
        Length of the simulated motion, s.
    parameters
        The whole configuration and what the link lost (``lost_samples``, ``lost_packets``).
    """

    sets: tuple[SetTruth, ...]
    postures: tuple[PostureSpan, ...]
    clock_origin_s: float
    duration_s: float
    parameters: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_timeline(
        cls, timeline: Timeline, clock_origin_s: float, duration_s: float, parameters: dict[str, Any]
    ) -> Truth:
        """Freeze what a :class:`~imurep.sim.timeline.Timeline` recorded while it was built."""
        return cls(
            tuple(SetTruth(s.exercise, s.start_s, s.end_s, tuple(s.reps)) for s in timeline.sets),
            tuple(PostureSpan(p.posture, p.start_s, p.end_s) for p in timeline.spans),
            clock_origin_s,
            duration_s,
            parameters,
        )

    def to_json_obj(self) -> dict[str, Any]:
        """The truth as ``imurep analyze --json`` reports (``FORMAT.md`` §2), plus ``postures`` and
        ``parameters``.

        Times are in the recording's time base (clock origin added), rounded to 0.1 ms;
        ``emitted_at_s`` = ``end_s``; ``index`` counts reps from 1 across the recording.
        """
        o = self.clock_origin_s
        reps = []
        sets = []
        index = 1
        for s in self.sets:
            for r in s.reps:
                reps.append(
                    {
                        "exercise": r.exercise,
                        "side": r.side,
                        "index": index,
                        "start_s": round(r.start_s + o, 4),
                        "hold_start_s": round(r.hold_start_s + o, 4),
                        "hold_end_s": round(r.hold_end_s + o, 4),
                        "end_s": round(r.end_s + o, 4),
                        "hold_s": round(r.hold_end_s - r.hold_start_s, 4),
                        "peak_angle_deg": round(r.peak_angle_deg, 3),
                        "emitted_at_s": round(r.end_s + o, 4),
                    }
                )
                index += 1
            sets.append(
                {
                    "exercise": s.exercise,
                    "start_s": round(s.start_s + o, 4),
                    "end_s": round(s.end_s + o, 4),
                    "reps": len(s.reps),
                    "left": sum(1 for r in s.reps if r.side == "left"),
                    "right": sum(1 for r in s.reps if r.side == "right"),
                }
            )
        return {
            "source": "imurep simulator",
            "duration_s": round(self.duration_s, 3),
            "reps": reps,
            "sets": sets,
            "postures": [
                {"posture": p.posture, "start_s": round(p.start_s + o, 4), "end_s": round(p.end_s + o, 4)}
                for p in self.postures
            ],
            "parameters": self.parameters,
        }
