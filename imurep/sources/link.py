"""How healthy a source's link is, as the live view and the live page show it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LinkStatus"]


@dataclass(frozen=True)
class LinkStatus:
    """Connection health as the source reports it.

    ``connected``: the device or phone answers; ``receiving``: samples have arrived (until then
    the view says so instead of showing a rate of 0 Hz). ``clock_mapping``: how the device's
    times were mapped (counters of ``imurep.ble.stream.StreamStats``: ``host_late_packets``,
    ``device_clock_jumps``, ``host_timed_jumps``); ``clock_warning``: a one-line warning when the
    device clock jumped or the host clock bridged a jump ("" otherwise).
    """

    connected: bool = True
    rate_hz: float = 0.0
    lost_packets: int = 0
    packets: int = 0
    reconnects: int = 0
    detail: str = ""
    receiving: bool = True
    clock_mapping: tuple[tuple[str, int], ...] = ()
    clock_warning: str = ""

    def clock_note(self) -> str:
        """One line on how the times were mapped, for a recording's ``clock_mapping`` metadata."""
        if not self.clock_mapping:
            return "not used (the source sends session times)"
        counts = " ".join(f"{k}={v}" for k, v in self.clock_mapping)
        return f"{counts}; {self.clock_warning or 'session times follow the device clock'}"
