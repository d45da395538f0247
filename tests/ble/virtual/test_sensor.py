"""The virtual band's sensor: sample-for-sample replay, holes as missing samples, resampling."""

from __future__ import annotations

import numpy as np
import pytest

from imurep.ble.virtual.sensor import SensorFeed, SensorRun
from imurep.samples import SampleBlock


def _source(t: np.ndarray, chunk: int = 37) -> list[SampleBlock]:
    acc = np.column_stack([np.sin(t), np.cos(t), 9.81 + 0 * t])
    return [
        SampleBlock(t[i : i + chunk], acc[i : i + chunk], acc[i : i + chunk] / 10)
        for i in range(0, t.size, chunk)
    ]


def _all(feed: SensorFeed, n: int) -> list[SensorRun]:
    runs = []
    while (run := feed.take(n)) is not None:
        runs.append(run)
    return runs


def test_a_hole_in_the_source_ends_a_run_and_is_reported_as_missing_samples() -> None:
    t = np.delete(np.arange(400) * 0.01 + 50.0, range(101, 107))  # 6 samples lost
    feed = SensorFeed(_source(t), 100.0)
    runs = _all(feed, 4)
    assert feed.native and feed.period_s == pytest.approx(0.01, abs=1e-9)
    assert sum(len(r.time_s) for r in runs) == t.size
    assert [r.missing_before for r in runs if r.missing_before] == [6]
    times = np.concatenate([r.time_s for r in runs])
    np.testing.assert_allclose(times, t - t[0], atol=1e-9)  # the regular clock is the source's
    for r in runs:
        assert len(r.time_s) <= 4 and np.all(np.diff(r.time_s) < 0.015)
    np.testing.assert_allclose(np.concatenate([r.acc_m_s2 for r in runs])[:, 0], np.sin(t))


def test_jittered_timestamps_become_a_regular_clock_or_are_kept_to_the_microsecond() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(1000) * 0.02 + rng.uniform(-0.003, 0.003, 1000)
    regular = np.concatenate([r.time_s for r in _all(SensorFeed(_source(t), 50.0), 2)])
    assert np.abs(regular - (t - t[0])).max() < 0.004  # the jitter, not more
    np.testing.assert_allclose(np.diff(regular), 0.02, atol=1e-5)
    runs = _all(SensorFeed(_source(t), 50.0, recorded_times=True), 2)
    recorded = np.concatenate([r.time_s for r in runs])
    np.testing.assert_allclose(recorded, t - t[0], atol=1e-9)
    assert max(len(r.time_s) for r in runs) == 1  # every step is irregular: one sample per packet


def test_a_rate_far_from_the_source_resamples_and_keeps_holes() -> None:
    t = np.delete(np.arange(1000) * 0.01, range(500, 540))  # 5.00 .. 5.39 s missing
    feed = SensorFeed(_source(t), 50.0)
    assert not feed.native and feed.period_s == pytest.approx(0.02)
    runs = _all(feed, 2)
    times = np.concatenate([r.time_s for r in runs])
    acc = np.concatenate([r.acc_m_s2 for r in runs])
    np.testing.assert_allclose(acc[:, 0], np.sin(times), atol=1e-4)
    assert not np.any((times > 5.0 - 1e-9) & (times < 5.4 - 1e-9))
    assert sum(r.missing_before for r in runs) == 20  # slots 5.00 .. 5.38
