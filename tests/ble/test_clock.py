"""Device clock → session time, with drift correction robust to notification delays."""

from __future__ import annotations

import numpy as np
import pytest

from imurep.ble.clock import ClockConfig, ClockMapper


def _run(
    mapper: ClockMapper,
    true_s: np.ndarray,
    device_s: np.ndarray,
    delays_s: np.ndarray,
    per_packet: int,
    host_offset_s: float = 1000.0,
) -> np.ndarray:
    out = []
    for i, k in enumerate(range(0, true_s.size, per_packet)):
        sl = slice(k, k + per_packet)
        mapper.observe(float(device_s[sl][-1]), host_offset_s + float(true_s[sl][-1]) + float(delays_s[i]))
        out.append(mapper.map(device_s[sl]))
    return np.concatenate(out)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_clock_100_ppm_fast_with_jittery_delays_maps_back_within_2_ms(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rate_hz, per_packet, duration_s = 100.0, 4, 1800.0
    true_s = np.arange(int(duration_s * rate_hz)) / rate_hz
    device_s = 3.7 + true_s * (1 + 100e-6)
    # connection-interval quantisation plus a long tail of OS/stack delay
    n_packets = -(-true_s.size // per_packet)
    delays = 0.0075 * rng.integers(1, 3, n_packets) + rng.exponential(0.012, n_packets)
    mapped = _run(ClockMapper(), true_s, device_s, delays, per_packet)
    assert np.max(np.abs(mapped - true_s)) < 2e-3
    assert np.all(np.diff(mapped) > 0)


def test_drift_estimate_converges() -> None:
    rng = np.random.default_rng(5)
    true_s = np.arange(60_000) / 100.0
    mapper = ClockMapper()
    delays = rng.uniform(0.0, 0.03, true_s.size // 4)
    _run(mapper, true_s, true_s * (1 - 40e-6), delays, 4)
    assert mapper.drift_ppm == pytest.approx(-40.0, abs=3.0)


def test_uncorrected_clock_would_be_off_by_much_more() -> None:
    # the assertion above is not vacuous: ignoring drift is 180 ms off after 30 min at 100 ppm
    true_s = np.arange(180_000) / 100.0
    device_s = true_s * (1 + 100e-6)
    assert np.max(np.abs((device_s - device_s[0]) - true_s)) > 0.15


def test_device_clock_jump_starts_a_new_segment_on_host_time() -> None:
    mapper = ClockMapper(ClockConfig(jump_tolerance_s=1.0))
    for k in range(100):
        mapper.observe(50.0 + k * 0.04, 10.0 + k * 0.04 + 0.01)
        last = mapper.map(np.array([50.0 + k * 0.04]))[-1]
    # the device rebooted: its clock restarts near zero, 3 s of host time later
    mapper.observe(0.5, 10.0 + 99 * 0.04 + 3.0 + 0.01)
    after = mapper.map(np.array([0.46, 0.5]))
    assert mapper.segments == 1
    assert after[0] == pytest.approx(last + 3.0, abs=0.05)
    assert after[1] - after[0] == pytest.approx(0.04, abs=1e-4)


def test_host_time_scale_for_a_faster_than_real_time_device() -> None:
    mapper = ClockMapper(ClockConfig(host_time_scale=10.0))
    out = []
    for k in range(400):
        d = np.arange(4) * 0.01 + k * 0.04
        mapper.observe(float(d[-1]), 5.0 + float(d[-1]) / 10.0 + 0.001)
        out.append(mapper.map(d))
    assert abs(mapper.drift_ppm) < 1.0
    np.testing.assert_allclose(np.concatenate(out), np.arange(1600) * 0.01, atol=1e-6)


def test_map_before_observe_is_an_error() -> None:
    with pytest.raises(RuntimeError):
        ClockMapper().map(np.array([1.0]))


def test_a_late_packet_without_sequence_numbers_keeps_its_device_time() -> None:
    # A congested link delivers packet 50 five seconds late (then the host catches up): the device
    # clock ran on, so its time stands; it was read as a clock jump and re-timed from the host.
    mapper = ClockMapper()
    out = []
    for k in range(100):
        d = 20.0 + k * 0.04 + np.arange(-3, 1) * 0.01
        mapper.observe(float(d[-1]), 7.0 + k * 0.04 + 0.01 + (5.0 if k == 50 else 0.0))
        out.append(mapper.map(d))
    np.testing.assert_allclose(np.concatenate(out), np.arange(400) * 0.01, atol=1e-9)
    assert mapper.segments == 0 and mapper.host_late_packets == 1 and mapper.host_timed_jumps == 0


def test_a_clock_jump_without_sequence_numbers_is_counted_as_host_timed() -> None:
    mapper = ClockMapper()
    for k in range(10):
        mapper.observe(50.0 + k * 0.04, 10.0 + k * 0.04)
        mapper.map(np.array([50.0 + k * 0.04]))
    mapper.observe(3600.0, 10.0 + 10 * 0.04)  # the clock reads an hour later, 40 ms on
    assert mapper.segments == 1 and mapper.host_timed_jumps == 1 and mapper.device_clock_jumps == 0
