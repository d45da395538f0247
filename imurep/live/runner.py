"""Drive the analysis from an async stream of sample blocks, recording as it goes."""

from __future__ import annotations

import functools
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from imurep.analysis.result import AnalysisResult
from imurep.analysis.session import SessionAnalyzer
from imurep.events import RepEvent
from imurep.pipeline import PipelineConfig
from imurep.pipeline.pipeline import PipelineState
from imurep.recording import RecordingWriteError, RecordingWriter
from imurep.samples import SampleBlock
from imurep.sources.link import LinkStatus

__all__ = ["DEFAULT_FEED_INTERVAL_S", "LinkStatus", "LiveUpdate", "run_live"]

# Sample time gathered before the pipeline runs: a call costs about the same whatever the block
# size (benchmarks/bench_live.py, docs/performance.md), and the view refreshes every 0.1 s anyway.
DEFAULT_FEED_INTERVAL_S = 0.25


@dataclass(frozen=True)
class LiveUpdate:
    """What the view shows after each block.

    ``loss_percent`` is the share of samples lost in gaps so far
    (:func:`imurep.pipeline.timebase.loss_percent`, the figure the analysis reports at the end).
    """

    state: PipelineState | None
    link: LinkStatus
    last_rep: RepEvent | None
    target_reps: int
    samples: int
    new_reps: tuple[RepEvent, ...] = ()
    loss_percent: float = 0.0


async def run_live(
    source: AsyncIterator[SampleBlock],
    source_name: str,
    config: PipelineConfig | None = None,
    on_update: Callable[[LiveUpdate], None] | None = None,
    link_status: Callable[[], LinkStatus] | None = None,
    writer: RecordingWriter | None = None,
    target_reps: int = 10,
    update_interval_s: float = 0.1,
    feed_interval_s: float = DEFAULT_FEED_INTERVAL_S,
    on_write_error: Callable[[RecordingWriteError], None] | None = None,
) -> AnalysisResult:
    """Analyse a live stream until it ends (or the task is cancelled) and return the result.

    Every block is written to ``writer`` (if any) as it arrives, so a crash loses at most what the
    writer has not flushed (it flushes at least once a second). Blocks are then gathered and
    analysed once they span ``feed_interval_s`` of sample time: the pipeline costs mostly per
    call, not per sample, and gives the same events for any chunking, so this only delays what
    the view shows by up to ``feed_interval_s`` (0: analyse every block as it comes). The session
    is finished and the result built even when the stream ends with an error or a cancellation.

    A ``writer`` that fails (a full disk) raises here; with ``on_write_error`` it is passed there
    instead, the session ends at that block, and the result of what arrived is returned.
    """
    if feed_interval_s < 0:
        raise ValueError(f"feed_interval_s must be >= 0, got {feed_interval_s}")
    analyzer = SessionAnalyzer(config)
    last_rep: RepEvent | None = None
    samples = 0
    last_update = 0.0
    held: list[SampleBlock] = []
    fed_until_s: float | None = None  # time of the last sample analysed (or the first received)

    def snapshot(new: tuple[RepEvent, ...]) -> LiveUpdate:
        link = link_status() if link_status else LinkStatus()
        loss = analyzer.timebase.loss_percent
        return LiveUpdate(analyzer.state, link, last_rep, target_reps, samples, new, loss)

    write_failed = False

    def write(action: Callable[[], None]) -> None:
        nonlocal write_failed
        try:
            action()
        except RecordingWriteError as exc:
            if on_write_error is None:
                raise
            write_failed = True
            on_write_error(exc)

    try:
        async for block in source:
            if writer is not None:
                write(functools.partial(writer.append, block))
                if write_failed:
                    break
            samples += len(block)
            if len(block) == 0:
                continue
            held.append(block)
            if fed_until_s is None:
                fed_until_s = float(block.time_s[0])
            if float(block.time_s[-1]) - fed_until_s < feed_interval_s:
                continue
            fed_until_s = float(block.time_s[-1])
            events = analyzer.feed(held[0] if len(held) == 1 else SampleBlock.concat(held))
            held = []
            new = tuple(e for e in events if isinstance(e, RepEvent))
            if new:
                last_rep = new[-1]
            now = time.monotonic()
            if on_update is not None and (new or now - last_update >= update_interval_s):
                last_update = now
                on_update(snapshot(new))
    finally:
        if held:
            tail = [e for e in analyzer.feed(SampleBlock.concat(held)) if isinstance(e, RepEvent)]
            last_rep = tail[-1] if tail else last_rep
        analyzer.finish()
        if writer is not None and not write_failed:
            write(writer.flush)
        if on_update is not None:
            on_update(snapshot(()))
    return analyzer.result(source_name)
