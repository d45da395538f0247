"""Live through the virtual band (real ATT/GATT over bumble) reports the reps offline analysis finds.

The virtual band replays a recording sample for sample with the recording's own sample times
(its holes arrive as lost packets), the clock mapping keeps the device time base, and a dropped
link is bridged by the band's backlog. What is left between live and offline is the band's int16
quantisation: rep times agree to a small fraction of a sample period (``_TOLERANCE_PERIODS``).

Replay speeds keep the virtual band at about 500 notifications per host second (a replayed
recording with timestamp jitter goes one sample per packet), well within what bumble carries here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from imurep.analysis.analyze import analyze_file
from imurep.analysis.result import AnalysisResult
from imurep.ble.virtual import Faults
from imurep.cli.main import main
from imurep.live.runner import LinkStatus, run_live
from imurep.pipeline import PipelineConfig
from imurep.samples import SampleBlock
from imurep.sources.open_source import open_source
from imurep.sources.spec import VirtualBandSettings, parse_device, parse_path

MEX = Path(__file__).parents[1] / "data" / "real" / "mex-knee-rolling"
SAMPLES = Path(__file__).parents[2] / "recordings"
_REP_TIMES = ("start_s", "hold_start_s", "hold_end_s", "end_s")
# Reached: 0.00 (MEx, loss-free) to 0.15 (knee_rolls.csv) sample periods, from int16 quantisation.
_TOLERANCE_PERIODS = 0.25


async def _live(
    path: Path, speed: float, faults: Faults | None = None, mount: str | None = None, backlog: bool = True
) -> tuple[AnalysisResult, LinkStatus]:
    settings = VirtualBandSettings(
        speed=speed, replay=parse_path(path), faults=faults or Faults(), backlog=backlog
    )
    async with open_source(parse_device("virtual", virtual=settings)) as live:

        async def shifted():
            async for b in live.blocks:
                yield SampleBlock(
                    b.time_s + live.time_offset_s, b.acc_m_s2, b.gyr_rad_s if live.has_gyr else None
                )

        cfg = PipelineConfig(body_from_sensor=None) if mount == "auto" else PipelineConfig()
        result = await run_live(shifted(), path.name, cfg)
        return result, live.status()


def _assert_same_reps(live: AnalysisResult, offline: AnalysisResult) -> None:
    assert offline.reps
    tol_s = _TOLERANCE_PERIODS / offline.sample_rate_hz
    assert [(r.exercise, r.side) for r in live.reps] == [(r.exercise, r.side) for r in offline.reps]
    for a, b in zip(live.reps, offline.reps, strict=True):
        for name in _REP_TIMES:
            assert getattr(a, name) == pytest.approx(getattr(b, name), abs=tol_s), name


@pytest.mark.parametrize(
    "path",
    [
        MEX / "mex_s07_knee_rolling.csv",
        pytest.param(MEX / "mex_s13_knee_rolling.csv", marks=pytest.mark.slow),
    ],
    ids=lambda v: v.name,
)
async def test_live_replay_equals_offline(path: Path) -> None:
    """A loss-free real recording (100 Hz, millisecond timestamps)."""
    offline = analyze_file(path, mount="auto")
    live, status = await _live(path, speed=5.0, mount="auto")
    assert status.lost_packets == 0
    _assert_same_reps(live, offline)
    assert live.quality.n_samples == offline.quality.n_samples


@pytest.mark.parametrize("name", ["session.csv", pytest.param("knee_rolls.csv", marks=pytest.mark.slow)])
async def test_live_replay_of_a_lossy_recording_equals_offline(name: str) -> None:
    """A 50 Hz recording with timestamp jitter and lost packets: the band sends the recording's holes
    as lost packets, so the pipeline sees the same gaps and counts the same reps at the same times."""
    path = SAMPLES / name
    offline = analyze_file(path)
    live, status = await _live(path, speed=10.0)
    assert status.lost_packets > 0 and status.reconnects == 0
    np.testing.assert_allclose(live.quality.gaps, offline.quality.gaps, rtol=0, atol=1e-5)
    assert live.quality.lost_samples == offline.quality.lost_samples
    _assert_same_reps(live, offline)


def test_cli_live_replay_with_a_dropped_link_equals_analyze(capsys: pytest.CaptureFixture[str]) -> None:
    """``imurep live --device virtual --replay F`` with the link dropped mid-session reports what
    ``imurep analyze F`` does: the band's backlog fills the outage."""
    path = str(SAMPLES / "session.csv")
    assert main(["analyze", path, "--json"]) == 0
    offline = json.loads(capsys.readouterr().out)
    argv = [
        "live",
        "--device",
        "virtual",
        "--replay",
        path,
        "--speed",
        "10",
        "--json",
        "--drop-link-at",
        "60",
    ]
    assert main(argv) == 0
    captured = capsys.readouterr()
    live = json.loads(captured.out)
    assert "reconnects 1" in captured.err  # the view's status line: the link did drop
    assert live["data_quality"] == offline["data_quality"]  # no gap from the outage
    assert [(r["exercise"], r["side"]) for r in live["reps"]] == [
        (r["exercise"], r["side"]) for r in offline["reps"]
    ]
    # times in the JSON are rounded to 0.1 ms
    tol_s = _TOLERANCE_PERIODS / offline["sample_rate_hz"] + 1e-4
    for a, b in zip(live["reps"], offline["reps"], strict=True):
        for name in _REP_TIMES:
            assert a[name] == pytest.approx(b[name], abs=tol_s), name


async def test_dropped_link_without_backlog_is_a_gap_and_the_rest_still_matches() -> None:
    """A band without a backlog (as WitMotion, Thingy, Polar): the outage's samples are lost and
    recorded as a gap; every rep clear of the outage is still found at the same times."""
    path = SAMPLES / "session.csv"
    offline = analyze_file(path)
    live, status = await _live(path, speed=10.0, faults=Faults(drop_link_at_s=(60.0,)), backlog=False)
    assert status.reconnects == 1
    new_gaps = [
        g
        for g in live.quality.gaps
        if not np.isclose(offline.quality.gaps, g, rtol=0, atol=1e-5).all(1).any()
    ]
    assert len(new_gaps) == 1, "the outage must be recorded as a gap"
    gap_start, gap_end = new_gaps[0]
    assert gap_start - offline.quality.gaps[0][0] >= 0  # after the recording's start
    clear = [r for r in offline.reps if r.end_s < gap_start - 1.0 or r.start_s > gap_end + 1.0]
    assert len(clear) >= len(offline.reps) - 2
    tol_s = _TOLERANCE_PERIODS / offline.sample_rate_hz
    for r in clear:
        assert any(
            x.side == r.side and all(abs(getattr(x, n) - getattr(r, n)) <= tol_s for n in _REP_TIMES)
            for x in live.reps
        ), r
