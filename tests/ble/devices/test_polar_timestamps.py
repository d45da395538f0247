"""The Polar PMD sample-time kernel: the SDK's spacing for believable frames, the nominal period otherwise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imurep.ble.devices.polar_timestamps import MAX_SPACING_RATIO, MIN_SPACING_RATIO, frame_times
from imurep.samples import FloatArray

# A Verity Sense timestamp from the Polar Sensor Logger export in tests/data/formats (2022-04-25).
T0_NS = 704_201_974_831_254_116
RATES_HZ = (25.0, 50.0, 52.0, 100.0, 200.0)  # every online ACC/GYRO rate of the H10 and Verity Sense


def _sdk_spacing_s(timestamp_ns: int, previous_ns: int, n: int) -> FloatArray:
    """The spacing from the previous timestamp, computed as the decoder always has (same float ops)."""
    spacing_ns = (timestamp_ns - previous_ns) / n
    times_ns = (previous_ns + spacing_ns) + spacing_ns * np.arange(n, dtype=np.float64)
    times_ns[-1] = float(timestamp_ns)
    return times_ns * 1e-9


def test_first_frame_is_spaced_at_the_nominal_period_ending_at_its_timestamp() -> None:
    times = frame_times(T0_NS, None, 5, 52.0)
    assert not times.reanchored
    assert times.time_s[-1] == T0_NS * 1e-9
    np.testing.assert_allclose(np.diff(times.time_s), 1 / 52.0, atol=1e-6)


@settings(max_examples=400, deadline=None)
@given(
    rate_hz=st.sampled_from(RATES_HZ),
    n=st.integers(min_value=1, max_value=250),
    drift=st.floats(min_value=-0.05, max_value=0.05),
    previous_ns=st.integers(min_value=T0_NS // 10, max_value=2**63),
)
def test_spacing_within_five_percent_of_nominal_is_the_sdks_bit_for_bit(
    rate_hz: float, n: int, drift: float, previous_ns: int
) -> None:
    # Device clocks drift and real rates differ from the setting by a few percent: those frames
    # are spaced from the previous timestamp exactly as before the plausibility band existed.
    timestamp_ns = previous_ns + round(n * 1e9 / rate_hz * (1 + drift))
    times = frame_times(timestamp_ns, previous_ns, n, rate_hz)
    assert not times.reanchored
    np.testing.assert_array_equal(times.time_s, _sdk_spacing_s(timestamp_ns, previous_ns, n))


@pytest.mark.parametrize(
    ("step_ns", "why"),
    [
        (11, "11 ns after the previous frame (the fuzzing finding)"),
        (4_000, "4 µs after: samples crammed into microseconds"),
        (36 * 19_230_769 // 2, "half the frame's duration after"),
        (36 * 19_230_769 * 2, "a lost frame of equal length before it"),
        (3 * 3600 * 10**9, "a clock jump forward of 3 h"),
        (0, "the same timestamp as the previous frame"),
        (-10 * 10**9, "a clock step back of 10 s"),
    ],
)
def test_implausible_spacing_is_replaced_by_the_nominal_period_ending_at_the_timestamp(
    step_ns: int, why: str
) -> None:
    n, rate_hz = 36, 52.0
    times = frame_times(T0_NS + step_ns, T0_NS, n, rate_hz)
    assert times.reanchored, why
    assert times.time_s[-1] == (T0_NS + step_ns) * 1e-9
    np.testing.assert_allclose(np.diff(times.time_s), 1 / rate_hz, atol=1e-6)


@pytest.mark.parametrize("rate_hz", RATES_HZ)
def test_band_edges(rate_hz: float) -> None:
    n = 40
    period_ns = 1e9 / rate_hz
    inside = (MIN_SPACING_RATIO * 1.001, MAX_SPACING_RATIO * 0.999)
    outside = (MIN_SPACING_RATIO * 0.999, MAX_SPACING_RATIO * 1.001)
    for ratio in inside:
        assert not frame_times(T0_NS + round(n * period_ns * ratio), T0_NS, n, rate_hz).reanchored
    for ratio in outside:
        assert frame_times(T0_NS + round(n * period_ns * ratio), T0_NS, n, rate_hz).reanchored


@settings(max_examples=400, deadline=None)
@given(
    rate_hz=st.sampled_from(RATES_HZ),
    n=st.integers(min_value=1, max_value=250),
    timestamp_ns=st.integers(min_value=T0_NS // 10, max_value=2**64 - 1),
    previous_ns=st.one_of(st.none(), st.integers(min_value=0, max_value=2**64 - 1)),
)
def test_any_timestamps_give_finite_increasing_times_ending_at_the_timestamp(
    rate_hz: float, n: int, timestamp_ns: int, previous_ns: int | None
) -> None:
    times = frame_times(timestamp_ns, previous_ns, n, rate_hz)
    assert times.time_s.shape == (n,) and np.isfinite(times.time_s).all()
    assert (np.diff(times.time_s) > 0).all()
    assert times.time_s[-1] == timestamp_ns * 1e-9
    spacing_s = np.diff(times.time_s)
    if spacing_s.size:
        # never crammed or stretched beyond the band (float64 rounding of ~1e9 s times aside)
        assert spacing_s.min() >= MIN_SPACING_RATIO / rate_hz - 1e-5
        assert spacing_s.max() <= MAX_SPACING_RATIO / rate_hz + 1e-5
