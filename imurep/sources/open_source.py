"""Open any parsed source as one async stream of sample blocks: :func:`open_source`.

>>> async with open_source(parse_device("virtual")) as source:      # doctest: +SKIP
...     async for block in source.blocks:
...         ...

The same function opens what ``imurep record``, ``imurep live``, ``imurep demo`` and a replay
(``--device virtual --replay FILE``) stream: a BLE device, the virtual band (a simulated session or
a replayed recording, over a real in-process BLE stack), a phone running phyphox, or a recording
played at once (``FILE`` and ``EXPORT``; offline analysis reads these synchronously with
:func:`imurep.sources.files.open_samples`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from imurep.errors import InputError
from imurep.samples import SampleBlock
from imurep.sources.link import LinkStatus
from imurep.sources.spec import SourceKind, SourceSpec, VirtualBandSettings

if TYPE_CHECKING:
    from bleak.backends.client import BaseBleakClient
    from bleak.backends.scanner import BaseBleakScanner

    from imurep.ble.client import DeviceStream
    from imurep.ble.clock import ClockConfig
    from imurep.ble.virtual.faults import Faults

__all__ = ["OpenSource", "open_source", "simulated_session_blocks"]

# After the virtual band has played its whole source, wait this long for the last packets.
_DRAIN_S = 0.6
_POLL_S = 0.1
# The virtual band's simulated session: worn at the front of the belt (still up to 25° off), 100 Hz.
_SESSION_RATE_HZ = 100.0
_SESSION_MOUNT = "front-belt"


@dataclass
class OpenSource:
    """An open source.

    Attributes
    ----------
    name
        What the view shows (device name and address, the virtual band and what it plays, the
        phyphox URL, the file).
    blocks
        The sample blocks as they arrive.
    status
        Current link health.
    time_offset_s
        Add to the blocks' times to put them in the replayed recording's time base (0 otherwise;
        known once the first block has arrived).
    metadata
        Header lines for a recording of the session (what the source says about itself).
    has_gyr
        Whether the gyroscope columns carry data (the virtual band always sends six axes; an
        accelerometer-only recording replays with zeros there).
    warnings
        What reading a replayed recording said (units decided, samples dropped).
    stream
        The BLE client's stream (``BLE`` and ``VIRTUAL``: its statistics), else ``None``.
    session_ended
        Whether the source has played all it had (the virtual band), as the stream goes on.
    """

    name: str
    blocks: AsyncIterator[SampleBlock]
    status: Callable[[], LinkStatus]
    time_offset_s: float = 0.0
    metadata: dict[str, str] = field(default_factory=dict)
    has_gyr: bool = True
    warnings: list[str] = field(default_factory=list)
    stream: DeviceStream | None = None
    session_ended: Callable[[], bool] = field(default=lambda: False, repr=False)

    @property
    def ended_by_device(self) -> bool:
        """Whether the source ended the session by itself (the virtual band played everything)."""
        return self.session_ended() or (self.stream is not None and self.stream.ended_by_device)


def simulated_session_blocks(seed: int, block_s: float = 1.0) -> tuple[list[SampleBlock], dict[str, str]]:
    """The virtual band's simulated session (standing, knee rolls, all fours, heels stretch...),
    in blocks of ``block_s`` seconds, and what a recording of it says (seed, mount...)."""
    from imurep.sim import random_config, simulate

    sim = simulate(random_config(seed, kind="session", rate_hz=_SESSION_RATE_HZ, mount=_SESSION_MOUNT))
    b = sim.block
    n = max(1, round(block_s * len(b) / max(float(b.time_s[-1] - b.time_s[0]), 1e-9)))
    return [b.slice(i, i + n) for i in range(0, len(b), n)], dict(sim.metadata)


@contextlib.asynccontextmanager
async def open_source(
    spec: SourceSpec,
    *,
    client_backend: type[BaseBleakClient] | None = None,
    scanner_backend: type[BaseBleakScanner] | None = None,
) -> AsyncIterator[OpenSource]:
    """Open ``spec`` (from :func:`~imurep.sources.spec.parse_device` or
    :func:`~imurep.sources.spec.parse_path`); disconnects and stops the virtual band on exit.

    Parameters
    ----------
    spec
        The source.
    client_backend, scanner_backend
        ``BLE``: bleak backend classes (``None``: the platform's; tests pass a virtual world's).

    Raises
    ------
    InputError
        A replayed recording that cannot be read, or holds no samples.
    DeviceError
        A BLE device not found, without the expected service, or that cannot be connected.
    """
    if spec.kind is SourceKind.PHYPHOX:
        async with _phyphox(spec) as source:
            yield source
    elif spec.kind is SourceKind.BLE:
        async with _ble(spec, client_backend, scanner_backend) as source:
            yield source
    elif spec.kind is SourceKind.VIRTUAL:
        async with _virtual(spec) as source:
            yield source
    else:
        yield _recorded(spec)


def _stream_status(stream: DeviceStream) -> Callable[[], LinkStatus]:
    def status() -> LinkStatus:
        s = stream.stats
        clock = (
            ("host_late_packets", s.host_late_packets),
            ("device_clock_jumps", s.device_clock_jumps),
            ("host_timed_jumps", s.host_timed_jumps),
        )
        return LinkStatus(
            s.connected,
            s.rate_hz,
            s.lost_packets,
            s.packets,
            s.reconnects,
            receiving=s.packets > 0,
            clock_mapping=clock,
            clock_warning=s.clock_warning() or "",
        )

    return status


@contextlib.asynccontextmanager
async def _phyphox(spec: SourceSpec) -> AsyncIterator[OpenSource]:
    from imurep.sources.phyphox_remote import PhyphoxSource

    assert spec.url is not None
    phone = PhyphoxSource(spec.url)

    def status() -> LinkStatus:
        connected = phone.answered and not phone.failing
        receiving = phone.samples_received > 0
        return LinkStatus(connected, phone.rate_hz, detail="phyphox", receiving=receiving)

    yield OpenSource(spec.text, phone.__aiter__(), status, 0.0, {"device": spec.text})


@contextlib.asynccontextmanager
async def _ble(
    spec: SourceSpec,
    client_backend: type[BaseBleakClient] | None,
    scanner_backend: type[BaseBleakScanner] | None,
) -> AsyncIterator[OpenSource]:
    from imurep.ble.client import StreamConfig, open_stream
    from imurep.ble.scan import ALL_PROFILES

    assert spec.device is not None
    profile = next((p for p in ALL_PROFILES if p.name == spec.family), None)
    stream = await open_stream(
        spec.device,
        StreamConfig(rate_hz=spec.rate_hz),
        profile=profile,
        scan_timeout_s=spec.scan_timeout_s,
        client_backend=client_backend,
        scanner_backend=scanner_backend,
    )
    async with stream:
        yield OpenSource(
            f"{stream.name} ({stream.address})",
            stream.__aiter__(),
            _stream_status(stream),
            0.0,
            {"device": f"{stream.profile.name} {stream.address}"},
            has_gyr=stream.profile.has_gyr,
            stream=stream,
        )


def _recorded(spec: SourceSpec) -> OpenSource:
    """A recording (``FILE`` or ``EXPORT``), its blocks as they are read."""
    from imurep.sources.files import open_samples

    opened = open_samples(spec)

    async def blocks() -> AsyncIterator[SampleBlock]:
        for block in opened.blocks:
            yield block
            await asyncio.sleep(0)

    # has_gyr: a recording's blocks say themselves whether they carry a gyroscope.
    return OpenSource(spec.text, blocks(), LinkStatus, 0.0, dict(opened.metadata), True, opened.warnings)


async def _until_ended(
    stream: AsyncIterator[SampleBlock], ended: asyncio.Event, on_first: Callable[[SampleBlock], None]
) -> AsyncIterator[SampleBlock]:
    """Blocks of ``stream`` until the virtual band has played everything and gone quiet."""
    it = stream.__aiter__()
    first = True
    while True:
        get = asyncio.ensure_future(it.__anext__())
        quiet_since: float | None = None
        loop = asyncio.get_running_loop()
        while True:
            done, _ = await asyncio.wait({get}, timeout=_POLL_S)
            if done:
                break
            if ended.is_set():
                quiet_since = quiet_since or loop.time()
                if loop.time() - quiet_since >= _DRAIN_S:
                    get.cancel()
                    with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                        await get
                    return
        try:
            block = get.result()
        except StopAsyncIteration:
            return
        if first:
            on_first(block)
            first = False
        yield block


def _virtual_clock(speed: float, faults: Faults) -> ClockConfig:
    """Clock mapping for the virtual band.

    Its clock runs ``speed`` times faster than the host's on purpose (not drift), and it has no
    crystal error unless a fault injects one: its device time *is* the played source's time base.
    Estimating drift from host arrival times that run ``speed`` times slower (so whose jitter is
    ``speed`` times larger in device time) would only add error, so it is not estimated then.
    """
    from imurep.ble.clock import ClockConfig

    drifting = faults.clock_drift_ppm != 0.0
    return ClockConfig(host_time_scale=speed, max_drift_ppm=ClockConfig.max_drift_ppm if drifting else 0.0)


def _played(settings: VirtualBandSettings) -> tuple[list[SampleBlock], dict[str, str], list[str], str]:
    """What the virtual band plays: blocks, their metadata, reading warnings, and the view's name."""
    if settings.replay is not None:
        from imurep.sources.files import open_samples

        opened = open_samples(settings.replay)
        blocks = list(opened.blocks)
        name = f"virtual band replaying {os.path.basename(settings.replay.text)}"
        if not blocks:
            raise InputError("nothing to replay: no samples", settings.replay.text)
        return blocks, dict(opened.metadata), opened.warnings, name
    blocks, metadata = simulated_session_blocks(settings.seed)
    return blocks, metadata, [], f"virtual band (simulated session, seed {settings.seed})"


