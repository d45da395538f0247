"""A virtual imurep band: a bumble GATT peripheral streaming sample blocks as band packets.

The band serves the layout of ``imurep.ble.band`` (plus Battery and Device Information services),
advertises its name and service UUID every 20-40 ms, and obeys the control point: SET_RATE,
SET_RANGE, START, STOP and RESUME. Its sensor (``imurep.ble.virtual.sensor``) plays back an
iterable of :class:`SampleBlock` s: playback starts with the first START and then runs in
(device) real time, ``speed`` times faster than the host clock, whether or not anyone listens. A
recording asked for at about its own rate is reproduced sample for sample (up to int16
quantisation), its own holes sent as lost packets; each packet carries the device time of its
first sample on the recording's time base.

Like the firmware (``firmware_notes/gatt-layout.md``), the band keeps its recent packets in a
ring buffer of ``backlog_bytes``. While the link is down the sensor keeps filling it; a client
that reconnects and writes RESUME gets what the ring still holds from the sequence number it
asks for, as fast as the link carries it (flagged as backlog), then the live stream. A band with
no backlog (``backlog_bytes=0``) refuses RESUME: the samples of an outage are lost, as on a band
without the feature.

:class:`Faults` injects what a radio does to a real link: a peripheral-side disconnect after a
given packet (then re-advertising), bursts of lost notifications, random notification delay,
a band that goes silent while staying connected, malformed packets, and a drifting crystal.
Faults act on a packet's first transmission; a packet resent from the backlog arrives intact.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Iterable

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
from imurep.ble.virtual.faults import Faults
from imurep.ble.virtual.sensor import SensorFeed
from imurep.samples import SampleBlock

__all__ = ["Faults", "VirtualBand"]

_log = logging.getLogger(__name__)

_ADVERTISING_INTERVAL_MS = (20.0, 40.0)
_MTU = 247
_MAX_EXTENDED_ADV_BYTES = 251
# Without a backlog the band still queues packets for the radio. Only RESUME sends queued packets
# after a reconnect.
_TX_QUEUE_PACKETS = 8
# Flag bit of a packet sent from the backlog (``imurep.ble.band``).
_FLAG_BACKLOG = 0x04


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
    backlog_bytes
        Size of the ring buffer of recent packets, bytes (the firmware's figure by default);
        0: no backlog, RESUME is refused.
    recorded_times
        Send a recording's own sample times rather than the band's regular clock (a replay
        for comparison with offline analysis; see ``imurep.ble.virtual.sensor``).
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
        backlog_bytes: int = band.BACKLOG_BYTES,
        recorded_times: bool = False,
    ) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be > 0, got {speed}")
        if backlog_bytes < 0:
            raise ValueError(f"backlog_bytes must be >= 0, got {backlog_bytes}")
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
        self.backlog_packets_sent = 0
        self.disconnects = 0
        self.backlog_bytes = backlog_bytes
        self.recorded_times = recorded_times
        self.commands: list[tuple[int, tuple[int, ...]]] = []
        self._source = source
        self._sensor: SensorFeed | None = None
        self._sensor_task: asyncio.Task[None] | None = None
        self._sensor_done = False
        # the ring buffer: (packet index, sequence number, packet bytes), oldest first
        self._ring: deque[tuple[int, int, bytes]] = deque()
        self._drop_at_index: set[int] = set()  # packets after which drop_link_at_s drops
        self._drops_due = sorted(self.faults.drop_link_at_s)
        self._ring_bytes = 0
        self._cursor = 0  # index of the next packet to send
        self._first_tries_upto = -1  # faults act on a packet's first transmission only
        self._data_subscribed = asyncio.Event()
        self._new_packet = asyncio.Event()
        self._rng = np.random.default_rng(self.faults.seed)
        self._loop = asyncio.get_running_loop()
        self._power_on_s = self._loop.time()
        self._boot_offset_us = 5_000_000  # the band was switched on 5 s before the host started
        self._play_start_us: int | None = None
        self._sequence = 0
        self._task: asyncio.Task[None] | None = None  # the sender
        self._connection: Connection | None = None
        self._closed = False
        self.ended = asyncio.Event()
        self._advertising_set: AdvertisingSet | None = None

        self._data: gatt.Characteristic[bytes] = gatt.Characteristic(
            band.DATA_UUID,
            gatt.Characteristic.Properties.NOTIFY,
            gatt.Characteristic.READABLE,
            gatt.CharacteristicValue[bytes](read=lambda _c: b"", write=self._refuse_write),
        )
        self._data.on(self._data.EVENT_SUBSCRIPTION, self._on_data_subscription)
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
        self._data_subscribed.clear()
        connection.on(connection.EVENT_DISCONNECTION, lambda *_: self._on_disconnection(connection))

    def _on_data_subscription(self, _bearer: object, notify_enabled: bool, _indicate: bool) -> None:
        # the firmware sends data only while the client has notifications enabled
        if notify_enabled:
            self._data_subscribed.set()
        else:
            self._data_subscribed.clear()

    def _on_disconnection(self, connection: Connection) -> None:
        if self._connection is connection:
            self._connection = None
        self._data_subscribed.clear()
        self._stop_sending()
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
        """Stop the sensor, streaming and advertising; disconnect."""
        self._closed = True
        self._stop_sending()
        if self._sensor_task is not None:
            self._sensor_task.cancel()
            self._sensor_task = None
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
            raise att.ATT_Error(band.ATT_COMMAND_REFUSED, message=str(exc)) from exc
        if opcode == band.Command.RESUME:
            self._resume(connection, params[0])  # raises the ATT error of a refusal
        self.commands.append((opcode, params))
        if opcode == band.Command.SET_RATE:
            self.rate_hz = params[0]
            if self._sensor is not None:
                self._sensor.rate_hz = self.rate_hz
        elif opcode == band.Command.SET_RANGE:
            self.acc_range, self.gyr_range = params
        elif opcode == band.Command.START:
            self._start(connection)
        elif opcode == band.Command.STOP:
            self._stop_sending()
        # status is notified on every change
        task = self._loop.create_task(self.device.notify_subscribers(self._status, self.status_bytes()))
        task.add_done_callback(_log_failure)

    # --- the sensor: always sampling once started, into the ring buffer -------------------------

    def device_time_us(self) -> int:
        """The band's free-running clock now, µs (runs ``speed`` × host time, plus drift)."""
        elapsed_s = (self._loop.time() - self._power_on_s) * self.speed
        return self._boot_offset_us + int(elapsed_s * 1e6 * (1 + self.faults.clock_drift_ppm * 1e-6))

    def _host_time_of(self, device_us: float) -> float:
        elapsed_s = (device_us - self._boot_offset_us) * 1e-6 / (1 + self.faults.clock_drift_ppm * 1e-6)
        return self._power_on_s + elapsed_s / self.speed

    def _start_sensor(self) -> None:
        if self._sensor_task is not None or self._sensor_done:
            return
        self._sensor = SensorFeed(self._source, self.rate_hz, self.recorded_times)
        self._play_start_us = self.device_time_us()
        self._sensor_task = self._loop.create_task(self._sample())
        self._sensor_task.add_done_callback(_log_failure)

    async def _sample(self) -> None:
        assert self._sensor is not None and self._play_start_us is not None
        drift = 1 + self.faults.clock_drift_ppm * 1e-6
        while not self._closed:
            # packets are built for the MTU the band negotiates (they go to the ring, linked or not)
            n = band.samples_per_packet(self.rate_hz, _MTU)
            run = self._sensor.take(n)
            if run is None:
                break
            period_us = round(self._sensor.period_s * 1e6 * drift)
            first_us = self._play_start_us + round(float(run.time_s[0]) * 1e6 * drift)
            last_us = first_us + period_us * (len(run.time_s) - 1)
            # (a sensor running late still lets the sender run between packets)
            await asyncio.sleep(max(self._host_time_of(last_us) - self._loop.time(), 0.0))
            if run.missing_before:
                # a hole in the source: packets that never arrived
                self._sequence += max(1, round(run.missing_before / n))
            packet = band.encode_packet(
                self._sequence,
                first_us,
                period_us,
                run.acc_m_s2,
                run.gyr_rad_s,
                self.acc_range,
                self.gyr_range,
            )
            self._sequence += 1
            while self._drops_due and float(run.time_s[-1]) >= self._drops_due[0]:
                self._drops_due.pop(0)
                self._drop_at_index.add(self.packets_generated)
            self._store(packet)
        self._sensor_done = True
        self._new_packet.set()
        self._check_ended()

    def _store(self, packet: bytes) -> None:
        index = self.packets_generated
        self.packets_generated += 1
        sequence = int.from_bytes(packet[2:4], "little")
        self._ring.append((index, sequence, packet))
        self._ring_bytes += len(packet)
        # without a backlog the ring is only the radio's transmit queue
        capacity = self.backlog_bytes or _TX_QUEUE_PACKETS * len(packet)
        while self._ring_bytes > capacity and len(self._ring) > 1:
            if self.streaming and self._ring[0][0] >= self._cursor:
                # Unsent while a client is streaming: only this process can fall that far behind
                # (a real link carries the band's 25 notifications/s with ease), so keep it.
                break
            _, _, old = self._ring.popleft()
            self._ring_bytes -= len(old)
        self._new_packet.set()

    def _check_ended(self) -> None:
        if self._sensor_done and (self._cursor >= self.packets_generated or not self.backlog_bytes):
            self.ended.set()

    # --- sending: from the cursor through the ring, then live -----------------------------------

    def _start(self, connection: Connection) -> None:
        """START: a new stream: sequence numbers restart at 0, nothing old is sent."""
        self._start_sensor()
        self._sequence = 0
        self._ring.clear()
        self._ring_bytes = 0
        self._cursor = self.packets_generated
        self._start_sending(connection)

    def _resume(self, connection: Connection, next_sequence: int) -> None:
        """RESUME: carry on the stream from ``next_sequence`` with what the ring still holds."""
        if not self.backlog_bytes:
            raise att.ATT_Error(band.ATT_COMMAND_REFUSED, message="this band keeps no backlog")
        if self._sensor_task is None and not self._sensor_done:
            raise att.ATT_Error(band.ATT_NOTHING_TO_RESUME, message="no stream to resume")
        half = band.SEQUENCE_MODULO // 2
        if self._ring:
            newest_sequence = self._ring[-1][1]
            ahead = (next_sequence - newest_sequence - 1) % band.SEQUENCE_MODULO
            if 0 < ahead < half:
                raise att.ATT_Error(band.ATT_NOTHING_TO_RESUME, message="sequence number never sent")
        cursor = self.packets_generated
        for index, sequence, _ in reversed(self._ring):
            if (sequence - next_sequence) % band.SEQUENCE_MODULO >= half:
                break  # older than what the client asks for
            cursor = index
        self._cursor = cursor
        self._start_sending(connection)

    def _start_sending(self, connection: Connection) -> None:
        if self._task is not None and not self._task.done():
            return
        self.streaming = True
        self._task = self._loop.create_task(self._send(connection))
        self._task.add_done_callback(_log_failure)

    def _stop_sending(self) -> None:
        self.streaming = False
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _next_to_send(self) -> tuple[int, bytes] | None:
        if not self._ring or self._cursor >= self.packets_generated:
            return None
        oldest = self._ring[0][0]
        self._cursor = max(self._cursor, oldest)  # what the ring dropped is lost
        index, _, packet = self._ring[self._cursor - oldest]
        self._cursor += 1
        return index, packet

    async def _send(self, connection: Connection) -> None:
        await self._data_subscribed.wait()
        while self.streaming and self._connection is connection:
            item = self._next_to_send()
            if item is None:
                self._check_ended()
                self._new_packet.clear()
                if self._sensor_done:
                    # All played and sent: the session is over. Say so as a band does when it
                    # stops by itself (a status notification: not streaming).
                    self.streaming = False
                    await self.device.notify_subscribers(self._status, self.status_bytes())
                    return
                await self._new_packet.wait()
                continue
            index, packet = item
            # a packet that is not the newest is sent from the backlog, not at its sampling time
            from_backlog = index < self.packets_generated - 1
            first_try = index > self._first_tries_upto
            self._first_tries_upto = max(self._first_tries_upto, index)
            faults = self.faults
            if faults.silent_after_packets is not None and index >= faults.silent_after_packets:
                continue
            if first_try and faults.lost(index):
                continue
            if from_backlog:
                packet = packet[:1] + bytes([packet[1] | _FLAG_BACKLOG]) + packet[2:]
                self.backlog_packets_sent += 1
            if first_try and index in faults.corrupt_packets:
                packet = packet[:5]
            if first_try and faults.delay_s > 0:
                await asyncio.sleep(float(self._rng.uniform(0.0, faults.delay_s)))
            await self.device.notify_subscribers(self._data, packet)
            self.packets_sent += 1
            if first_try and (index in faults.drop_link_after_packets or index in self._drop_at_index):
                # from another task: the disconnection cancels this one
                self._loop.create_task(self.drop_link()).add_done_callback(_log_failure)
                return


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        _log.error("virtual band task failed", exc_info=task.exception())
