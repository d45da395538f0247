"""What the user named as a source, parsed once at the command-line edge into a :class:`SourceSpec`.

>>> parse_device("virtual").kind
<SourceKind.VIRTUAL: 'virtual'>
>>> parse_device("witmotion:AA:BB:CC:DD:EE:FF").family
'witmotion'
>>> parse_device("phyphox://192.168.1.20").url
'http://192.168.1.20:8080'

``--device`` strings (:func:`parse_device`): ``virtual`` (the virtual band, settings in
:class:`VirtualBandSettings`), ``phyphox://HOST[:PORT]`` (a phone running phyphox with remote
access), or a BLE device by address (``AA:BB:CC:DD:EE:FF``, a UUID on macOS) or advertised name,
optionally preceded by its device family (``witmotion:WT901BLE68``; the family's names are those of
``imurep devices``), else the family is recognised from the advertisement. Paths
(:func:`parse_path`): our recording CSV (plain, ``.gz``, alone in a zip) or another app's export
(file, folder or zip), or ``-`` for standard input.

Every refusal is one :class:`~imurep.errors.InputError` line naming the rule and the fix.
:func:`imurep.sources.open_source.open_source` opens a spec.
"""

from __future__ import annotations

import enum
import gzip
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from imurep.ble.virtual.faults import Faults
from imurep.errors import InputError
from imurep.importers.imported import ImportOptions

__all__ = [
    "VIRTUAL_DEVICE",
    "SourceKind",
    "SourceSpec",
    "VirtualBandSettings",
    "device_families",
    "parse_device",
    "parse_path",
]

#: The ``--device`` value that selects the virtual band.
VIRTUAL_DEVICE = "virtual"
_PHYPHOX_SCHEME = "phyphox://"
_DEVICE_FORMS = "a BLE address or name (optionally FAMILY:NAME), 'virtual', or phyphox://HOST:PORT"
# Only hex pairs and colons: meant as an address, whatever is wrong with it.
_ADDRESS_LIKE_RE = re.compile(r"^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2})+$")
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_SNIFF_BYTES = 4096


class SourceKind(enum.Enum):
    """What a source is."""

    FILE = "file"  # our recording CSV (plain, .gz, alone in a zip)
    EXPORT = "export"  # another app's export: file, folder or zip
    BLE = "ble"  # a BLE device, by address or name
    VIRTUAL = "virtual"  # the virtual band on an in-process BLE stack
    PHYPHOX = "phyphox"  # a phone running phyphox, over its remote-access interface


#: The virtual band's simulated session when no seed is given (the demo's session).
DEFAULT_VIRTUAL_SEED = 7


@dataclass(frozen=True)
class VirtualBandSettings:
    """How the virtual band plays (one set of defaults for every command).

    Attributes
    ----------
    seed
        Seed of the simulated session it plays (when it does not replay a recording).
    speed
        Device seconds per host second.
    replay
        A recording to play instead of a simulated session (a ``FILE`` or ``EXPORT`` spec).
    faults
        Link faults the band injects (``--drop-link-at``: ``Faults(drop_link_at_s=...)``).
    backlog
        Whether the band keeps its backlog (without one a dropped link loses the outage).
    """

    seed: int = DEFAULT_VIRTUAL_SEED
    speed: float = 1.0
    replay: SourceSpec | None = None
    faults: Faults = field(default_factory=Faults)
    backlog: bool = True

    def __post_init__(self) -> None:
        if not self.speed > 0:
            raise InputError(f"--speed must be > 0, got {self.speed:g}")
        if self.replay is not None and self.replay.kind not in (SourceKind.FILE, SourceKind.EXPORT):
            raise InputError(f"the virtual band replays a recording, not a {self.replay.kind.value} source")
        if any(not t >= 0 for t in self.faults.drop_link_at_s):
            raise InputError("--drop-link-at must be >= 0 s (band time)")


