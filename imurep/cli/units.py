"""``--acc-unit``, ``--gyr-unit``, ``--time-unit`` and ``--rate-hz``: what the user states about a file."""

from __future__ import annotations

import argparse

from imurep.importers.imported import ImportOptions
from imurep.importers.units import ACC_UNITS, GYR_UNITS, TIME_UNITS

__all__ = ["add_unit_options", "units_from_args"]


def add_unit_options(p: argparse.ArgumentParser, *, rate_hz: bool = True) -> None:
    """Add the unit options to a command that reads recordings.

    Parameters
    ----------
    p
        The command's parser.
    rate_hz
        Offer ``--rate-hz`` for a time column that counts samples (``live`` has its own
        ``--rate-hz``: the rate asked of the device).
    """
    g = p.add_argument_group(
        "units of the input",
        "default: what the file states (the format, or '# acc_unit:', '# gyr_unit:', '# time_unit:' "
        "lines in a recording CSV), else decided from the data and said in a warning",
    )
    g.add_argument("--acc-unit", choices=ACC_UNITS, default=None, help="unit of the acceleration")
    g.add_argument("--gyr-unit", choices=GYR_UNITS, default=None, help="unit of the angular rate")
    g.add_argument(
        "--time-unit", choices=TIME_UNITS, default=None, help="unit of a recording CSV's time_s column"
    )
    if rate_hz:
        g.add_argument(
            "--rate-hz",
            dest="index_rate_hz",
            type=float,
            default=None,
            metavar="RATE",
            help="a recording CSV whose time_s column is a sample index: its rate (time = index / RATE)",
        )


def units_from_args(args: argparse.Namespace) -> ImportOptions:
    """The options :func:`add_unit_options` added, as :class:`ImportOptions`."""
    return ImportOptions(
        acc_unit=args.acc_unit,
        gyr_unit=args.gyr_unit,
        time_unit=args.time_unit,
        rate_hz=getattr(args, "index_rate_hz", None),
    )
