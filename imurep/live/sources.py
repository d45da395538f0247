"""Where live samples come from: a BLE device, the virtual band, or a phone running phyphox."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from imurep.ble.band import BACKLOG_BYTES, band_rate_hz
from imurep.ble.clock import ClockConfig
from imurep.ble.virtual.faults import Faults
from imurep.errors import InputError
from imurep.live.runner import LinkStatus
from imurep.samples import SampleBlock

if TYPE_CHECKING:
    from imurep.importers.imported import ImportOptions

__all__ = ["LiveSource", "open_live_source", "simulated_session_blocks"]

# After the virtual band has played its whole source, wait this long for the last packets.
_DRAIN_S = 0.6
_POLL_S = 0.1


@dataclass
class LiveSource:
    """An open live source.

    Attributes
    ----------
    name
        What the view shows (device name and address, ``virtual``, the phyphox URL).
    blocks
        The sample blocks as they arrive.
    status
        Current link health.
    time_offset_s
        Add to live times to put them in the replayed recording's time base (0 otherwise).
    metadata
        Header lines for a recording of the session.
    warnings
        What reading a replayed recording said (units decided, samples dropped).
    """

    name: str
    blocks: AsyncIterator[SampleBlock]
    status: Callable[[], LinkStatus]
    time_offset_s: float = 0.0
    metadata: dict[str, str] = field(default_factory=dict)
    has_gyr: bool = True
    warnings: list[str] = field(default_factory=list)


def simulated_session_blocks(seed: int, block_s: float = 1.0) -> tuple[list[SampleBlock], dict[str, str]]:
    """A simulated exercise session (standing, knee rolls, all fours, heels stretch...), in blocks."""
    from imurep.sim import random_config, simulate

    # The demo's band: worn at the front of the belt (still up to 25° off), 100 Hz.
    sim = simulate(random_config(seed, kind="session", rate_hz=100.0, mount="front-belt"))
    b = sim.block
    n = max(1, round(block_s * len(b) / max(float(b.time_s[-1] - b.time_s[0]), 1e-9)))
    return [b.slice(i, i + n) for i in range(0, len(b), n)], dict(sim.metadata)


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


def _virtual_clock(speed: float, faults: Faults | None) -> ClockConfig:
    """Clock mapping for the virtual band.

    Its clock runs ``speed`` times faster than the host's on purpose (not drift), and it has no
    crystal error unless a fault injects one: its device time *is* the played source's time base.
    Estimating drift from host arrival times that run ``speed`` times slower (so whose jitter is
    ``speed`` times larger in device time) would only add error, so it is not estimated then.
    """
    drifting = faults is not None and faults.clock_drift_ppm != 0.0
    return ClockConfig(host_time_scale=speed, max_drift_ppm=ClockConfig.max_drift_ppm if drifting else 0.0)


@contextlib.asynccontextmanager
async def open_live_source(
    device: str,
    replay: str | None = None,
    speed: float = 1.0,
    rate_hz: float | None = None,
    seed: int = 7,
    scan_timeout_s: float = 5.0,
    faults: Faults | None = None,
    backlog_bytes: int = BACKLOG_BYTES,
    units: ImportOptions | None = None,
) -> AsyncIterator[LiveSource]:
    """Open ``device``: ``virtual``, ``phyphox://HOST:PORT``, or a BLE address or name.

    The virtual band injects ``faults`` and keeps a backlog of ``backlog_bytes`` (0: none). A
    replayed recording is sent with its own sample times, so that the live path sees the file's
    time base (its holes arrive as lost packets), in the ``units`` stated (else as the file states
    or the data shows).
    """
    if device.startswith("phyphox://"):
        from imurep.sources.phyphox_remote import PhyphoxSource

        phone = PhyphoxSource(device)

        def phone_status() -> LinkStatus:
            connected = phone.answered and not phone.failing
            receiving = phone.samples_received > 0
            return LinkStatus(connected, phone.rate_hz, detail="phyphox", receiving=receiving)

        yield LiveSource(device, phone.__aiter__(), phone_status, 0.0, {"device": device})
        return
    from imurep.ble.client import DeviceStream, StreamConfig, open_stream

    def status_of(stream: DeviceStream) -> Callable[[], LinkStatus]:
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

    if device != "virtual":
        if replay is not None:
            raise InputError("--replay works with --device virtual only")
        stream = await open_stream(device, StreamConfig(rate_hz=rate_hz), scan_timeout_s=scan_timeout_s)
        async with stream:
            yield LiveSource(
                f"{stream.name} ({stream.address})",
                stream.__aiter__(),
                status_of(stream),
                0.0,
                {"device": f"{stream.profile.name} {stream.address}"},
            )
        return

    from imurep.ble.virtual import virtual_world

    if replay is not None:
        from imurep.sources.files import open_samples

        opened = open_samples(replay, units)
        blocks: Iterable[SampleBlock] = list(opened.blocks)
        replay_warnings: list[str] = opened.warnings
        metadata = dict(opened.metadata)
        name = f"virtual band replaying {os.path.basename(replay)}"
    else:
        blocks, metadata = simulated_session_blocks(seed)
        replay_warnings = []
        name = f"virtual band (simulated session, seed {seed})"
    block_list = list(blocks)
    if not block_list:
        raise InputError("nothing to replay: no samples", replay)
    source_t0 = float(block_list[0].time_s[0])
    if rate_hz is None:
        # The recording's own rate (median step: lost packets must not lower it), so that the band
        # samples the source on its own grid.
        first = block_list[0]
        steps = np.diff(first.time_s[:2000])
        rate_hz = float(1.0 / np.median(steps)) if steps.size else 100.0
        rate_hz = float(band_rate_hz(rate_hz))
    async with virtual_world(
        block_list, speed=speed, faults=faults, backlog_bytes=backlog_bytes, recorded_times=replay is not None
    ) as world:
        stream = world.band_stream(StreamConfig(rate_hz=rate_hz, clock=_virtual_clock(speed, faults)))
        # The band always carries six axes; an accelerometer-only recording replays with zeros.
        has_gyr = all(b.has_gyr for b in block_list)
        live = LiveSource(
            name, stream.__aiter__(), status_of(stream), 0.0, metadata, has_gyr, replay_warnings
        )

        def align(first: SampleBlock) -> None:
            # The band plays its source from the source's first sample: map back to that time base.
            live.time_offset_s = source_t0 - float(first.time_s[0])

        live.blocks = _until_ended(stream, world.band.ended, align)
        async with stream:
            yield live
