"""CPU cost of the live pipeline: samples arriving a notification at a time.

    python benchmarks/bench_live.py

Feeds a simulated session (front belt, gyroscope) to the pipeline in blocks of the size a BLE
notification carries (8 samples at 100 Hz, 16 at 400 Hz) and prints the CPU time per block and per
100 samples, against the same samples fed as one block (the offline path) in the same process;
then the host time from a block leaving the BLE client (virtual band) to the rep event it triggers.
"""

from __future__ import annotations

import time

from imurep.pipeline import Pipeline, PipelineConfig
from imurep.sim import random_config, simulate


def cpu_s(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def main() -> None:
    print(
        f"{'rate Hz':>8} {'block':>6} {'samples':>8} {'live µs/block':>14} {'live ms/100 samples':>20} "
        f"{'offline ms/100 samples':>23} {'ratio':>6}"
    )
    for rate_hz, block in ((100.0, 8), (400.0, 16)):
        sim = simulate(random_config(11, kind="session", rate_hz=rate_hz, mount="front-belt", with_gyr=True))
        b = sim.block
        blocks = [b.slice(i, i + block) for i in range(0, len(b), block)]

        def live(blocks: list = blocks) -> None:  # type: ignore[type-arg]
            p = Pipeline(PipelineConfig())
            for x in blocks:
                p.process(x)
            p.finish()

        def offline(whole: object = b) -> None:
            p = Pipeline(PipelineConfig())
            p.process(whole)  # type: ignore[arg-type]
            p.finish()

        t_live = min(cpu_s(live) for _ in range(3))
        t_off = min(cpu_s(offline) for _ in range(3))
        per100_live = 1e3 * t_live / (len(b) / 100)
        per100_off = 1e3 * t_off / (len(b) / 100)
        print(
            f"{rate_hz:8.0f} {block:6d} {len(b):8d} {1e6 * t_live / len(blocks):14.1f} {per100_live:20.3f} "
            f"{per100_off:23.3f} {t_live / t_off:6.1f}"
        )


async def _latency(path: str, speed: float) -> list[float]:
    """Host seconds from a sample block leaving the BLE client to the rep event it triggers."""
    from imurep.live.runner import LiveUpdate, run_live
    from imurep.live.sources import open_live_source
    from imurep.samples import SampleBlock

    stamps: list[float] = []
    out: list[float] = []
    async with open_live_source("virtual", path, speed=speed) as live:

        async def timed():  # type: ignore[no-untyped-def]
            async for b in live.blocks:
                stamps.append(time.perf_counter())
                yield SampleBlock(b.time_s + live.time_offset_s, b.acc_m_s2, b.gyr_rad_s)

        def on_update(u: LiveUpdate) -> None:
            if u.new_reps:
                out.append(time.perf_counter() - stamps[-1])

        await run_live(timed(), path, PipelineConfig(), on_update=on_update)
    return out


def latency_main() -> None:
    import asyncio
    from pathlib import Path

    import numpy as np

    path = str(Path(__file__).resolve().parents[1] / "recordings" / "knee_rolls.csv")
    lat = asyncio.run(_latency(path, speed=5.0))
    ms = 1e3 * np.asarray(lat)
    print(
        f"\nvirtual band, recordings/knee_rolls.csv at 5x: {len(ms)} rep events; block delivered by the "
        f"client -> rep event: median {np.median(ms):.2f} ms, max {ms.max():.2f} ms "
        "(plus the detector's own lag: emitted_at_s - end_s, p90 -0.27 s on the evaluation suite)"
    )


if __name__ == "__main__":
    main()
    latency_main()
