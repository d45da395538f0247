"""``imurep evaluate TRUTH_DIR``: score the analysis against labelled recordings."""

from __future__ import annotations

import argparse
import json
import math
import sys

from imurep.evaluation.score import summarise
from imurep.evaluation.suite import EVALUATION_FIRST_SEED, evaluate_dir, make_suite, suite_plan

__all__ = ["register"]

TARGETS = {
    "rep_f1": (">=", 0.99),
    "sets_exact_share": (">=", 0.97),
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
        help="first simulate N labelled recordings (plus N/5 distractor-only ones) into TRUTH_DIR",
    )
    p.add_argument("--first-seed", type=int, default=EVALUATION_FIRST_SEED, help="seed of the first one")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--verbose", "-v", action="store_true", help="list each missed or extra rep")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.generate:
        make_suite(args.truth_dir, suite_plan(args.generate, args.first_seed))
    scores = evaluate_dir(args.truth_dir)
    total = summarise(scores)
    obj = total.to_json_obj()
    if args.json:
        json.dump({"summary": obj, "files": [s.__dict__ for s in scores]}, sys.stdout, indent=1)
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
    for key, value in obj.items():
        target = TARGETS.get(key)
        mark = ""
        if target is not None and isinstance(value, int | float) and not math.isnan(float(value)):
            op, bound = target
            ok = value >= bound if op == ">=" else value <= bound
            mark = f"   target {op} {bound}: {'met' if ok else 'NOT MET'}"
        print(f"{key:24s} {value}{mark}")
    return 0
