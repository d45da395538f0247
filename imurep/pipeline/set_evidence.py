"""Set-level evidence: whether a movement that passed the rep gate counts, judged with its set.

A person counting reps does not judge each movement alone: they see the set — the sides
alternating, the size of *this* person's reps, the rhythm — and judge each movement against it.
:class:`SetEvidence` does that for one set:

- A set is **established** by its first ``confirm_reps`` movements agreeing: the exercise's pattern
  (knee rolls alternate sides; the heels stretch always goes the same way), a similar size (within
  ``max_peak_ratio``), one after the other (within ``max_gap_s``), at least one of them clearly a rep
  (``confident_peak_deg``) and, with an unknown mounting, about one axis. Until then they are
  *pending*: the live count shows them as such and never goes down. A lone movement, or one that
  the next does not confirm, is not counted (``unconfirmed``).
- Once established, each movement is judged at once against the reps so far: at least
  ``min_set_ratio`` of their typical size (a 7° roll in a set of 7–10° rolls counts; a 9° shift
  in a set of 35° stretches does not), the right way for a one-way exercise, and a small movement
  to the side just counted is a fidget, not a rep.

Every decision depends only on the movements before it, so live and offline agree.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field, replace
from typing import Literal

from imurep.events import RepEvent
from imurep.exercises.spec import ExercisePattern, Vec
from imurep.pipeline.rep_gate import GateReason

__all__ = ["SET_REASONS", "Candidate", "CandidateVerdict", "EvidenceSettings", "SetEvidence", "SetReason"]

SetReason = Literal[
    "unconfirmed",
    "smaller_than_set",
    "same_side_small",
    "not_alternating",
    "wrong_way",
    "two_way",
    "other_axis",
    "lopsided",
]

SET_REASONS: dict[SetReason, str] = {
    "unconfirmed": "no matching movement confirmed it (a lone movement is not a set)",
    "smaller_than_set": "much smaller than this set's reps",
    "same_side_small": "a small movement to the side just counted (a fidget)",
    "not_alternating": "went to the side just counted (the set's reps alternate sides)",
    "wrong_way": "went the other way from the exercise's movement",
    "two_way": "alternated with a movement the other way of similar size (another exercise)",
    "other_axis": "turned about another axis than the set's reps",
    "lopsided": "one side of the movement is a rest, not a roll (a one-sided exercise)",
}


@dataclass(frozen=True)
class Candidate:
    """A movement that the excursion machine completed.

    Attributes
    ----------
    rep
        The rep it would be (its ``index`` is set when it is counted).
    direction
        +1 / −1: the sign of its angle about the exercise's (or the learnt) axis.
    axis
        Unit rotation axis from neutral to its peak, in the frame of *up*.
    gate_reason
        Why the rep gate refused it, or ``None``.
    """

    rep: RepEvent
    direction: int
    axis: Vec
    gate_reason: GateReason | None


@dataclass(frozen=True)
class CandidateVerdict:
    """What was decided about one candidate movement, for ``imurep analyze --explain``.

    Attributes
    ----------
    exercise
        The exercise of the set it belongs to.
    start_s, end_s, peak_deg, hold_s
        The movement (times s, recording base; peak from neutral, degrees; hold s).
    direction
        +1 / −1 about the exercise's axis (``left`` / ``right`` for a sided exercise with a known mounting).
    counted
        Whether it became a rep.
    reason
        The named reason it was not counted (a gate or set reason), ``None`` when counted.
    decided_s
        Recording time at which the decision was made (later than ``end_s`` for a pending movement).
    """

    exercise: str
    start_s: float
    end_s: float
    peak_deg: float
    hold_s: float
    direction: int
    counted: bool
    reason: str | None
    decided_s: float


@dataclass(frozen=True)
class EvidenceSettings:
    """How a set is judged (see the module docstring).

    Attributes
    ----------
    pattern
        ``alternating`` or ``one_way``.
    confirm_reps
        Movements that must agree before a set is established (2 with a known mounting, 3 without).
    confident_peak_deg
        At least one movement of the establishing run must reach this peak, degrees.
    max_peak_ratio
        The establishing movements' peaks lie within this ratio of each other.
    min_set_ratio
        An established set's movement must reach this share of the set's typical peak.
    max_gap_s
        Longest pause between the establishing movements, s: a few breaths of rest plus a shift
        of weight, as a person in pain may take between reps; a longer pause is not one set.
    same_axis_cos
        With an unknown mounting, the establishing movements' axes agree to this |cos| (``None``:
        the axis is the exercise's, checked by the rep gate).
    max_side_duration_ratio
        With an unknown mounting, the two sides' movements last within this ratio of each other
        (a one-sided exercise rests on one side: its "other side" lasts much longer).
    strict_alternation
        An alternating exercise's movement to the side just counted is never a rep (with an unknown
        mounting: a one-sided exercise's movement back to rest is often too abrupt to be a candidate,
        so its reps would otherwise all count as one side's).
    """

    pattern: ExercisePattern
    confirm_reps: int = 2
    confident_peak_deg: float = 8.5
    max_peak_ratio: float = 2.5
    min_set_ratio: float = 0.4
    max_gap_s: float = 15.0
    same_axis_cos: float | None = None
    max_side_duration_ratio: float | None = None
    strict_alternation: bool = False


@dataclass
class SetEvidence:
    """The evidence of one set: pending movements, counted reps, and the log of every decision."""

    settings: EvidenceSettings
    exercise: str
    verdicts: list[CandidateVerdict] = field(default_factory=list)
    _pending: list[Candidate] = field(default_factory=list)
    _established: bool = False
    _peaks: list[float] = field(default_factory=list)
    _last_direction: int = 0
    _set_axis: Vec | None = None
    _previous: Candidate | None = None

    @property
    def pending(self) -> int:
        """Movements waiting for their confirmation (shown as pending live)."""
        return len(self._pending)

    @property
    def established(self) -> bool:
        return self._established

    def judge(self, c: Candidate, now_s: float) -> list[RepEvent]:
        """Decide on ``c`` (at recording time ``now_s``); returns the reps counted by it, in order."""
        previous, self._previous = self._previous, c
        if c.gate_reason is not None:
            self._log(c, now_s, c.gate_reason)
            return []
        st = self.settings
        if st.pattern == "one_way":
            if c.direction < 0:
                self._log(c, now_s, "wrong_way")
                return []
            if (
                previous is not None
                and previous.direction < 0
                and previous.gate_reason is None
                and previous.rep.peak_angle_deg >= 0.5 * c.rep.peak_angle_deg
            ):
                self._log(c, now_s, "two_way")
                return []
        if self._established:
            return self._judge_in_set(c, now_s)
        return self._judge_pending(c, now_s)

    def finish(self, now_s: float) -> None:
        """End of the set: movements still pending are not counted."""
        for p in self._pending:
            self._log(p, now_s, "unconfirmed")
        self._pending.clear()

    # -- internals -----------------------------------------------------------------------------
    def _judge_in_set(self, c: Candidate, now_s: float) -> list[RepEvent]:
        st = self.settings
        peak = c.rep.peak_angle_deg
        typical = statistics.median(self._peaks[-6:])
        if peak < st.min_set_ratio * typical:
            self._log(c, now_s, "smaller_than_set")
            return []
        if st.pattern == "alternating" and c.direction == self._last_direction:
            if st.strict_alternation:
                self._log(c, now_s, "not_alternating")
                return []
            if peak < st.confident_peak_deg:
                self._log(c, now_s, "same_side_small")
                return []
        if (
            st.same_axis_cos is not None
            and self._set_axis is not None
            and _abs_cos(c.axis, self._set_axis) < st.same_axis_cos
        ):
            self._log(c, now_s, "other_axis")
            return []
        return [self._count(c, now_s)]

    def _judge_pending(self, c: Candidate, now_s: float) -> list[RepEvent]:
        st = self.settings
        if self._pending and not self._agrees(self._pending[-1], c):
            self._drop_pending(now_s, len(self._pending))
        self._pending.append(c)
        if len(self._pending) < st.confirm_reps:
            return []
        run = self._pending
        if max(r.rep.peak_angle_deg for r in run) < st.confident_peak_deg:
            self._drop_pending(now_s, 1)
            return []
        if st.max_side_duration_ratio is not None and self._lopsided(run):
            self._drop_pending(now_s, 1, "lopsided")
            return []
        self._established = True
        self._set_axis = run[0].axis
        counted = [self._count(p, now_s) for p in run]
        self._pending = []
        return counted

    def _agrees(self, a: Candidate, b: Candidate) -> bool:
        st = self.settings
        pa, pb = a.rep.peak_angle_deg, b.rep.peak_angle_deg
        if max(pa, pb) > st.max_peak_ratio * min(pa, pb):
            return False
        if b.rep.start_s - a.rep.end_s > st.max_gap_s:
            return False
        if st.pattern == "alternating" and a.direction == b.direction:
            return False
        if st.same_axis_cos is not None:
            ref = self._pending[0].axis
            if _abs_cos(b.axis, ref) < st.same_axis_cos:
                return False
        return True

    def _lopsided(self, run: list[Candidate]) -> bool:
        ratio = self.settings.max_side_duration_ratio
        assert ratio is not None
        pos = [r.rep.end_s - r.rep.start_s for r in run if r.direction > 0]
        neg = [r.rep.end_s - r.rep.start_s for r in run if r.direction < 0]
        if not pos or not neg:
            return False
        a, b = statistics.fmean(pos), statistics.fmean(neg)
        return max(a, b) > ratio * min(a, b)

    def _drop_pending(self, now_s: float, n: int, reason: SetReason = "unconfirmed") -> None:
        for p in self._pending[:n]:
            self._log(p, now_s, reason)
        del self._pending[:n]

    def _count(self, c: Candidate, now_s: float) -> RepEvent:
        self._peaks.append(c.rep.peak_angle_deg)
        self._last_direction = c.direction
        self._log(c, now_s, None)
        if now_s <= c.rep.emitted_at_s:  # counted as it was reported (every rep once a set is established)
            return c.rep
        return replace(c.rep, emitted_at_s=now_s)

    def _log(self, c: Candidate, now_s: float, reason: str | None) -> None:
        r = c.rep
        self.verdicts.append(
            CandidateVerdict(
                exercise=self.exercise,
                start_s=r.start_s,
                end_s=r.end_s,
                peak_deg=r.peak_angle_deg,
                hold_s=r.hold_s,
                direction=c.direction,
                counted=reason is None,
                reason=reason,
                decided_s=now_s,
            )
        )


def _abs_cos(a: Vec, b: Vec) -> float:
    return abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2])
