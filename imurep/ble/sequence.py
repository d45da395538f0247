"""Lost-packet accounting from wrapping packet sequence numbers."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SequenceTracker", "SequenceUpdate"]


@dataclass(frozen=True)
class SequenceUpdate:
    """What one packet's sequence number says.

    Attributes
    ----------
    lost
        Packets missing between the previous accepted packet and this one (0 if none).
    accept
        ``False`` for a duplicate or a stale (older than the last accepted) packet: drop it.
    """

    lost: int
    accept: bool


class SequenceTracker:
    """Counts packets missing from a counter that wraps at ``modulo``.

    A jump forward of less than half the counter range is a loss of ``jump - 1`` packets; a jump
    of zero or a jump backwards (of less than half the range) is a duplicate or a late, reordered
    packet and is rejected. Wrap-around is the forward direction: ``65535 → 2`` lost 2 packets.

    Parameters
    ----------
    modulo
        The counter wraps at this value (e.g. 65536 for a u16), >= 2.
    """

    def __init__(self, modulo: int) -> None:
        if modulo < 2:
            raise ValueError(f"modulo must be >= 2, got {modulo}")
        self.modulo = modulo
        self._last: int | None = None
        self.lost_total = 0
        self.rejected_total = 0

    @property
    def next_expected(self) -> int | None:
        """The sequence number that follows the last accepted one (``None`` before any)."""
        return None if self._last is None else (self._last + 1) % self.modulo

    def reset(self) -> None:
        """Forget the last sequence number (the counter restarts, e.g. after a reconnect)."""
        self._last = None

    def update(self, sequence: int) -> SequenceUpdate:
        """Account for one received packet."""
        seq = sequence % self.modulo
        if self._last is None:
            self._last = seq
            return SequenceUpdate(0, True)
        step = (seq - self._last) % self.modulo
        if step == 0 or step >= self.modulo // 2:
            self.rejected_total += 1
            return SequenceUpdate(0, False)
        self._last = seq
        self.lost_total += step - 1
        return SequenceUpdate(step - 1, True)
