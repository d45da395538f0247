"""``imurep live --device DEV``: count and time the exercises as they happen.

Ctrl-C or SIGTERM ends the session cleanly (see :mod:`imurep.cli.stop_signals`): the recording
(``-o``) is flushed and closed, the summary (or ``--json``) is printed, one ``stopped by SIGINT;
...`` line goes to stderr, and the exit code is 0. A full disk ends it with ``imurep live: disk full
writing FILE after N samples; the recording up to T s is kept`` and exit code 2.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import re
import socket
import sys
import time
import webbrowser
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Console
from rich.live import Live

from imurep.analysis.result import AnalysisResult
from imurep.analysis.summary import format_summary
from imurep.cli.analyze import add_analysis_options
from imurep.cli.disk_full import disk_full_message
from imurep.cli.numbers import non_negative_float, positive_float
from imurep.cli.source_options import add_virtual_band_options, device_spec
from imurep.cli.stop_signals import StopSignals, until_stopped
from imurep.cli.units import add_unit_options, units_from_args
from imurep.errors import InputError
from imurep.exercises.registry import exercise_from_cli
from imurep.live.cues import CueTracker
from imurep.live.runner import LinkStatus, LiveUpdate, run_live
from imurep.live.view import live_frame, render_frame
from imurep.mounting_presets import mount_choice
from imurep.pipeline import PipelineConfig
from imurep.recording import RecordingWriteError, RecordingWriter
from imurep.samples import SampleBlock
from imurep.sources.open_source import OpenSource, open_source
from imurep.sources.spec import SourceSpec

if TYPE_CHECKING:
    from imurep.live.web import PageHub

__all__ = ["add_live_options", "register", "run_session", "source_spec"]

# How often the view shows the link's state while no samples have arrived, s.
_WAITING_REFRESH_S = 0.25
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,}")


def add_live_options(p: argparse.ArgumentParser) -> None:
    add_virtual_band_options(p)
    p.add_argument("--target-reps", type=int, default=10, help="reps to aim for (the article: 10)")
    p.add_argument("--json", action="store_true", help="print the analysis JSON (docs/format.md) at the end")
    p.add_argument("-o", "--output", help="also record the session to this CSV (crash-safe)")
    p.add_argument("--overwrite", action="store_true", help="with -o: replace an existing file")
    p.add_argument("--rate-hz", type=positive_float, default=None, help="sample rate to ask the device for")
    p.add_argument("--duration", type=positive_float, default=None, help="stop after this many seconds")
    p.add_argument(
        "--drop-link-at",
        type=non_negative_float,
        action="append",
        default=[],
        metavar="S",
        help="virtual band: drop the link once the band has played S seconds (fault injection; repeatable)",
    )
    p.add_argument(
        "--no-backlog",
        action="store_true",
        help="virtual band: keep no backlog, so a dropped link loses the samples of the outage",
    )
    p.add_argument("--sound", action="store_true", help="terminal view: ring the bell after each rep")
    web = p.add_argument_group(
        "web page",
        "Show the session on a page that a laptop, phone or tablet can follow from the mat, with spoken "
        "cues (docs/live-web.md). The page is read-only; its address carries a random token.",
    )
    web.add_argument("--web", action="store_true", help="also serve the live page (address printed)")
    web.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to serve the page on (default 127.0.0.1: this machine only; "
        "0.0.0.0: a phone on the same network too)",
    )
    web.add_argument("--port", type=int, default=8765, help="port of the page (0: any free one)")
    web.add_argument(
        "--token",
        default=None,
        help="the page's access token (default: a new random one); give the same one to keep the "
        "address when restarting",
    )
    web.add_argument(
        "--wait-for-page",
        action="store_true",
        help="start the session only once the page has been opened (for a demo watched from the start)",
    )
    web.add_argument(
        "--no-browser",
        action="store_true",
        help="do not open the page in a browser (it opens only when run from a terminal)",
    )
    add_analysis_options(p, whole_recording=False)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "live",
        help="count reps live from a device",
        description="Stream from a BLE device (our band, WitMotion, Thingy:52, Polar), the virtual band "
        "or a phone running phyphox, and show posture, angle, counts and the hold timer as they happen.",
        epilog="With -o the session is recorded crash-safely (on disk at least once a second). "
        "Ctrl-C or SIGTERM ends the session: the summary is printed and the recording kept "
        "(exit 0); a full disk stops with one line saying what is kept (exit 2).",
    )
    p.add_argument(
        "--device",
        required=True,
        help="BLE address or name (optionally FAMILY:NAME, e.g. witmotion:WT901BLE68), 'virtual' "
        "(a simulated band on an in-process Bluetooth stack), or phyphox://HOST:PORT",
    )
    p.add_argument("--replay", help="virtual band: stream this recording instead of a simulated session")
    add_live_options(p)
    add_unit_options(p, rate_hz=False)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return run_session(args, args.device, args.replay)


def source_spec(args: argparse.Namespace, device: str, replay: str | None) -> SourceSpec:
    """What ``device``, ``replay`` and the virtual band's options name (parsed before anything opens).

    Raises
    ------
    InputError
        As :func:`imurep.cli.source_options.device_spec`.
    """
    units = units_from_args(args) if replay is not None else None
    return device_spec(args, device, rate_hz=args.rate_hz, replay=replay, units=units)


def _resolved(host: str) -> str:
    """``host`` as an IP address (a name is looked up; a wildcard stays as it is)."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        try:
            return socket.gethostbyname(host)
        except OSError:
            raise InputError(f"--host {host!r}: no such address on this machine") from None


