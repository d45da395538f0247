"""The cues of a live session: counts and sides, holds, targets, the link and a silent sensor."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from imurep.analysis.result import AnalysisResult
from imurep.live.cues import STALLED_AFTER_S, Cue, CueTracker, number_words
from imurep.live.runner import LinkStatus, LiveUpdate, run_live
from imurep.samples import SampleBlock
from imurep.sources.open_source import simulated_session_blocks


def test_number_words() -> None:
    assert [number_words(n) for n in (0, 3, 10, 13, 20, 21, 99, 100, 342)] == [
        "zero",
        "three",
        "ten",
        "thirteen",
        "twenty",
        "twenty-one",
        "ninety-nine",
        "one hundred",
        "three hundred and forty-two",
    ]
    assert number_words(1000) == "1000"


async def _session_cues(target_reps: int) -> tuple[list[Cue], AnalysisResult]:
    blocks, _ = simulated_session_blocks(7, block_s=0.25)

    async def source() -> AsyncIterator[SampleBlock]:
        for b in blocks:
            yield b

    tracker = CueTracker()
    cues: list[Cue] = []

    def on_update(u: LiveUpdate) -> None:
        cues.extend(tracker.update(u, 0.0))

    result = await run_live(source(), "sim", on_update=on_update, target_reps=target_reps)
    return cues, result


async def test_a_simulated_session_is_cued_rep_by_rep_with_holds_and_targets() -> None:
    cues, result = await _session_cues(target_reps=5)
    reps = result.reps
    rep_cues = [c for c in cues if c.kind == "rep"]
    assert [c.rep_index for c in rep_cues] == [r.index for r in reps]
    # Per side within each set: "one, left", "one, right", "two, left"...
    expected = []
    for s in result.sets:
        counts: dict[object, int] = {}
        for r in reps:
            if r.exercise == s.exercise and s.start_s <= r.start_s <= s.end_s:
                counts[r.side] = counts.get(r.side, 0) + 1
                n = number_words(counts[r.side])
                expected.append(f"{n}, {r.side}" if r.side else n)
    assert [c.text for c in rep_cues] == expected
    # Each hold of one breath cued once, before its rep's count; no hold cue for a short hold's rep.
    holds = [c for c in cues if c.kind == "hold"]
    assert len({c.rep_index for c in holds}) == len(holds)
    long_holds = {r.index for r in reps if r.hold_s >= 4.0}
    assert long_holds and long_holds <= {c.rep_index for c in holds}
    for c in holds:
        assert cues.index(c) < next(
            i for i, r in enumerate(cues) if r.kind == "rep" and r.rep_index == c.rep_index
        )
    targets = [c.text for c in cues if c.kind == "target"]
    assert len(targets) == 3
    assert targets[0] in ("five on the left: now the other side", "five on the right: now the other side")
    assert targets[1:] == ["five: set complete, well done"] * 2


async def test_no_target_cue_below_the_target() -> None:
    cues, _ = await _session_cues(target_reps=10)  # the session has 9 a side and 7 stretches
    assert [c for c in cues if c.kind == "target"] == []


def test_a_dropped_link_is_warned_and_its_return_said() -> None:
    t = CueTracker()
    assert t.tick(LinkStatus(connected=True), 0.0) == []
    assert [c.kind for c in t.tick(LinkStatus(connected=False), 0.2)] == ["link_lost"]
    assert t.tick(LinkStatus(connected=False), 0.4) == []
    assert [c.kind for c in t.tick(LinkStatus(connected=True, reconnects=1), 0.6)] == ["link_back"]
    # Dropped and back between two looks: the reconnect count tells, both are said in order.
    assert [c.kind for c in t.tick(LinkStatus(connected=True, reconnects=2), 0.8)] == [
        "link_lost",
        "link_back",
    ]


def test_a_sensor_that_stops_sending_is_warned_once_and_its_return_said() -> None:
    t = CueTracker()
    u = LiveUpdate(None, LinkStatus(), None, 10, 100)
    assert t.tick(LinkStatus(), 50.0) == []  # nothing has arrived yet: not "stopped"
    assert t.update(u, 100.0) == []
    assert t.tick(LinkStatus(), 100.0 + STALLED_AFTER_S - 0.1) == []
    assert [c.kind for c in t.tick(LinkStatus(), 100.0 + STALLED_AFTER_S)] == ["sensor_stopped"]
    assert t.stalled and t.tick(LinkStatus(), 110.0) == []
    assert [c.kind for c in t.update(LiveUpdate(None, LinkStatus(), None, 10, 200), 111.0)] == ["sensor_back"]
    assert not t.stalled


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="one_breath_s"):
        CueTracker(one_breath_s=0.0)
