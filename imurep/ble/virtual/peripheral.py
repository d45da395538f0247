"""A virtual imurep band: a bumble GATT peripheral streaming sample blocks as band packets.

The band serves the layout of ``imurep.ble.band`` (plus Battery and Device Information services),
advertises its name and service UUID every 20-40 ms, and obeys the control point: SET_RATE,
SET_RANGE, START, STOP. Its sensor plays back an iterable of :class:`SampleBlock` s: playback
starts with the first START and then runs in (device) real time, ``speed`` times faster than the
host clock, whether or not anyone listens; samples are taken at the configured rate by linear
interpolation of the source, so a source at the band's rate is reproduced exactly (up to int16
quantisation). While the link is down the sensor keeps running and those samples are lost, as on
a real band. When the source ends the band stops streaming.

:class:`Faults` injects what a radio does to a real link: a peripheral-side disconnect after a
given packet (then re-advertising), bursts of lost notifications, random notification delay,
a band that goes silent while staying connected, malformed packets, and a drifting crystal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from bumble import att, gatt
from bumble.core import UUID, AdvertisingData
from bumble.device import (
    AdvertisingEventProperties,
    AdvertisingParameters,
    AdvertisingSet,
    Connection,
    Device,
)
from bumble.profiles.battery_service import BatteryService
from bumble.profiles.device_information_service import DeviceInformationService

from imurep.ble import band
from imurep.samples import FloatArray, SampleBlock

__all__ = ["Faults", "VirtualBand"]

_log = logging.getLogger(__name__)

# ATT application error the band returns for a command it refuses (value not allowed).
_ATT_COMMAND_REFUSED = 0x80
_ADVERTISING_INTERVAL_MS = (20.0, 40.0)
_MTU = 247
_MAX_EXTENDED_ADV_BYTES = 251


@dataclass(frozen=True)
class Faults:
    """Link faults the virtual band injects. Packet indices count every packet the band
    generates since power-on (sent or not), from 0.

    Attributes
    ----------
    drop_link_after_packets
        Disconnect (peripheral side) right after sending each of these packets.
    readvertise_after_s
        Host time before the band advertises again after a dropped link, s.
    lose_packets
        ``(first_index, count)`` bursts of notifications generated but never sent.
    delay_s
        Extra delay before each notification, uniform in ``[0, delay_s]``, host s.
    silent_after_packets
        Stop sending (but stay connected) from this packet on; ``None``: never.
    clock_drift_ppm
        How fast the band's clock runs relative to the true sample times, ppm.
    corrupt_packets
        Packets sent truncated to 5 bytes (malformed).
    seed
        Seed for the random delays.
    """

    drop_link_after_packets: tuple[int, ...] = ()
    readvertise_after_s: float = 0.05
    lose_packets: tuple[tuple[int, int], ...] = ()
    delay_s: float = 0.0
    silent_after_packets: int | None = None
    clock_drift_ppm: float = 0.0
    corrupt_packets: tuple[int, ...] = ()
    seed: int = 0

    def lost(self, index: int) -> bool:
        return any(first <= index < first + count for first, count in self.lose_packets)


class _Playback:
    """Lazily pulls source blocks and interpolates them at requested source times."""

    def __init__(self, blocks: Iterable[SampleBlock]) -> None:
        self._blocks: Iterator[SampleBlock] = iter(blocks)
        self._t = np.empty(0)
        self._acc = np.empty((0, 3))
        self._gyr = np.empty((0, 3))
        self.t0_s: float | None = None
        self.exhausted = False

    def _pull(self) -> bool:
        for block in self._blocks:
            if len(block) == 0:
                continue
            gyr = block.gyr_rad_s if block.gyr_rad_s is not None else np.zeros((len(block), 3))
            if self.t0_s is None:
                self.t0_s = float(block.time_s[0])
            self._t = np.concatenate([self._t, block.time_s - self.t0_s])
            self._acc = np.concatenate([self._acc, block.acc_m_s2])
            self._gyr = np.concatenate([self._gyr, gyr])
            return True
        self.exhausted = True
        return False

    def sample(self, t_s: FloatArray) -> tuple[FloatArray, FloatArray] | None:
        """Source values at times ``t_s`` (s from the first source sample), ``None`` past the end."""
        while self._t.size == 0 or self._t[-1] < t_s[-1] - 1e-9:
            if not self._pull():
                return None
        # drop history that no request can reach any more (requests move forward)
        first = max(int(np.searchsorted(self._t, t_s[0], side="right")) - 1, 0)
        if first > 0:
            self._t, self._acc, self._gyr = self._t[first:], self._acc[first:], self._gyr[first:]
        acc = np.column_stack([np.interp(t_s, self._t, self._acc[:, k]) for k in range(3)])
        gyr = np.column_stack([np.interp(t_s, self._t, self._gyr[:, k]) for k in range(3)])
        return acc, gyr


class VirtualBand:
    """The band's firmware, running on a bumble :class:`Device` (a virtual controller).

    Parameters
    ----------
    device
        A bumble device on a ``LocalLink``, not yet powered on.
    source
        Sample blocks to play back (a simulator, a recording replay...).
    speed
        Device seconds per host second (10: ten times faster than real time).
    faults
        Faults to inject.
    name
        Advertised local name.
    advertise_service
        Put the band's service UUID in the advertising data (a device that does not is how
        tests exercise "does not advertise the expected service").
    serve_band_service
        Serve the band's GATT service at all.
    """

    def __init__(
        self,
        device: Device,
        source: Iterable[SampleBlock],
        speed: float = 1.0,
        faults: Faults | None = None,
        name: str = "imurep-virtual",
        advertise_service: bool = True,
        serve_band_service: bool = True,
    ) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be > 0, got {speed}")
        self.device = device
        self.speed = speed
        self.faults = faults or Faults()
        self.name = name
        self.advertise_service = advertise_service
        self.rate_hz = 100
        self.acc_range = band.acc_range_code(16.0)
        self.gyr_range = band.gyr_range_code(2000.0)
        self.streaming = False
        self.packets_generated = 0
        self.packets_sent = 0
        self.disconnects = 0
        self.commands: list[tuple[int, tuple[int, ...]]] = []
        self._playback = _Playback(source)
        self._rng = np.random.default_rng(self.faults.seed)
        self._loop = asyncio.get_running_loop()
        self._power_on_s = self._loop.time()
        self._boot_offset_us = 5_000_000  # the band was switched on 5 s before the host started
        self._play_start_us: int | None = None
        self._next_us: int | None = None
        self._sequence = 0
        self._task: asyncio.Task[None] | None = None
        self._connection: Connection | None = None
        self._silent = False
        self._closed = False
        self.ended = asyncio.Event()
        self._advertising_set: AdvertisingSet | None = None

        self._data: gatt.Characteristic[bytes] = gatt.Characteristic(
            band.DATA_UUID,
            gatt.Characteristic.Properties.NOTIFY,
            gatt.Characteristic.READABLE,
            gatt.CharacteristicValue[bytes](read=lambda _c: b"", write=self._refuse_write),
        )
        self._control: gatt.Characteristic[bytes] = gatt.Characteristic(
            band.CONTROL_UUID,
            gatt.Characteristic.Properties.WRITE,
            gatt.Characteristic.WRITEABLE,
            gatt.CharacteristicValue[bytes](write=self._on_control),
        )
        self._status: gatt.Characteristic[bytes] = gatt.Characteristic(
            band.STATUS_UUID,
            gatt.Characteristic.Properties.READ | gatt.Characteristic.Properties.NOTIFY,
            gatt.Characteristic.READABLE,
            gatt.CharacteristicValue[bytes](read=lambda _c: self.status_bytes(), write=self._refuse_write),
        )
        services: list[gatt.Service] = [
            BatteryService(lambda _c: 87),
            DeviceInformationService(
                manufacturer_name="imurep",
                model_number="virtual band",
                serial_number="0001",
                firmware_revision=f"format {band.FORMAT_VERSION}",
            ),
        ]
        if serve_band_service:
            services.insert(0, gatt.Service(band.SERVICE_UUID, [self._data, self._control, self._status]))
        device.add_services(services)
        device.on(device.EVENT_CONNECTION, self._on_connection)

    # --- advertising and connections -----------------------------------------------------

    def advertising_data(self) -> bytes:
        """Flags, complete local name and (optionally) the band's 128-bit service UUID: ≤ 31 bytes."""
        structures: list[tuple[int, bytes]] = [(AdvertisingData.FLAGS, bytes([0x06]))]
        if self.advertise_service:
            structures.append(
                (AdvertisingData.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS, bytes(UUID(band.SERVICE_UUID)))
            )
        structures.append((AdvertisingData.COMPLETE_LOCAL_NAME, self.name.encode("utf-8")))
        data = bytes(AdvertisingData(structures))
        if len(data) > _MAX_EXTENDED_ADV_BYTES:
            raise ValueError(f"advertising data of {len(data)} bytes: shorten the name {self.name!r}")
        return data

    async def start(self) -> None:
        """Power on and start advertising."""
        await self.device.power_on()
        await self._advertise()

    async def _advertise(self) -> None:
        if self._closed:
            return
        # Name and 128-bit UUID need 37 bytes: more than a legacy advertisement holds, and the
        # virtual controller answers scan requests with the advertising data, so use one
        # connectable extended advertisement (a real band puts the name in its scan response).
        if self._advertising_set is not None:
            with contextlib.suppress(Exception):
                await self._advertising_set.remove()
        self._advertising_set = await self.device.create_advertising_set(
            advertising_parameters=AdvertisingParameters(
                advertising_event_properties=AdvertisingEventProperties(is_connectable=True),
                primary_advertising_interval_min=_ADVERTISING_INTERVAL_MS[0],
                primary_advertising_interval_max=_ADVERTISING_INTERVAL_MS[1],
            ),
            advertising_data=self.advertising_data(),
        )

    def _on_connection(self, connection: Connection) -> None:
        self._connection = connection
        connection.on(connection.EVENT_DISCONNECTION, lambda *_: self._on_disconnection(connection))

    def _on_disconnection(self, connection: Connection) -> None:
        if self._connection is connection:
            self._connection = None
        self._stop_streaming()
        if not self._closed:
            self._loop.call_later(self.faults.readvertise_after_s / 1.0, self._readvertise)

    def _readvertise(self) -> None:
        if self._closed or self._connection is not None:
            return
        task = self._loop.create_task(self._advertise())
        task.add_done_callback(_log_failure)

    async def drop_link(self) -> None:
        """Disconnect from the peripheral side (as a band walking out of range)."""
        connection = self._connection
        if connection is not None:
            self.disconnects += 1
            with contextlib.suppress(Exception):
                await connection.disconnect()

    async def close(self) -> None:
        """Stop streaming and advertising; disconnect."""
        self._closed = True
        self._stop_streaming()
        if self._advertising_set is not None:
            with contextlib.suppress(Exception):
                await self._advertising_set.stop()
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.disconnect()

    # --- GATT ---------------------------------------------------------------------------------

    def status_bytes(self) -> bytes:
        status = band.BandStatus(self.streaming, self.rate_hz, self.acc_range, self.gyr_range)
        return band.encode_status(status)

    def _refuse_write(self, _connection: Connection, _value: bytes) -> None:
        # bumble's server does not check permissions itself
        raise att.ATT_Error(att.ErrorCode.WRITE_NOT_PERMITTED)

    def _on_control(self, connection: Connection, value: bytes) -> None:
        try:
            opcode, params = band.parse_command(bytes(value))
        except ValueError as exc:
            raise att.ATT_Error(_ATT_COMMAND_REFUSED, message=str(exc)) from exc
        self.commands.append((opcode, params))
        if opcode == band.Command.SET_RATE:
            self.rate_hz = params[0]
        elif opcode == band.Command.SET_RANGE:
            self.acc_range, self.gyr_range = params
        elif opcode == band.Command.START:
            self._start_streaming(connection)
        elif opcode == band.Command.STOP:
            self._stop_streaming()
        # status is notified on every change
        task = self._loop.create_task(self.device.notify_subscribers(self._status, self.status_bytes()))
        task.add_done_callback(_log_failure)

    # --- the sensor -----------------------------------------------------------------------------

    def device_time_us(self) -> int:
        """The band's free-running clock now, µs (runs ``speed`` × host time, plus drift)."""
        elapsed_s = (self._loop.time() - self._power_on_s) * self.speed
        return self._boot_offset_us + int(elapsed_s * 1e6 * (1 + self.faults.clock_drift_ppm * 1e-6))

    def _host_time_of(self, device_us: float) -> float:
        elapsed_s = (device_us - self._boot_offset_us) * 1e-6 / (1 + self.faults.clock_drift_ppm * 1e-6)
        return self._power_on_s + elapsed_s / self.speed

    def _start_streaming(self, connection: Connection) -> None:
        if self._task is not None and not self._task.done():
            return
        period_us = round(1e6 / self.rate_hz)
        now_us = self.device_time_us()
        if self._play_start_us is None:
            self._play_start_us = now_us
            self._next_us = now_us
        else:
            assert self._next_us is not None
            # samples the sensor took while nobody listened are gone
            behind = max(0, now_us - self._next_us)
            self._next_us += -(-behind // period_us) * period_us
        self._sequence = 0
        self.streaming = True
        self._task = self._loop.create_task(self._stream(connection))
        self._task.add_done_callback(_log_failure)

    def _stop_streaming(self) -> None:
        self.streaming = False
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _stream(self, connection: Connection) -> None:
        assert self._next_us is not None and self._play_start_us is not None
        while self.streaming and self._connection is connection:
            period_us = round(1e6 / self.rate_hz)
            n = band.samples_per_packet(self.rate_hz, min(connection.att_mtu, _MTU))
            times_us = self._next_us + period_us * np.arange(n)
            delay = self._host_time_of(float(times_us[-1])) - self._loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            drift = 1 + self.faults.clock_drift_ppm * 1e-6
            source_t = np.asarray((times_us - self._play_start_us) * 1e-6 / drift, dtype=np.float64)
            values = self._playback.sample(source_t)
            if values is None:
                self.streaming = False
                self.ended.set()
                return
            index = self.packets_generated
            self.packets_generated += 1
            packet = band.encode_packet(
                self._sequence,
                int(times_us[0]),
                period_us,
                values[0],
                values[1],
                self.acc_range,
                self.gyr_range,
            )
            self._sequence += 1
            self._next_us = int(times_us[-1]) + period_us
            faults = self.faults
            if faults.silent_after_packets is not None and index >= faults.silent_after_packets:
                continue
            if faults.lost(index):
                continue
            if index in faults.corrupt_packets:
                packet = packet[:5]
            if faults.delay_s > 0:
                await asyncio.sleep(float(self._rng.uniform(0.0, faults.delay_s)))
            await self.device.notify_subscribers(self._data, packet)
            self.packets_sent += 1
            if index in faults.drop_link_after_packets:
                # from another task: the disconnection cancels this one
                self._loop.create_task(self.drop_link()).add_done_callback(_log_failure)
                return


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        _log.error("virtual band task failed", exc_info=task.exception())
