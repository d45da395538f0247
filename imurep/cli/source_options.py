"""The options that name a source (``--device`` and the virtual band's), parsed in one place.

``imurep record``, ``imurep live`` and ``imurep demo`` share :func:`add_virtual_band_options` (so
the virtual band has one set of defaults) and turn their options into a
:class:`~imurep.sources.spec.SourceSpec` with :func:`device_spec`.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from imurep.ble.virtual.faults import Faults
from imurep.cli.numbers import positive_float
from imurep.errors import InputError
from imurep.importers.imported import ImportOptions
from imurep.sources.spec import SourceSpec, VirtualBandSettings, parse_device, parse_path

__all__ = ["add_virtual_band_options", "device_spec"]


def add_virtual_band_options(p: argparse.ArgumentParser) -> None:
    """``--speed`` and ``--seed``: how the virtual band plays (refused with any other device)."""
    defaults = VirtualBandSettings()
    p.add_argument(
        "--speed",
        type=positive_float,
        default=None,
        metavar="N",
        help=f"virtual band: play N times faster than real time (default {defaults.speed:g})",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help=f"virtual band: seed of the simulated session (default {defaults.seed})",
    )


def device_spec(
    args: argparse.Namespace,
    device: str,
    *,
    rate_hz: float | None,
    scan_timeout_s: float = 5.0,
    replay: str | None = None,
    units: ImportOptions | None = None,
) -> SourceSpec:
    """The source ``--device`` and the virtual band's options name (``args``: the parsed command line).

    Raises
    ------
    InputError
        As :func:`~imurep.sources.spec.parse_device`; a replayed file that does not exist.
    """
    drop_link_at_s = tuple(getattr(args, "drop_link_at", ()) or ())
    no_backlog = bool(getattr(args, "no_backlog", False))
    given = {
        "--speed": args.speed is not None,
        "--seed": args.seed is not None,
        "--replay": replay is not None,
        "--drop-link-at": bool(drop_link_at_s),
        "--no-backlog": no_backlog,
    }
    defaults = VirtualBandSettings()
    settings = VirtualBandSettings(
        seed=defaults.seed if args.seed is None else args.seed,
        speed=defaults.speed if args.speed is None else args.speed,
        faults=Faults(drop_link_at_s=drop_link_at_s),
        backlog=not no_backlog,
    )
    spec = parse_device(
        device,
        rate_hz=rate_hz,
        scan_timeout_s=scan_timeout_s,
        virtual=settings,
        virtual_options=tuple(name for name, on in given.items() if on),
    )
    if replay is None:
        return spec
    # Checked after the device: --replay with a real device is refused without reading the file.
    if args.seed is not None:
        raise InputError(
            "--seed chooses the simulated session, which --replay replaces by the file: give one of them"
        )
    played = parse_path(replay, units)
    return replace(spec, virtual=replace(settings, replay=played))
