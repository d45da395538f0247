"""imurep: count, time and judge lower-back rehabilitation exercises from a pelvis IMU.

``imurep.analyze_file(path)`` analyses a recording into an :class:`AnalysisResult`. The names
below load their modules on first use, so that ``import imurep`` itself imports nothing heavy: the
command line starts (and handles Ctrl-C with one line) before numpy has loaded, and commands that
only record or scan (``imurep record``, ``imurep devices``) do not load the pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from imurep.analysis import AnalysisResult, analyze_blocks, analyze_file
    from imurep.errors import DeviceError, ImurepError, InputError
    from imurep.events import RepEvent, SetEvent
    from imurep.samples import SampleBlock

_MODULE_OF = {
    "AnalysisResult": "imurep.analysis",
    "analyze_blocks": "imurep.analysis",
    "analyze_file": "imurep.analysis",
    "DeviceError": "imurep.errors",
    "ImurepError": "imurep.errors",
    "InputError": "imurep.errors",
    "RepEvent": "imurep.events",
    "SetEvent": "imurep.events",
    "SampleBlock": "imurep.samples",
}

__all__ = [
    "AnalysisResult",
    "DeviceError",
    "ImurepError",
    "InputError",
    "RepEvent",
    "SampleBlock",
    "SetEvent",
    "analyze_blocks",
    "analyze_file",
]
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
