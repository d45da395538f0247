"""``imurep demo``: the live view against the virtual band streaming a simulated session."""

from __future__ import annotations

import argparse

from imurep.cli.live import add_live_options, run_session

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo",
        help="watch a simulated session counted live through the virtual band (no hardware)",
        description="Starts the virtual band on an in-process Bluetooth stack, streams a simulated "
        "exercise session through it into the live view, and ends with the session summary.",
    )
    add_live_options(p)
    p.set_defaults(func=run, speed=20.0)


def run(args: argparse.Namespace) -> int:
    return run_session(args, "virtual", None)
