"""``imurep devices [--timeout S] [--all] [--virtual]``: scan and list supported BLE devices."""

from __future__ import annotations

import argparse
import asyncio
import sys

from imurep.ble.scan import FoundDevice, find_devices
from imurep.errors import DeviceError

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "devices",
        help="scan for supported BLE devices",
        description="Scan for BLE devices and list the supported ones (profile, name, address, RSSI).",
    )
    p.add_argument("--timeout", type=float, default=5.0, metavar="S", help="scan duration, s (default 5)")
    p.add_argument("--all", action="store_true", help="also list devices no profile supports")
    p.add_argument(
        "--virtual", action="store_true", help="also start and list the virtual band (imurep-virtual)"
    )
    p.set_defaults(func=run)


def _table(devices: list[FoundDevice]) -> str:
    rows = [("PROFILE", "NAME", "ADDRESS", "RSSI")]
    for d in devices:
        rows.append((d.profile.name if d.profile else "-", d.name or "-", d.address, f"{d.rssi} dBm"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows)
    return "\n".join(lines)


async def _scan(args: argparse.Namespace) -> tuple[list[FoundDevice], str | None]:
    found: list[FoundDevice] = []
    note: str | None = None
    try:
        found = await find_devices(args.timeout, supported_only=not args.all)
    except DeviceError as exc:
        if not args.virtual:
            raise
        note = f"no system Bluetooth scan ({exc})"
    if args.virtual:
        from imurep.ble.virtual import virtual_world
        from imurep.ble.virtual.synthetic import synthetic_knee_rolls

        async with virtual_world(synthetic_knee_rolls()) as world:
            virtual = await find_devices(
                min(args.timeout, 2.0), supported_only=not args.all, scanner_backend=world.scanner_backend
            )
        found += [d for d in virtual if d.address not in {f.address for f in found}]
    return found, note


def run(args: argparse.Namespace) -> int:
    if not args.timeout > 0:
        raise DeviceError(f"--timeout must be > 0 s, got {args.timeout}")
    found, note = asyncio.run(_scan(args))
    if note:
        print(f"imurep: note: {note}", file=sys.stderr)
    if not found:
        print(f"no supported devices found in {args.timeout:g} s", file=sys.stderr)
        return 1
    print(_table(found))
    return 0
