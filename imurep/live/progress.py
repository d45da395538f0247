"""Progress toward the target: per side for knee rolls, per set for the bottom-to-heels stretch.

The article asks for about ten knee rolls *to each side* and ten stretches, so the target is
compared with each side's count of the open set (knee rolls) or with the set's count (stretch),
never with the session's total over both sides and both exercises.
"""

from __future__ import annotations

from dataclasses import dataclass

from imurep.events import Exercise
from imurep.pipeline.pipeline import PipelineState

__all__ = ["ONE_BREATH_S", "SetProgress", "set_progress"]

# The article: hold for one deep breath; "if you can only hold your breath for 4 seconds, let it be".
ONE_BREATH_S = 4.0


@dataclass(frozen=True)
class SetProgress:
    """Counts of the open set against the target.

    Attributes
    ----------
    exercise
        The open set's exercise (``None``: no set open).
    counts
        ``(label, count)`` per counted part: ``("left", n), ("right", n)`` for knee rolls,
        ``("reps", n)`` for the stretch, while no set is open, and for knee rolls whose sides are
        unknown (no mounting given).
    target_reps
        Reps to aim for on each side (knee rolls) or in the set.
    session_reps
        Reps of the whole session so far (both sides, every set).
    pending_reps
        Movements of the open set that look like reps but wait for the next movement to confirm
        them (a set is established by its first agreeing movements): shown apart, so that the
        count on screen only ever goes up.
    """

    exercise: Exercise | None
    counts: tuple[tuple[str, int], ...]
    target_reps: int
    session_reps: int
    pending_reps: int = 0

    @property
    def done(self) -> bool:
        """Every counted part has reached the target (and a set is open)."""
        return self.exercise is not None and all(n >= self.target_reps for _, n in self.counts)


def set_progress(state: PipelineState | None, target_reps: int) -> SetProgress:
    """The open set's progress in ``state`` toward ``target_reps``."""
    if state is None:
        return SetProgress(None, (("reps", 0),), target_reps, 0)
    if state.exercise == "knee_rolls" and state.left + state.right == state.reps:
        counts: tuple[tuple[str, int], ...] = (("left", state.left), ("right", state.right))
    else:
        counts = (("reps", state.reps),)
    return SetProgress(state.exercise, counts, target_reps, state.total_reps, state.pending)
