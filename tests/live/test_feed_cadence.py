"""The live runner may gather blocks before analysing them: the result does not change."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from imurep.live.runner import LiveUpdate, run_live
from imurep.pipeline import PipelineConfig
from imurep.recording import read_recording
from imurep.samples import SampleBlock

SESSION = Path(__file__).parents[2] / "recordings" / "knee_rolls.csv"


async def _notifications(block: SampleBlock, size: int) -> AsyncIterator[SampleBlock]:
    for i in range(0, len(block), size):
        yield block.slice(i, min(i + size, len(block)))


async def _run(feed_interval_s: float) -> tuple[list[object], list[LiveUpdate]]:
    block = read_recording(SESSION).samples
    updates: list[LiveUpdate] = []
    result = await run_live(
        _notifications(block, 8),
        SESSION.name,
        PipelineConfig(),
        on_update=updates.append,
        update_interval_s=0.0,
        feed_interval_s=feed_interval_s,
    )
    assert result.quality.n_samples == len(block)
    return [dataclasses.astuple(r) for r in result.reps], updates


@pytest.mark.parametrize("feed_interval_s", [0.25, 1.0])
async def test_cadence_gives_the_same_reps_later(feed_interval_s: float) -> None:
    every_block, updates_each = await _run(0.0)
    gathered, updates = await _run(feed_interval_s)
    assert len(every_block) >= 5
    assert len(gathered) == len(every_block)
    for a, b in zip(gathered, every_block, strict=True):
        # Labels exact; numbers as in tests/pipeline/test_chunking.py (carried sums differ in the last bit).
        assert [x for x in a if not isinstance(x, float)] == [x for x in b if not isinstance(x, float)]
        floats_a = [x for x in a if isinstance(x, float)]
        floats_b = [x for x in b if isinstance(x, float)]
        assert floats_a == pytest.approx(floats_b, abs=1e-6, nan_ok=True)
    # One update per pipeline call (update_interval_s=0), plus the final one.
    block = read_recording(SESSION).samples
    duration_s = float(block.time_s[-1] - block.time_s[0])
    assert len(updates_each) - 1 == -(-len(block) // 8)
    calls = len(updates) - 1
    assert duration_s / feed_interval_s / 2 <= calls <= duration_s / feed_interval_s + 1


async def test_negative_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="feed_interval_s"):
        await _run(-1.0)
