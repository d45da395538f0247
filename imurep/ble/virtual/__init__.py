"""A virtual imurep band on a real (in-process) Bluetooth stack, and a bleak backend to reach it.

See :func:`virtual_world`. Everything here runs on bumble's ``LocalLink``: no radio, no OS stack.
"""

from __future__ import annotations

from imurep.ble.virtual.backend import BumbleBleakClient, BumbleBleakScanner, VirtualAdapter, bind_backends
from imurep.ble.virtual.peripheral import Faults, VirtualBand
from imurep.ble.virtual.world import (
    VIRTUAL_BAND_ADDRESS,
    VIRTUAL_BAND_NAME,
    VirtualWorld,
    add_peripheral,
    virtual_world,
)

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
