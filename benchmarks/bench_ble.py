"""BLE benchmark through the virtual band on bumble's in-process stack.

Measures, at 100 and 400 Hz and several replay speeds: notifications and samples delivered per
second of host time, loss, and process CPU time per notification (the whole stack: bumble
peripheral + central + bleak backend + client decode, so an upper bound of the client's share);
the client's own decode + assembly cost per packet without any stack; the reconnect time
after a peripheral-side disconnect; and how fast the band's backlog catches up after an outage
(5 s at 100 Hz: the client RESUMEs, the band resends the outage's packets, then carries on live).

    .venv/bin/python benchmarks/bench_ble.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Iterator

import numpy as np

from imurep.ble.band import BAND_PROFILE, DATA_UUID, BandDecoder, encode_packet
from imurep.ble.client import StreamConfig
from imurep.ble.clock import ClockConfig
from imurep.ble.stream import PacketAssembler
from imurep.ble.virtual import Faults, virtual_world
from imurep.samples import SampleBlock


def source(rate_hz: float = 400.0, seconds: float = 10_000.0) -> Iterator[SampleBlock]:
    step = int(rate_hz)
    for start in range(0, int(seconds * rate_hz), step):
        t = np.arange(start, start + step) / rate_hz
        acc = np.column_stack([np.sin(t), np.cos(t), 9.81 + 0 * t])
        yield SampleBlock(t, acc, 0.1 * acc)


async def throughput(rate_hz: float, speed: float, host_s: float) -> dict[str, float]:
    config = StreamConfig(rate_hz=rate_hz, clock=ClockConfig(host_time_scale=speed), no_data_timeout_s=5.0)
    async with virtual_world(source(), speed=speed) as world:
        stream = world.band_stream(config)
        async with stream:
            it = stream.__aiter__()
            await it.__anext__()  # streaming has started
            packets0, samples0 = stream.stats.packets, stream.stats.samples
            cpu0, wall0 = time.process_time(), time.perf_counter()
            while time.perf_counter() - wall0 < host_s:
                await it.__anext__()
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
            stats = stream.stats
    packets = stats.packets - packets0
    expected_samples = rate_hz * speed * wall
    return {
        "notif_per_s": packets / wall,
        "samples_per_s": (stats.samples - samples0) / wall,
        "keeps_up": (stats.samples - samples0) / expected_samples,
        "cpu_us_per_notif": 1e6 * cpu / max(packets, 1),
        "cpu_load": cpu / wall,
        "lost": float(stats.lost_packets),
    }


def decode_cost(rate_hz: float, packets: int = 20_000) -> float:
    n = 4 if rate_hz <= 100 else 16
    acc = np.random.default_rng(0).normal(0, 5, (n, 3))
    period_us = round(1e6 / rate_hz)
    data = [encode_packet(i, i * n * period_us, period_us, acc, acc / 10) for i in range(packets)]
    decoder, asm = BandDecoder(), PacketAssembler(BAND_PROFILE, rate_hz=rate_hz)
    t0 = time.perf_counter()
    for i, d in enumerate(data):
        asm.feed(decoder.decode(DATA_UUID, d), 1000.0 + i * n / rate_hz + 0.01)
    return 1e6 * (time.perf_counter() - t0) / packets


async def reconnect_times(repeats: int) -> list[float]:
    drops = tuple(50 + 60 * k for k in range(repeats))
    faults = Faults(drop_link_after_packets=drops, readvertise_after_s=0.05)
    config = StreamConfig(backoff_initial_s=0.05, scan_timeout_s=2.0, connect_timeout_s=2.0)
    async with virtual_world(source(), speed=1.0, faults=faults) as world:
        stream = world.band_stream(config)
        async with stream:
            async for _ in stream:
                if len(stream.stats.gaps) >= repeats:
                    break
            return [g.host_duration_s for g in stream.stats.gaps]


async def backlog_catch_up(outage_s: float, rate_hz: float = 100.0) -> dict[str, float]:
    """One outage of ``outage_s`` (the band re-advertises only then), real time.

    Catch-up: host time from the first packet after the reconnect to the first live one.
    """
    faults = Faults(drop_link_after_packets=(50,), readvertise_after_s=outage_s)
    config = StreamConfig(
        rate_hz=rate_hz,
        backoff_initial_s=0.05,
        scan_timeout_s=0.5,
        connect_timeout_s=2.0,
        max_reconnect_attempts=50,
    )
    async with virtual_world(source(), speed=1.0, faults=faults) as world:
        stream = world.band_stream(config)
        first_s: float | None = None
        replayed_before = 0
        async with stream:
            async for _ in stream:
                stats = stream.stats
                now = time.perf_counter()
                if first_s is None and stats.reconnects:
                    first_s = now
                elif first_s is not None and stats.replayed_packets == replayed_before:
                    catch_up_s = now - first_s
                    break
                replayed_before = stats.replayed_packets
        gap = stream.stats.gaps[0]
    samples_per_packet = 4 if rate_hz <= 100 else 16
    return {
        "outage_s": gap.host_duration_s,
        "replayed": float(replayed_before),
        "catch_up_s": catch_up_s,
        "packets_per_s": replayed_before / catch_up_s,
        "x_real_time": replayed_before * samples_per_packet / rate_hz / catch_up_s,
        "lost": float(stream.stats.lost_packets),
        "hole_s": gap.end_s - gap.start_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    args = parser.parse_args()
    host_s = 1.5 if args.quick else 4.0
    print("throughput through the virtual band (bumble LocalLink, both sides in this process)")
    print(
        f"{'rate Hz':>8} {'speed':>6} {'notif/s':>9} {'samples/s':>10} {'keeps up':>9} "
        f"{'CPU µs/notif':>13} {'CPU load':>9} {'lost':>5}"
    )
    for rate_hz in (100.0, 400.0):
        for speed in (1.0, 10.0, 40.0):
            r = asyncio.run(throughput(rate_hz, speed, host_s))
            print(
                f"{rate_hz:8.0f} {speed:6.0f} {r['notif_per_s']:9.0f} {r['samples_per_s']:10.0f} "
                f"{r['keeps_up']:9.2f} {r['cpu_us_per_notif']:13.0f} {r['cpu_load']:9.2f} {r['lost']:5.0f}"
            )
    for rate_hz in (100.0, 400.0):
        print(f"client decode + assembly alone at {rate_hz:.0f} Hz: {decode_cost(rate_hz):.1f} µs per packet")
    times = asyncio.run(reconnect_times(3 if args.quick else 5))
    print(
        f"reconnect after a dropped link (disconnect → first packet, band re-advertises after 50 ms): "
        f"median {1e3 * statistics.median(times):.0f} ms, max {1e3 * max(times):.0f} ms over {len(times)}"
    )
    runs = [asyncio.run(backlog_catch_up(5.0)) for _ in range(1 if args.quick else 3)]
    mid = sorted(runs, key=lambda r: r["catch_up_s"])[len(runs) // 2]
    print(
        f"backlog after a {mid['outage_s']:.1f} s outage at 100 Hz: {mid['replayed']:.0f} packets resent in "
        f"{1e3 * mid['catch_up_s']:.0f} ms (median of {len(runs)}; {mid['packets_per_s']:.0f} packets/s, "
        f"{mid['x_real_time']:.0f}x real time); lost {mid['lost']:.0f} packets, "
        f"hole in the data {1e3 * mid['hole_s']:.0f} ms (one sample period = 10 ms: none)"
    )


if __name__ == "__main__":
    main()
