"""One analysis session: the pipeline plus the timebase monitor, fed block by block.

Offline analysis feeds it a file's blocks; a live session feeds it blocks as they arrive. Both end
with the same :class:`~imurep.analysis.result.AnalysisResult`.
"""

from __future__ import annotations

from imurep.analysis.result import AnalysisResult
from imurep.pipeline import Pipeline, PipelineConfig
from imurep.pipeline.input_check import SampleCheck
from imurep.pipeline.pipeline import PipelineEvent, PipelineState
from imurep.pipeline.timebase import TimebaseMonitor
from imurep.samples import SampleBlock

__all__ = ["SessionAnalyzer"]


class SessionAnalyzer:
    """Feed sample blocks; read events as they happen; finish for the result."""

    def __init__(self, config: PipelineConfig | None = None) -> None:
        self.pipeline = Pipeline(config or PipelineConfig())
        self.timebase = TimebaseMonitor()
        self.check = SampleCheck()
        self.finished = False

    def feed(self, block: SampleBlock) -> list[PipelineEvent]:
        """Analyse the next samples; returns what happened in them (reps, sets, postures).

        Parameters
        ----------
        block
            The samples after the last block fed (any size, an empty one is ignored).

        Raises
        ------
        InputError
            A sample breaks a rule of :mod:`imurep.pipeline.input_check` (nothing of the block is
            analysed then).
        """
        if len(block) == 0:
            return []
        self.check.check(block)
        self.timebase.process(block)
        return self.pipeline.process(block)

    @property
    def state(self) -> PipelineState | None:
        return self.pipeline.state

    def finish(self) -> list[PipelineEvent]:
        if self.finished:
            return []
        self.finished = True
        return self.pipeline.finish()

    def result(self, source: str) -> AnalysisResult:
        """The analysis so far (call :meth:`finish` first for a closed session).

        Parameters
        ----------
        source
            Name reported as the result's ``source`` (usually the file or device name).
        """
        quality = self.timebase.quality()
        return AnalysisResult(
            source=source,
            reps=list(self.pipeline.reps),
            sets=list(self.pipeline.sets),
            quality=quality,
            postures=self.pipeline.postures,
            trace=self.pipeline.trace() if self.pipeline.config.keep_trace else None,
            unavailable_metrics=[] if quality.has_gyr else ["gyroscope_rate_check"],
            candidates=self.pipeline.verdicts,
        )