def _source_rate_hz(blocks: Iterable[SampleBlock]) -> float:
    """The played source's own rate, Hz (median step: lost packets must not lower it)."""
    first = next(iter(blocks))
    steps = np.diff(first.time_s[:2000])
    return float(1.0 / np.median(steps)) if steps.size else 100.0


@contextlib.asynccontextmanager
async def _virtual(spec: SourceSpec) -> AsyncIterator[OpenSource]:
    from imurep.ble.band import BACKLOG_BYTES, band_rate_hz
    from imurep.ble.client import StreamConfig
    from imurep.ble.virtual import virtual_world

    settings = spec.virtual or VirtualBandSettings()
    blocks, metadata, warnings, name = _played(settings)
    source_t0 = float(blocks[0].time_s[0])
    # Asked for its own rate, the band samples the source on the source's grid.
    rate_hz = spec.rate_hz if spec.rate_hz is not None else float(band_rate_hz(_source_rate_hz(blocks)))
    faults = settings.faults
    clock = _virtual_clock(settings.speed, faults)
    async with virtual_world(
        blocks,
        speed=settings.speed,
        faults=faults,
        backlog_bytes=BACKLOG_BYTES if settings.backlog else 0,
        recorded_times=settings.replay is not None,
    ) as world:
        stream = world.band_stream(StreamConfig(rate_hz=rate_hz, clock=clock))
        # The band always carries six axes; an accelerometer-only recording replays with zeros.
        has_gyr = all(b.has_gyr for b in blocks)
        ended = world.band.ended
        source = OpenSource(
            name, stream.__aiter__(), _stream_status(stream), 0.0, metadata, has_gyr, warnings, stream
        )
        source.session_ended = ended.is_set

        def align(first: SampleBlock) -> None:
            # The band plays its source from the source's first sample: map back to that time base.
            source.time_offset_s = source_t0 - float(first.time_s[0])

        source.blocks = _until_ended(stream, ended, align)
        async with stream:
            yield source