@dataclass(frozen=True)
class SourceSpec:
    """One parsed source.

    Attributes
    ----------
    kind
        What it is; the fields of that kind are set, the others keep their defaults.
    text
        What the user gave (shown in messages).
    path
        ``FILE``, ``EXPORT``: the path (``-``: standard input).
    units
        ``FILE``, ``EXPORT``: what the user said about the units.
    device
        ``BLE``: the address or advertised name.
    family
        ``BLE``: the device family (a name of :func:`device_families`), or ``None``: recognised
        from the advertisement.
    url
        ``PHYPHOX``: the phone's ``http://HOST:PORT``.
    virtual
        ``VIRTUAL``: the band's settings.
    rate_hz
        ``BLE``, ``VIRTUAL``: the sample rate to ask for, Hz (``None``: the device's own, or for
        the virtual band the rate of what it plays).
    scan_timeout_s
        ``BLE``: longest scan for the device, s.
    """

    kind: SourceKind
    text: str
    path: str | None = None
    units: ImportOptions = field(default_factory=ImportOptions)
    device: str | None = None
    family: str | None = None
    url: str | None = None
    virtual: VirtualBandSettings | None = None
    rate_hz: float | None = None
    scan_timeout_s: float = 5.0

    @property
    def is_virtual(self) -> bool:
        return self.kind is SourceKind.VIRTUAL

    @property
    def by_address(self) -> bool:
        """``BLE``: whether :attr:`device` is an address (else an advertised name)."""
        from imurep.ble.scan import is_address

        return self.device is not None and is_address(self.device)


def parse_device(
    text: str,
    *,
    rate_hz: float | None = None,
    scan_timeout_s: float = 5.0,
    virtual: VirtualBandSettings | None = None,
    virtual_options: tuple[str, ...] = (),
) -> SourceSpec:
    """Parse a ``--device`` string.

    Parameters
    ----------
    text
        The string: see the module docstring.
    rate_hz
        Sample rate to ask the device for, Hz, or ``None``.
    scan_timeout_s
        Longest scan for a BLE device, s.
    virtual
        The virtual band's settings (``None``: its defaults).
    virtual_options
        The virtual-band options the user gave (``--speed``, ``--replay``...): refused, by name,
        unless ``text`` is ``virtual``.

    Raises
    ------
    InputError
        A string that is none of the forms, an unknown family, a bad phyphox address, a rate the
        virtual band cannot sample at, or virtual-band options for another device.
    """
    shown = text
    text = text.strip()
    if not text:
        raise InputError(f"--device is empty: give {_DEVICE_FORMS}")
    if not scan_timeout_s > 0:
        raise InputError(f"--scan-timeout must be > 0 s, got {scan_timeout_s:g}")
    if rate_hz is not None and not rate_hz > 0:
        raise InputError(f"the sample rate must be > 0 Hz, got {rate_hz:g}")
    # (imported here: reading a recording needs no Bluetooth stack)
    from imurep.ble.band import MAX_RATE_HZ, MIN_RATE_HZ

    if text == VIRTUAL_DEVICE:
        if rate_hz is not None and not MIN_RATE_HZ <= rate_hz <= MAX_RATE_HZ:
            raise InputError(
                f"the virtual band samples at {MIN_RATE_HZ}-{MAX_RATE_HZ} Hz, asked for {rate_hz:g} Hz: "
                "give a rate in that range, or none for the rate of what it plays"
            )
        return SourceSpec(
            SourceKind.VIRTUAL, shown, virtual=virtual or VirtualBandSettings(), rate_hz=rate_hz
        )
    if virtual_options:
        names = " and ".join(virtual_options)
        verb = "works" if len(virtual_options) == 1 else "work"
        raise InputError(f"{names} {verb} with the virtual device only (--device virtual), not {shown!r}")
    if text.lower().startswith(_PHYPHOX_SCHEME):
        return SourceSpec(SourceKind.PHYPHOX, shown, url=_phyphox_url(text))
    scheme = _SCHEME_RE.match(text)
    if scheme:
        raise InputError(f"--device {shown!r}: unknown scheme {scheme.group(1)}://, expected {_DEVICE_FORMS}")
    from imurep.ble.scan import is_address

    family, device = _split_family(text)
    if _ADDRESS_LIKE_RE.match(device) and not is_address(device):
        raise InputError(
            f"--device {shown!r} looks like a Bluetooth address but is not one: an address is six "
            "hex pairs, AA:BB:CC:DD:EE:FF (imurep devices lists them)"
        )
    return SourceSpec(
        SourceKind.BLE, shown, device=device, family=family, rate_hz=rate_hz, scan_timeout_s=scan_timeout_s
    )


