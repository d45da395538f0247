"""Offline analysis of a 1-hour 100 Hz recording against ``pandas.read_csv`` of the same file.

Variants: ``acc`` accelerometer only; ``acc+gyr`` with a gyroscope (both: ~1-minute sessions back
to back, ~1200 reps an hour, the worst case); ``gyr+rest`` with a gyroscope and 5 minutes of
stillness after each session (closer to a real day). For each, the script writes the recording
to a temporary folder and prints, median of ``--repeat`` rounds (each round times all three in turn,
so a noisy moment on a shared machine hits them alike):

- ``pandas.read_csv`` of the file (the target: the analysis should take at most 1.5× that);
- ``analyze_file`` (read + pipeline, exactly what ``imurep analyze`` does), and the ratio (median
  of the per-round ratios);
- the pipeline alone on blocks already in memory (``analyze_blocks``), to split read vs analysis;
- where the time goes: reading alone (``iter_recording``), the filter stage alone (``GravityStage``:
  low-pass, high-pass, resampling to the control rate), and the rest of the pipeline (pipeline minus
  filter stage: posture, the exercise-set state machine, rep finalisation). ``floor`` is the ratio
  ``analyze_file`` would have if everything after the filter stage cost nothing:
  (reading + filter stage) / ``read_csv``.

Then a cProfile of one ``analyze_file`` run (``acc+gyr``), the functions with most own time and most
cumulative time (``--top``).

Usage: ``python benchmarks/bench_offline.py [--hours 1] [--repeat 5] [--top 15]`` (``--top 0``: no profile)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from _recordings import machine, simulated_block, summary, tiled_block

from imurep.analysis.analyze import analyze_blocks, analyze_file
from imurep.pipeline import PipelineConfig
from imurep.pipeline.gravity import GravityStage
from imurep.pipeline.iir import SosState
from imurep.recording import iter_recording, read_header, write_recording
from imurep.samples import SampleBlock


def _wall_s(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _rounds(fns: list[Callable[[], object]], repeat: int) -> list[list[float]]:
    """Wall times, s: ``[round][fn]``, the functions timed in turn in each round."""
    return [[_wall_s(fn) for fn in fns] for _ in range(repeat)]


def _filter_stage(blocks: list[SampleBlock]) -> None:
    """The pipeline's first stage alone (what every sample goes through before the control steps)."""
    config = PipelineConfig()
    stage = GravityStage(config.lowpass_hz, config.control_rate_hz)
    for block in blocks:
        stage.process(block)
    stage.flush()


def _kernel_inputs(block: SampleBlock) -> list[tuple[SosState, np.ndarray]]:
    """The filter stage's own filters, set up for ``block``'s rate, each with its channel-major input."""
    config = PipelineConfig()
    stage = GravityStage(config.lowpass_hz, config.control_rate_hz)
    stage.process(block.slice(0, 64))  # designs its filters from the block's sample rate
    lp, hp, smooth = stage._lp, stage._hp, stage._smooth
    assert lp is not None and hp is not None and smooth is not None
    x = np.empty((lp.channels, len(block)))
    x[:3] = block.acc_m_s2.T
    if block.gyr_rad_s is not None:
        x[3:] = block.gyr_rad_s.T
    return [(lp, x), (hp, np.ascontiguousarray(x[:3])), (smooth, np.ascontiguousarray(x[:1]))]


