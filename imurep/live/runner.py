"""Drive the analysis from an async stream of sample blocks, recording as it goes."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from imurep.analysis.result import AnalysisResult
from imurep.analysis.session import SessionAnalyzer
from imurep.events import RepEvent
from imurep.pipeline import PipelineConfig
from imurep.pipeline.pipeline import PipelineState
from imurep.recording import RecordingWriter
from imurep.samples import SampleBlock

__all__ = ["LinkStatus", "LiveUpdate", "run_live"]


@dataclass(frozen=True)
class LinkStatus:
    """Connection health as the source reports it."""

    connected: bool = True
    rate_hz: float = 0.0
    lost_packets: int = 0
    packets: int = 0
    reconnects: int = 0
    detail: str = ""

    @property
    def loss_percent(self) -> float:
        total = self.packets + self.lost_packets
        return 100.0 * self.lost_packets / total if total else 0.0


@dataclass(frozen=True)
class LiveUpdate:
    """What the view shows after each block."""

    state: PipelineState | None
    link: LinkStatus
    last_rep: RepEvent | None
    target_reps: int
    samples: int
    new_reps: tuple[RepEvent, ...] = ()


async def run_live(
    source: AsyncIterator[SampleBlock],
    source_name: str,
    config: PipelineConfig | None = None,
    on_update: Callable[[LiveUpdate], None] | None = None,
    link_status: Callable[[], LinkStatus] | None = None,
    writer: RecordingWriter | None = None,
    target_reps: int = 10,
    update_interval_s: float = 0.1,
) -> AnalysisResult:
    """Analyse a live stream until it ends (or the task is cancelled) and return the result.

    Every block is written to ``writer`` (if any) before it is analysed, so a crash loses at most
    what the writer has not flushed (it flushes at least once a second). The session is finished
    and the result built even when the stream ends with an error or a cancellation.
    """
    analyzer = SessionAnalyzer(config)
    last_rep: RepEvent | None = None
    samples = 0
    last_update = 0.0

    def snapshot(new: tuple[RepEvent, ...]) -> LiveUpdate:
        link = link_status() if link_status else LinkStatus()
        return LiveUpdate(analyzer.state, link, last_rep, target_reps, samples, new)

    try:
        async for block in source:
            if writer is not None:
                writer.append(block)
            events = analyzer.feed(block)
            samples += len(block)
            new = tuple(e for e in events if isinstance(e, RepEvent))
            if new:
                last_rep = new[-1]
            now = time.monotonic()
            if on_update is not None and (new or now - last_update >= update_interval_s):
                last_update = now
                on_update(snapshot(new))
    finally:
        analyzer.finish()
        if writer is not None:
            writer.flush()
        if on_update is not None:
            on_update(snapshot(()))
    return analyzer.result(source_name)
