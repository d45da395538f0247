"""Link faults the virtual band can inject (apart from the band: choosing them needs no bumble)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Faults"]


@dataclass(frozen=True)
class Faults:
    """Link faults the virtual band injects. Packet indices count every packet the band
    generates since power-on (sent or not), from 0.

    Attributes
    ----------
    drop_link_after_packets
        Disconnect (peripheral side) right after sending each of these packets.
    drop_link_at_s
        Disconnect right after sending the first packet sampled at or after each of these
        playback times (s from the first source sample).
    readvertise_after_s
        Host time before the band advertises again after a dropped link, s.
    lose_packets
        ``(first_index, count)`` bursts of notifications generated but never sent.
    delay_s
        Extra delay before each notification, uniform in ``[0, delay_s]``, host s.
    silent_after_packets
        Stop sending (but stay connected) from this packet on; ``None``: never.
    clock_drift_ppm
        How fast the band's clock runs relative to the true sample times, ppm.
    corrupt_packets
        Packets sent truncated to 5 bytes (malformed).
    seed
        Seed for the random delays.
    """

    drop_link_after_packets: tuple[int, ...] = ()
    drop_link_at_s: tuple[float, ...] = ()
    readvertise_after_s: float = 0.05
    lose_packets: tuple[tuple[int, int], ...] = ()
    delay_s: float = 0.0
    silent_after_packets: int | None = None
    clock_drift_ppm: float = 0.0
    corrupt_packets: tuple[int, ...] = ()
    seed: int = 0

    def lost(self, index: int) -> bool:
        return any(first <= index < first + count for first, count in self.lose_packets)
