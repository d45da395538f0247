"""imurep: count, time and judge lower-back rehabilitation exercises from a pelvis IMU.

The names below load their modules on first use, so that ``imurep`` itself imports nothing
heavy: the command line starts (and handles Ctrl-C with one line) before numpy has loaded.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from imurep.errors import DeviceError, ImurepError, InputError
    from imurep.events import RepEvent, SetEvent
    from imurep.samples import SampleBlock

_MODULE_OF = {
    "DeviceError": "imurep.errors",
    "ImurepError": "imurep.errors",
    "InputError": "imurep.errors",
    "RepEvent": "imurep.events",
    "SetEvent": "imurep.events",
    "SampleBlock": "imurep.samples",
}

__all__ = ["DeviceError", "ImurepError", "InputError", "RepEvent", "SampleBlock", "SetEvent"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])