def run_session(args: argparse.Namespace, device: str, replay: str | None) -> int:
    args.mount = mount_choice(args.mount, calibrate=False)  # parsed once, before any device is opened
    if not 0 <= args.port <= 65535:
        raise InputError(f"--port must be 0-65535, got {args.port}")
    if args.wait_for_page and not args.web:
        raise InputError("--wait-for-page works with --web only")
    if args.token is not None and not _TOKEN_RE.fullmatch(args.token):
        raise InputError(
            f"--token must be 16 or more letters, digits, '-' or '_', got {args.token!r} "
            "(leave it out for a random one)"
        )
    spec = source_spec(args, device, replay)
    stop = StopSignals()
    recording = _Recording()
    try:
        result, link = asyncio.run(_session(args, spec, replay, stop, recording))
    except RecordingWriteError as e:  # the file could not even be created: there is no session
        if not e.disk_full:
            raise
        print(disk_full_message("live", args.output, e), file=sys.stderr)
        return 2
    if stop.stopped:
        saved = ""
        if recording.removed:
            saved = f"; nothing was recorded, so no file was written ({args.output})"
        elif args.output and recording.error is None:
            saved = f"; recording saved to {args.output}"
        print(
            f"imurep live: stopped by {stop.name} after {result.quality.n_samples} samples"
            f" ({result.quality.duration_s:.1f} s of data){saved}",
            file=sys.stderr,
        )
    if link.clock_warning:
        print(f"imurep live: warning: {link.clock_warning}", file=sys.stderr)
    # The result of what arrived, even when the recording failed (the error follows, on stderr).
    if args.json:
        obj = result.to_json_obj()
        if link.clock_mapping:
            obj["clock_mapping"] = dict(link.clock_mapping)
        json.dump(obj, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_summary(result))
    failed = recording.error
    if failed is not None:
        sys.stdout.flush()
        print(
            disk_full_message("live", args.output, failed)
            if failed.disk_full
            else f"imurep: error: {failed}",
            file=sys.stderr,
        )
        return 2
    return 0


@dataclass
class _Recording:
    """What became of ``-o``: the write error that ended the session, or the empty file removed."""

    error: RecordingWriteError | None = None
    removed: bool = False

    def failed(self, error: RecordingWriteError) -> None:
        self.error = error


async def _shifted(
    live: OpenSource, stop: asyncio.Event, stop_after_s: float | None
) -> AsyncIterator[SampleBlock]:
    async for b in until_stopped(live.blocks, stop, stop_after_s):
        gyr = b.gyr_rad_s if live.has_gyr else None
        # live.time_offset_s is known once the first block has arrived
        yield SampleBlock(b.time_s + live.time_offset_s, b.acc_m_s2, gyr)


async def _session(
    args: argparse.Namespace, spec: SourceSpec, replay: str | None, stop: StopSignals, recording: _Recording
) -> tuple[AnalysisResult, LinkStatus]:
    # With --json the view goes to stderr so that stdout holds only the JSON object.
    console = Console(stderr=args.json)
    with stop.installed(asyncio.get_running_loop()):
        page_cm: contextlib.AbstractAsyncContextManager[PageHub | None] = _no_page()
        if args.web:
            # The page is up before the device is found, so it can be opened while scanning.
            page_cm = _page(args, stop.event)
        async with page_cm as hub:
            return await _run_view(args, spec, replay, stop, console, hub, recording)


