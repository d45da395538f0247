"""imurep: count, time and judge lower-back rehabilitation exercises from a pelvis IMU.

``imurep.analyze_file(path)`` analyses a recording into an :class:`AnalysisResult`. The analysis
entry points load on first use, so that ``import imurep`` (and commands that only record or scan,
``imurep record``, ``imurep devices``) do not load the pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from imurep.errors import DeviceError, ImurepError, InputError
from imurep.events import RepEvent, SetEvent
from imurep.samples import SampleBlock

if TYPE_CHECKING:
    from imurep.analysis import AnalysisResult, analyze_blocks, analyze_file

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

_ANALYSIS = ("AnalysisResult", "analyze_blocks", "analyze_file")


def __getattr__(name: str) -> Any:
    if name in _ANALYSIS:
        import imurep.analysis

        return getattr(imurep.analysis, name)
    raise AttributeError(f"module 'imurep' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_ANALYSIS})
