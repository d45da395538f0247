"""The one parser of sources: every kind, and every bad string refused in one line naming rule and fix."""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from imurep.ble.band import MAX_RATE_HZ, MIN_RATE_HZ
from imurep.ble.virtual.faults import Faults
from imurep.errors import InputError
from imurep.importers.imported import ImportOptions
from imurep.sources.spec import (
    DEFAULT_VIRTUAL_SEED,
    SourceKind,
    SourceSpec,
    VirtualBandSettings,
    device_families,
    parse_device,
    parse_path,
)

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "recordings"
SENSOR_LOGGER = ROOT / "tests" / "data" / "formats" / "sensor-logger-android"


# --- every kind -----------------------------------------------------------------------------------


def test_virtual_is_the_virtual_band_with_its_one_set_of_defaults() -> None:
    spec = parse_device("virtual")
    assert spec.kind is SourceKind.VIRTUAL and spec.is_virtual
    assert spec.virtual == VirtualBandSettings()
    assert spec.virtual.seed == DEFAULT_VIRTUAL_SEED == 7
    assert spec.virtual.speed == 1.0 and spec.virtual.backlog and spec.virtual.replay is None
    assert spec.rate_hz is None  # the rate of what it plays


def test_virtual_keeps_its_settings_and_rate() -> None:
    settings = VirtualBandSettings(seed=3, speed=20.0, faults=Faults(drop_link_at_s=(5.0,)), backlog=False)
    spec = parse_device(" virtual ", rate_hz=200.0, virtual=settings)
    assert spec.kind is SourceKind.VIRTUAL and spec.virtual == settings and spec.rate_hz == 200.0
    assert spec.text == " virtual "  # shown as given


@pytest.mark.parametrize("rate_hz", [float(MIN_RATE_HZ), float(MAX_RATE_HZ)])
def test_the_virtual_band_takes_the_ends_of_its_range(rate_hz: float) -> None:
    assert parse_device("virtual", rate_hz=rate_hz).rate_hz == rate_hz


@pytest.mark.parametrize(
    ("text", "device", "family", "by_address"),
    [
        ("AA:BB:CC:DD:EE:FF", "AA:BB:CC:DD:EE:FF", None, True),
        ("d0:5b:a7:00:00:01", "d0:5b:a7:00:00:01", None, True),
        ("12345678-1234-1234-1234-123456789ABC", "12345678-1234-1234-1234-123456789ABC", None, True),
        ("imurep-band-01", "imurep-band-01", None, False),
        ("Polar Sense B5A2F12A", "Polar Sense B5A2F12A", None, False),
        ("witmotion:WT901BLE68", "WT901BLE68", "witmotion", False),
        ("polar-h10:AA:BB:CC:DD:EE:FF", "AA:BB:CC:DD:EE:FF", "polar-h10", True),
        ("imurep-band:imurep-7F", "imurep-7F", "imurep-band", False),
        ("thingy52: Thingy", "Thingy", "thingy52", False),
        ("kitchen:scale", "kitchen:scale", None, False),  # a name with a colon in it
    ],
)
def test_ble_devices_by_address_or_name_with_an_optional_family(
    text: str, device: str, family: str | None, by_address: bool
) -> None:
    spec = parse_device(text, rate_hz=52.0, scan_timeout_s=2.0)
    assert spec.kind is SourceKind.BLE
    assert (spec.device, spec.family, spec.by_address) == (device, family, by_address)
    assert spec.rate_hz == 52.0 and spec.scan_timeout_s == 2.0
    assert spec.virtual is None and spec.url is None and spec.path is None


def test_a_real_device_may_ask_for_any_rate_its_profile_then_clamps() -> None:
    assert parse_device("witmotion:WT901", rate_hz=1000.0).rate_hz == 1000.0


def test_the_families_are_the_profiles_imurep_devices_shows() -> None:
    from imurep.ble.scan import ALL_PROFILES

    assert device_families() == tuple(p.name for p in ALL_PROFILES)
    assert device_families()[0] == "imurep-band" and "witmotion" in device_families()


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("phyphox://192.168.1.20", "http://192.168.1.20:8080"),
        ("phyphox://192.168.1.20:9000/", "http://192.168.1.20:9000"),
        ("PHYPHOX://phone.local:8080", "http://phone.local:8080"),
        ("phyphox://[::1]:8081", "http://[::1]:8081"),
    ],
)
def test_phyphox_remote_addresses(text: str, url: str) -> None:
    spec = parse_device(text)
    assert spec.kind is SourceKind.PHYPHOX and spec.url == url and spec.text == text


def test_our_recording_is_a_file(tmp_path: Path) -> None:
    csv = SAMPLES / "knee_rolls.csv"
    assert parse_path(csv).kind is SourceKind.FILE
    gz = tmp_path / "knee_rolls.csv.gz"
    gz.write_bytes(gzip.compress(csv.read_bytes()))
    assert parse_path(gz).kind is SourceKind.FILE
    zipped = tmp_path / "knee_rolls.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.write(csv, "knee_rolls.csv")
    assert parse_path(zipped).kind is SourceKind.FILE


