"""The ``imurep`` command: wires the public API together; every user error becomes one line."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from imurep.errors import ImurepError

__all__ = ["main"]

# Each module under imurep.cli registers one subcommand: ``register(subparsers)`` adds a parser
# whose default ``func`` takes the parsed namespace and returns the exit code.
_COMMANDS: tuple[str, ...] = (
    "analyze",
    "simulate",
    "evaluate",
    "live",
    "demo",
    "record",
    "devices",
    "report",
    "compare",
    "batch",
    "import_",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imurep",
        description="Count, time and judge lower-back exercises from a pelvis IMU.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMANDS:
        module = importlib.import_module(f"imurep.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except ImurepError as exc:
        print(f"imurep: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("imurep: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: still one line for the user, the traceback on request
        if os.environ.get("IMUREP_DEBUG"):
            raise
        print(
            f"imurep: internal error: {type(exc).__name__}: {exc} "
            "(please report it; set IMUREP_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 3
    return code


if __name__ == "__main__":
    sys.exit(main())