def _kernels(filters: list[tuple[SosState, np.ndarray]]) -> None:
    """The filter arithmetic alone (its time does not depend on the values, so inputs are reused)."""
    for state, signal in filters:
        state.filter_inplace(signal)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--mount", default="auto", help="as imurep analyze --mount (MEx: unknown mounting)")
    args = parser.parse_args()
    print(machine())
    print(
        f"recordings, {args.hours:g} h at 100 Hz: 'sim' = simulated exercise sessions end to end "
        f"(front-belt); the others = MEx knee-rolling sessions tiled (--mount {args.mount})"
    )
    print()
    header = (
        f"{'variant':<10} {'samples':>9} {'MiB':>6} {'read_csv s':>10} {'analyze s':>10} "
        f"{'ratio':>6} {'pipeline s':>10} {'reps':>6}"
    )
    print(header)
    print("-" * len(header))
    stages: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        summaries: list[tuple[str, str, str, str, bool]] = []
        variants = (
            ("sim", True, -1.0),
            ("acc", False, 0.0),
            ("acc+gyr", True, 0.0),
            ("gyr+rest", True, 300.0),
        )
        for variant, with_gyr, rest_s in variants:
            block = (
                simulated_block(args.hours * 3600.0)
                if rest_s < 0
                else tiled_block(args.hours * 3600.0, with_gyr, rest_s)
            )
            path = Path(tmp) / f"{variant}.csv"
            write_recording(path, block, {"device": "benchmark"})
            paths[variant] = path
            skip = read_header(path).header_line - 1
            # The simulated hour is worn at the front of the belt; the MEx tiles have no known mounting.
            mount = "front-belt" if variant == "sim" else args.mount
            result = analyze_file(path, mount=mount)
            blocks = list(iter_recording(path))
            filters = _kernel_inputs(block)
            config = PipelineConfig(body_from_sensor=None) if mount == "auto" else None
            rounds = _rounds(
                [
                    lambda p=path, s=skip: pd.read_csv(p, skiprows=s),  # type: ignore[misc]
                    lambda p=path, m=mount: analyze_file(p, mount=m),  # type: ignore[misc]
                    lambda b=blocks, c=config: analyze_blocks(b, "x", c),  # type: ignore[misc]
                    lambda p=path: list(iter_recording(p)),  # type: ignore[misc]
                    lambda b=blocks: _filter_stage(b),  # type: ignore[misc]
                    lambda f=filters: _kernels(f),  # type: ignore[misc]
                ],
                args.repeat,
            )
            read_s, analyze_s, pipe_s, own_read_s, filter_s, kernels_s = (
                statistics.median(r[k] for r in rounds) for k in range(6)
            )
            floor = statistics.median((r[3] + r[4]) / r[0] for r in rounds)
            compiled_floor = statistics.median((r[3] + r[5]) / r[0] for r in rounds)
            stages.append(
                f"{variant:<10} {own_read_s:>8.3f} {filter_s:>8.3f} {max(pipe_s - filter_s, 0.0):>10.3f} "
                f"{floor:>6.2f} {kernels_s:>8.3f} {compiled_floor:>9.2f}"
            )
            ratio = statistics.median(r[1] / r[0] for r in rounds)
            print(
                f"{variant:<10} {len(block):>9} {path.stat().st_size / 2**20:>6.1f} {read_s:>10.3f} "
                f"{analyze_s:>10.3f} {ratio:>6.2f} {pipe_s:>10.3f} {len(result.reps):>6}"
            )
            summaries.append(
                (
                    f"offline {args.hours:g} h, {variant} ({len(result.reps)} reps)",
                    f"analyze {analyze_s:.3f} s (pipeline alone {pipe_s:.3f} s)",
                    f"read_csv {read_s:.3f} s, ratio {ratio:.2f} (compiled floor {compiled_floor:.2f})",
                    "ratio <= 1.5",
                    ratio <= 1.5,
                )
            )
        print(f"(medians of {args.repeat} rounds; ratio = analyze_file / pandas.read_csv; target <= 1.5)")
        print()
        print("where the time goes (s, medians): reading, filter stage, rest of the pipeline; floor = ratio")
        print("if the rest cost nothing, (reading + filter stage) / read_csv; kernels = the filter")
        print("arithmetic alone (compiled); compiled floor = (reading + kernels) / read_csv")
        stage_header = (
            f"{'variant':<10} {'reading':>8} {'filter':>8} {'rest':>10} {'floor':>6} {'kernels':>8} "
            f"{'compiled':>9}"
        )
        print(stage_header)
        print("-" * len(stage_header))
        for line in stages:
            print(line)
        for line in summaries:
            summary(*line)
        for variant, path in paths.items():
            if variant != "acc+gyr" or args.top <= 0:
                continue
            profiler = cProfile.Profile()
            profiler.enable()
            analyze_file(path, mount=args.mount)
            profiler.disable()
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
                body = out.getvalue()
                table = body[body.index("   ncalls") :].rstrip()
                print(f"\ncProfile of analyze_file ({variant}), top {args.top} by {order}:")
                print(table)


if __name__ == "__main__":
    main()
