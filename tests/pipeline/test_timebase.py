"""The timebase monitor: sample rate, gaps, lost and clipped samples, whatever the chunking."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from imurep.analysis.session import SessionAnalyzer
from imurep.pipeline.timebase import RATE_ESTIMATE_SAMPLES, TimebaseMonitor, estimate_rate_hz
from imurep.samples import STANDARD_GRAVITY_M_S2, SampleBlock


def _block(time_s: np.ndarray, acc_z_m_s2: float = STANDARD_GRAVITY_M_S2) -> SampleBlock:
    acc = np.zeros((time_s.size, 3))
    acc[:, 2] = acc_z_m_s2
    return SampleBlock(time_s, acc, np.zeros((time_s.size, 3)))


def _monitor(blocks: list[SampleBlock]) -> TimebaseMonitor:
    m = TimebaseMonitor()
    for b in blocks:
        m.process(b)
    return m


def _chunks(block: SampleBlock, sizes: list[int]) -> list[SampleBlock]:
    edges = np.cumsum([0, *sizes])
    return [
        SampleBlock(block.time_s[a:b], block.acc_m_s2[a:b], block.gyr_rad_s[a:b])  # type: ignore[index]
        for a, b in itertools.pairwise(edges)
        if b > a
    ]


def test_rate_duration_and_count_of_a_regular_stream() -> None:
    q = _monitor([_block(np.arange(500) / 50.0)]).quality()
    assert q.sample_rate_hz == pytest.approx(50.0)
    assert q.n_samples == 500 and q.duration_s == pytest.approx(499 / 50.0)
    assert q.gaps == [] and q.lost_samples == 0 and q.clipped_samples == 0 and q.warnings == []


def test_a_gap_is_found_and_its_lost_samples_counted() -> None:
    t = np.arange(1000) / 100.0
    t = np.concatenate((t[:400], t[450:]))  # 50 samples (0.5 s) lost
    q = _monitor([_block(t)]).quality()
    assert q.gaps == [(pytest.approx(3.99), pytest.approx(4.50))]
    assert q.lost_samples == 50
    assert q.warnings == []  # 5 % or less lost: no warning


@pytest.mark.parametrize("sizes", [[1000], [1] * 70 + [930], [7, 13, 300, 680], [31, 2, 967]])
def test_any_chunking_gives_the_same_quality(sizes: list[int]) -> None:
    t = np.arange(1000) / 100.0
    t = np.concatenate((t[:20], t[35:600], t[700:]))  # inside the first window, and later
    whole = _monitor([_block(t)]).quality()
    chunked = _monitor(_chunks(_block(t), [s for s in sizes if s])).quality()
    assert chunked == whole
    assert whole.lost_samples == 15 + 100


def test_clipped_and_slow_and_accelerometer_only_are_warned() -> None:
    t = np.arange(200) / 10.0
    acc = np.zeros((200, 3))
    acc[:, 2] = 16 * STANDARD_GRAVITY_M_S2  # at a ±16 g full scale
    q = _monitor([SampleBlock(t, acc, None)]).quality()
    assert q.clipped_samples == 200 and not q.has_gyr
    assert len(q.warnings) == 3
    assert "below 20 Hz" in q.warnings[0] and "clipped" in q.warnings[1] and "no gyroscope" in q.warnings[2]


def test_a_stream_shorter_than_the_estimate_window_still_has_a_rate() -> None:
    q = _monitor([_block(np.arange(5) / 25.0)]).quality()
    assert q.sample_rate_hz == pytest.approx(25.0) and q.n_samples == 5


def test_the_rate_is_the_median_period_over_the_first_window() -> None:
    t = np.concatenate((np.arange(20) * 0.02, 0.38 + np.arange(1, 200) * 0.01))  # 50 Hz, then 100 Hz
    assert RATE_ESTIMATE_SAMPLES == 32
    assert estimate_rate_hz(t) == pytest.approx(50.0)  # 19 of the first 31 steps are 20 ms


def test_reported_rate_is_the_rate_the_filters_were_designed_for() -> None:
    # 50 Hz for the first 20 samples, then 100 Hz: a window of 32 and one of 64 disagree here.
    t = np.concatenate((np.arange(20) * 0.02, 0.38 + np.arange(1, 400) * 0.01))
    session = SessionAnalyzer()
    session.feed(_block(t))
    session.finish()
    assert session.pipeline.nominal_rate_hz is not None
    assert session.result("x").quality.sample_rate_hz == pytest.approx(session.pipeline.nominal_rate_hz)
