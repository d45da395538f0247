"""The truth of a simulated recording, in the same schema as ``imurep analyze --json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from imurep.sim.timeline import Timeline, TruthMovement, TruthRep

__all__ = ["NegativeSetTruth", "PostureSpan", "SetTruth", "Truth", "TruthMovement", "TruthRep"]


@dataclass(frozen=True)
class SetTruth:
    """One simulated set: its exercise, span (s from the recording's start) and reps in order."""

    exercise: str
    start_s: float
    end_s: float
    reps: tuple[TruthRep, ...]


@dataclass(frozen=True)
class NegativeSetTruth:
    """A set of a floor exercise that is not ours (``kind``, e.g. ``clam``): no rep may be counted
    in it; ``movements`` says what was made, in order."""

    kind: str
    start_s: float
    end_s: float
    movements: tuple[TruthMovement, ...]


@dataclass(frozen=True)
class PostureSpan:
    """A stretch of one posture (``standing``, ``sitting``, ``supine``, ``side_lying``,
    ``all_fours``, ``prone``) or of ``moving`` between postures, s from the recording's start."""

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
    negatives
        The sets of floor exercises that are not ours, in time order (no reps: what was made).
    """

    sets: tuple[SetTruth, ...]
    postures: tuple[PostureSpan, ...]
    clock_origin_s: float
    duration_s: float
    parameters: dict[str, Any] = field(default_factory=dict)
    negatives: tuple[NegativeSetTruth, ...] = ()

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
            tuple(
                NegativeSetTruth(n.kind, n.start_s, n.end_s, tuple(n.movements)) for n in timeline.negatives
            ),
        )

    def to_json_obj(self) -> dict[str, Any]:
        """The truth as ``imurep analyze --json`` reports (``FORMAT.md`` §2), plus ``postures`` and
        ``parameters``, and ``negatives`` when there are any (sets of floor exercises that are not
        ours: ``kind``, span, ``count`` and each movement's times, side and ``peak_angle_deg``).

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
        obj: dict[str, Any] = {
            "source": "imurep simulator",
            "duration_s": round(self.duration_s, 3),
            "reps": reps,
            "sets": sets,
        }
        if self.negatives:  # absent otherwise: truth files made before negatives stay the same
            obj["negatives"] = [
                {
                    "kind": n.kind,
                    "start_s": round(n.start_s + o, 4),
                    "end_s": round(n.end_s + o, 4),
                    "count": len(n.movements),
                    "movements": [
                        {
                            "side": m.side,
                            "start_s": round(m.start_s + o, 4),
                            "hold_start_s": round(m.hold_start_s + o, 4),
                            "hold_end_s": round(m.hold_end_s + o, 4),
                            "end_s": round(m.end_s + o, 4),
                            "peak_angle_deg": round(m.peak_angle_deg, 3),
                        }
                        for m in n.movements
                    ],
                }
                for n in self.negatives
            ]
        return obj | {
            "postures": [
                {"posture": p.posture, "start_s": round(p.start_s + o, 4), "end_s": round(p.end_s + o, 4)}
                for p in self.postures
            ],
            "parameters": self.parameters,
        }
