"""Bluetooth LE sources: device profiles, the imurep band, the streaming client, a virtual band.

The package reads as the data flow (import the modules you need; this file stays light so that
importing a profile does not import bleak):

- ``profile``: what every device looks like (:class:`DeviceProfile`, :class:`PacketDecoder`).
- ``band``: the imurep band's GATT layout, packet codec and ``BAND_PROFILE``;
  ``devices``: third-party devices (Polar, WitMotion, Thingy:52).
- ``scan``: ``find_devices`` / ``resolve_device`` (by name, address or service).
- ``sequence`` → ``clock`` → ``stream``: loss accounting, device-clock mapping with drift
  correction, packets → :class:`SampleBlock` s (``PacketAssembler``, ``StreamStats``, ``LinkGap``).
- ``client``: ``DeviceStream``, the async iterator over a device that reconnects on its own
  (commands open a ``--device`` string with ``imurep.sources.open_source``).
- ``virtual``: a virtual band on bumble's in-process BLE stack, and a bleak backend to reach it.
- ``errors``: why a device could not be used.
"""
