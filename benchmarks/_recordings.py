"""Benchmark inputs built from the real MEx knee-rolling recordings in ``tests/data/real``.

The simulator (``imurep.sim``) will be the better source; until it lands, long recordings are the
15 real MEx sessions (100 Hz, accelerometer only) laid end to end, times shifted so the result is
one continuous recording. ``with_gyr`` adds a gyroscope derived from the change of the measured
gravity direction (not a real gyroscope, but the same columns and code paths as a real device).
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

import numpy as np

from imurep.recording import read_recording, write_recording
from imurep.samples import SampleBlock

REAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "real" / "mex-knee-rolling"


def machine() -> str:
    """One line: CPU model, cores available, Python version."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"machine: {model}, {cores} cores available, Python {sys.version.split()[0]} ({platform.system()})"


SUMMARY_PREFIX = "SUMMARY|"


def summary(what: str, measured: str, baseline: str, target: str = "", met: bool | None = None) -> None:
    """One machine-readable line that ``run_all.py`` gathers into its closing table."""
    verdict = "" if met is None else ("met" if met else "NOT met")
    print(f"{SUMMARY_PREFIX}{what}|{measured}|{baseline}|{target}|{verdict}", flush=True)


def _mex_blocks() -> list[SampleBlock]:
    return [read_recording(p).samples for p in sorted(REAL.glob("mex_s*.csv"))]


def tiled_block(duration_s: float, with_gyr: bool = True, rest_s: float = 0.0) -> SampleBlock:
    """``duration_s`` of MEx sessions end to end (100 Hz), optionally with a derived gyroscope.

    ``rest_s`` of stillness (the session's last posture plus sensor noise) follow each session:
    a real day has far fewer reps per hour than sessions back to back.
    """
    sources = _mex_blocks()
    rng = np.random.default_rng(1)
    pieces_t: list[np.ndarray] = []
    pieces_a: list[np.ndarray] = []
    t_next = 1.7e9
    total = 0
    n_wanted = round(duration_s * 100.0)
    i = 0
    while total < n_wanted:
        src = sources[i % len(sources)]
        i += 1
        t = src.time_s - src.time_s[0] + t_next
        pieces_t.append(t)
        pieces_a.append(src.acc_m_s2)
        total += len(t)
        t_next = t[-1] + 0.01
        n_rest = round(rest_s * 100.0)
        if n_rest:
            pieces_t.append(t_next + np.arange(n_rest) * 0.01)
            pieces_a.append(src.acc_m_s2[-1] + rng.normal(0.0, 0.02, (n_rest, 3)))
            total += n_rest
            t_next += n_rest * 0.01
    time_s = np.concatenate(pieces_t)[:n_wanted]
    acc = np.concatenate(pieces_a)[:n_wanted]
    gyr = _gyr_from_gravity(time_s, acc) if with_gyr else None
    return SampleBlock(time_s, acc, gyr)


def _gyr_from_gravity(time_s: np.ndarray, acc_m_s2: np.ndarray) -> np.ndarray:
    """(N, 3) rad/s: rotation rate that turns one (smoothed) gravity direction into the next."""
    kernel = np.ones(9) / 9.0
    smooth = np.column_stack([np.convolve(acc_m_s2[:, k], kernel, mode="same") for k in range(3)])
    g = smooth / np.linalg.norm(smooth, axis=1, keepdims=True)
    dt = np.diff(time_s)[:, None]
    # body frame sees gravity rotate opposite to the body: dg/dt = -omega x g -> omega ~ g x dg/dt
    w = np.cross(g[:-1], np.diff(g, axis=0)) / dt
    return np.vstack([w, w[-1:]]) + np.random.default_rng(0).normal(0.0, 0.005, (len(time_s), 3))


def write_tiled(
    path: str | os.PathLike[str], duration_s: float, with_gyr: bool = True, rest_s: float = 0.0
) -> int:
    """Write :func:`tiled_block` to ``path``; returns the number of samples."""
    block = tiled_block(duration_s, with_gyr, rest_s)
    write_recording(path, block, {"device": "MEx sessions tiled (benchmark)"}, overwrite=True)
    return len(block)


def simulated_block(duration_s: float, rate_hz: float = 100.0, first_seed: int = 900) -> SampleBlock:
    """``duration_s`` of simulated exercise sessions end to end (front belt, gyroscope, 100 Hz).

    Each session: standing, lying down, a knee-roll set, rolling onto all fours, a heels-stretch
    set, sitting back, standing up: a realistic mix of sets and rests.
    """
    from imurep.sim import random_config, simulate

    blocks: list[SampleBlock] = []
    t_next = 1.7e9
    total = 0
    seed = first_seed
    while total < duration_s * rate_hz:
        cfg = random_config(seed, kind="session", rate_hz=rate_hz, mount="front-belt", with_gyr=True)
        b = simulate(cfg).block
        seed += 1
        t = b.time_s - b.time_s[0] + t_next
        blocks.append(SampleBlock(t, b.acc_m_s2, b.gyr_rad_s))
        total += len(t)
        t_next = t[-1] + 1.0 / rate_hz
    whole = SampleBlock.concat(blocks)
    return whole.slice(0, int(duration_s * rate_hz))
