"""The ``imurep`` command: wires the public API together; every user error becomes one line."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import NoReturn, TextIO

from imurep import __version__
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


class _Parser(argparse.ArgumentParser):
    """A usage error is one line too (naming the option and where the help is), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments, only the chosen command's module is imported.

    The commands pull in heavy libraries (the BLE stack, matplotlib, Dask); importing all of them
    cost about 3 s before ``imurep analyze`` could start. Without a known command (``--help``, a
    typo) every command is registered, so the help and the error list them all; ``--version``
    alone needs none.
    """
    parser = _Parser(
        prog="imurep",
        description="Count, time and judge lower-back exercises from a pelvis IMU.",
    )
    parser.add_argument("--version", action="version", version=f"imurep {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    args = sys.argv[1:] if argv is None else list(argv)
    chosen = _chosen_command(args)
    if chosen is None and args == ["--version"]:
        return parser
    for name in _COMMANDS if chosen is None else (chosen,):
        module = importlib.import_module(f"imurep.cli.{name}")
        module.register(sub)
    return parser


def _chosen_command(args: Sequence[str]) -> str | None:
    first = next((a for a in args if not a.startswith("-")), None)
    by_name = {name.rstrip("_"): name for name in _COMMANDS}
    return by_name.get(first) if first is not None else None


def main(argv: Sequence[str] | None = None) -> int:
    try:
        # importing the command's libraries takes up to a second: Ctrl-C there is one line too
        parser = build_parser(argv)
    except KeyboardInterrupt:
        print("imurep: interrupted while starting; nothing was done", file=sys.stderr)
        return 130
    args = parser.parse_args(argv)
    try:
        with _warnings_as_lines():
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


@contextlib.contextmanager
def _warnings_as_lines() -> Iterator[None]:
    """Python warnings (a torn last line dropped, a numeric overflow) as ``imurep: warning: ...``:
    one line each, without the source line Python would print under it."""
    previous = warnings.showwarning

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        text = " ".join(str(message).split())
        ours = category.__module__.startswith("imurep")
        print(f"imurep: warning: {text}" + ("" if ours else f" ({category.__name__})"), file=sys.stderr)

    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = previous


if __name__ == "__main__":
    sys.exit(main())
