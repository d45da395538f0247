"""A bleak backend that drives a bumble central: bleak's API over a real in-process BLE stack.

``BleakClient(address, backend=...)`` and ``BleakScanner(backend=...)`` accept any subclass of
bleak's ``BaseBleakClient`` / ``BaseBleakScanner``. The classes here talk to a bumble
:class:`~bumble.device.Device` acting as the host's adapter (a :class:`VirtualAdapter`), so code
written for bleak exchanges real HCI, L2CAP, ATT and GATT PDUs with a virtual peripheral on the
same ``LocalLink``. :func:`bind_backends` returns the pair of classes bound to one adapter (bleak
instantiates backends itself, so the adapter travels as a class attribute).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any, ClassVar

from bleak.args import SizedBuffer
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, AdvertisementDataCallback, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakError, BleakGATTProtocolError
from bumble import att, core, hci
from bumble.core import AdvertisingData
from bumble.device import Advertisement, Connection, Device, Peer

__all__ = ["BumbleBleakClient", "BumbleBleakScanner", "VirtualAdapter", "bind_backends"]

_log = logging.getLogger(__name__)

_REQUESTED_MTU = 247
_ATT_HEADER_BYTES = 3
# Longest wait for the controller to answer a connection cancel, s.
_CANCEL_TIMEOUT_S = 1.0


class VirtualAdapter:
    """The host's Bluetooth adapter: a powered bumble device plus a lock for connection setup.

    Parameters
    ----------
    device
        A bumble device on the same ``LocalLink`` as the peripherals, already powered on.
    """

    def __init__(self, device: Device) -> None:
        self.device = device
        self.connect_lock = asyncio.Lock()


def _normalize(uuid: Any) -> str:
    """A bumble UUID as a bleak 128-bit string (``0000180f-0000-1000-8000-00805f9b34fb``)."""
    raw = bytes(uuid.to_bytes(force_128=True))[::-1].hex()
    return f"{raw[0:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:32]}"


def _properties(flags: int) -> list[Any]:
    names = [
        (0x01, "broadcast"),
        (0x02, "read"),
        (0x04, "write-without-response"),
        (0x08, "write"),
        (0x10, "notify"),
        (0x20, "indicate"),
        (0x40, "authenticated-signed-writes"),
        (0x80, "extended-properties"),
    ]
    return [name for bit, name in names if flags & bit]


class BumbleBleakScanner(BaseBleakScanner):
    """bleak scanner backend over a bumble central (bound to an adapter by :func:`bind_backends`)."""

    adapter: ClassVar[VirtualAdapter | None] = None

    def __init__(
        self,
        detection_callback: AdvertisementDataCallback | None,
        service_uuids: list[str] | None,
        scanning_mode: str = "active",
        **kwargs: Any,
    ) -> None:
        super().__init__(detection_callback, service_uuids)
        if self.adapter is None:
            raise BleakError("BumbleBleakScanner is not bound to a virtual adapter (use bind_backends)")
        self._device = self.adapter.device
        self._scanning = False

    async def start(self) -> None:
        self.seen_devices = {}
        self._device.on(self._device.EVENT_ADVERTISEMENT, self._on_advertisement)
        await self._device.start_scanning(active=True, filter_duplicates=False)
        self._scanning = True

    async def stop(self) -> None:
        self._device.remove_listener(self._device.EVENT_ADVERTISEMENT, self._on_advertisement)
        if self._scanning:
            self._scanning = False
            with contextlib.suppress(Exception):
                await self._device.stop_scanning()

    def _on_advertisement(self, advertisement: Advertisement) -> None:
        data = advertisement.data
        name = data.get(AdvertisingData.COMPLETE_LOCAL_NAME) or data.get(AdvertisingData.SHORTENED_LOCAL_NAME)
        uuids: list[str] = []
        for ad_type in (
            AdvertisingData.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
            AdvertisingData.INCOMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
            AdvertisingData.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
            AdvertisingData.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
        ):
            uuids.extend(_normalize(u) for u in (data.get(ad_type) or []))
        if not self.is_allowed_uuid(uuids):
            return
        address = str(advertisement.address).split("/")[0]
        tx_power = data.get(AdvertisingData.TX_POWER_LEVEL)
        adv = AdvertisementData(
            local_name=name if isinstance(name, str) else None,
            manufacturer_data={},
            service_data={},
            service_uuids=uuids,
            tx_power=tx_power if isinstance(tx_power, int) else None,
            rssi=int(advertisement.rssi),
            platform_data=(advertisement,),
        )
        device = self.create_or_update_device(address, address, adv.local_name, advertisement, adv)
        self.call_detection_callbacks(device, adv)


class BumbleBleakClient(BaseBleakClient):
    """bleak client backend over a bumble central (bound to an adapter by :func:`bind_backends`).

    ``device_time_scale`` tells clients how much faster than host time the virtual devices on
    this adapter run (their replay speed); ``imurep.ble.client.DeviceStream`` reads it.
    """

    adapter: ClassVar[VirtualAdapter | None] = None
    device_time_scale: ClassVar[float] = 1.0

    def __init__(
        self,
        address_or_ble_device: BLEDevice | str,
        *,
        disconnected_callback: Callable[[], None] | None = None,
        timeout: float = 10.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(address_or_ble_device, disconnected_callback=disconnected_callback, timeout=timeout)
        if self.adapter is None:
            raise BleakError("BumbleBleakClient is not bound to a virtual adapter (use bind_backends)")
        self._adapter = self.adapter
        self._connection: Connection | None = None
        self._peer: Peer | None = None
        self._disconnecting = False
        self._subscriptions: dict[int, Callable[[bytes], None]] = {}

    @property
    def name(self) -> str:
        return self.address

    @property
    def mtu_size(self) -> int:
        return int(self._connection.att_mtu) if self._connection is not None else att.ATT_DEFAULT_MTU

    @property
    def is_connected(self) -> bool:
        return self._connection is not None

    async def connect(self, pair: bool, **kwargs: Any) -> None:
        device = self._adapter.device
        async with self._adapter.connect_lock:
            try:
                connection = await device.connect(
                    hci.Address(self.address, hci.Address.RANDOM_DEVICE_ADDRESS), timeout=self._timeout
                )
            except BaseException as exc:
                await self._cancel_pending_connect(device)
                if isinstance(exc, asyncio.TimeoutError | TimeoutError | core.TimeoutError):
                    raise TimeoutError(f"no connection to {self.address} within {self._timeout} s") from exc
                if isinstance(exc, Exception) and not isinstance(exc, BleakError):
                    raise BleakError(f"connection to {self.address} failed: {exc}") from exc
                raise
        self._connection = connection
        self._disconnecting = False
        connection.on(connection.EVENT_DISCONNECTION, lambda *_: self._on_disconnection(connection))
        try:
            peer = Peer(connection)
            await peer.request_mtu(_REQUESTED_MTU)
            self.services = await self._discover(peer)
        except Exception as exc:
            await self.disconnect()
            raise BleakError(f"service discovery on {self.address} failed: {exc}") from exc
        self._peer = peer

    async def _cancel_pending_connect(self, device: Device) -> None:
        """Leave no pending connection behind a failed or cancelled connect.

        bumble cancels only on its own timeout, and only while it still thinks it is connecting;
        a connect cancelled from outside (``asyncio.timeout``, a closing stream) leaves the
        controller initiating. The cancel is sent whatever bumble thinks: a controller with
        nothing pending answers Command Disallowed, which is fine. If the connection completed
        in the meantime, it is not ours any more: disconnect it.
        """
        with contextlib.suppress(hci.HCI_Error, core.BaseBumbleError, asyncio.TimeoutError):
            await asyncio.wait_for(
                asyncio.shield(device.send_sync_command(hci.HCI_LE_Create_Connection_Cancel_Command())),
                _CANCEL_TIMEOUT_S,
            )
        peer = hci.Address(self.address, hci.Address.RANDOM_DEVICE_ADDRESS)
        for connection in list(device.connections.values()):
            if connection.peer_address == peer and connection is not self._connection:
                with contextlib.suppress(Exception):
                    await connection.disconnect()

    async def _discover(self, peer: Peer) -> BleakGATTServiceCollection:
        collection = BleakGATTServiceCollection()
        await peer.discover_services()
        for proxy in peer.services:
            await peer.discover_characteristics(service=proxy)
            service = BleakGATTService(proxy, proxy.handle, _normalize(proxy.uuid))
            collection.add_service(service)
            for char_proxy in proxy.characteristics:
                await char_proxy.discover_descriptors()
                characteristic = BleakGATTCharacteristic(
                    char_proxy,
                    char_proxy.handle,
                    _normalize(char_proxy.uuid),
                    _properties(int(char_proxy.properties)),
                    lambda: self.mtu_size - _ATT_HEADER_BYTES,
                    service,
                )
                collection.add_characteristic(characteristic)
                for desc_proxy in char_proxy.descriptors:
                    descriptor = BleakGATTDescriptor(
                        desc_proxy, desc_proxy.handle, _normalize(desc_proxy.type), characteristic
                    )
                    collection.add_descriptor(descriptor)
        return collection

    def _on_disconnection(self, connection: Connection) -> None:
        if self._connection is not connection:
            return
        self._connection = None
        self._peer = None
        self._subscriptions.clear()
        if not self._disconnecting and self._disconnected_callback is not None:
            self._disconnected_callback()

    async def disconnect(self) -> None:
        connection = self._connection
        if connection is None:
            return
        self._disconnecting = True
        with contextlib.suppress(Exception):
            await connection.disconnect()
        self._connection = None
        self._peer = None

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("the virtual backend does not pair")

    async def unpair(self) -> None:
        raise NotImplementedError("the virtual backend does not pair")

    def _require_connection(self) -> None:
        if self._connection is None:
            raise BleakError("Not connected")

    async def read_gatt_char(
        self, characteristic: BleakGATTCharacteristic, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        self._require_connection()
        return bytearray(await _att(characteristic.obj.read_value()))

    async def read_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        self._require_connection()
        return bytearray(await _att(descriptor.obj.read_value()))

    async def write_gatt_char(
        self, characteristic: BleakGATTCharacteristic, data: SizedBuffer, response: bool
    ) -> None:
        self._require_connection()
        await _att(characteristic.obj.write_value(bytes(data), with_response=response))

    async def write_gatt_descriptor(self, descriptor: BleakGATTDescriptor, data: SizedBuffer) -> None:
        self._require_connection()
        await _att(descriptor.obj.write_value(bytes(data), with_response=True))

    async def start_notify(
        self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback, **kwargs: Any
    ) -> None:
        self._require_connection()

        def on_value(value: bytes) -> None:
            callback(bytearray(value))

        self._subscriptions[characteristic.handle] = on_value
        await _att(characteristic.obj.subscribe(on_value))

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        self._require_connection()
        on_value = self._subscriptions.pop(characteristic.handle, None)
        await _att(characteristic.obj.unsubscribe(on_value))


async def _att(awaitable: Any) -> Any:
    """Await a bumble GATT operation; ATT error responses become bleak's protocol error."""
    try:
        return await awaitable
    except att.ATT_Error as exc:
        code = int(exc.error_code)
        raise BleakGATTProtocolError(code) from exc


def bind_backends(
    adapter: VirtualAdapter, device_time_scale: float = 1.0
) -> tuple[type[BumbleBleakClient], type[BumbleBleakScanner]]:
    """Client and scanner backend classes that use ``adapter``: pass them as bleak's ``backend=``.

    ``device_time_scale`` is the replay speed of the virtual devices (device s per host s).
    """
    attrs = {"adapter": adapter, "device_time_scale": device_time_scale}
    client = type("BumbleBleakClient", (BumbleBleakClient,), attrs)
    scanner = type("BumbleBleakScanner", (BumbleBleakScanner,), {"adapter": adapter})
    return client, scanner
