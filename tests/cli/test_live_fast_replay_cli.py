"""``imurep live --device virtual --replay F --speed N -o X`` writes F's own times, however fast.

At 100 or 200 times real time the host falls behind the band (one notification per sample for a
recording with timestamp jitter), the band catches up from its backlog and notifications arrive
late and in bursts. The clock mapping keeps the band's device time wherever the sequence numbers
vouch for it: the file written holds the replayed recording's times (to within a sample period),
and the JSON reports the reps offline analysis finds.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from imurep.cli.main import main
from imurep.samples import SampleBlock
from imurep.sources.files import open_samples

KNEE_ROLLS = Path(__file__).parents[2] / "recordings" / "knee_rolls.csv"
_REP_TIMES = ("start_s", "hold_start_s", "hold_end_s", "end_s")


def _times(path: Path) -> np.ndarray:
    return SampleBlock.concat(list(open_samples(path).blocks)).time_s


@pytest.mark.parametrize("speed", ["200", "100"])
def test_fast_replay_writes_the_recordings_times_and_counts_its_reps(
    speed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(KNEE_ROLLS), "--json"]) == 0
    offline = json.loads(capsys.readouterr().out)
    out = tmp_path / "x.csv"
    argv = ["live", "--device", "virtual", "--replay", str(KNEE_ROLLS), "--speed", speed, "-o", str(out)]
    assert main([*argv, "--json"]) == 0
    live = json.loads(capsys.readouterr().out)
    period_s = 1.0 / offline["sample_rate_hz"]
    written, recorded = _times(out), _times(KNEE_ROLLS)
    assert written.size == recorded.size
    assert np.max(np.abs(written - recorded)) < period_s
    assert live["duration_s"] == pytest.approx(offline["duration_s"], abs=period_s)
    assert live["data_quality"]["lost_samples"] == offline["data_quality"]["lost_samples"]
    assert [(r["exercise"], r["side"]) for r in live["reps"]] == [
        (r["exercise"], r["side"]) for r in offline["reps"]
    ]
    for a, b in zip(live["reps"], offline["reps"], strict=True):
        for name in _REP_TIMES:
            assert a[name] == pytest.approx(b[name], abs=period_s), name
    clock = live["clock_mapping"]
    assert clock["device_clock_jumps"] == 0 and clock["host_timed_jumps"] == 0
    # the recording says how its times were mapped
    note = open_samples(out).metadata["clock_mapping"]
    assert note.endswith("device_clock_jumps=0 host_timed_jumps=0; session times follow the device clock")
