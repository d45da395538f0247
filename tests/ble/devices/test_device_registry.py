"""The registry of third-party profiles and advertisement matching."""

from __future__ import annotations

import re

from imurep.ble.devices import PROFILES, profile_for_advertisement
from imurep.ble.devices.polar_pmd import SERVICE_UUID as PMD_SERVICE
from imurep.ble.devices.thingy52 import MOTION_SERVICE_UUID
from imurep.ble.devices.witmotion import SERVICE_UUID as WIT_SERVICE

_UUID128 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_registry_names_and_uuids_are_normalised() -> None:
    assert set(PROFILES) == {"witmotion", "thingy52", "polar-verity", "polar-h10"}
    for name, profile in PROFILES.items():
        assert profile.name == name
        for uuid in (profile.service_uuid, *profile.notify_uuids):
            assert _UUID128.match(uuid), uuid
        assert profile.nominal_rate_hz > 0
        decoder = profile.make_decoder(profile.nominal_rate_hz)
        assert decoder is not profile.make_decoder(profile.nominal_rate_hz)
    assert not PROFILES["polar-h10"].has_gyr
    assert PROFILES["polar-verity"].has_gyr


def test_match_by_name() -> None:
    assert profile_for_advertisement("Polar H10 1234ABCD", ()) is PROFILES["polar-h10"]
    assert profile_for_advertisement("Polar Sense B5A2F12A", ()) is PROFILES["polar-verity"]
    assert profile_for_advertisement("WT901BLE68", ()) is PROFILES["witmotion"]
    assert profile_for_advertisement("Thingy", ()) is PROFILES["thingy52"]
    assert profile_for_advertisement("Polar OH1 12345678", ()) is None


def test_match_by_service_only_when_unambiguous() -> None:
    assert profile_for_advertisement(None, [WIT_SERVICE.upper()]) is PROFILES["witmotion"]
    assert profile_for_advertisement("", [MOTION_SERVICE_UUID]) is PROFILES["thingy52"]
    # H10 and Verity Sense share the PMD service: the name must decide.
    assert profile_for_advertisement("Unknown", [PMD_SERVICE]) is None
    # The standard-base expansion of "ffe5" is not WitMotion's …9a34fb base.
    assert profile_for_advertisement(None, ["ffe5"]) is None
