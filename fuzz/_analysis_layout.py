"""From fuzzer bytes to sample blocks for the analysis harness, and back to a saved case.

The blocks start from a stretch of a real recording (``recordings/knee_rolls.csv`` at 50 Hz, or
``recordings/session.csv``), so that the pipeline reaches its postures, sets and reps, and the
bytes then say how to damage it: the time scale (rate) and offset, gaps of any length, times that
go back or repeat, NaN / ±inf / huge / zero values, stuck or rescaled stretches, no gyroscope,
the exercise and mounting settings, and how the samples are cut into blocks.

A case is what the pipeline was fed: ``time_s``, ``acc_m_s2``, ``gyr_rad_s`` (absent: none),
``cuts`` (block boundaries), ``exercise`` and ``auto_mount``; :func:`save_case` writes it as
``case.npz`` (``fuzz/save_regression.py analysis CRASH``) and ``tests/analysis/
test_fuzz_regressions.py`` replays every saved case.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
_SPECIAL = (np.nan, np.inf, -np.inf, 1e300, -1e300, 1e5, 2001.0, 0.0, -0.0, 5e-324)
_SCALES = (1.0, 1.0, 1.0, 0.5, 2.0, 4.0, 0.1, 10.0, 1e-3, 1e3, 1e-9)
_OFFSETS = (0.0, 19521.51, 1e9, -1e9, 1e12, 1e15, 1.7e9)
_JUMPS = (0.1, 0.31, 0.5, 5.0, 3600.0, 86400.0, 1e6, 1e9)
_EXERCISES = ("auto", "knee_rolls", "heels_stretch")


@dataclass
class Case:
    time_s: np.ndarray
    acc_m_s2: np.ndarray
    gyr_rad_s: np.ndarray | None
    cuts: list[int]
    exercise: str
    auto_mount: bool
    render_html: bool


def base_recordings() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(time, acc, gyr) of the recordings the cases start from."""
    from imurep.recording import read_recording

    out = []
    for name in ("knee_rolls.csv", "session.csv"):
        block = read_recording(ROOT / "recordings" / name).samples
        assert block.gyr_rad_s is not None
        out.append((block.time_s, block.acc_m_s2, block.gyr_rad_s))
    return out


def make_case(data: bytes, bases: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> Case:
    import atheris

    fdp = atheris.FuzzedDataProvider(data)
    flags = fdp.ConsumeIntInRange(0, 255)
    t0, acc0, gyr0 = bases[flags & 1]
    start = fdp.ConsumeIntInRange(0, t0.size - 1)
    n = fdp.ConsumeIntInRange(1, 3000)
    sl = slice(start, min(start + n, t0.size))
    t = t0[sl] - t0[start]
    acc, gyr = acc0[sl].copy(), gyr0[sl].copy()
    n = t.size

    def pick(options: tuple[float, ...]) -> float:
        k = fdp.ConsumeIntInRange(0, len(options))
        return fdp.ConsumeRegularFloat() if k == len(options) else options[k]

    with np.errstate(all="ignore"):
        t = t * pick(_SCALES) + pick(_OFFSETS)
        for _ in range(fdp.ConsumeIntInRange(0, 12)):
            kind = fdp.ConsumeIntInRange(0, 7)
            i = fdp.ConsumeIntInRange(0, n - 1)
            j = min(n, i + fdp.ConsumeIntInRange(1, 400))
            c = fdp.ConsumeIntInRange(0, 2)
            if kind == 0:
                t[i:] += pick(_JUMPS)
            elif kind == 1 and i > 0:
                t[i] = t[i - 1] - fdp.ConsumeFloatInRange(0.0, 1.0)
            elif kind == 2:
                t[i] = pick((np.nan, np.inf, -np.inf))
            elif kind == 3:
                acc[i:j, c] = pick(_SPECIAL)
            elif kind == 4:
                gyr[i:j, c] = pick(_SPECIAL)
            elif kind == 5:
                acc[i:j] = acc[i]
                gyr[i:j] = gyr[i]
            elif kind == 6:
                acc[i:j] *= pick((1 / 9.80665, 1000.0, -1.0, 0.0, 100.0))
            else:
                gyr[i:j] *= pick((180 / np.pi, 1000.0, -1.0, 0.0))
    cuts = sorted({fdp.ConsumeIntInRange(0, n) for _ in range(fdp.ConsumeIntInRange(0, 20))})
    return Case(
        time_s=t,
        acc_m_s2=acc,
        gyr_rad_s=None if flags & 2 else gyr,
        cuts=cuts,
        exercise=_EXERCISES[(flags >> 2) % 3],
        auto_mount=bool(flags & 16),
        render_html=(flags & 0xE0) == 0xE0,
    )


def save_case(case: Case, path: Path) -> None:
    arrays = {"time_s": case.time_s, "acc_m_s2": case.acc_m_s2, "cuts": np.asarray(case.cuts, dtype=np.int64)}
    if case.gyr_rad_s is not None:
        arrays["gyr_rad_s"] = case.gyr_rad_s
    np.savez(path, exercise=np.asarray(case.exercise), auto_mount=np.asarray(case.auto_mount), **arrays)


def load_case(path: Path) -> Case:
    with np.load(path) as z:
        return Case(
            time_s=z["time_s"],
            acc_m_s2=z["acc_m_s2"],
            gyr_rad_s=z["gyr_rad_s"] if "gyr_rad_s" in z else None,
            cuts=[int(c) for c in z["cuts"]],
            exercise=str(z["exercise"]),
            auto_mount=bool(z["auto_mount"]),
            render_html=False,
        )


def run_case(case: Case) -> None:
    """Analyse the case and build its reports: a documented error, or a sane result; no warning."""
    import itertools
    import json
    import math
    import warnings

    from imurep.analysis.analyze import analyze_blocks
    from imurep.errors import ImurepError
    from imurep.pipeline import PipelineConfig
    from imurep.report.html import render_html
    from imurep.summary.json_report import report_json_obj
    from imurep.report.markdown import render_markdown
    from imurep.samples import SampleBlock

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning (overflow, invalid value) is a finding
        block = SampleBlock(case.time_s, case.acc_m_s2, case.gyr_rad_s)
        n = len(block)
        edges = [0, *case.cuts, n]
        blocks = [block.slice(a, b) for a, b in itertools.pairwise(edges) if b > a]
        mount = {"body_from_sensor": None} if case.auto_mount else {}
        config = PipelineConfig(exercise=case.exercise, **mount)  # type: ignore[arg-type]
        try:
            result = analyze_blocks(blocks, "fuzz", config)
        except ImurepError:
            return
        assert result.quality.n_samples == n, (result.quality.n_samples, n)
        for r in result.reps:
            assert math.isfinite(r.start_s) and math.isfinite(r.end_s) and r.start_s <= r.end_s, r
        for s in result.sets:
            assert math.isfinite(s.start_s) and math.isfinite(s.end_s) and s.start_s <= s.end_s, s
        json.dumps(result.to_json_obj(), allow_nan=False)
        json.dumps(report_json_obj(result), allow_nan=False)
        render_markdown([result])
        if case.render_html:
            render_html([result])
