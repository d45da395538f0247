"""The page's web server (aiohttp), in the event loop that runs the live session.

Everything is served under ``/TOKEN/``: the page, its script and style, ``state`` (the snapshot as
JSON) and ``ws`` (a WebSocket of messages). Any other path, or a wrong token, gets ``403`` and
nothing else. The page only reads: there is no route that changes anything, and whatever a page
sends on its WebSocket is ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hmac
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib import resources

from aiohttp import WSMsgType, web

from imurep.errors import InputError
from imurep.live.web.address import page_urls
from imurep.live.web.hub import PageHub

__all__ = ["TICK_S", "PageServer", "serve_page"]

# How often the link is looked at between updates, s.
TICK_S = 0.2
# At the end, how long the last messages get to reach the pages before the server closes, s.
_FLUSH_S = 0.5
_STATIC = {
    "": ("index.html", "text/html"),
    "page.js": ("page.js", "text/javascript"),
    "page.css": ("page.css", "text/css"),
}
# Nothing from anywhere else: no fonts, scripts or voices fetched from the network.
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",  # the token is in the address
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
_REFUSED = "403 Forbidden: open the address imurep printed, token included.\n"


@dataclass(frozen=True)
class PageServer:
    """A running page server.

    Attributes
    ----------
    host, port
        Where it listens (``port`` is the one bound, also when 0 was asked for).
    token
        The token every address must carry.
    urls
        The page's address(es) to print; the first one is for a phone.
    """

    host: str
    port: int
    token: str
    urls: tuple[str, ...]


def _static(name: str) -> bytes:
    return resources.files("imurep.live.web").joinpath("static", name).read_bytes()


def _app(hub: PageHub, token: str) -> web.Application:
    sockets: set[web.WebSocketResponse] = set()
    files = {path: (_static(name), ctype) for path, (name, ctype) in _STATIC.items()}

    async def handle(request: web.Request) -> web.StreamResponse:
        first, sep, rest = request.path.lstrip("/").partition("/")
        if not hmac.compare_digest(first.encode(), token.encode()):
            return web.Response(status=403, text=_REFUSED, headers=_HEADERS)
        if request.method not in ("GET", "HEAD"):
            # Read-only: nothing can be sent to change the session.
            return web.Response(
                status=405, text="405 Method Not Allowed: the page is read-only\n", headers=_HEADERS
            )
        if not sep:
            raise web.HTTPFound(f"/{token}/", headers=_HEADERS)
        if rest == "ws":
            return await _websocket(request)
        if rest == "state":
            snapshot = json.dumps(hub.snapshot())
            return web.Response(text=snapshot, content_type="application/json", headers=_HEADERS)
        if rest in files:
            body, ctype = files[rest]
            return web.Response(body=body, content_type=ctype, charset="utf-8", headers=_HEADERS)
        return web.Response(status=404, text="404 Not Found\n", headers=_HEADERS)

    async def _websocket(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=5.0)
        await ws.prepare(request)
        sockets.add(ws)
        q = hub.subscribe()
        sender = asyncio.create_task(_send_all(ws, q))
        try:
            await ws.send_str(json.dumps(hub.snapshot()))
            async for msg in ws:  # read-only: what a page sends is ignored
                if msg.type == WSMsgType.ERROR:
                    break
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
            hub.unsubscribe(q)
            sockets.discard(ws)
        return ws

    async def close_sockets(_: web.Application) -> None:
        for ws in list(sockets):
            await ws.close(code=1001, message=b"imurep stopped")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    app.on_shutdown.append(close_sockets)
    return app


async def _send_all(ws: web.WebSocketResponse, q: asyncio.Queue[str | None]) -> None:
    while True:
        text = await q.get()
        if text is None:
            await ws.close(code=1000, message=b"session finished")
            return
        await ws.send_str(text)


def _bind_error(host: str, port: int, e: OSError) -> str:
    where = f"cannot serve the page on {host}:{port}"
    if isinstance(e, socket.gaierror):
        return f"{where}: --host {host!r} is no address this machine knows ({e.strerror})"
    if e.errno == errno.EADDRINUSE:
        return f"{where}: the port is in use; choose another --port (0: any free one)"
    if e.errno == errno.EADDRNOTAVAIL:
        return f"{where}: --host {host!r} is not an address of this machine (0.0.0.0: all of them)"
    return f"{where}: {e.strerror or e}; choose another --host or --port"


@contextlib.asynccontextmanager
async def serve_page(hub: PageHub, host: str, port: int, token: str) -> AsyncIterator[PageServer]:
    """Serve the page for ``hub`` on ``host``:``port`` (0: any free port) while the block runs.

    On leaving, the hub's session is ended (the pages get the last message) and the server closes.
    Raises :class:`~imurep.errors.InputError` when the address cannot be bound.
    """
    if not token or "/" in token:
        raise InputError(f"the page's token must be non-empty and without '/', got {token!r}")
    runner = web.AppRunner(_app(hub, token), handle_signals=False, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as e:
        await runner.cleanup()
        raise InputError(_bind_error(host, port, e)) from None
    bound = int(runner.addresses[0][1]) if runner.addresses else port

    async def ticker() -> None:
        while True:
            await asyncio.sleep(TICK_S)
            hub.tick()

    ticking = asyncio.create_task(ticker())
    try:
        yield PageServer(host, bound, token, tuple(page_urls(host, bound, token)))
    finally:
        ticking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticking
        hub.end()
        if hub.pages:
            await asyncio.sleep(_FLUSH_S)
        await runner.cleanup()
