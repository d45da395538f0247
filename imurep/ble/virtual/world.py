"""A virtual Bluetooth world in one process: a band, the host adapter, and a ``LocalLink``.

>>> async with virtual_world(blocks, speed=10.0) as world:          # doctest: +SKIP
...     async for block in stream_device(world.address, BAND_PROFILE,
...                                       backend=world.client_backend): ...

bumble objects bind to the running event loop when constructed, so the world must be entered in
the loop that runs the bleak calls.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from bumble.device import Device
from bumble.hci import Address
from bumble.host import Host
from bumble.link import LocalLink
from bumble.transport.common import AsyncPipeSink

from imurep.ble.band import BACKLOG_BYTES, BAND_PROFILE
from imurep.ble.client import DeviceStream, StreamConfig
from imurep.ble.virtual.backend import BumbleBleakClient, BumbleBleakScanner, VirtualAdapter, bind_backends
from imurep.ble.virtual.controller import VirtualController
from imurep.ble.virtual.faults import Faults
from imurep.ble.virtual.peripheral import VirtualBand
from imurep.samples import SampleBlock

__all__ = ["VIRTUAL_BAND_ADDRESS", "VIRTUAL_BAND_NAME", "VirtualWorld", "virtual_world"]

VIRTUAL_BAND_NAME = "imurep-virtual"
VIRTUAL_BAND_ADDRESS = "D0:5B:A7:00:00:01"
_HOST_ADDRESS = "C0:00:00:00:00:01"


@dataclass(frozen=True)
class VirtualWorld:
    """What a test or the CLI needs from the virtual world.

    Attributes
    ----------
    band
        The virtual band (fault injection, counters, ``drop_link()``).
    client_backend, scanner_backend
        bleak backend classes bound to the host adapter: pass them as ``backend=``.
    address, name
        The band's address and advertised name.
    link
        The bumble ``LocalLink`` (add more peripherals with :func:`add_peripheral`).
    """

    band: VirtualBand
    client_backend: type[BumbleBleakClient]
    scanner_backend: type[BumbleBleakScanner]
    address: str
    name: str
    link: LocalLink

    def band_stream(self, config: StreamConfig | None = None) -> DeviceStream:
        """The project's real BLE client for the virtual band, through this world's backends."""
        return DeviceStream(
            self.address,
            BAND_PROFILE,
            config or StreamConfig(),
            client_backend=self.client_backend,
            scanner_backend=self.scanner_backend,
        )


def _quiet_bumble() -> None:
    # bumble formats its debug strings regardless of level; at least keep them off handlers
    for name in ("bumble", "bumble.device", "bumble.host", "bumble.gatt_server", "bumble.att"):
        logging.getLogger(name).setLevel(logging.WARNING)


def make_device(link: LocalLink, address: str, name: str) -> Device:
    """A bumble device with its own virtual controller on ``link`` (one that cancels connects properly)."""
    controller = VirtualController(f"controller-{address}", link=link, public_address=address)
    return Device(name=name, address=Address(address), host=Host(controller, AsyncPipeSink(controller)))


async def add_peripheral(
    link: LocalLink,
    source: Iterable[SampleBlock],
    address: str,
    name: str,
    speed: float = 1.0,
    faults: Faults | None = None,
    advertise_service: bool = True,
    serve_band_service: bool = True,
    backlog_bytes: int = BACKLOG_BYTES,
    recorded_times: bool = False,
) -> VirtualBand:
    """Another virtual band on ``link``, powered on and advertising."""
    band = VirtualBand(
        make_device(link, address, name),
        source,
        speed=speed,
        faults=faults,
        name=name,
        advertise_service=advertise_service,
        serve_band_service=serve_band_service,
        backlog_bytes=backlog_bytes,
        recorded_times=recorded_times,
    )
    await band.start()
    return band


@contextlib.asynccontextmanager
async def virtual_world(
    source: Iterable[SampleBlock],
    speed: float = 1.0,
    faults: Faults | None = None,
    name: str = VIRTUAL_BAND_NAME,
    advertise_service: bool = True,
    backlog_bytes: int = BACKLOG_BYTES,
    recorded_times: bool = False,
) -> AsyncIterator[VirtualWorld]:
    """Start a virtual band streaming ``source`` and a host adapter; tear both down on exit.

    Parameters
    ----------
    source
        Sample blocks the band plays back (pulled lazily).
    speed
        Device seconds per host second.
    faults
        Faults the band injects.
    name
        The band's advertised name.
    advertise_service
        Whether the band advertises its service UUID.
    backlog_bytes
        The band's ring buffer of recent packets, bytes (0: no backlog, an outage is a gap).
    recorded_times
        Send a replayed recording's own sample times (not the band's regular clock).
    """
    _quiet_bumble()
    link = LocalLink()  # type: ignore[no-untyped-call]
    band = await add_peripheral(
        link,
        source,
        VIRTUAL_BAND_ADDRESS,
        name,
        speed,
        faults,
        advertise_service,
        backlog_bytes=backlog_bytes,
        recorded_times=recorded_times,
    )
    host = make_device(link, _HOST_ADDRESS, "imurep-host")
    await host.power_on()
    client_backend, scanner_backend = bind_backends(VirtualAdapter(host), speed)
    world = VirtualWorld(band, client_backend, scanner_backend, VIRTUAL_BAND_ADDRESS, name, link)
    try:
        yield world
    finally:
        await band.close()
        for connection in list(host.connections.values()):
            with contextlib.suppress(Exception):
                await connection.disconnect()
        with contextlib.suppress(Exception):
            await host.power_off()
        with contextlib.suppress(Exception):
            await band.device.power_off()
