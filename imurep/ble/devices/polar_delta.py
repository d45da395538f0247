"""Polar PMD delta-compressed frame payloads: a pure kernel, bytes in, integer samples out.

Layout (polarofficial/polar-ble-sdk, ``BlePMDClient.parseDeltaFramesAll``): one reference sample
(``channels`` values of ``ceil(resolution_bits / 8)`` bytes, signed little-endian), then blocks of
``[bit width u8][sample count u8][packed deltas]``. Deltas are two's-complement numbers of
``bit width`` bits, packed LSB-first across the whole block, channel-interleaved; each sample is
the previous sample plus its delta. The vendor adds in 32-bit integers (the float gyro frames
rely on that wrap-around), so this kernel wraps to int32 the same way.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from imurep.ble.profile import DecodeError

__all__ = ["MAX_DELTA_BITS", "MAX_SAMPLES", "decode_delta_payload", "wrap_int32"]

#: Widest delta the kernel accepts; the vendor's samples are at most 32 bits wide.
MAX_DELTA_BITS = 32
#: More samples than one BLE notification can plausibly carry (zero-width blocks cost 2 bytes).
MAX_SAMPLES = 65_535

Int64Array = NDArray[np.int64]


def wrap_int32(values: Int64Array) -> Int64Array:
    """Wrap integers to the signed 32-bit range, as the vendor's ``Int`` arithmetic does."""
    return ((values + 2**31) % 2**32) - 2**31


def _reference_sample(payload: bytes, channels: int, resolution_bits: int) -> Int64Array:
    width = (resolution_bits + 7) // 8
    need = channels * width
    if len(payload) < need:
        raise DecodeError(f"Polar delta frame: reference sample needs {need} bytes, got {len(payload)}")
    values = [
        int.from_bytes(payload[i * width : (i + 1) * width], "little", signed=True) for i in range(channels)
    ]
    return np.asarray(values, dtype=np.int64)


def _unpack_deltas(block: bytes, count: int, channels: int, bit_width: int) -> Int64Array:
    """(count, channels) deltas from one LSB-first packed block."""
    n_values = count * channels
    if bit_width == 0 or n_values == 0:
        return np.zeros((count, channels), dtype=np.int64)
    packed = np.unpackbits(np.frombuffer(block, dtype=np.uint8), bitorder="little")
    bits = packed[: n_values * bit_width].reshape(n_values, bit_width).astype(np.int64)
    weights = np.left_shift(np.int64(1), np.arange(bit_width, dtype=np.int64))
    raw = bits @ weights
    sign = np.int64(1) << np.int64(bit_width - 1)
    signed = np.where(raw & sign, raw - (sign << np.int64(1)), raw)
    return signed.reshape(count, channels)


def decode_delta_payload(payload: bytes, channels: int, resolution_bits: int) -> Int64Array:
    """Decode a delta-compressed PMD payload.

    Parameters
    ----------
    payload
        Frame bytes after the 10-byte PMD header.
    channels
        Values per sample (3 for ACC and GYRO).
    resolution_bits
        Width of the reference sample's values, bits (16 for int16 frames, 32 for float32).

    Returns
    -------
    (N, channels) int64 array of samples, the reference sample first, wrapped to int32.

    Raises
    ------
    DecodeError
        Truncated reference or block, or a bit width above :data:`MAX_DELTA_BITS`.
    """
    if channels <= 0 or resolution_bits <= 0:
        raise DecodeError("Polar delta frame: channels and resolution must be positive")
    reference = _reference_sample(payload, channels, resolution_bits)
    offset = channels * ((resolution_bits + 7) // 8)
    blocks: list[Int64Array] = [reference.reshape(1, channels)]
    n_samples = 1
    while offset < len(payload):
        if offset + 2 > len(payload):
            raise DecodeError(
                f"Polar delta frame: block header at byte {offset} is cut off "
                f"({len(payload) - offset} byte left)"
            )
        bit_width = payload[offset]
        count = payload[offset + 1]
        offset += 2
        if bit_width > MAX_DELTA_BITS:
            raise DecodeError(f"Polar delta frame: delta bit width {bit_width} exceeds {MAX_DELTA_BITS}")
        n_samples += count
        if n_samples > MAX_SAMPLES:
            raise DecodeError(f"Polar delta frame: more than {MAX_SAMPLES} samples")
        n_bytes = (count * channels * bit_width + 7) // 8
        if offset + n_bytes > len(payload):
            raise DecodeError(
                f"Polar delta frame: block of {count} samples × {bit_width} bits needs "
                f"{n_bytes} bytes, {len(payload) - offset} left"
            )
        block = payload[offset : offset + n_bytes]
        blocks.append(_unpack_deltas(block, count, channels, bit_width))
        offset += n_bytes
    deltas = np.concatenate(blocks, axis=0)
    return wrap_int32(np.cumsum(deltas, axis=0))
