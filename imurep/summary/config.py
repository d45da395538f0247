"""Targets and thresholds the report judges a session against (from the exercise article)."""

from __future__ import annotations

from dataclasses import dataclass

from imurep.errors import InputError

__all__ = ["ReportConfig"]


@dataclass(frozen=True)
class ReportConfig:
    """What a good session looks like.

    Attributes
    ----------
    target_reps
        Reps asked for: per side for knee rolls ("both sides alternately, 10 times"), in total for
        the heels stretch ("at least 10").
    target_hold_s
        The one-breath hold, s ("if you can only hold for 4 seconds, let it be").
    held_fraction
        A hold of at least ``held_fraction * target_hold_s`` counts as held.
    missed_hold_s
        A hold shorter than this counts as missed (no pause at the far position), s.
    alternation_fraction
        Knee rolls alternate sides when at least this fraction of consecutive reps switch side.
    far_range_ratio
        A rep whose range is above ``far_range_ratio`` times the person's median range for that
        exercise (and side) is "far beyond the usual range".
    min_reps_for_trend
        Fewest reps in a set for a fatigue trend (regression slope).
    """

    target_reps: int = 10
    target_hold_s: float = 4.0
    held_fraction: float = 0.75
    missed_hold_s: float = 0.5
    alternation_fraction: float = 0.8
    far_range_ratio: float = 1.5
    min_reps_for_trend: int = 4

    def __post_init__(self) -> None:
        if self.target_reps < 1:
            raise InputError(f"target reps must be at least 1, got {self.target_reps}")
        if not self.target_hold_s > 0:
            raise InputError(f"target hold must be positive seconds, got {self.target_hold_s}")
        if not 0 < self.held_fraction <= 1:
            raise InputError(f"held fraction must be in (0, 1], got {self.held_fraction}")
        if not self.far_range_ratio > 1:
            raise InputError(f"far-range ratio must be above 1, got {self.far_range_ratio}")
        if self.min_reps_for_trend < 3:
            raise InputError(f"a trend needs at least 3 reps, got {self.min_reps_for_trend}")

    @property
    def held_s(self) -> float:
        """Shortest hold that counts as held, s."""
        return self.held_fraction * self.target_hold_s
