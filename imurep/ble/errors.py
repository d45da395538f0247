"""Why a BLE device could not be used: one :class:`DeviceError` subclass per reason."""

from __future__ import annotations

from imurep.errors import DeviceError

__all__ = [
    "DeviceGoneError",
    "DeviceNotFoundError",
    "MalformedStreamError",
    "ServiceNotFoundError",
]


class DeviceNotFoundError(DeviceError):
    """No device with the requested address or name answered a scan."""


class ServiceNotFoundError(DeviceError):
    """The device was found but does not advertise or serve the expected service."""


class MalformedStreamError(DeviceError):
    """The device keeps sending notifications that do not decode."""


class DeviceGoneError(DeviceError):
    """The link was lost (or the device fell silent) and reconnecting failed."""
