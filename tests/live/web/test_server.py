"""The page's server in-process: the token guards everything, the page only reads, messages flow."""

from __future__ import annotations

import json
import re
import socket
from importlib import resources

import aiohttp
import pytest

from imurep.errors import InputError
from imurep.live.runner import LinkStatus, LiveUpdate
from imurep.live.web import PageHub, make_token, serve_page
from imurep.pipeline.pipeline import PipelineState

TOKEN = make_token()


def _update(left: int, right: int, samples: int, hold_s: float = 0.0) -> LiveUpdate:
    state = PipelineState(
        time_s=samples / 100,
        posture="supine",
        exercise="knee_rolls",
        angle_deg=12.0,
        reps=left + right,
        left=left,
        right=right,
        phase="out" if hold_s else "rest",
        hold_s=hold_s,
        total_reps=left + right,
    )
    return LiveUpdate(state, LinkStatus(rate_hz=100.0, packets=samples), None, 10, samples)


async def test_every_path_without_the_token_is_refused() -> None:
    hub = PageHub("test band", LinkStatus)
    async with serve_page(hub, "127.0.0.1", 0, TOKEN) as server, aiohttp.ClientSession() as http:
        base = f"http://127.0.0.1:{server.port}"
        assert server.urls == (f"{base}/{TOKEN}/",)
        async with http.get(f"{base}/{TOKEN}/") as r:
            assert r.status == 200 and "imurep live" in await r.text()
            assert "default-src 'self'" in r.headers["Content-Security-Policy"]
            assert r.headers["Referrer-Policy"] == "no-referrer"
        wrong = TOKEN[:-1] + ("A" if TOKEN[-1] != "A" else "B")
        for path in (
            "/",
            "/state",
            "/ws",
            "/page.js",
            f"/{wrong}/",
            f"/{wrong}/state",
            f"/{TOKEN[:8]}/",
            "/x/y",
        ):
            async with http.get(base + path) as r:
                assert r.status == 403, path
                assert "Forbidden" in await r.text()
        async with http.post(f"{base}/state", data=b"x") as r:
            assert r.status == 403
        async with http.get(f"{base}/{TOKEN}", allow_redirects=False) as r:
            assert r.status == 302 and r.headers["Location"] == f"/{TOKEN}/"


async def test_the_page_only_reads_and_gets_each_update_with_its_cues() -> None:
    hub = PageHub("test band", LinkStatus)
    async with serve_page(hub, "127.0.0.1", 0, TOKEN) as server, aiohttp.ClientSession() as http:
        url = server.urls[0]
        async with http.post(url + "state", json={"target_reps": 1}) as r:
            assert r.status == 405
        hub.publish(_update(0, 0, 100))
        async with http.get(url + "state") as r:
            snap = await r.json()
        assert snap["status"] == "running" and snap["cues"] == [] and snap["target_reps"] == 10
        async with http.ws_connect(url.replace("http", "ws") + "ws") as ws:
            first = json.loads((await ws.receive()).data)
            assert first["seq"] == snap["seq"] and first["session_id"] == snap["session_id"]
            await ws.send_str('{"target_reps": 1}')  # ignored: the page cannot change anything
            hub.publish(_update(1, 0, 200))
            msg = json.loads((await ws.receive(timeout=5)).data)
            assert msg["seq"] == first["seq"] + 1
            assert msg["counts"] == [{"label": "left", "count": 1}, {"label": "right", "count": 0}]
            assert msg["target_reps"] == 10
            hub.end()
            last = json.loads((await ws.receive(timeout=5)).data)
            assert last["status"] == "ended" and [c["kind"] for c in last["cues"]] == ["end"]
            closing = await ws.receive(timeout=5)
            assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)


async def test_a_port_in_use_is_one_clear_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(
            InputError,
            match=rf"cannot serve the page on 127.0.0.1:{port}: the port is in use; choose another --port",
        ):
            async with serve_page(PageHub("b", LinkStatus), "127.0.0.1", port, TOKEN):
                pass


def test_the_page_fetches_nothing_from_elsewhere() -> None:
    """No external fonts, scripts, styles or voices: every file refers to its own server only."""
    static = resources.files("imurep.live.web").joinpath("static")
    names = sorted(p.name for p in static.iterdir())
    assert names == ["index.html", "page.css", "page.js"]
    for name in names:
        text = static.joinpath(name).read_text(encoding="utf-8")
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import|url\(", text, re.I), name
    js = static.joinpath("page.js").read_text(encoding="utf-8")
    assert "localService" in js  # speech only with voices on the device (none is streamed)


def test_the_qr_code_draws_segnos_modules_exactly() -> None:
    """Read back from its characters (two modules a cell, light drawn), it is the URL's QR code."""
    import segno

    from imurep.live.web import qr_text

    url = f"http://192.168.1.20:8765/{TOKEN}/"
    lines = qr_text(url).splitlines()
    light = {"█": (1, 1), "▀": (1, 0), "▄": (0, 1), " ": (0, 0)}  # (upper, lower) drawn light
    modules: list[list[int]] = []
    for line in lines:
        upper = [1 - light[ch][0] for ch in line]
        lower = [1 - light[ch][1] for ch in line]
        modules += [upper, lower]
    expected = [[int(bool(v)) for v in row] for row in segno.make(url, error="m").matrix]
    border = 2
    inner = [row[border:-border] for row in modules[border : border + len(expected)]]
    assert inner == expected
    assert all(v == 0 for row in modules[:border] for v in row)  # a quiet zone around it


def test_a_silent_sensor_and_a_dropped_link_reach_the_page_between_updates() -> None:
    """No samples arrive while the link is down or the sensor is silent: the ticks tell the page."""
    now = [0.0]
    link = [LinkStatus(rate_hz=100.0)]
    hub = PageHub("test band", lambda: link[0], monotonic_s=lambda: now[0])
    q = hub.subscribe()
    hub.publish(_update(0, 0, 100))
    q.get_nowait()
    now[0] = 1.0
    hub.tick()
    assert q.empty()  # nothing changed: no message
    now[0] = 2.5
    hub.tick()
    msg = json.loads(q.get_nowait() or "")
    assert msg["link"]["stalled"] and [c["kind"] for c in msg["cues"]] == ["sensor_stopped"]
    link[0] = LinkStatus(connected=False)
    now[0] = 2.7
    hub.tick()
    msg = json.loads(q.get_nowait() or "")
    assert not msg["link"]["connected"] and [c["kind"] for c in msg["cues"]] == ["link_lost"]
    assert hub.snapshot()["cues"] == [] and hub.snapshot()["seq"] == msg["seq"]
