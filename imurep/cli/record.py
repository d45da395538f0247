"""``imurep record --device DEV -o FILE [--duration S]``: record a BLE device to a recording CSV.

The file is valid at every moment and reaches the disk at least once a second. Ctrl-C (or
SIGTERM) stops cleanly: the file is flushed and closed, one ``stopped by SIGINT; recorded N
samples ...`` line goes to stderr and the exit code is 0. A full disk ends the recording with
``imurep record: disk full writing FILE after N samples; the recording up to T s is kept`` and
exit code 2; the file holds those samples and reads back valid. A device that ends its session
(the virtual band, once it has played everything) ends the recording the same way, exit 0. When
no sample arrived at all (stopped while connecting, disk full from the start) no file is left.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TypeVar

from imurep.ble.stream import StreamStats
from imurep.cli.disk_full import disk_full_message
from imurep.cli.numbers import positive_float
from imurep.cli.source_options import add_virtual_band_options, device_spec
from imurep.cli.stop_signals import StopSignals
from imurep.errors import ImurepError, InputError
from imurep.mounting_presets import parse_preset
from imurep.recording import RecordingWriteError, RecordingWriter
from imurep.samples import SampleBlock
from imurep.sources.open_source import open_source
from imurep.sources.spec import SourceKind, SourceSpec

__all__ = ["register", "source_spec"]

T = TypeVar("T")
# How long a connection under way when a stop signal arrives may take to complete, s.
_STOP_GRACE_S = 1.5


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "record",
        help="record a BLE device to a recording CSV",
        description="Stream a BLE IMU (address, advertised name, or 'virtual') into a recording CSV.",
        epilog="The file is valid at every moment and reaches the disk at least once a second. "
        "Ctrl-C or SIGTERM stops and keeps everything received (exit 0); a full disk stops with "
        "one line saying what is kept (exit 2).",
    )
    p.add_argument(
        "--device",
        required=True,
        metavar="DEV",
        help="BLE address or advertised name (optionally FAMILY:NAME, e.g. witmotion:WT901BLE68), "
        "or 'virtual'",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="recording CSV to create")
    p.add_argument("--duration", type=positive_float, default=None, metavar="S", help="stop after S seconds")
    p.add_argument("--rate", type=positive_float, default=None, metavar="HZ", help="sample rate to request")
    p.add_argument(
        "--mount",
        default=None,
        help="mounting preset written to the file (default front-belt; "
        "for the virtual device, the simulated session's)",
    )
    p.add_argument("--scan-timeout", type=positive_float, default=5.0, metavar="S", help="scan duration, s")
    p.add_argument("--overwrite", action="store_true", help="replace an existing file")
    add_virtual_band_options(p)
    p.set_defaults(func=run)


@dataclass(frozen=True)
class _Outcome:
    samples: int
    first_s: float | None
    last_s: float | None
    stats: StreamStats
    label: str
    stopped_by: str | None
    error: ImurepError | None
    ended_by_device: bool = False


async def _record(args: argparse.Namespace) -> _Outcome:
    stop = StopSignals()
    with stop.installed(asyncio.get_running_loop()):
        return await _record_until_stopped(args, stop)


async def _open_unless_stopped(
    opening: contextlib.AbstractAsyncContextManager[T], stop: StopSignals
) -> T | None:
    """Enter ``opening`` (scanning, connecting), or ``None`` if a stop signal comes first.

    After the signal a connection under way gets :data:`_STOP_GRACE_S` to complete (then it is
    closed the normal way): a Bluetooth stack cancelled mid-handshake can log errors of its own.
    """
    entering = asyncio.ensure_future(opening.__aenter__())
    stopper = asyncio.ensure_future(stop.event.wait())
    try:
        await asyncio.wait({entering, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
    if not entering.done():
        await asyncio.wait({entering}, timeout=_STOP_GRACE_S)
    if entering.done():
        return entering.result()
    entering.cancel()
    with contextlib.suppress(asyncio.CancelledError, ImurepError):
        await entering
    return None


async def _record_until_stopped(args: argparse.Namespace, stop: StopSignals) -> _Outcome:
    loop = asyncio.get_running_loop()
    spec: SourceSpec = args.source
    samples = 0
    first_s: float | None = None
    last_s: float | None = None
    error: ImurepError | None = None
    opening = open_source(spec)
    source = await _open_unless_stopped(opening, stop)
    if source is None:  # stopped while scanning or connecting
        return _Outcome(0, None, None, StreamStats(), args.device, stop.name, None)
    async with contextlib.AsyncExitStack() as exits:
        exits.push_async_exit(opening)
        stream = source.stream
        assert stream is not None  # a BLE device or the virtual band (see run)
        label = f"{stream.profile.name} {stream.address}"
        if stop.stopped:  # it came while connecting: nothing to record
            return _Outcome(0, None, None, stream.stats, label, stop.name, None)
        # What the source says about itself (the simulated session's seed...), without what the
        # recording states on its own: the device, its rate, the mounting.
        extra = {k: v for k, v in source.metadata.items() if k not in ("device", "rate_hz", "mount")}
        mount = args.mount or source.metadata.get("mount", "front-belt")
        metadata = {"device": label, "mount": mount, "source": "imurep record", **extra}
        with RecordingWriter(
            args.output,
            metadata,
            has_gyr=stream.profile.has_gyr,
            flush_interval_s=1.0,
            overwrite=args.overwrite,
            remove_if_empty=True,
        ) as writer:

            async def consume(blocks: AsyncIterator[SampleBlock]) -> None:
                nonlocal samples, first_s, last_s
                async for block in blocks:
                    writer.append(block)
                    samples += len(block)
                    if first_s is None:
                        first_s = float(block.time_s[0])
                    last_s = float(block.time_s[-1])

            consumer = loop.create_task(consume(source.blocks))
            stopper = loop.create_task(stop.event.wait())
            done, _ = await asyncio.wait(
                {consumer, stopper}, timeout=args.duration, return_when=asyncio.FIRST_COMPLETED
            )
            for task in (consumer, stopper):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if consumer in done and consumer.exception() is not None:
                exc = consumer.exception()
                if isinstance(exc, RecordingWriteError):
                    raise exc  # nothing more can be written: the error is the whole story
                if isinstance(exc, ImurepError):
                    error = exc  # report after the summary: what was recorded stays recorded
                elif exc is not None:
                    raise exc
        stats = stream.stats
        ended = source.ended_by_device
    return _Outcome(samples, first_s, last_s, stats, label, stop.name, error, ended)


def run(args: argparse.Namespace) -> int:
    if args.mount is not None:  # the file's metadata names a preset (analysis reads no other form)
        args.mount = parse_preset(args.mount)
    args.source = source_spec(args)
    started = time.monotonic()
    try:
        outcome = asyncio.run(_record(args))
    except RecordingWriteError as e:
        if not e.disk_full:
            raise
        print(disk_full_message("record", args.output, e), file=sys.stderr)
        return 2
    span = 0.0
    if outcome.first_s is not None and outcome.last_s is not None:
        span = outcome.last_s - outcome.first_s
    s = outcome.stats
    how = f"stopped by {outcome.stopped_by}; " if outcome.stopped_by else ""
    if outcome.ended_by_device and not how:
        how = "the device ended its session; "
    if outcome.samples == 0:  # the writer removed the header-only file
        line = (
            f"imurep record: {how}nothing was recorded (no data arrived from {outcome.label}), "
            f"so no file was written ({args.output})"
        )
    else:
        line = (
            f"{how}recorded {outcome.samples} samples ({span:.1f} s of data, "
            f"{time.monotonic() - started:.1f} s) from {outcome.label} to {args.output}; {link_summary(s)}"
        )
    print(line, file=sys.stderr)
    if outcome.error is not None:
        raise outcome.error
    return 0


def source_spec(args: argparse.Namespace) -> SourceSpec:
    """What ``--device`` and the virtual band's options name: a BLE device or the virtual band.

    Raises
    ------
    InputError
        A bad ``--device`` string (:func:`~imurep.sources.spec.parse_device`), or a phyphox phone.
    """
    spec = device_spec(args, args.device, rate_hz=args.rate, scan_timeout_s=args.scan_timeout)
    if spec.kind not in (SourceKind.BLE, SourceKind.VIRTUAL):
        raise InputError(
            f"imurep record records a BLE device or the virtual band, not {args.device!r}; "
            f"to record a phone running phyphox: imurep live --device {args.device} -o FILE"
        )
    return spec


def link_summary(s: StreamStats) -> str:
    """Rate, losses and link events of a stream, for the closing line (anomalies only when seen)."""
    parts = [
        f"rate {s.rate_hz:.1f} Hz",
        f"lost packets {s.lost_packets} ({s.loss_percent:.2f}%)",
        f"reconnects {s.reconnects}",
        f"link gaps {len(s.gaps)}",
    ]
    for count, what in (
        (s.malformed_packets, "malformed packets skipped"),
        (s.rejected_packets, "duplicate or stale packets dropped"),
        (s.reanchored_packets, "packets re-timed from their own timestamp"),
    ):
        if count:
            parts.append(f"{what} {count}")
    return ", ".join(parts)
