"""The evaluation suite: simulated recordings with truth files, and running the analysis over them.

Seeds used while tuning the detectors are below :data:`EVALUATION_FIRST_SEED`; the suite's seeds
start there and are never used for tuning.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from imurep.analysis.analyze import analyze_file
from imurep.errors import InputError
from imurep.evaluation.score import FileScore, score_file
from imurep.sim.config import SimKind

__all__ = ["EVALUATION_FIRST_SEED", "SuiteEntry", "evaluate_dir", "make_suite", "suite_plan"]

EVALUATION_FIRST_SEED = 1_000_000
# Per 6 recordings: 2 whole sessions, 2 knee-roll sets, 2 heels-stretch sets; every 5th extra one is
# distractor-only (no exercise at all).
_KINDS: tuple[SimKind, ...] = (
    "session",
    "knee_rolls",
    "heels_stretch",
    "session",
    "knee_rolls",
    "heels_stretch",
)


@dataclass(frozen=True)
class SuiteEntry:
    seed: int
    kind: SimKind


def suite_plan(n_exercise: int, first_seed: int = EVALUATION_FIRST_SEED) -> list[SuiteEntry]:
    """``n_exercise`` labelled recordings plus one distractor-only recording per five."""
    plan = [SuiteEntry(first_seed + i, _KINDS[i % len(_KINDS)]) for i in range(n_exercise)]
    n_distractors = max(1, n_exercise // 5)
    plan += [SuiteEntry(first_seed + n_exercise + i, "distractors") for i in range(n_distractors)]
    return plan


def make_suite(out_dir: str | os.PathLike[str], plan: list[SuiteEntry]) -> list[Path]:
    """Simulate every entry into ``out_dir`` as ``<kind>-<seed>.csv`` + ``.truth.json``."""
    from imurep.recording import write_recording
    from imurep.sim import random_config, simulate

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for entry in plan:
        path = out / f"{entry.kind}-{entry.seed}.csv"
        truth_path = path.with_suffix(".truth.json")
        if not (path.exists() and truth_path.exists()):
            sim = simulate(random_config(entry.seed, kind=entry.kind))
            write_recording(path, sim.block, sim.metadata, overwrite=True)
            truth_path.write_text(json.dumps(sim.truth.to_json_obj(), indent=1))
        paths.append(path)
    return paths


def truth_path_for(csv_path: Path) -> Path:
    return csv_path.with_suffix(".truth.json")


def evaluate_dir(truth_dir: str | os.PathLike[str], mount: str | None = None) -> list[FileScore]:
    """Analyse every ``*.csv`` that has a ``.truth.json`` beside it and score it."""
    d = Path(truth_dir)
    if not d.is_dir():
        raise InputError("not a directory of labelled recordings", str(d))
    scores = []
    for csv_path in sorted(d.glob("*.csv")):
        tp = truth_path_for(csv_path)
        if not tp.exists():
            continue
        try:
            truth = json.loads(tp.read_text())
        except json.JSONDecodeError as exc:
            raise InputError(f"truth file is not JSON ({exc.msg})", str(tp), exc.lineno) from None
        result = analyze_file(csv_path, mount=mount)
        scores.append(score_file(csv_path.name, truth, result.reps))
    if not scores:
        raise InputError("no *.csv with a matching *.truth.json found", str(d))
    return scores
