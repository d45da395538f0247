"""imurep: count, time and judge lower-back rehabilitation exercises from a pelvis IMU."""

from imurep.errors import DeviceError, ImurepError, InputError
from imurep.events import RepEvent, SetEvent
from imurep.samples import SampleBlock

__all__ = ["DeviceError", "ImurepError", "InputError", "RepEvent", "SampleBlock", "SetEvent"]
__version__ = "0.1.0"
