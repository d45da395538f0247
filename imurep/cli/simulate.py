"""``imurep simulate``: write a labelled simulated recording and its truth file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from imurep.errors import InputError
from imurep.mounting_presets import describe_presets, parse_mount
from imurep.plural import count
from imurep.recording import write_recording
from imurep.sim import POPULATIONS, SIM_KINDS, random_config, simulate

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "simulate",
        help="write a simulated recording with its truth (the ground truth for tests and evaluation)",
        description="Simulate a person doing the exercises with a pelvis sensor: every parameter not "
        "given is drawn from the seed over its realistic range (docs/simulator.md).",
    )
    p.add_argument("-o", "--output", required=True, help="recording CSV to write")
    p.add_argument("--truth", help="truth JSON to write (default: beside the CSV, .truth.json)")
    p.add_argument(
        "--kind",
        choices=SIM_KINDS,
        default="session",
        help="what happens (default: session); pelvic_tilt ... rolling_over are floor exercises that are "
        "not ours: no rep, their movements listed under 'negatives' in the truth",
    )
    p.add_argument(
        "--population",
        choices=POPULATIONS,
        default="typical",
        help="who does the exercises (session, knee_rolls, heels_stretch): small movers (5-10 deg), slow or "
        "quick tempo, asymmetric sides, continuous rolls without holds, fidgety (default: typical)",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rate-hz", type=float, help="sample rate, 25-400 Hz (default: drawn)")
    p.add_argument(
        "--mount",
        help=f"mounting: a preset ({describe_presets()}) or a rotation (euler:SEQ:a,b,c, "
        "PRESET+euler:SEQ:a,b,c, matrix:9 numbers); default: drawn",
    )
    p.add_argument(
        "--duration",
        type=float,
        metavar="SECONDS",
        help="at least this long: the kind's script repeats, with a rest between (default: once)",
    )
    p.add_argument("--max-misalignment-deg", type=float, default=25.0, help="strap misalignment bound")
    p.add_argument("--acc-only", action="store_true", help="no gyroscope")
    # --force: the old name, kept working but no longer shown.
    p.add_argument("--force", dest="overwrite", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--overwrite", action="store_true", help="replace existing files")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.rate_hz is not None and not 10.0 <= args.rate_hz <= 1000.0:
        raise InputError(f"--rate-hz must be within 10-1000 Hz, got {args.rate_hz}")
    if args.duration is not None and not 0.0 < args.duration <= 48 * 3600.0:
        raise InputError(f"--duration must be within 0-48 h (in seconds), got {args.duration}")
    if not 0.0 <= args.max_misalignment_deg <= 180.0:
        raise InputError(f"--max-misalignment-deg must be within 0-180, got {args.max_misalignment_deg}")
    if args.mount is not None:
        if args.mount.strip() == "auto":
            raise InputError("--mount auto is for analysis; a simulated sensor needs a preset or a rotation")
        parse_mount(args.mount)  # a clear error now rather than after simulating
    cfg = random_config(
        args.seed,
        kind=args.kind,
        rate_hz=args.rate_hz,
        mount=args.mount,
        max_misalignment_deg=args.max_misalignment_deg,
        with_gyr=False if args.acc_only else None,
        duration_s=args.duration,
        population=args.population,
    )
    sim = simulate(cfg)
    out = Path(args.output)
    truth_path = Path(args.truth) if args.truth else out.with_suffix(".truth.json")
    if truth_path.exists() and not args.overwrite:
        raise InputError("file exists; choose another name, or replace it with --overwrite", str(truth_path))
    write_recording(out, sim.block, sim.metadata, overwrite=args.overwrite)
    truth_path.write_text(json.dumps(sim.truth.to_json_obj(), indent=1))
    t = sim.truth.to_json_obj()
    negatives = "".join(f", {n['count']} {n['kind']} movements (not reps)" for n in t.get("negatives", []))
    print(
        f"{out}: {len(sim.block)} samples, {t['duration_s']:.0f} s at {cfg.sensor.rate_hz:g} Hz, "
        f"{cfg.sensor.mount}{'' if cfg.sensor.with_gyr else ', no gyroscope'}; "
        f"{count(len(t['reps']), 'rep')} in {count(len(t['sets']), 'set')}{negatives} -> {truth_path}"
    )
    return 0
