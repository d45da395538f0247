"""One entry point for commands: open a device by address, name, or ``virtual``.

>>> async with open_device("virtual") as stream:                    # doctest: +SKIP
...     async for block in stream:
...         ...

``virtual`` starts a virtual band (``imurep.ble.virtual``) streaming a simulated session over an
in-process BLE stack, and connects to it with the same client code as a real device.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import replace

from imurep.ble.band import band_rate_hz
from imurep.ble.client import DeviceStream, StreamConfig, open_stream
from imurep.ble.profile import DeviceProfile
from imurep.ble.scan import resolve_device
from imurep.ble.virtual.sources import VirtualSource, default_virtual_source
from imurep.samples import SampleBlock

__all__ = ["VIRTUAL_DEVICE", "open_device"]

#: The ``--device`` value that selects the virtual band.
VIRTUAL_DEVICE = "virtual"


@contextlib.asynccontextmanager
async def open_device(
    spec: str,
    config: StreamConfig | None = None,
    *,
    profile: DeviceProfile | None = None,
    scan_timeout_s: float = 5.0,
    virtual_source: Iterable[SampleBlock] | VirtualSource | None = None,
    virtual_speed: float = 1.0,
    virtual_seed: int = 0,
) -> AsyncIterator[DeviceStream]:
    """A started :class:`DeviceStream` for ``spec``; disconnects (and stops the world) on exit.

    Parameters
    ----------
    spec
        Bluetooth address, advertised name, or ``"virtual"``.
    config
        Stream settings.
    profile
        Insist on this profile (otherwise recognised from the advertisement).
    scan_timeout_s
        Longest scan for the device, s.
    virtual_source
        What the virtual band plays (default: a simulated session); its rate is requested unless
        ``config.rate_hz`` is set.
    virtual_speed
        Replay speed of the virtual band (device seconds per host second).
    virtual_seed
        Seed of the default simulated session.

    Raises
    ------
    DeviceError
        Not found, wrong service, could not connect (see ``imurep.ble.errors``).
    """
    config = config or StreamConfig()
    if spec != VIRTUAL_DEVICE:
        stream = await open_stream(spec, config, profile=profile, scan_timeout_s=scan_timeout_s)
        async with stream:
            yield stream
        return
    from imurep.ble.virtual import virtual_world

    source = virtual_source if virtual_source is not None else default_virtual_source(virtual_seed)
    if isinstance(source, VirtualSource):
        if config.rate_hz is None:
            config = replace(config, rate_hz=float(band_rate_hz(source.rate_hz)))
        source = source.blocks
    async with virtual_world(source, speed=virtual_speed) as world:
        device = await resolve_device(world.address, scan_timeout_s, scanner_backend=world.scanner_backend)
        client, scanner = world.client_backend, world.scanner_backend
        stream = DeviceStream(device, profile, config, client_backend=client, scanner_backend=scanner)
        async with stream:
            yield stream
