"""Stream sample blocks from any supported BLE device, reconnecting when the link drops.

>>> async with DeviceStream(found_device, BAND_PROFILE) as stream:     # doctest: +SKIP
...     async for block in stream:
...         ...
...     print(stream.stats)

The notification callback only timestamps the bytes and puts them on an ``asyncio.Queue``;
decoding, loss accounting and clock mapping happen in the consumer (``__anext__``), in order.
A background task owns the connection: it connects, enables notifications, starts the device,
watches for a dropped link or silence, and reconnects with exponential backoff. The iterator
keeps going across reconnects; each outage is recorded as a :class:`LinkGap`. A device with a
backlog (the imurep band) is asked to resume from the first packet the client has not received:
it sends what it buffered during the outage, then carries on live, so the samples arrive in
order and the outage leaves no hole in the data (only what the backlog no longer held is lost).
When reconnecting fails ``max_reconnect_attempts`` times in a row the iterator raises :class:`DeviceGoneError`
after delivering everything received before. A device that says it stopped streaming by itself
(its session ended: see ``DeviceProfile.status_uuid``) ends the iteration after its last samples,
with :attr:`DeviceStream.ended_by_device` set, and is not reconnected.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field, replace

from bleak import BleakClient
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import BaseBleakScanner
from bleak.exc import BleakError

from imurep.ble.clock import ClockConfig
from imurep.ble.errors import DeviceGoneError, DeviceNotFoundError, MalformedStreamError, ServiceNotFoundError
from imurep.ble.profile import DecodeError, DeviceProfile
from imurep.ble.scan import FoundDevice, find_devices, resolve_device
from imurep.ble.stream import LinkGap, PacketAssembler, StreamStats
from imurep.errors import DeviceError
from imurep.samples import SampleBlock

__all__ = [
    "DeviceStream",
    "FoundDevice",
    "LinkGap",
    "StreamConfig",
    "StreamStats",
    "find_devices",
    "open_stream",
    "resolve_device",
]

_WATCH_PERIOD_S = 0.1


@dataclass(frozen=True)
class StreamConfig:
    """How a :class:`DeviceStream` connects, watches and reconnects.

    Attributes
    ----------
    rate_hz
        Requested sample rate, Hz (``None``: the profile's nominal rate).
    connect_timeout_s
        Longest wait for one connection attempt, s.
    scan_timeout_s
        Longest re-scan before a reconnection attempt, s.
    no_data_timeout_s
        A connected device that sends nothing for this long is treated as lost, host s.
    max_reconnect_attempts
        Consecutive failed reconnections (or reconnections that bring no data) before giving up.
    backoff_initial_s, backoff_max_s
        Delay before the second attempt, doubled per failure up to the maximum, s.
    max_malformed_in_row
        Consecutive undecodable notifications before the stream fails.
    clock
        Clock-mapping settings.
    rescan_before_reconnect
        Scan for the device before each reconnection (BlueZ needs it after a drop).
    """

    rate_hz: float | None = None
    connect_timeout_s: float = 10.0
    scan_timeout_s: float = 5.0
    no_data_timeout_s: float = 5.0
    max_reconnect_attempts: int = 8
    backoff_initial_s: float = 0.25
    backoff_max_s: float = 8.0
    max_malformed_in_row: int = 50
    clock: ClockConfig = field(default_factory=ClockConfig)
    rescan_before_reconnect: bool = True


@dataclass(frozen=True)
class _Raw:
    uuid: str
    data: bytes
    host_s: float


@dataclass(frozen=True)
class _Connected:
    reconnect: bool
    lost_host_s: float = 0.0
    attempts: int = 0
    reason: str = ""
    resumed: bool = False


@dataclass(frozen=True)
class _End:
    error: BaseException | None


_Item = _Raw | _Connected | _End


class DeviceStream:
    """An async iterator of :class:`SampleBlock` s from one BLE device.

    Parameters
    ----------
    device
        A scanned device or an address.
    profile
        The device's profile (``device.profile`` when ``None``).
    config
        Connection and reconnection settings.
    client_backend, scanner_backend
        bleak backend classes (``None``: the platform's); the virtual band's come from
        ``imurep.ble.virtual.virtual_world``.
    """

    def __init__(
        self,
        device: FoundDevice | str,
        profile: DeviceProfile | None = None,
        config: StreamConfig | None = None,
        *,
        client_backend: type[BaseBleakClient] | None = None,
        scanner_backend: type[BaseBleakScanner] | None = None,
    ) -> None:
        found = device if isinstance(device, FoundDevice) else None
        resolved = profile or (found.profile if found is not None else None)
        if resolved is None:
            raise DeviceError("no profile for the device: pass profile= or a scanned device with a profile")
        self.profile = resolved
        self.address = found.address if found is not None else str(device)
        self.name = (found.name if found is not None else None) or self.address
        config = config or StreamConfig()
        # a virtual device replaying faster than real time says so on its backend class
        time_scale = float(getattr(client_backend, "device_time_scale", 1.0))
        if time_scale != 1.0 and config.clock.host_time_scale == 1.0:
            config = replace(config, clock=replace(config.clock, host_time_scale=time_scale))
        self.config = config
        self._ble_device: BLEDevice | None = found.ble_device if found is not None else None
        self._client_backend = client_backend
        self._scanner_backend = scanner_backend
        self._rate_hz = self.config.rate_hz or self.profile.nominal_rate_hz
        self._decoder = self.profile.make_decoder(self._rate_hz)
        self._assembler = PacketAssembler(self.profile, self.config.clock, self._rate_hz)
        self._queue: asyncio.Queue[_Item] = asyncio.Queue()
        self._client: BleakClient | None = None
        self._task: asyncio.Task[None] | None = None
        self._link_lost = asyncio.Event()
        self._last_data_host_s = 0.0
        self._connected = False
        self._closing = False
        self._finished = False
        self._reconnects = 0
        self._malformed = 0
        self._malformed_in_row = 0
        self._gaps: list[LinkGap] = []
        self._pending_gap: _Connected | None = None
        self._gap_start_s: float | None = None
        self._data_on_connection = False  # data arrived on the current connection
        self._ended_by_device = False

    # --- public ---------------------------------------------------------------------------------

    @property
    def stats(self) -> StreamStats:
        """Health of the session so far."""
        a = self._assembler
        return StreamStats(
            rate_hz=a.measured_rate_hz,
            samples=a.samples,
            packets=a.packets,
            lost_packets=a.lost_packets,
            replayed_packets=a.replayed_packets,
            reanchored_packets=a.reanchored_packets,
            malformed_packets=self._malformed,
            rejected_packets=a.sequence.rejected_total if a.sequence is not None else 0,
            reconnects=self._reconnects,
            gaps=tuple(self._gaps),
            drift_ppm=a.clock.drift_ppm,
            host_late_packets=a.clock.host_late_packets,
            device_clock_jumps=a.clock.device_clock_jumps,
            host_timed_jumps=a.clock.host_timed_jumps,
            connected=self._connected,
        )

    @property
    def ended_by_device(self) -> bool:
        """Whether the device ended the session (it stopped streaming by itself)."""
        return self._ended_by_device

    async def start(self) -> None:
        """Connect and start streaming (the first connection's errors are raised here)."""
        if self._task is not None:
            return
        await self._connect_and_start(first=True)
        self._task = asyncio.get_running_loop().create_task(self._supervise())

    async def aclose(self) -> None:
        """Stop the device (if it can be told to) and disconnect. Idempotent."""
        self._closing = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        await self._disconnect(stop_device=True)

    async def __aenter__(self) -> DeviceStream:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __aiter__(self) -> DeviceStream:
        return self

    async def __anext__(self) -> SampleBlock:
        if self._task is None and not self._finished:
            await self.start()
        while True:
            if self._finished and self._queue.empty():
                raise StopAsyncIteration
            item = await self._queue.get()
            if isinstance(item, _End):
                self._finished = True
                if item.error is not None:
                    raise item.error
                raise StopAsyncIteration
            if isinstance(item, _Connected):
                if not item.resumed:
                    self._decoder.reset()
                self._assembler.new_connection(resumed=item.resumed)
                if item.reconnect:
                    self._pending_gap = item
                    self._gap_start_s = self._assembler.last_session_s
                continue
            block = self._decode(item)
            if block is not None:
                return block

    # --- consumer side ----------------------------------------------------------------------------

    def _decode(self, item: _Raw) -> SampleBlock | None:
        try:
            packet = self._decoder.decode(item.uuid, item.data)
        except DecodeError as exc:
            self._malformed += 1
            self._malformed_in_row += 1
            if self._malformed_in_row >= self.config.max_malformed_in_row:
                self._finished = True
                raise MalformedStreamError(
                    f"{self.name}: {self._malformed_in_row} malformed notifications in a row (last: {exc})"
                ) from exc
            return None
        self._malformed_in_row = 0
        block = self._assembler.feed(packet, item.host_s)
        if block is not None and self._pending_gap is not None:
            gap = self._pending_gap
            end_s = float(block.time_s[0])
            start_s = self._gap_start_s if self._gap_start_s is not None else end_s
            host_gap_s = item.host_s - gap.lost_host_s
            self._gaps.append(LinkGap(start_s, end_s, host_gap_s, gap.attempts, gap.reason, gap.resumed))
            self._pending_gap = None
        return block

    # --- connection side --------------------------------------------------------------------------

    def _on_notify(self, characteristic: BleakGATTCharacteristic, data: bytearray) -> None:
        now = asyncio.get_running_loop().time()
        self._last_data_host_s = now
        self._data_on_connection = True
        self._queue.put_nowait(_Raw(characteristic.uuid, bytes(data), now))

    def _on_status(self, _characteristic: BleakGATTCharacteristic, data: bytearray) -> None:
        if self.profile.is_streaming is None or self._closing or self._ended_by_device:
            return
        try:
            streaming = self.profile.is_streaming(bytes(data))
        except DecodeError:
            return
        # Not streaming before any data is the setup (SET_RATE before START); after data, and
        # without our STOP, the device stopped by itself: its session is over.
        if not streaming and self._data_on_connection:
            self._ended_by_device = True
            self._queue.put_nowait(_End(None))  # after the samples already queued
            self._link_lost.set()  # wake the supervisor, which then stops

    def _on_disconnect(self, _client: BleakClient) -> None:
        self._link_lost.set()

    async def _connect_and_start(self, first: bool, gap: _Connected | None = None) -> None:
        target: BLEDevice | str = self.address
        if first and self._ble_device is not None:
            target = self._ble_device
        if not first and self.config.rescan_before_reconnect:
            found = await find_devices(
                self.config.scan_timeout_s,
                address=self.address,
                supported_only=False,
                scanner_backend=self._scanner_backend,
            )
            if not found:
                raise DeviceNotFoundError(f"{self.name} not seen in a {self.config.scan_timeout_s:g} s scan")
            if found[0].ble_device is not None:
                target = found[0].ble_device
        client = BleakClient(
            target,
            disconnected_callback=self._on_disconnect,
            timeout=self.config.connect_timeout_s,
            backend=self._client_backend,
        )
        self._link_lost.clear()
        try:
            await client.connect()
        except (BleakError, TimeoutError, OSError) as exc:
            raise DeviceError(f"could not connect to {self.name}: {exc or type(exc).__name__}") from exc
        self._client = client
        try:
            services = {s.uuid.lower() for s in client.services}
            if self.profile.service_uuid not in services:
                raise ServiceNotFoundError(
                    f"{self.name} does not serve the {self.profile.name} service {self.profile.service_uuid}"
                )
            resumed = False
            next_sequence = self._assembler.next_sequence
            if not first and self.profile.resume is not None and next_sequence is not None:
                # before notifications are enabled, so that every packet after this marker
                # belongs to the stream the marker describes
                resumed = await self.profile.resume(client, next_sequence)
            connected = gap or _Connected(reconnect=not first)
            self._queue.put_nowait(replace(connected, resumed=resumed))
            self._last_data_host_s = asyncio.get_running_loop().time()
            self._data_on_connection = False
            if self.profile.status_uuid is not None:
                await client.start_notify(self.profile.status_uuid, self._on_status)
            for uuid in self.profile.notify_uuids:
                await client.start_notify(uuid, self._on_notify)
            if not resumed and self.profile.start is not None:
                await self.profile.start(client, self._rate_hz)
        except (BleakError, TimeoutError, OSError) as exc:
            await self._disconnect(stop_device=False)
            why = exc or type(exc).__name__
            raise DeviceError(f"could not start streaming from {self.name}: {why}") from exc
        except BaseException:
            await self._disconnect(stop_device=False)
            raise
        self._connected = True

    async def _disconnect(self, stop_device: bool) -> None:
        client, self._client = self._client, None
        self._connected = False
        if client is None:
            return
        if stop_device and self.profile.stop is not None and client.is_connected:
            with contextlib.suppress(BleakError, TimeoutError, OSError, DeviceError):
                await asyncio.wait_for(self.profile.stop(client), self.config.connect_timeout_s)
        with contextlib.suppress(BleakError, TimeoutError, OSError):
            await asyncio.wait_for(client.disconnect(), self.config.connect_timeout_s)

    async def _watch(self) -> str:
        """Wait until the link drops or the device falls silent; return why."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._link_lost.wait(), _WATCH_PERIOD_S)
            if self._link_lost.is_set():
                return "disconnected"
            silent_s = asyncio.get_running_loop().time() - self._last_data_host_s
            if silent_s > self.config.no_data_timeout_s:
                return f"no data for {self.config.no_data_timeout_s:g} s"

    async def _supervise(self) -> None:
        loop = asyncio.get_running_loop()
        silent_reconnects = 0
        try:
            while not self._closing:
                data_before = self._last_data_host_s
                reason = await self._watch()
                if self._ended_by_device:
                    return
                lost_host_s = loop.time()
                got_data = self._last_data_host_s > data_before
                silent_reconnects = 0 if got_data else silent_reconnects + 1
                await self._disconnect(stop_device=False)
                await self._reconnect(reason, lost_host_s, silent_reconnects)
                self._reconnects += 1
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            self._queue.put_nowait(_End(exc))
            return

    async def _reconnect(self, reason: str, lost_host_s: float, silent_reconnects: int) -> int:
        cfg = self.config
        delay_s = cfg.backoff_initial_s
        attempts = 0
        last_error: BaseException | None = None
        while attempts + silent_reconnects <= cfg.max_reconnect_attempts:
            attempts += 1
            gap = _Connected(True, lost_host_s, attempts, reason)
            try:
                await self._connect_and_start(first=False, gap=gap)
                return attempts
            except ServiceNotFoundError:
                raise
            except DeviceError as exc:
                last_error = exc
            await asyncio.sleep(delay_s)
            delay_s = min(delay_s * 2.0, cfg.backoff_max_s)
        detail = f" (last error: {last_error})" if last_error is not None else ""
        raise DeviceGoneError(
            f"lost {self.name} ({reason}) and gave up after {attempts + silent_reconnects} reconnection "
            f"attempts{detail}; {self._assembler.samples} samples were received before"
        )


async def open_stream(
    spec: str,
    config: StreamConfig | None = None,
    *,
    profile: DeviceProfile | None = None,
    scan_timeout_s: float = 5.0,
    client_backend: type[BaseBleakClient] | None = None,
    scanner_backend: type[BaseBleakScanner] | None = None,
) -> DeviceStream:
    """Scan for ``spec`` (address or name), then return an unstarted :class:`DeviceStream`.

    Raises
    ------
    DeviceNotFoundError, ServiceNotFoundError
        See :func:`resolve_device`.
    """
    device = await resolve_device(spec, scan_timeout_s, profile=profile, scanner_backend=scanner_backend)
    return DeviceStream(
        device, profile, config, client_backend=client_backend, scanner_backend=scanner_backend
    )
