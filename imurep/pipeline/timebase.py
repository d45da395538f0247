"""Timebase monitor: sample rate, gaps and lost samples, streamed."""

from __future__ import annotations

import numpy as np

from imurep.pipeline.records import DataQuality
from imurep.samples import STANDARD_GRAVITY_M_S2, FloatArray, SampleBlock, gap_limit_s

__all__ = ["RATE_ESTIMATE_SAMPLES", "TimebaseMonitor", "estimate_rate_hz", "loss_percent"]

#: Samples whose median period gives the stream's rate: the filters are designed for it, and the
#: data quality reports it (one window, so both say the same).
RATE_ESTIMATE_SAMPLES = 32
_CLIP_M_S2 = 15.5 * STANDARD_GRAVITY_M_S2


def estimate_rate_hz(time_s: FloatArray) -> float:
    """The sample rate, Hz: one over the median period of the first :data:`RATE_ESTIMATE_SAMPLES`.

    Parameters
    ----------
    time_s
        (N,) sample times, s, strictly increasing, N ≥ 2 (only the first window is read).
    """
    return float(1.0 / np.median(np.diff(time_s[:RATE_ESTIMATE_SAMPLES])))


def loss_percent(lost_samples: int, n_samples: int) -> float:
    """Samples lost in gaps as a percentage of the samples there should have been.

    The one definition of "loss %": the analysis' data-quality warning, the live panel and the
    live page all show this figure.
    """
    expected = n_samples + lost_samples
    return 100.0 * lost_samples / expected if expected else 0.0


class TimebaseMonitor:
    """Counts samples and finds gaps; cheap enough for every block."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.n_samples = 0
        self.first_t_s: float | None = None
        self.last_t_s: float | None = None
        self.period_s: float | None = None
        self._head: list[float] = []
        self.gaps: list[tuple[float, float]] = []
        self.lost_samples = 0
        self.clipped_samples = 0
        self.has_gyr = True

    def process(self, block: SampleBlock) -> None:
        if len(block) == 0:
            return
        t = block.time_s
        self.has_gyr = block.has_gyr
        if self.first_t_s is None:
            self.first_t_s = float(t[0])
        magnitude = np.abs(block.acc_m_s2)
        if magnitude.max() >= _CLIP_M_S2:  # rare: count the samples with a channel at full scale
            self.clipped_samples += int(np.count_nonzero(magnitude.max(axis=1) >= _CLIP_M_S2))
        if self.period_s is None:
            self._head.extend(t[: RATE_ESTIMATE_SAMPLES - len(self._head)].tolist())
            if len(self._head) >= RATE_ESTIMATE_SAMPLES:
                self.period_s = 1.0 / estimate_rate_hz(np.asarray(self._head))
                self._scan(np.asarray(self._head))
                t_rest = t[t > self._head[-1]]
                if t_rest.size:
                    self._scan(np.concatenate(([self._head[-1]], t_rest)))
        else:
            prev = self.last_t_s if self.last_t_s is not None else float(t[0])
            self._scan(np.concatenate(([prev], t)))
        self.n_samples += len(block)
        self.last_t_s = float(t[-1])

    def _scan(self, t: np.ndarray) -> None:
        assert self.period_s is not None
        dt = t[1:] - t[:-1]
        limit = gap_limit_s(self.period_s)
        gap = dt > limit
        if not gap.any():
            return
        for i in np.flatnonzero(gap).tolist():
            self.gaps.append((float(t[i]), float(t[i + 1])))
            self.lost_samples += round(dt[i] / self.period_s) - 1

    @property
    def loss_percent(self) -> float:
        """:func:`loss_percent` of the samples seen so far."""
        return loss_percent(self.lost_samples, self.n_samples)

    def quality(self) -> DataQuality:
        if self.period_s is None and len(self._head) > 1:
            self.period_s = 1.0 / estimate_rate_hz(np.asarray(self._head))
            self._scan(np.asarray(self._head))
        duration = 0.0 if self.first_t_s is None or self.last_t_s is None else self.last_t_s - self.first_t_s
        rate = 0.0 if not self.period_s else 1.0 / self.period_s
        warnings: list[str] = []
        if 0 < rate < 20.0:
            warnings.append(f"sample rate {rate:.1f} Hz is below 20 Hz: timing figures are coarse")
        if self.loss_percent > 5.0:
            warnings.append(f"{self.loss_percent:.1f} % of samples lost in {len(self.gaps)} gaps")
        if self.clipped_samples:
            warnings.append(f"{self.clipped_samples} accelerometer samples at full scale (clipped)")
        if not self.has_gyr:
            warnings.append("no gyroscope: angles come from the accelerometer alone")
        return DataQuality(
            sample_rate_hz=rate,
            n_samples=self.n_samples,
            duration_s=duration,
            gaps=list(self.gaps),
            lost_samples=self.lost_samples,
            clipped_samples=self.clipped_samples,
            has_gyr=self.has_gyr,
            warnings=warnings,
            start_s=self.first_t_s or 0.0,
        )