def device_families() -> tuple[str, ...]:
    """The device families by the names ``imurep devices`` shows (the BLE profiles)."""
    from imurep.ble.scan import ALL_PROFILES

    return tuple(p.name for p in ALL_PROFILES)


def _split_family(text: str) -> tuple[str | None, str]:
    """``FAMILY:DEVICE`` → (family, device); a plain address or name → (None, text)."""
    from imurep.ble.scan import is_address

    if is_address(text) or _ADDRESS_LIKE_RE.match(text):
        return None, text  # an address (or meant as one): checked as it is
    head, colon, rest = text.partition(":")
    if not colon:
        return None, text
    families = device_families()
    if head in families:
        if not rest.strip():
            raise InputError(
                f"--device {text!r}: nothing after the family {head!r}: give the device's name or address "
                f"({head}:NAME or {head}:AA:BB:CC:DD:EE:FF)"
            )
        return head, rest.strip()
    if is_address(rest) or _ADDRESS_LIKE_RE.match(rest):
        raise InputError(
            f"--device {text!r}: unknown device family {head!r}, expected one of "
            f"{', '.join(families)} (or give the address alone)"
        )
    return None, text  # a name with a colon in it


def _phyphox_url(text: str) -> str:
    """``http://HOST:PORT`` of a ``phyphox://HOST[:PORT]`` address."""
    from imurep.sources.phyphox_remote import phyphox_base_url

    if not text[len(_PHYPHOX_SCHEME) :].strip("/"):
        raise InputError(
            f"--device {text!r} names no phone: give phyphox://HOST:PORT, the address phyphox shows "
            "under 'Allow remote access'"
        )
    try:
        return phyphox_base_url(text)
    except InputError as exc:
        raise InputError(
            f"--device is not a phone's address ({exc.message}): give phyphox://HOST:PORT, the address "
            "phyphox shows under 'Allow remote access'"
        ) from None


def parse_path(path: str | os.PathLike[str], units: ImportOptions | None = None) -> SourceSpec:
    """Parse a path: our recording (``FILE``) or an app export (``EXPORT``), judged by its content.

    A folder is an export (a folder of several recordings is split by
    :func:`imurep.sources.files.recordings_in` first); standard input (``-``) is read once here and
    judged like a file.

    Raises
    ------
    InputError
        No such path, or a path that is not a file, folder, pipe or standard input.
    """
    from imurep.sources.files import local_bytes

    text = os.fspath(path)
    local = local_bytes(text)
    kind = SourceKind.EXPORT if os.path.isdir(local) or not _is_own(local) else SourceKind.FILE
    return SourceSpec(kind, text, path=text, units=units or ImportOptions())


def _is_own(path: str) -> bool:
    """Whether the file at ``path`` is a recording of ours: plain, gzip-compressed or alone in a zip.

    Unreadable or binary content counts as ours, so that the recording reader names the problem.
    """
    from imurep.importers.compressed import ZIP_MAGIC, is_gzip

    try:
        if is_gzip(path):
            with gzip.open(path, "rb") as g:
                return own_head(g.read(_SNIFF_BYTES))
        if zipfile.is_zipfile(path):
            from imurep.importers.container import open_container
            from imurep.importers.registry import zipped_recording

            container = open_container(path)
            try:
                return container.kind == "zip" and zipped_recording(container) is not None
            except InputError:
                return True  # a zip of several recordings: opening it says so
            finally:
                container.close()
        with open(path, "rb") as f:
            head = f.read(_SNIFF_BYTES)
    except (OSError, EOFError, zlib.error):
        return True
    if b"\x00" in head:
        # A zip goes to the importers; other binary content: the reader names the problem.
        return not head.startswith(ZIP_MAGIC)
    return own_head(head)


def own_head(head: bytes) -> bool:
    """Whether the first bytes of a file start our format: ``# imurep-recording`` or a ``time_s``
    header column, whatever the delimiter (the reader refuses a wrong one by name)."""
    if head.startswith(b"# imurep-recording"):
        return True
    for line in head.splitlines():
        if line.startswith(b"#"):
            continue
        return line.lstrip(b"\xef\xbb\xbf").startswith(b"time_s")
    return True
