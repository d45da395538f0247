"""Profiles of third-party BLE IMUs and how to recognise them in a scan.

>>> from imurep.ble.devices import PROFILES, profile_for_advertisement
>>> sorted(PROFILES)
['polar-h10', 'polar-verity', 'thingy52', 'witmotion']
>>> profile_for_advertisement("Polar Sense B5A2F12A", ()).name
'polar-verity'
"""

from __future__ import annotations

from collections.abc import Iterable

from imurep.ble.devices.polar_pmd import POLAR_H10, POLAR_VERITY_SENSE
from imurep.ble.devices.thingy52 import THINGY52
from imurep.ble.devices.witmotion import WITMOTION
from imurep.ble.profile import DeviceProfile

__all__ = ["PROFILES", "profile_for_advertisement"]

#: Third-party device profiles by their command-line name.
PROFILES: dict[str, DeviceProfile] = {p.name: p for p in (WITMOTION, THINGY52, POLAR_VERITY_SENSE, POLAR_H10)}


def profile_for_advertisement(
    name: str | None,
    service_uuids: Iterable[str],
    profiles: Iterable[DeviceProfile] | None = None,
) -> DeviceProfile | None:
    """The profile an advertisement belongs to, or ``None``.

    A matching local-name prefix wins (Polar H10 and Verity Sense share the PMD service, so only
    the name tells them apart); otherwise a profile whose service UUID is advertised, if exactly
    one profile claims it.

    Parameters
    ----------
    name
        Advertised local name (may be ``None``).
    service_uuids
        Advertised service UUIDs (16-bit or 128-bit strings, any case).
    profiles
        Candidates; defaults to :data:`PROFILES`.
    """
    candidates = list(PROFILES.values() if profiles is None else profiles)
    if name:
        by_name = [p for p in candidates if any(name.startswith(x) for x in p.name_prefixes)]
        if by_name:
            return max(by_name, key=lambda p: max(len(x) for x in p.name_prefixes))
    advertised = {_normalize_uuid(u) for u in service_uuids}
    by_service = [p for p in candidates if p.service_uuid in advertised]
    return by_service[0] if len(by_service) == 1 else None


def _normalize_uuid(uuid: str) -> str:
    text = uuid.strip().lower()
    if len(text) == 4:
        return f"0000{text}-0000-1000-8000-00805f9b34fb"
    if len(text) == 8:
        return f"{text}-0000-1000-8000-00805f9b34fb"
    return text
