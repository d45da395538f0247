"""``imurep import SRC -o OUT.csv [--format NAME] [--acc-unit ...] [--gyr-unit ...]``."""

from __future__ import annotations

import argparse
import sys

from imurep.cli.units import add_unit_options, units_from_args
from imurep.importers import FORMATS, load_any
from imurep.importers.registry import OWN_FORMAT
from imurep.recording import write_recording

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import",
        help="convert a phone-app or device export into a recording CSV",
        description="Convert an export (file, folder or zip) of Sensor Logger, phyphox, Polar Sensor "
        "Logger, MetaWear/MetaBase, WitMotion, or a plain CSV into imurep's recording CSV.",
    )
    p.add_argument("source", metavar="SRC", help="export file, folder or zip")
    p.add_argument("-o", "--output", required=True, metavar="OUT.csv", help="recording CSV to write")
    p.add_argument(
        "--format",
        choices=[OWN_FORMAT, *FORMATS],
        default=None,
        help="skip auto-detection and read SRC as this format",
    )
    add_unit_options(p)
    # --force: the old name, kept working but no longer shown.
    p.add_argument("--force", dest="overwrite", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--overwrite", action="store_true", help="replace OUT.csv if it exists")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = units_from_args(args)
    imported = load_any(args.source, format=args.format, options=options)
    metadata = dict(imported.metadata)
    metadata.setdefault("source-format", imported.format)
    metadata.setdefault("imported-from", args.source)
    for i, warning in enumerate(imported.warnings, start=1):
        metadata[f"import-warning-{i}"] = " ".join(warning.split())
    write_recording(args.output, imported.block, metadata, overwrite=args.overwrite)
    block = imported.block
    duration_s = float(block.time_s[-1] - block.time_s[0]) if len(block) > 1 else 0.0
    gyro = "with gyroscope" if block.has_gyr else "no gyroscope"
    print(
        f"{args.output}: {len(block)} samples, {duration_s:.1f} s, {gyro}, from {imported.format} "
        f"export {args.source}"
    )
    for warning in imported.warnings:
        print(f"imurep: warning: {warning}", file=sys.stderr)
    return 0
