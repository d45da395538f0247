"""Finding supported devices: scan by name, address or service.

>>> devices = await find_devices(timeout_s=5.0)                      # doctest: +SKIP
>>> device = await resolve_device("imurep-band-01")                 # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bleak import BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.exc import BleakError

from imurep.ble.band import BAND_PROFILE
from imurep.ble.devices import PROFILES, profile_for_advertisement
from imurep.ble.errors import DeviceNotFoundError, ServiceNotFoundError
from imurep.ble.profile import DeviceProfile
from imurep.errors import DeviceError

__all__ = ["ALL_PROFILES", "FoundDevice", "find_devices", "is_address", "resolve_device"]

#: Every supported device: the imurep band first, then third-party devices.
ALL_PROFILES: tuple[DeviceProfile, ...] = (BAND_PROFILE, *PROFILES.values())

_MAC_RE = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")
_UUID_RE = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")


def is_address(text: str) -> bool:
    """A Bluetooth address (``AA:BB:CC:DD:EE:FF``) or a macOS device UUID."""
    return bool(_MAC_RE.match(text) or _UUID_RE.match(text))


@dataclass(frozen=True)
class FoundDevice:
    """A device seen in a scan.

    Attributes
    ----------
    address
        Bluetooth address (a UUID on macOS).
    name
        Advertised local name, or ``None``.
    rssi
        Received signal strength, dBm.
    profile
        The supported profile it matches, or ``None``.
    service_uuids
        Advertised service UUIDs (lower-case 128-bit strings).
    ble_device
        bleak's handle (lets a connect skip a second scan).
    """

    address: str
    name: str | None
    rssi: int
    profile: DeviceProfile | None
    service_uuids: tuple[str, ...]
    ble_device: BLEDevice | None = None


async def find_devices(
    timeout_s: float = 5.0,
    *,
    name: str | None = None,
    address: str | None = None,
    service_uuid: str | None = None,
    profiles: Iterable[DeviceProfile] = ALL_PROFILES,
    supported_only: bool = True,
    scanner_backend: type[BaseBleakScanner] | None = None,
) -> list[FoundDevice]:
    """Scan for ``timeout_s`` seconds (less when a requested name or address shows up).

    Parameters
    ----------
    timeout_s
        Longest scan, s.
    name
        Keep devices whose advertised name equals this (or starts with it).
    address
        Keep the device with this address (case-insensitive); the scan ends when it is seen.
    service_uuid
        Keep devices advertising this service.
    profiles
        Profiles that count as supported.
    supported_only
        Drop devices that match no profile.
    scanner_backend
        bleak scanner backend class (``None``: the platform's).

    Returns
    -------
    list of FoundDevice
        Strongest signal first.

    Raises
    ------
    DeviceError
        Bluetooth is unavailable (no adapter, adapter off, permission denied).
    """
    candidates = tuple(profiles)
    seen: dict[str, tuple[BLEDevice, AdvertisementData]] = {}
    done = asyncio.Event()
    wanted_address = address.lower() if address else None
    wanted_service = service_uuid.lower() if service_uuid else None

    def keep(device: BLEDevice, adv: AdvertisementData) -> bool:
        local = adv.local_name or device.name
        if wanted_address is not None and device.address.lower() != wanted_address:
            return False
        if name is not None and not (local and (local == name or local.startswith(name))):
            return False
        return wanted_service is None or wanted_service in {u.lower() for u in adv.service_uuids}

    def on_advertisement(device: BLEDevice, adv: AdvertisementData) -> None:
        if keep(device, adv):
            seen[device.address] = (device, adv)
            if wanted_address is not None or (name is not None and (adv.local_name or device.name) == name):
                done.set()

    try:
        scanner = BleakScanner(on_advertisement, backend=scanner_backend)
        async with scanner:
            try:
                await asyncio.wait_for(done.wait(), timeout_s)
            except TimeoutError:
                pass
    except (BleakError, OSError) as exc:
        raise DeviceError(
            f"Bluetooth scan failed (no adapter, or Bluetooth is off?): {exc}; to try imurep "
            "without a device, use the simulated band: imurep live --device virtual"
        ) from exc
    found = []
    for device, adv in seen.values():
        local = adv.local_name or device.name
        profile = profile_for_advertisement(local, adv.service_uuids, candidates)
        if profile is None and supported_only:
            continue
        uuids = tuple(u.lower() for u in adv.service_uuids)
        found.append(FoundDevice(device.address, local, adv.rssi, profile, uuids, device))
    return sorted(found, key=lambda d: -d.rssi)


async def resolve_device(
    spec: str,
    timeout_s: float = 5.0,
    *,
    profile: DeviceProfile | None = None,
    profiles: Iterable[DeviceProfile] = ALL_PROFILES,
    scanner_backend: type[BaseBleakScanner] | None = None,
) -> FoundDevice:
    """The device named by ``spec`` (an address or an advertised name), with its profile.

    Parameters
    ----------
    spec
        Bluetooth address, macOS device UUID, or advertised name (exact, else prefix).
    timeout_s
        Longest scan, s.
    profile
        Insist on this profile (the device must advertise its service or name prefix).
    profiles
        Profiles to recognise the device by when ``profile`` is ``None``.
    scanner_backend
        bleak scanner backend class.

    Raises
    ------
    DeviceNotFoundError
        Nothing with that address or name was seen.
    ServiceNotFoundError
        The device was seen but advertises no supported service (or not ``profile``'s).
    """
    by_address = is_address(spec)
    found = await find_devices(
        timeout_s,
        address=spec if by_address else None,
        name=None if by_address else spec,
        supported_only=False,
        profiles=(profile,) if profile is not None else profiles,
        scanner_backend=scanner_backend,
    )
    if not found:
        what = "address" if by_address else "name"
        raise DeviceNotFoundError(f"no BLE device with {what} {spec!r} found in a {timeout_s:g} s scan")
    exact = [d for d in found if d.address.lower() == spec.lower() or d.name == spec]
    device = (exact or found)[0]
    if device.profile is None:
        expected = profile.service_uuid if profile is not None else "a supported service"
        label = f"{device.name} ({device.address})" if device.name else device.address
        advertised = ", ".join(device.service_uuids) or "no services"
        raise ServiceNotFoundError(
            f"{label} does not advertise {expected} (it advertises {advertised}); "
            "is it an imurep band or a supported device?"
        )
    return device
