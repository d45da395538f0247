"""``imurep evaluate TRUTH_DIR``: score the analysis against labelled recordings."""

from __future__ import annotations

import argparse
import json
import math
import sys

from imurep.errors import InputError
from imurep.evaluation.score import SuiteScore, summarize_groups, summarize_scores
from imurep.evaluation.suite import (
    EVALUATION_FIRST_SEED,
    SPLITS,
    evaluate_dir,
    make_suite,
    split_plan,
    suite_plan,
)
from imurep.mounting_presets import mount_choice
from imurep.plural import count

__all__ = ["register"]

# The accuracy a counter must reach on the held-out split (docs/accuracy.md): marked "met" or
# "NOT MET" beside each score; the exit status does not depend on them.
TARGETS = {
    "rep_f1": (">=", 0.995),
    "sets_exact_share": (">=", 0.98),
    "side_accuracy": (">=", 1.0),
    "hold_abs_err_median_s": ("<=", 0.3),
    "hold_abs_err_p90_s": ("<=", 0.6),
    "distractor_reps": ("<=", 0),
    "latency_p90_s": ("<=", 0.5),
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "evaluate",
        help="score the analysis on labelled recordings (simulator truth files)",
        description="Analyse every *.csv with a *.truth.json beside it and score reps, sets, sides, "
        "holds and report latency.",
    )
    p.add_argument("truth_dir", metavar="TRUTH_DIR")
    p.add_argument(
        "--generate",
        type=int,
        metavar="N",
        help="first simulate N labelled recordings into TRUTH_DIR: without --split, N of our exercises "
        "(typical people) plus N/5 distractor-only ones; with --split, N in all",
    )
    p.add_argument(
        "--split",
        choices=SPLITS,
        help="with --generate: the tuning (seeds 2,000,000-2,999,999) or held-out (3,000,000-3,999,999) "
        "suite of populations (small, slow, quick, asymmetric, continuous, fidgety) and floor "
        "exercises that are not ours; default: the classic suite (seeds from 1,000,000)",
    )
    p.add_argument(
        "--first-seed",
        type=int,
        help=f"seed of the first one (default: {EVALUATION_FIRST_SEED}, or the split's first seed)",
    )
    p.add_argument(
        "--mount",
        help="analyse every recording with this mounting ('auto': unknown, found from the data; sides "
        "then unknown); default: each file's own 'mount' metadata",
    )
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--verbose", "-v", action="store_true", help="list each missed or extra rep")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    mount = mount_choice(args.mount)  # a clear error before simulating or analysing anything
    if args.split is not None and not args.generate:
        raise InputError("--split chooses what --generate simulates: give --generate N too")
    if args.generate is not None and args.generate < 1:
        raise InputError(f"--generate needs at least 1 recording, got {args.generate}")
    if args.generate and args.split is not None:
        make_suite(args.truth_dir, split_plan(args.split, args.generate, args.first_seed))
    elif args.generate:
        first = EVALUATION_FIRST_SEED if args.first_seed is None else args.first_seed
        make_suite(args.truth_dir, suite_plan(args.generate, first))
    scores = evaluate_dir(args.truth_dir, mount=mount)
    total = summarize_scores(scores)
    groups = summarize_groups(scores)
    obj = total.to_json_obj()
    if args.json:
        json.dump(
            {
                "summary": obj,
                "groups": {name: g.to_json_obj() for name, g in groups.items()},
                "files": [s.__dict__ for s in scores],
            },
            sys.stdout,
            indent=1,
        )
        sys.stdout.write("\n")
        return 0
    for s in scores:
        flag = "" if s.n_matched == s.n_truth == s.n_found else "  <-"
        print(
            f"{s.name:32s} truth {s.n_truth:3d}  found {s.n_found:3d}  matched {s.n_matched:3d}  "
            f"sets exact {s.sets_exact}/{s.sets_total}{flag}"
        )
        if args.verbose:
            for note in s.notes:
                print(f"    {note}")
    print()
    _print_groups(groups)
    print()
    for key, value in obj.items():
        target = TARGETS.get(key)
        mark = ""
        if target is not None and isinstance(value, int | float) and not math.isnan(float(value)):
            op, bound = target
            ok = value >= bound if op == ">=" else value <= bound
            mark = f"   target {op} {bound}: {'met' if ok else 'NOT MET'}"
        print(f"{key:24s} {value}{mark}")
    return 0


def _print_groups(groups: dict[str, SuiteScore]) -> None:
    """Per population (files with reps) and per kind of movement that is not ours (no reps)."""
    with_reps = {k: g for k, g in groups.items() if g.files > g.distractor_files}
    without = {k: g for k, g in groups.items() if g.files == g.distractor_files}
    if with_reps:
        print("population".ljust(14) + " files  rep_f1  sets_exact  side_acc  hold_err_median/p90_s")
        for name, g in with_reps.items():
            print(
                f"{name:14s} {g.files:5d}  {_f(g.rep_f1)}  {_f(g.sets_exact_share):>10s}  "
                f"{_f(g.side_accuracy):>8s}  {_f(g.hold_abs_err_median_s, 2)} / {_f(g.hold_abs_err_p90_s, 2)}"
            )
    if without:
        if with_reps:
            print()
        print("not ours (every rep found is a false rep):")
        for name, g in without.items():
            of = f" of {count(g.negative_movements, 'movement')}" if g.negative_movements else ""
            print(f"  {name}: {count(g.distractor_reps, 'false rep')}{of} ({count(g.files, 'file')})")


def _f(value: float, digits: int = 3) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"
