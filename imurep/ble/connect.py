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

from imurep.ble.client import DeviceStream, StreamConfig, open_stream
from imurep.ble.profile import DeviceProfile
from imurep.ble.scan import resolve_device
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
    virtual_source: Iterable[SampleBlock] | None = None,
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
        Blocks the virtual band plays (default: a simulated session).
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
    from imurep.ble.virtual.sources import default_virtual_source

    source = virtual_source if virtual_source is not None else default_virtual_source(virtual_seed)
    config = replace(config, clock=replace(config.clock, host_time_scale=virtual_speed))
    async with virtual_world(source, speed=virtual_speed) as world:
        device = await resolve_device(world.address, scan_timeout_s, scanner_backend=world.scanner_backend)
        client, scanner = world.client_backend, world.scanner_backend
        stream = DeviceStream(device, profile, config, client_backend=client, scanner_backend=scanner)
        async with stream:
            yield stream
