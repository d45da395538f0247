"""PacketAssembler: loss accounting, duplicates, clock mapping and merging separate acc/gyro streams."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from imurep.ble.band import BAND_PROFILE
from imurep.ble.devices import PROFILES
from imurep.ble.devices.polar_pmd import DATA_UUID
from imurep.ble.profile import DecodedPacket
from imurep.ble.stream import PacketAssembler
from imurep.samples import SampleBlock


def _band_packet(seq: int, first: int, n: int = 4) -> DecodedPacket:
    t = (np.arange(first, first + n)) * 0.01 + 100.0
    acc = np.column_stack([t, -t, t * 2])
    return DecodedPacket(t, acc, acc / 10, seq)


def test_sequence_gaps_count_lost_packets_and_duplicates_are_dropped() -> None:
    asm = PacketAssembler(BAND_PROFILE)
    blocks = []
    for seq in (0, 1, 4, 4, 5):  # 2 and 3 lost, 4 repeated
        blocks.append(asm.feed(_band_packet(seq, seq * 4), host_s=seq * 0.04 + 0.01))
    assert blocks[3] is None
    got = SampleBlock.concat([b for b in blocks if b is not None])
    assert asm.lost_packets == 2 and asm.packets == 4 and len(got) == 16
    assert np.all(np.diff(got.time_s) > 0)
    np.testing.assert_allclose(got.time_s[:8], np.arange(8) * 0.01)
    assert got.time_s[8] - got.time_s[7] > 0.025  # the hole of 8 samples


def test_sequence_restarting_after_a_reconnect_is_not_loss() -> None:
    asm = PacketAssembler(BAND_PROFILE)
    asm.feed(_band_packet(500, 0), 0.05)
    asm.new_connection()
    block = asm.feed(_band_packet(0, 300), 3.1)
    assert block is not None and asm.lost_packets == 0
    assert block.time_s[0] == np.float64(block.time_s[0]) and block.time_s[0] > 2.9


def test_resumed_stream_keeps_sequence_numbers_and_backlog_packets_do_not_move_the_clock() -> None:
    asm = PacketAssembler(BAND_PROFILE)
    for seq in range(3):
        asm.feed(_band_packet(seq, seq * 4), host_s=seq * 0.04 + 0.01)
    assert asm.next_sequence == 3
    asm.new_connection(resumed=True)
    # the outage: packets 3..9 arrive late from the backlog (host 2 s later), then 10 live
    blocks = [
        asm.feed(replace(_band_packet(seq, seq * 4), replayed=True), host_s=2.0) for seq in range(3, 10)
    ]
    blocks.append(asm.feed(_band_packet(10, 40), host_s=10 * 0.04 + 0.01 + 1.6))
    got = SampleBlock.concat([b for b in blocks if b is not None])
    assert len(got) == 32 and asm.lost_packets == 0 and asm.replayed_packets == 7
    np.testing.assert_allclose(np.diff(got.time_s), 0.01, atol=1e-9)  # no jump from the late arrival
    assert asm.clock.segments == 0
    asm.new_connection(resumed=True)
    assert asm.feed(replace(_band_packet(9, 36), replayed=True), host_s=3.0) is None  # already had it
    assert asm.sequence is not None and asm.sequence.rejected_total == 1


def test_separate_acc_and_gyro_packets_merge_onto_the_acc_timebase() -> None:
    # Polar-style: accelerometer and gyroscope frames arrive separately, with different lengths
    profile = PROFILES["polar-verity"]
    asm = PacketAssembler(profile, rate_hz=52.0)
    rate = 52.0
    t = np.arange(520) / rate
    acc = np.column_stack([np.sin(t), np.cos(t), 9.81 + 0 * t])
    gyr_t = np.arange(520) / rate + 0.004  # sampled slightly later than acc
    gyr = np.column_stack([gyr_t, 2 * gyr_t, -gyr_t])
    # frames are sent when their last sample is taken: interleave by that time
    frames = [
        (t[i : i + 36][-1], DecodedPacket(t[i : i + 36], acc[i : i + 36], None)) for i in range(0, 520, 36)
    ]
    frames += [
        (gyr_t[i : i + 25][-1], DecodedPacket(gyr_t[i : i + 25], None, gyr[i : i + 25]))
        for i in range(0, 520, 25)
    ]
    out = []
    for sent_s, pkt in sorted(frames, key=lambda f: f[0]):
        if (b := asm.feed(pkt, 10.0 + sent_s + 0.02)) is not None:
            out.append(b)
    got = SampleBlock.concat(out)
    assert got.gyr_rad_s is not None
    assert len(got) >= 519  # everything up to the newest gyroscope sample
    np.testing.assert_allclose(got.acc_m_s2, acc[: len(got)])
    # gyro interpolated at acc times (linear signal: exact, except before the first gyro sample)
    expected = np.column_stack([t, 2 * t, -t])[: len(got)]
    np.testing.assert_allclose(got.gyr_rad_s[1:], expected[1:], atol=1e-9)
    assert np.all(np.diff(got.time_s) > 0)


def test_packets_without_sequence_numbers_estimate_loss_from_device_time() -> None:
    profile = replace(BAND_PROFILE, sequence_modulo=0)
    asm = PacketAssembler(profile)
    for k in (0, 1, 2, 5, 6):  # packets 3 and 4 missing
        asm.feed(replace(_band_packet(0, k * 4), sequence=None), host_s=k * 0.04 + 0.01)
    assert asm.lost_packets == 2


def test_a_device_clock_jump_without_sequence_numbers_is_not_loss() -> None:
    # The device clock jumps 1 h forward between packets 2 and 3 while the host sees 40 ms pass;
    # packets 6 and 7 are really missing (the host sees their time pass).
    profile = replace(BAND_PROFILE, sequence_modulo=0)
    asm = PacketAssembler(profile)
    for k in (0, 1, 2, 3, 4, 5, 8, 9):
        first = k * 4 + (360_000 if k >= 3 else 0)
        asm.feed(replace(_band_packet(0, first), sequence=None), host_s=k * 0.04 + 0.01)
    assert asm.lost_packets == 2 and asm.clock.segments == 1


def test_packets_without_device_time_get_nominal_rate_times() -> None:
    asm = PacketAssembler(replace(BAND_PROFILE, sequence_modulo=0), rate_hz=50.0)
    packet = DecodedPacket(None, np.zeros((5, 3)), np.zeros((5, 3)))
    blocks = [asm.feed(packet, 0.1 * (k + 1)) for k in range(3)]
    got = SampleBlock.concat([b for b in blocks if b is not None])
    np.testing.assert_allclose(np.diff(got.time_s), 0.02, rtol=2e-3)
    assert len(got) == 15


# --- Polar frames through the decoder: implausible spacing is re-anchored, then accounted for ----
_POLAR_T0_NS = 704_201_974_831_254_116  # a real Verity Sense timestamp, ns since 2000-01-01


def _h10_frame(timestamp_ns: int, n: int) -> bytes:
    return bytes([2]) + timestamp_ns.to_bytes(8, "little") + bytes([1]) + bytes(6 * n)


def _h10_stream(
    frames: list[tuple[int, float]], n: int = 36
) -> tuple[PacketAssembler, list[SampleBlock], list[DecodedPacket]]:
    """Feed H10 ACC frames ``(timestamp ns, host receive time s)`` at 100 Hz through decoder and assembler."""
    profile = PROFILES["polar-h10"]
    decoder = profile.make_decoder(100.0)
    asm = PacketAssembler(profile, rate_hz=100.0)
    blocks, packets = [], []
    for timestamp_ns, host_s in frames:
        packet = decoder.decode(DATA_UUID, _h10_frame(timestamp_ns, n))
        packets.append(packet)
        if (block := asm.feed(packet, host_s)) is not None:
            blocks.append(block)
    return asm, blocks, packets


def test_polar_lost_frame_leaves_a_hole_that_counts_as_lost() -> None:
    # Spacing the frame after a lost one from the lost one's predecessor put its 36 samples 20 ms
    # apart (half rate), with no hole in device time: nothing counted as lost.
    period_ns = 10_040_000  # the H10's "100 Hz", 0.4 % slow
    frame_ns = 36 * period_ns
    sent = [k for k in range(10) if k != 5]
    asm, blocks, packets = _h10_stream(
        [(_POLAR_T0_NS + k * frame_ns, 0.05 + k * frame_ns * 1e-9) for k in sent]
    )
    got = SampleBlock.concat(blocks)
    assert len(got) == 9 * 36 and asm.lost_packets == 1
    steps_s = np.diff(got.time_s)
    assert np.sort(steps_s)[-2] < 0.0105  # every step a period except the one hole
    assert steps_s.max() == pytest.approx(37 * period_ns * 1e-9, abs=2e-3)
    assert [p.reanchored for p in packets] == [k == 6 for k in sent]
    assert asm.reanchored_packets == 1


def test_polar_clock_jump_forward_keeps_every_sample_at_its_rate() -> None:
    # From frame 5 on, the device clock reads 3 h later. Spacing frame 5 from frame 4's timestamp
    # put its samples 5 minutes apart; re-anchored, they keep their period and the clock mapping
    # starts a new segment at the jump.
    frame_ns = 36 * 10_000_000
    jump_ns = 3 * 3600 * 10**9
    frames = [
        (_POLAR_T0_NS + k * frame_ns + (jump_ns if k >= 5 else 0), 0.05 + k * frame_ns * 1e-9)
        for k in range(10)
    ]
    asm, blocks, packets = _h10_stream(frames)
    got = SampleBlock.concat(blocks)
    assert len(got) == 360 and asm.lost_packets == 0  # the 3 h hole is the clock, not loss
    steps_s = np.diff(got.time_s)
    assert np.all(steps_s > 0) and np.sort(steps_s)[-2] < 0.0101  # a period, but at the jump:
    assert steps_s.max() < 1.0  # where the new segment starts on the host clock
    assert [p.reanchored for p in packets] == [k == 5 for k in range(10)]
    assert asm.reanchored_packets == 1 and asm.clock.segments == 1


def test_polar_repeated_frame_is_counted_as_reanchored_and_delivered_once() -> None:
    frame_ns = 36 * 10_000_000
    frames = [(_POLAR_T0_NS + k * frame_ns, 0.05 + k * frame_ns * 1e-9) for k in (0, 1, 1, 2)]
    asm, blocks, _ = _h10_stream(frames)
    assert len(SampleBlock.concat(blocks)) == 3 * 36 and asm.packets == 3
    assert asm.reanchored_packets == 1


@pytest.mark.parametrize("back_ns", [300 * 10**6, 10**9, 5 * 10**9])
def test_polar_clock_step_back_keeps_every_sample_in_order(back_ns: int) -> None:
    # From frame 5 on, the device clock reads earlier (by more than a third of a frame: less is
    # within the spacing band and just shortens one frame's spacing). Re-anchored onto its own
    # timestamp, frame 5 and the frames after it landed on device time already delivered and were
    # dropped as resends until the clock caught up (330 or 324 of 360 samples delivered), or a
    # step beyond the mapping's tolerance started a new clock segment.
    frame_ns = 36 * 10_000_000
    frames = [
        (_POLAR_T0_NS + k * frame_ns - (back_ns if k >= 5 else 0), 0.05 + k * frame_ns * 1e-9)
        for k in range(10)
    ]
    asm, blocks, packets = _h10_stream(frames)
    got = SampleBlock.concat(blocks)
    assert len(got) == 360 and asm.lost_packets == 0
    np.testing.assert_allclose(np.diff(got.time_s), 0.01, atol=1e-4)
    assert [p.reanchored for p in packets] == [k == 5 for k in range(10)]
    assert asm.reanchored_packets == 1 and asm.clock.segments == 0


# --- the clock mapping with sequence numbers: the host never overrides the device clock ----------
def _feed_all(asm: PacketAssembler, packets: list[tuple[DecodedPacket, float]]) -> SampleBlock:
    blocks = [asm.feed(p, host_s) for p, host_s in packets]
    return SampleBlock.concat([b for b in blocks if b is not None])


def test_late_packets_keep_their_device_time() -> None:
    # packets 40-59 arrive 5 s late (a congested link, a busy host), then the host catches up
    asm = PacketAssembler(BAND_PROFILE)
    late = {k: 5.0 for k in range(40, 60)}
    got = _feed_all(asm, [(_band_packet(k, k * 4), k * 0.04 + 0.01 + late.get(k, 0.0)) for k in range(100)])
    np.testing.assert_allclose(got.time_s, np.arange(400) * 0.01, atol=1e-9)
    assert asm.clock.segments == 0 and asm.clock.host_late_packets == 20  # packets 40-59
    assert asm.clock.device_clock_jumps == 0 and asm.clock.host_timed_jumps == 0


def test_catch_up_burst_from_the_backlog_is_not_a_clock_jump() -> None:
    # The band fell behind: packets 20-59 come as a burst of untimed catch-up packets 3 s late,
    # and the first live packet after them arrives 3 s late too. It was read as a clock jump and
    # re-timed from the host clock, inventing a 3 s gap.
    asm = PacketAssembler(BAND_PROFILE)
    packets = [(_band_packet(k, k * 4), k * 0.04 + 0.01) for k in range(20)]
    packets += [(replace(_band_packet(k, k * 4), replayed=True), 0.8 + 3.0) for k in range(20, 60)]
    packets += [(_band_packet(k, k * 4), k * 0.04 + 0.01 + 3.0) for k in range(60, 80)]
    got = _feed_all(asm, packets)
    np.testing.assert_allclose(got.time_s, np.arange(320) * 0.01, atol=1e-9)
    assert asm.clock.segments == 0 and asm.clock.host_late_packets == 20  # packets 60-79


def test_one_sample_packets_trust_the_device_clock_until_a_packet_shows_the_period() -> None:
    # A recording replayed one sample per packet, the host falling 10 s behind: no packet shows
    # the period, so no jump test can be made against the sequence numbers; the device time stands.
    asm = PacketAssembler(BAND_PROFILE)
    packets = [(_band_packet(k, k, n=1), k * 0.01 + 0.01 + (10.0 if k >= 50 else 0.0)) for k in range(100)]
    got = _feed_all(asm, packets)
    np.testing.assert_allclose(got.time_s, np.arange(100) * 0.01, atol=1e-9)
    assert asm.clock.segments == 0


@pytest.mark.parametrize("lost", [0, 2])
def test_device_clock_jump_is_bridged_by_the_sequence_numbers(lost: int) -> None:
    # From packet 10 on the device clock reads 1 h later; the sequence numbers say ``lost``
    # packets of 4 samples were lost in between: the gap is what they hold, not what the host saw.
    asm = PacketAssembler(BAND_PROFILE)
    seqs = [*range(10), *range(10 + lost, 20 + lost)]
    packets = [
        (_band_packet(s, s * 4 + (360_000 if s >= 10 else 0)), s * 0.04 + 0.01 + (0.5 if s >= 10 else 0.0))
        for s in seqs
    ]
    got = _feed_all(asm, packets)
    steps = np.diff(got.time_s)
    assert len(got) == 80 and asm.lost_packets == lost
    np.testing.assert_allclose(np.delete(steps, 39), 0.01, atol=1e-9)
    assert steps[39] == pytest.approx(0.01 + lost * 4 * 0.01, abs=1e-9)
    assert asm.clock.device_clock_jumps == 1 and asm.clock.host_timed_jumps == 0


def test_sequence_wrap_is_continuous_and_a_lost_packet_across_it_is_a_gap() -> None:
    asm = PacketAssembler(BAND_PROFILE)
    # 65530 ... 65535, 0, (1 lost), 2 ... 5: device time carries on across the wrap
    ks = [k for k in range(12) if k != 7]
    got = _feed_all(asm, [(_band_packet((65530 + k) % 65536, k * 4), k * 0.04 + 0.01) for k in ks])
    assert asm.lost_packets == 1 and asm.clock.segments == 0
    expected = np.concatenate([np.arange(k * 4, k * 4 + 4) for k in ks]) * 0.01
    np.testing.assert_allclose(got.time_s, expected, atol=1e-9)


def test_clock_warning_names_the_jumps() -> None:
    from imurep.ble.stream import StreamStats

    assert StreamStats(host_late_packets=5).clock_warning() is None
    warning = StreamStats(device_clock_jumps=1, host_timed_jumps=2).clock_warning()
    assert warning == (
        "clock mapping: 1 device clock jump bridged by sequence numbers; 2 clock jumps bridged by "
        "the host clock (the times after each are estimates)"
    )
