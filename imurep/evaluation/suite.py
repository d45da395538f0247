"""The evaluation suite: simulated recordings with truth files, and running the analysis over them.

Seed ranges (``docs/simulator.md`` "Evaluation suite"):

- below 1,000,000: unit tests and the tuning of the first detectors;
- 1,000,000-1,999,999 (:data:`EVALUATION_FIRST_SEED`): the classic suite, :func:`suite_plan`
  (typical people doing our two exercises, distractors); reported since the first detectors, so
  no longer unseen;
- 2,000,000-2,999,999 (:data:`TUNING_FIRST_SEED`): the **tuning** split of :func:`split_plan`
  (populations and negatives): look at it, tune on it;
- 3,000,000-3,999,999 (:data:`HELD_OUT_FIRST_SEED`): the **held-out** split, the same mix with
  seeds never used while tuning: report it, do not tune on it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from imurep.analysis.analyze import analyze_file
from imurep.errors import InputError
from imurep.evaluation.score import FileScore, score_file
from imurep.mounting_presets import FROM_FILE, MountChoice
from imurep.sim.config import Population, SimKind

__all__ = [
    "EVALUATION_FIRST_SEED",
    "HELD_OUT_FIRST_SEED",
    "SPLITS",
    "SPLIT_SEEDS",
    "TUNING_FIRST_SEED",
    "SuiteEntry",
    "evaluate_dir",
    "make_suite",
    "split_plan",
    "suite_plan",
]

EVALUATION_FIRST_SEED = 1_000_000
TUNING_FIRST_SEED = 2_000_000
HELD_OUT_FIRST_SEED = 3_000_000
SPLITS = ("tuning", "held-out")
# Each split's seeds: first, one past the last.
SPLIT_SEEDS = {"tuning": (TUNING_FIRST_SEED, 3_000_000), "held-out": (HELD_OUT_FIRST_SEED, 4_000_000)}
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


# One cycle of a split, 24 recordings: 15 of people doing our exercises (typical, and each
# population on both exercises or in a whole session), 8 floor exercises that are not ours, 1
# distractor-only; interleaved so that any first N recordings are a mix.
_SPLIT_CYCLE: tuple[tuple[SimKind, Population], ...] = (
    ("knee_rolls", "small"),
    ("pelvic_tilt", "typical"),
    ("heels_stretch", "small"),
    ("bridging", "typical"),
    ("knee_rolls", "slow"),
    ("clam", "typical"),
    ("heels_stretch", "slow"),
    ("cat_cow", "typical"),
    ("knee_rolls", "quick"),
    ("bird_dog", "typical"),
    ("heels_stretch", "quick"),
    ("superman", "typical"),
    ("knee_rolls", "asymmetric"),
    ("press_up", "typical"),
    ("session", "asymmetric"),
    ("rolling_over", "typical"),
    ("knee_rolls", "continuous"),
    ("heels_stretch", "continuous"),
    ("knee_rolls", "fidgety"),
    ("distractors", "typical"),
    ("heels_stretch", "fidgety"),
    ("session", "typical"),
    ("knee_rolls", "typical"),
    ("heels_stretch", "typical"),
)


@dataclass(frozen=True)
class SuiteEntry:
    """One recording of a suite: ``random_config(seed, kind=kind, population=population)``."""

    seed: int
    kind: SimKind
    population: Population = "typical"

    @property
    def stem(self) -> str:
        """File name without suffix: ``<kind>-<seed>``, ``<kind>-<population>-<seed>`` otherwise."""
        if self.population == "typical":
            return f"{self.kind}-{self.seed}"
        return f"{self.kind}-{self.population}-{self.seed}"


def suite_plan(n_exercise: int, first_seed: int = EVALUATION_FIRST_SEED) -> list[SuiteEntry]:
    """``n_exercise`` labelled recordings plus one distractor-only recording per five."""
    plan = [SuiteEntry(first_seed + i, _KINDS[i % len(_KINDS)]) for i in range(n_exercise)]
    n_distractors = max(1, n_exercise // 5)
    plan += [SuiteEntry(first_seed + n_exercise + i, "distractors") for i in range(n_distractors)]
    return plan


def split_plan(split: str, n: int, first_seed: int | None = None) -> list[SuiteEntry]:
    """``n`` recordings of the ``tuning`` or ``held-out`` split, cycling through :data:`_SPLIT_CYCLE`.

    Parameters
    ----------
    split
        ``tuning`` or ``held-out``: which seed range (:data:`SPLIT_SEEDS`).
    n
        How many recordings (120: five cycles, ~75 with reps, 40 negatives, 5 distractor-only).
    first_seed
        ``None``: the first seed of the split; else a seed inside it (to add more recordings).

    Raises
    ------
    InputError
        An unknown split, ``n`` < 1, or seeds that would leave the split's range.
    """
    if split not in SPLIT_SEEDS:
        raise InputError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    lo, hi = SPLIT_SEEDS[split]
    first = lo if first_seed is None else first_seed
    if n < 1:
        raise InputError(f"the number of recordings to generate must be at least 1, got {n}")
    if not (lo <= first and first + n <= hi):
        raise InputError(
            f"seeds {first}-{first + n - 1} leave the {split} split ({lo}-{hi - 1}): "
            "choose --first-seed inside it, or generate fewer"
        )
    return [SuiteEntry(first + i, *_SPLIT_CYCLE[(first + i - lo) % len(_SPLIT_CYCLE)]) for i in range(n)]


def make_suite(out_dir: str | os.PathLike[str], plan: list[SuiteEntry]) -> list[Path]:
    """Simulate every entry into ``out_dir`` as ``<stem>.csv`` + ``.truth.json`` (an existing pair
    is kept: generating again only adds what is missing)."""
    from imurep.recording import write_recording
    from imurep.sim import random_config, simulate

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for entry in plan:
        path = out / f"{entry.stem}.csv"
        truth_path = path.with_suffix(".truth.json")
        if not (path.exists() and truth_path.exists()):
            sim = simulate(random_config(entry.seed, kind=entry.kind, population=entry.population))
            write_recording(path, sim.block, sim.metadata, overwrite=True)
            truth_path.write_text(json.dumps(sim.truth.to_json_obj(), indent=1))
        paths.append(path)
    return paths


def truth_path_for(csv_path: Path) -> Path:
    return csv_path.with_suffix(".truth.json")


def evaluate_dir(truth_dir: str | os.PathLike[str], mount: MountChoice = FROM_FILE) -> list[FileScore]:
    """Analyse every ``*.csv`` that has a ``.truth.json`` beside it and score it.

    Parameters
    ----------
    truth_dir
        Folder of recordings, each with its ``.truth.json`` (as :func:`make_suite` writes them).
    mount
        How every recording is analysed; default: each file's own ``mount`` metadata.

    Returns
    -------
    list of FileScore
        One score per labelled recording, in file-name order.

    Raises
    ------
    InputError
        Not a folder, a truth file that is not JSON, or no labelled recording at all.
    """
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
