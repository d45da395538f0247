"""Lost-packet accounting from wrapping sequence numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imurep.ble.sequence import SequenceTracker


def test_wrap_is_forward_and_losses_across_it_are_counted() -> None:
    tracker = SequenceTracker(65536)
    updates = [tracker.update(s) for s in (65533, 65534, 65535, 2, 3)]
    assert [u.lost for u in updates] == [0, 0, 0, 2, 0]
    assert all(u.accept for u in updates)
    assert tracker.lost_total == 2


def test_duplicates_and_stale_packets_are_rejected_not_counted_as_loss() -> None:
    tracker = SequenceTracker(256)
    assert tracker.update(10).accept
    assert not tracker.update(10).accept  # duplicate
    assert not tracker.update(9).accept  # late, reordered
    assert tracker.update(11).lost == 0
    assert tracker.lost_total == 0 and tracker.rejected_total == 2


def test_reset_forgets_the_counter() -> None:
    tracker = SequenceTracker(65536)
    tracker.update(500)
    tracker.reset()
    assert tracker.update(0).lost == 0


@given(
    start=st.integers(0, 65535),
    steps=st.lists(st.integers(1, 300), min_size=1, max_size=200),
)
def test_loss_equals_the_skipped_packets(start: int, steps: list[int]) -> None:
    tracker = SequenceTracker(65536)
    tracker.update(start)
    seq = start
    for step in steps:
        seq += step
        tracker.update(seq % 65536)
    assert tracker.lost_total == sum(steps) - len(steps)


def test_modulo_must_be_at_least_two() -> None:
    with pytest.raises(ValueError, match="modulo"):
        SequenceTracker(1)
