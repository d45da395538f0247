"""The truth of a simulated recording, in the same schema as ``imurep analyze --json``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from imurep.sim.timeline import TruthSet, TruthSpan

__all__ = ["Truth"]


@dataclass(frozen=True)
class Truth:
    """Reps, sets and postures as they were simulated (times in the recording's time base)."""

    sets: list[TruthSet]
    postures: list[TruthSpan]
    clock_origin_s: float
    duration_s: float
    parameters: dict[str, Any] = field(default_factory=dict)

    def to_json_obj(self) -> dict[str, Any]:
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


def config_dict(obj: Any) -> dict[str, Any]:
    return asdict(obj)
