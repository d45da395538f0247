"""A virtual imurep band on a real (in-process) Bluetooth stack, and a bleak backend to reach it.

See :func:`virtual_world`. Everything here runs on bumble's ``LocalLink``: no radio, no OS stack.

The names below load their modules on first use: bumble costs ~0.4 s to import, which a live
session with a real device (that only needs :class:`Faults` for its options) should not pay.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from imurep.ble.virtual.backend import (
        BumbleBleakClient,
        BumbleBleakScanner,
        VirtualAdapter,
        bind_backends,
    )
    from imurep.ble.virtual.faults import Faults
    from imurep.ble.virtual.peripheral import VirtualBand
    from imurep.ble.virtual.world import (
        VIRTUAL_BAND_ADDRESS,
        VIRTUAL_BAND_NAME,
        VirtualWorld,
        add_peripheral,
        virtual_world,
    )

_MODULE_OF = {
    "BumbleBleakClient": "backend",
    "BumbleBleakScanner": "backend",
    "VirtualAdapter": "backend",
    "bind_backends": "backend",
    "Faults": "faults",
    "VirtualBand": "peripheral",
    "VIRTUAL_BAND_ADDRESS": "world",
    "VIRTUAL_BAND_NAME": "world",
    "VirtualWorld": "world",
    "add_peripheral": "world",
    "virtual_world": "world",
}

__all__ = [
    "VIRTUAL_BAND_ADDRESS",
    "VIRTUAL_BAND_NAME",
    "BumbleBleakClient",
    "BumbleBleakScanner",
    "Faults",
    "VirtualAdapter",
    "VirtualBand",
    "VirtualWorld",
    "add_peripheral",
    "bind_backends",
    "virtual_world",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])
