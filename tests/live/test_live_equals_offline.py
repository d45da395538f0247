"""Live through the virtual band (real ATT/GATT over bumble) reports the reps offline analysis finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from imurep.analysis.analyze import analyze_file
from imurep.ble.virtual import Faults
from imurep.live.runner import run_live
from imurep.live.sources import open_live_source
from imurep.pipeline import PipelineConfig
from imurep.samples import SampleBlock

MEX = Path(__file__).parents[1] / "data" / "real" / "mex-knee-rolling"
SAMPLES = Path(__file__).parents[2] / "recordings"


async def _live(path: Path, faults: Faults | None = None, speed: float = 40.0, mount: str | None = "auto"):
    async with open_live_source("virtual", str(path), speed=speed, faults=faults) as live:

        async def shifted():
            async for b in live.blocks:
                yield SampleBlock(
                    b.time_s + live.time_offset_s, b.acc_m_s2, b.gyr_rad_s if live.has_gyr else None
                )

        cfg = PipelineConfig(body_from_sensor=None) if mount == "auto" else PipelineConfig()
        result = await run_live(shifted(), path.name, cfg)
        return result, live.status()


def _compare(live_reps, offline_reps, tol_s: float) -> None:
    assert len(live_reps) == len(offline_reps)
    for a, b in zip(live_reps, offline_reps, strict=True):
        assert a.side == b.side and a.exercise == b.exercise
        for name in ("start_s", "hold_start_s", "hold_end_s", "end_s"):
            assert getattr(a, name) == pytest.approx(getattr(b, name), abs=tol_s), name


@pytest.mark.parametrize(
    ("path", "mount"),
    [(MEX / "mex_s07_knee_rolling.csv", "auto"), (MEX / "mex_s13_knee_rolling.csv", "auto")],
    ids=lambda v: getattr(v, "name", str(v)),
)
async def test_live_replay_equals_offline(path, mount):
    """A loss-free recording: the same reps, sides and times (the band re-quantises to 16 bit)."""
    offline = analyze_file(path, mount=mount)
    assert offline.reps
    live, status = await _live(path, mount=mount)
    assert status.lost_packets == 0
    period_s = 1.0 / offline.sample_rate_hz
    _compare(live.reps, offline.reps, tol_s=max(15 * period_s, 0.15))


@pytest.mark.parametrize(
    "name",
    [
        "knee_rolls.csv",
        pytest.param(
            "session.csv",
            marks=pytest.mark.xfail(
                reason="known gap: live finds 16-17 of the 18 offline reps in this lossy 50 Hz "
                "recording (band interpolation through lost packets, clock mapping); see issue notes",
                strict=False,
            ),
        ),
    ],
)
async def test_live_replay_of_a_lossy_recording_matches_offline(name):
    """A recording with lost packets: the band streams through the gaps (it interpolates the
    source), so a rep next to a gap may be judged differently; all others match."""
    path = SAMPLES / name
    offline = analyze_file(path)
    live, _ = await _live(path, mount=None)
    assert abs(len(live.reps) - len(offline.reps)) <= 1
    matched = [
        r
        for r in offline.reps
        if any(abs(x.start_s - r.start_s) < 0.5 and x.side == r.side for x in live.reps)
    ]
    assert len(matched) >= len(offline.reps) - 1


@pytest.mark.xfail(
    reason="known gap: reps near the outage of a lossy 50 Hz recording are judged differently live",
    strict=False,
)
async def test_live_replay_with_a_dropped_link_keeps_counting():
    path = SAMPLES / "session.csv"
    offline = analyze_file(path)
    live, status = await _live(path, Faults(drop_link_after_packets=(2000,)), speed=5.0, mount=None)
    assert status.reconnects == 1
    assert live.quality.gaps, "the outage must be recorded as a gap"
    gap_start, gap_end = live.quality.gaps[0]
    # Samples sent while the link was down are gone; every rep clear of the outage is still found.
    clear = [r for r in offline.reps if r.end_s < gap_start - 1.0 or r.start_s > gap_end + 1.0]
    assert len(clear) >= len(offline.reps) - 2
    for r in clear:
        assert any(abs(x.start_s - r.start_s) < 0.1 and abs(x.end_s - r.end_s) < 0.1 for x in live.reps), r