async def _run_view(
    args: argparse.Namespace,
    spec: SourceSpec,
    replay: str | None,
    stop: StopSignals,
    console: Console,
    hub: PageHub | None,
    recording: _Recording,
) -> tuple[AnalysisResult, LinkStatus]:
    async with open_source(spec) as live:
        # --mount, else the replayed file's own mount metadata, else front-belt.
        mount = args.mount.for_file(live.metadata.get("mount"))
        config = PipelineConfig(exercise=exercise_from_cli(args.exercise), body_from_sensor=mount)
        title = f"imurep live — {live.name}"
        writer_cm: contextlib.AbstractContextManager[RecordingWriter | None] = contextlib.nullcontext()
        if args.output:
            meta = {**live.metadata, "device": live.name}
            writer_cm = RecordingWriter(
                args.output,
                meta,
                has_gyr=live.has_gyr,
                overwrite=args.overwrite,
                remove_if_empty=True,
                final_metadata=("clock_mapping",),
            )
        if hub is not None:
            hub.attach(live.name, live.status)
        bell = CueTracker() if args.sound else None
        started = False
        try:
            with writer_cm as writer, Live(console=console, auto_refresh=False, transient=False) as view:
                started = True
                shown_key: tuple[object, ...] | None = None

                def show(u: LiveUpdate) -> None:
                    nonlocal shown_key
                    if hub is not None:
                        hub.publish(u)
                    if bell is not None:
                        rang = sum(1 for c in bell.update(u, time.monotonic()) if c.kind == "rep")
                        if rang:
                            console.file.write("\a" * rang)  # the terminal's bell, once a rep
                            console.file.flush()
                    frame = live_frame(u)
                    key = frame.key()
                    if key == shown_key:
                        return  # the same screen: skip the redraw (it costs more than the pipeline)
                    shown_key = key
                    view.update(render_frame(frame, title), refresh=True)

                async def show_link_until_data() -> None:
                    # No update comes before the first samples: show the link's state meanwhile
                    # ("connecting", "no data yet") rather than nothing, or a rate of 0 Hz.
                    while not live.status().receiving:
                        show(LiveUpdate(None, live.status(), None, args.target_reps, 0))
                        await asyncio.sleep(_WAITING_REFRESH_S)

                waiting = asyncio.create_task(show_link_until_data())
                try:
                    result = await run_live(
                        _shifted(live, stop.event, args.duration),
                        source_name=live.name if replay is None else replay,
                        config=config,
                        on_update=show,
                        link_status=live.status,
                        writer=writer,
                        target_reps=args.target_reps,
                        on_write_error=recording.failed,
                    )
                finally:
                    waiting.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await waiting
                link = live.status()
                if writer is not None:
                    writer.set_final_metadata("clock_mapping", link.clock_note())
                return result.with_input_warnings(live.warnings), link
        finally:
            if isinstance(writer_cm, RecordingWriter):
                recording.removed = writer_cm.removed
            if started:
                # The view leaves its last line open: end it before any message or the summary.
                console.file.write("\n")
                console.file.flush()


@contextlib.asynccontextmanager
async def _no_page() -> AsyncIterator[None]:
    yield None


@contextlib.asynccontextmanager
async def _page(args: argparse.Namespace, stop: asyncio.Event) -> AsyncIterator[PageHub]:
    """Serve the live page while the session runs; print where it is (and open it from a terminal)."""
    from imurep.live.web import PageHub, make_token, qr_text, serve_page

    hub = PageHub("connecting to the device…", LinkStatus)
    token = args.token or make_token()
    async with serve_page(hub, args.host, args.port, token) as server:
        for url in server.urls:
            print(f"imurep live page: {url}", file=sys.stderr, flush=True)
        if not ipaddress.ip_address(_resolved(args.host)).is_loopback:
            print(qr_text(server.urls[0]), file=sys.stderr, flush=True)
        if not args.no_browser and sys.stdin.isatty() and sys.stdout.isatty():
            webbrowser.open(server.urls[-1])
        if args.wait_for_page:
            print(
                "imurep live: waiting for the page to be opened (Ctrl-C to stop)", file=sys.stderr, flush=True
            )
            page = asyncio.ensure_future(hub.page_opened.wait())
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({page, stopping}, return_when=asyncio.FIRST_COMPLETED)
            page.cancel()
            stopping.cancel()
        yield hub