def test_an_app_export_is_an_export(tmp_path: Path) -> None:
    assert parse_path(SENSOR_LOGGER).kind is SourceKind.EXPORT  # a folder
    zipped = tmp_path / "export.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        for f in SENSOR_LOGGER.iterdir():
            z.write(f, f.name)
    assert parse_path(zipped).kind is SourceKind.EXPORT
    one = tmp_path / "Accelerometer.csv"
    shutil.copy(next(SENSOR_LOGGER.glob("Accelerometer*.csv")), one)
    assert parse_path(one).kind is SourceKind.EXPORT


def test_a_path_keeps_what_the_user_said_about_its_units() -> None:
    units = ImportOptions(acc_unit="g")
    spec = parse_path(str(SAMPLES / "knee_rolls.csv"), units)
    assert spec.units == units and spec.path == spec.text == str(SAMPLES / "knee_rolls.csv")


def test_what_a_file_holds_decides_its_kind_not_its_name(tmp_path: Path) -> None:
    # Our CSV under an export's name, and an export under ours.
    ours = tmp_path / "Accelerometer.csv"
    shutil.copy(SAMPLES / "knee_rolls.csv", ours)
    assert parse_path(ours).kind is SourceKind.FILE
    theirs = tmp_path / "rec.csv"
    shutil.copy(next(SENSOR_LOGGER.glob("Accelerometer*.csv")), theirs)
    assert parse_path(theirs).kind is SourceKind.EXPORT


def test_the_spec_is_frozen() -> None:
    spec = parse_device("virtual")
    with pytest.raises(AttributeError):
        spec.kind = SourceKind.BLE  # type: ignore[misc]


# --- every bad string: one line, the rule, the fix --------------------------------------------------


_BAD: list[tuple[str, dict[str, Any], str, str]] = [
    ("", {}, "--device is empty", "give a BLE address or name"),
    ("   ", {}, "--device is empty", "'virtual', or phyphox://HOST:PORT"),
    ("phyphox://", {}, "names no phone", "give phyphox://HOST:PORT"),
    ("phyphox://phone:99999", {}, "bad port", "give phyphox://HOST:PORT"),
    ("phyphox://phone:abc", {}, "bad port", "give phyphox://HOST:PORT"),
    ("http://192.168.1.20:8080", {}, "unknown scheme http://", "expected a BLE address or name"),
    ("AA:BB:CC:DD:EE", {}, "looks like a Bluetooth address but is not one", "AA:BB:CC:DD:EE:FF"),
    ("AA:BB:CC:DD:EE:FF:00", {}, "looks like a Bluetooth address", "six hex pairs"),
    ("witmotoin:AA:BB:CC:DD:EE:FF", {}, "unknown device family 'witmotoin'", "expected one of imurep-band"),
    ("witmotion:", {}, "nothing after the family 'witmotion'", "witmotion:NAME"),
    ("witmotion:AA:BB:CC", {}, "looks like a Bluetooth address", "six hex pairs"),
    ("virtual", {"rate_hz": 1000.0}, "samples at 25-400 Hz, asked for 1000 Hz", "give a rate in that range"),
    ("virtual", {"rate_hz": 10.0}, "samples at 25-400 Hz", "or none for the rate of what it plays"),
    ("virtual", {"rate_hz": 0.0}, "must be > 0 Hz", "got 0"),
    ("AA:BB:CC:DD:EE:FF", {"scan_timeout_s": 0.0}, "--scan-timeout must be > 0 s", "got 0"),
    (
        "AA:BB:CC:DD:EE:FF",
        {"virtual_options": ("--speed",)},
        "--speed works with the virtual device only",
        "(--device virtual)",
    ),
    (
        "phyphox://phone",
        {"virtual_options": ("--replay", "--seed")},
        "--replay and --seed work with the virtual device only",
        "(--device virtual)",
    ),
]


@pytest.mark.parametrize(("text", "kwargs", "rule", "fix"), _BAD, ids=[f"{t!r}-{k}" for t, k, _, _ in _BAD])
def test_a_bad_device_string_is_one_line_naming_the_rule_and_the_fix(
    text: str, kwargs: dict[str, Any], rule: str, fix: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_device(text, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    assert rule in message and fix in message, message
    assert isinstance(caught.value, ValueError)


def test_a_missing_path_is_one_line() -> None:
    with pytest.raises(InputError, match=r"^nowhere\.csv: no such file or directory$"):
        parse_path("nowhere.csv")


@pytest.mark.parametrize(
    ("settings", "rule"),
    [
        ({"speed": 0.0}, "--speed must be > 0, got 0"),
        ({"faults": Faults(drop_link_at_s=(-1.0,))}, "--drop-link-at must be >= 0 s"),
        (
            {"replay": SourceSpec(SourceKind.BLE, "AA:BB:CC:DD:EE:FF")},
            "replays a recording, not a ble source",
        ),
    ],
)
def test_bad_virtual_band_settings_are_refused(settings: dict[str, Any], rule: str) -> None:
    with pytest.raises(InputError, match=rule):
        VirtualBandSettings(**settings)
